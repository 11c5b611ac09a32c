import { describe, expect, it } from "vitest";
import { normalQuantile, normalCdf } from "./distributions";
import { compareProportions, fisherExactTest, holmAdjust, twoProportionZTest, wilsonInterval } from "./proportions";

describe("wilsonInterval", () => {
  // Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
  // seven methods", Statistics in Medicine 17:857–872, Table II, method 3 (Wilson score).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("%i/%i gives %f to %f (Newcombe 1998)", (x, n, lower, upper) => {
    const interval = wilsonInterval(x, n);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
    expect(interval.rate).toBeCloseTo(x / n, 10);
  });

  it("has no rate or interval without observations, and refuses impossible counts", () => {
    expect(wilsonInterval(0, 0)).toEqual({ successes: 0, n: 0, rate: null, lower: null, upper: null });
    expect(() => wilsonInterval(5, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 3)).toThrow(RangeError);
  });

  it("stays inside [0, 1] at the edges", () => {
    const all = wilsonInterval(20, 20);
    expect(all.upper).toBe(1);
    expect(all.lower).toBeCloseTo(1 - 0.1611, 4);
  });
});

describe("normal distribution", () => {
  it("has the textbook quantiles and CDF values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
  });
});

describe("two-proportion tests", () => {
  it("z-test: 30/100 against 45/100 (z² = Pearson's χ² = 4.8, p = 0.02846, as R's prop.test(correct = FALSE))", () => {
    const { z, pValue } = twoProportionZTest(30, 100, 45, 100);
    expect(z * z).toBeCloseTo(4.8, 6);
    expect(pValue).toBeCloseTo(0.02846, 5);
  });

  it("Fisher's exact test: the lady tasting tea (Fisher 1935), two-sided p = 0.4857", () => {
    expect(fisherExactTest(3, 1, 1, 3)).toBeCloseTo(0.485714, 6);
  });

  it("Fisher's exact test: dieting by sex (Wikipedia, Fisher's exact test), two-sided p = 0.002759", () => {
    expect(fisherExactTest(1, 9, 11, 3)).toBeCloseTo(0.0027595, 6);
  });

  it("uses Fisher's exact test when an expected count is below 5, the z-test otherwise", () => {
    expect(compareProportions(1, 10, 6, 10).test).toBe("Fisher's exact test");
    expect(compareProportions(30, 100, 45, 100)).toEqual({
      test: "two-proportion z-test",
      pValue: expect.closeTo(0.02846, 4),
      difference: expect.closeTo(-0.15, 10),
    });
    expect(compareProportions(0, 0, 3, 10).pValue).toBe(1);
  });
});

describe("holmAdjust", () => {
  it("matches R's p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm')", () => {
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => {
      expect(adjusted[i]).toBeCloseTo(expected, 12);
    });
  });

  it("never exceeds 1 and keeps the order of the input", () => {
    expect(holmAdjust([0.9, 0.5])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});
