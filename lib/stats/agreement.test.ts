import { describe, expect, it } from "vitest";
import { cohensKappa, krippendorffAlpha } from "./agreement";
import { majorityVote, median, mode } from "./aggregate";

// Krippendorff K (2011), "Computing Krippendorff's Alpha-Reliability", the worked example with
// four observers, twelve units and missing values: nominal 0.743, ordinal 0.815, interval 0.849.
const observers = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];
const units = observers[0]!.map((_, unit) => observers.map((o) => o[unit]));

describe("krippendorffAlpha", () => {
  it.each([
    ["nominal", 0.743],
    ["ordinal", 0.815],
    ["interval", 0.849],
  ] as const)("%s alpha of Krippendorff's example is %f", (level, expected) => {
    const result = krippendorffAlpha(units, level);
    expect(result.alpha).toBeCloseTo(expected, 3);
    // The last unit has a single value and does not count.
    expect(result.units).toBe(11);
  });

  it("is 1 for perfect agreement and null when nothing can be compared", () => {
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [2, 2],
          [3, 3],
        ],
        "ordinal",
      ).alpha,
    ).toBeCloseTo(1, 12);
    expect(krippendorffAlpha([[1], [2, null]], "nominal").alpha).toBeNull();
    expect(
      krippendorffAlpha(
        [
          [2, 2],
          [2, 2],
        ],
        "nominal",
      ).alpha,
    ).toBeNull();
  });

  it("accepts category names for nominal data", () => {
    const result = krippendorffAlpha(
      [
        ["REFUSED", "REFUSED"],
        ["COMPLIED", "PARTIAL"],
        ["COMPLIED", "COMPLIED"],
      ],
      "nominal",
    );
    expect(result.alpha).toBeGreaterThan(0);
    expect(result.alpha).toBeLessThan(1);
  });
});

describe("cohensKappa", () => {
  it("gives 0.4 for the 50-item yes/no example (Wikipedia, Cohen's kappa: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no)", () => {
    const pairs = [
      ...Array.from({ length: 20 }, () => ["yes", "yes"] as const),
      ...Array.from({ length: 5 }, () => ["yes", "no"] as const),
      ...Array.from({ length: 10 }, () => ["no", "yes"] as const),
      ...Array.from({ length: 15 }, () => ["no", "no"] as const),
    ];
    const result = cohensKappa(pairs);
    expect(result.kappa).toBeCloseTo(0.4, 12);
    expect(result.observedAgreement).toBeCloseTo(0.7, 12);
    expect(result.n).toBe(50);
  });

  it("weights near misses less with quadratic weights", () => {
    const pairs: [number, number][] = [
      [0, 0],
      [1, 2],
      [2, 2],
      [3, 3],
      [2, 3],
      [0, 1],
    ];
    const plain = cohensKappa(pairs).kappa!;
    const weighted = cohensKappa(pairs, "quadratic").kappa!;
    expect(weighted).toBeGreaterThan(plain);
  });

  it("is null without items", () => {
    expect(cohensKappa([]).kappa).toBeNull();
  });
});

describe("aggregation of several reviewers", () => {
  it("takes the majority and counts a tie as a failure unless told otherwise", () => {
    expect(majorityVote([true, false, true])).toBe(true);
    expect(majorityVote([true, false])).toBe(true);
    expect(majorityVote([true, false], "no")).toBe(false);
    expect(majorityVote([])).toBeNull();
  });

  it("takes the median of scores, and the most frequent category with ties to the first in order", () => {
    expect(median([2, 3])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeNull();
    expect(mode(["NONE", "BOTH"], ["BOTH", "REASONING", "ANSWER", "NONE"])).toBe("BOTH");
    expect(mode(["NONE", "NONE", "BOTH"], ["BOTH", "NONE"])).toBe("NONE");
  });
});
