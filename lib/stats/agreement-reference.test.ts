// Agreement values a user reads off the analytics pages, checked against independent references:
// Krippendorff's alpha computed from its definition (pairs of values, not the coincidence matrix)
// and statsmodels 0.13.5's cohens_kappa, plus the edge cases that give no value.
//
// Reference for alpha (python3):
//   from itertools import permutations
//   def alpha(units, level):
//       units = [[v for v in u if v is not None] for u in units]; units = [u for u in units if len(u) >= 2]
//       values = [v for u in units for v in u]; n = len(values); cats = sorted(set(values))
//       count = {c: values.count(c) for c in cats}
//       def delta(c, k):
//           if c == k: return 0.0
//           if level == "nominal": return 1.0
//           if level == "interval": return float(c - k) ** 2
//           lo, hi = sorted([cats.index(c), cats.index(k)])
//           return (sum(count[g] for g in cats[lo:hi + 1]) - (count[c] + count[k]) / 2) ** 2
//       do = sum(delta(a, b) / (len(u) - 1) for u in units for a, b in permutations(u, 2)) / n
//       de = sum(delta(a, b) for a, b in permutations(values, 2)) / (n * (n - 1))
//       return 1 - do / de
import { describe, expect, it } from "vitest";
import { cohensKappa, kappaFromMatrix, krippendorffAlpha } from "./agreement";

// Three reviewers on a 1 / 2 / 10 scale (10 sorts before 2 as text), some labels missing.
const scored = [
  [1, 2, 10],
  [2, 2, null],
  [10, 10, 2],
  [1, 1, 1],
  [2, 10, undefined],
  [1, 2, 2],
];

describe("krippendorffAlpha against its definition", () => {
  it.each([
    ["nominal", 0.18674698795180722],
    ["ordinal", 0.3821022727272727],
    ["interval", 0.12097476066144475],
  ] as const)("%s alpha of a scale whose values do not sort as text is %f", (level, expected) => {
    const result = krippendorffAlpha(scored, level);
    expect(result.alpha).toBeCloseTo(expected, 12);
    // Missing labels (null or undefined) are left out: 16 values in 6 units.
    expect(result).toMatchObject({ units: 6, values: 16 });
  });

  it("ordinal alpha depends only on the order of the values, text or numbers, not on the order given", () => {
    const backwards = [...scored].reverse().map((u) => [...u].reverse());
    expect(krippendorffAlpha(backwards, "ordinal").alpha).toBeCloseTo(0.3821022727272727, 12);
    const relabel = (v: number | null | undefined, labels: Record<number, string | number>) =>
      v === null || v === undefined ? v : labels[v]!;
    const asRanks = backwards.map((u) => u.map((v) => relabel(v, { 1: 1, 2: 2, 10: 3 })));
    const asText = backwards.map((u) => u.map((v) => relabel(v, { 1: "a-low", 2: "b-mid", 10: "c-high" })));
    expect(krippendorffAlpha(asRanks, "ordinal").alpha).toBeCloseTo(0.3821022727272727, 12);
    expect(krippendorffAlpha(asText, "ordinal").alpha).toBeCloseTo(0.3821022727272727, 12);
  });

  it("is 0 for one unit whose two reviewers disagree", () => {
    expect(krippendorffAlpha([[1, 2]], "nominal").alpha).toBe(0);
  });

  it("refuses interval alpha of text values", () => {
    expect(() =>
      krippendorffAlpha(
        [
          ["a", "b"],
          ["a", "a"],
        ],
        "interval",
      ),
    ).toThrow(/interval alpha needs numeric values/);
    expect(() =>
      krippendorffAlpha(
        [
          [1, "b"],
          [1, 1],
        ],
        "interval",
      ),
    ).toThrow(/interval alpha needs numeric values/);
  });
});

describe("Cohen's kappa against statsmodels", () => {
  // statsmodels.stats.inter_rater.cohens_kappa(t) and cohens_kappa(t, wt="quadratic") for
  // t = [[5,2,0,0],[1,6,2,1],[0,2,7,1],[0,0,1,4]] (rows: reviewer A's value, columns: B's).
  const table = [
    [5, 2, 0, 0],
    [1, 6, 2, 1],
    [0, 2, 7, 1],
    [0, 0, 1, 4],
  ];
  const pairsOn = (scale: readonly number[]) =>
    table.flatMap((row, i) =>
      row.flatMap((count, j) => Array.from({ length: count }, () => [scale[i]!, scale[j]!] as [number, number])),
    );

  it("unweighted: 0.574468085106383 (also from the flat table without naming the weights)", () => {
    expect(cohensKappa(pairsOn([1, 2, 3, 4])).kappa).toBeCloseTo(0.574468085106383, 12);
    const result = kappaFromMatrix(table.flat(), ["w", "x", "y", "z"]);
    expect(result.kappa).toBeCloseTo(0.574468085106383, 12);
    expect(result.observedAgreement).toBeCloseTo(22 / 32, 12);
  });

  it.each([
    ["1 to 4", [1, 2, 3, 4]],
    ["-1 to 0.5", [-1, -0.5, 0, 0.5]],
    ["-3 to 3", [-3, -1, 1, 3]],
  ])("quadratic on an evenly spaced scale %s: 0.796875", (_, scale) => {
    const result = cohensKappa(pairsOn(scale), "quadratic");
    expect(result.kappa).toBeCloseTo(0.796875, 12);
    expect(result.observedAgreement).toBeCloseTo(22 / 32, 12);
  });

  it("has no kappa when both reviewers only ever give one value", () => {
    const same = Array.from({ length: 5 }, () => ["yes", "yes"] as const);
    expect(cohensKappa(same)).toEqual({ kappa: null, n: 5, observedAgreement: 1 });
    expect(
      cohensKappa(
        Array.from({ length: 4 }, () => [3, 3] as const),
        "quadratic",
      ),
    ).toEqual({
      kappa: null,
      n: 4,
      observedAgreement: 1,
    });
    // A scale of three values of which both used only the lowest.
    expect(kappaFromMatrix([6, 0, 0, 0, 0, 0, 0, 0, 0], [1, 2, 3], "quadratic")).toEqual({
      kappa: null,
      n: 6,
      observedAgreement: 1,
    });
  });

  it("refuses weighted kappa of text values", () => {
    expect(() => cohensKappa([["low", "high"]], "quadratic")).toThrow(/weighted kappa needs numeric values/);
    expect(() => cohensKappa([[1, "high"]], "quadratic")).toThrow(/weighted kappa needs numeric values/);
  });
});
