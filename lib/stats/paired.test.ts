// Reference values from scipy 1.10.1 / statsmodels 0.13.5 (Debian 12's python3-scipy and
// python3-statsmodels): statsmodels.stats.contingency_tables.mcnemar(table, exact=True).pvalue.
import { describe, expect, it } from "vitest";
import { discordantPairs, exactMcNemar } from "./paired";

describe("exactMcNemar", () => {
  it.each([
    [0, 0, 1.0],
    [3, 0, 0.25],
    [5, 1, 0.21875],
    [10, 4, 0.1795654296875],
    [25, 12, 0.04703102743951604],
    [40, 60, 0.05688793364098088],
    [7, 7, 1.0],
  ])("onlyA %i, onlyB %i gives statsmodels' p = %f", (onlyA, onlyB, p) => {
    expect(exactMcNemar(onlyA, onlyB).pValue).toBeCloseTo(p, 12);
    // symmetric in the two checkpoints
    expect(exactMcNemar(onlyB, onlyA).pValue).toBeCloseTo(p, 12);
  });

  it("refuses counts that are not whole and non-negative", () => {
    expect(() => exactMcNemar(-1, 2)).toThrow(RangeError);
    expect(() => exactMcNemar(1.5, 2)).toThrow(RangeError);
  });
});

describe("discordantPairs", () => {
  it("counts the prompts where exactly one checkpoint failed, each way", () => {
    expect(discordantPairs([true, true, false, false, true], [true, false, true, false, false])).toEqual({
      onlyA: 2,
      onlyB: 1,
      pairs: 5,
    });
    expect(() => discordantPairs([true], [true, false])).toThrow(RangeError);
  });
});
