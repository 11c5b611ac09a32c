// Rates, tests of two rates and the paired test, as a user reads them, against scipy 1.10.1 and
// statsmodels 0.13.5 (python3), including the counts at which the product switches tests:
//   scipy.stats.fisher_exact(table)[1]
//   statsmodels.stats.proportion.proportions_ztest([x1, x2], [n1, n2])[1]
//   statsmodels.stats.proportion.proportion_confint(count, nobs, alpha=0.05, method="wilson")
import { describe, expect, it } from "vitest";
import { majorityVote, mode } from "./aggregate";
import { discordantPairs, exactMcNemar } from "./paired";
import { compareProportions, fisherExactTest, twoProportionZTest, wilsonInterval } from "./proportions";

describe("compareProportions chooses the test by the smallest expected count", () => {
  it("Fisher when the expected count of passes is below 5: 47/50 against 45/50", () => {
    // Passes: 3 + 5 = 8, expected 4 in each group.
    expect(compareProportions(47, 50, 45, 50)).toEqual({
      test: "Fisher's exact test",
      pValue: expect.closeTo(0.7149836629646897, 10),
      difference: expect.closeTo(0.04, 12),
    });
  });

  it("Fisher when only the smaller group's expected passes are below 5: 85/100 against 15/20", () => {
    // Passes 20 of 120: expected 16.7 in the first group, 3.3 in the second.
    expect(compareProportions(85, 100, 15, 20)).toEqual({
      test: "Fisher's exact test",
      pValue: expect.closeTo(0.3236049210231955, 10),
      difference: expect.closeTo(0.1, 12),
    });
  });

  it("Fisher when only the smaller first group's expected passes are below 5: 15/20 against 85/100", () => {
    expect(compareProportions(15, 20, 85, 100)).toEqual({
      test: "Fisher's exact test",
      pValue: expect.closeTo(0.3236049210231955, 10),
      difference: expect.closeTo(-0.1, 12),
    });
  });

  it("the z-test when the smallest expected count is exactly 5: 3/20 against 7/20", () => {
    expect(compareProportions(3, 20, 7, 20)).toEqual({
      test: "two-proportion z-test",
      pValue: expect.closeTo(0.14412703481601533, 6),
      difference: expect.closeTo(-0.2, 12),
    });
  });

  it("no difference and p = 1 when a group has no responses", () => {
    expect(compareProportions(0, 0, 3, 10)).toEqual({ test: "Fisher's exact test", pValue: 1, difference: 0 });
    expect(compareProportions(4, 10, 0, 0)).toEqual({ test: "Fisher's exact test", pValue: 1, difference: 0 });
  });

  it("the z-test gives p = 1 when both groups have the same rate of 0 or 1", () => {
    expect(twoProportionZTest(0, 40, 0, 60)).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionZTest(40, 40, 60, 60)).toEqual({ z: 0, pValue: 1 });
  });
});

describe("fisherExactTest against scipy", () => {
  it.each([
    [2, 8, 7, 5, 0.09907120743034056],
    [8, 2, 1, 5, 0.034965034965034975],
    [0, 5, 6, 1, 0.01515151515151515],
    [9, 1, 2, 6, 0.01282051282051282],
    // One table fits the margins: it is certain.
    [3, 0, 0, 0, 1],
  ])("[[%i, %i], [%i, %i]]: p = %f", (a, b, c, d, p) => {
    expect(fisherExactTest(a, b, c, d)).toBeCloseTo(p, 12);
  });
});

describe("wilsonInterval against statsmodels", () => {
  it("15 of 50: [0.19103553500880943, 0.437503504644534]", () => {
    const interval = wilsonInterval(15, 50);
    expect(interval.lower).toBeCloseTo(0.19103553500880943, 8);
    expect(interval.upper).toBeCloseTo(0.437503504644534, 8);
  });

  it.each([
    [1.5, 2],
    [1, 2.5],
    [-1, 2],
    [3, 2],
  ])("refuses %f of %f", (successes, n) => {
    expect(() => wilsonInterval(successes, n)).toThrow(/wilsonInterval needs whole numbers 0 ≤ successes ≤ n/);
  });
});

describe("exact McNemar and its discordant pairs", () => {
  it("names its test and gives scipy's binomtest(3, 12, 0.5).pvalue = 0.14599609375", () => {
    expect(exactMcNemar(3, 9)).toEqual({
      test: "exact McNemar",
      onlyA: 3,
      onlyB: 9,
      pValue: expect.closeTo(0.14599609375, 12),
    });
  });

  it("refuses a negative or fractional count on either side", () => {
    expect(() => exactMcNemar(2, -1)).toThrow(/exactMcNemar needs whole counts ≥ 0, got 2 and -1/);
    expect(() => exactMcNemar(2, 0.5)).toThrow(RangeError);
  });

  it("counts a prompt both checkpoints failed on neither side", () => {
    expect(discordantPairs([true, true], [true, false])).toEqual({ onlyA: 1, onlyB: 0, pairs: 2 });
    expect(discordantPairs([true, false], [true, true])).toEqual({ onlyA: 0, onlyB: 1, pairs: 2 });
    expect(() => discordantPairs([true], [])).toThrow(/same prompts \(1 vs 0\)/);
  });
});

describe("majority of reviewers", () => {
  it("follows the majority either way, whatever the tie rule", () => {
    for (const tie of ["yes", "no"] as const) {
      expect(majorityVote([false, false, true], tie)).toBe(false);
      expect(majorityVote([true, true, false], tie)).toBe(true);
    }
    expect(majorityVote([true, false], "no")).toBe(false);
    expect(majorityVote([true, false], "yes")).toBe(true);
    expect(majorityVote([])).toBeNull();
  });

  it("has no mode without values", () => {
    expect(mode([], ["REFUSED", "COMPLIED"])).toBeNull();
  });
});
