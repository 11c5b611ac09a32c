// Reference values from scipy 1.10.1 / statsmodels 0.13.5 (Debian 12's python3-scipy and
// python3-statsmodels): statsmodels.stats.contingency_tables.mcnemar(table, exact=True).pvalue,
// cochrans_q(x).statistic / .pvalue, scipy.stats.chi2.sf(q, df).
import { describe, expect, it } from "vitest";
import { chiSquareSurvival } from "./distributions";
import { cochranQ, discordantPairs, exactMcNemar } from "./paired";

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
    expect(discordantPairs([true, true, false, false, true], [true, false, true, false, false])).toEqual({ onlyA: 2, onlyB: 1, pairs: 5 });
    expect(() => discordantPairs([true], [true, false])).toThrow(RangeError);
  });
});

describe("chiSquareSurvival", () => {
  it.each([
    [3.5, 2, 0.1737739434504451],
    [10.2, 3, 0.01694037352253388],
    [0.4, 1, 0.5270892568655381],
    [25, 4, 5.0309817823062075e-5],
  ])("χ²(%f, df %i) matches scipy's chi2.sf", (q, df, p) => {
    expect(chiSquareSurvival(q, df)).toBeCloseTo(p, 10);
    expect(Math.abs(chiSquareSurvival(q, df) - p) / p).toBeLessThan(1e-9);
  });
});

describe("cochranQ", () => {
  it("matches statsmodels' cochrans_q on three checkpoints", () => {
    const x = [[1, 1, 0], [1, 0, 0], [0, 0, 0], [1, 1, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 0], [0, 0, 0], [1, 0, 0]];
    const result = cochranQ(x.map((row) => row.map(Boolean)));
    expect(result.q).toBeCloseTo(5.428571428571429, 12);
    expect(result.df).toBe(2);
    expect(result.pValue).toBeCloseTo(0.06625225915226168, 10);
    expect(result.prompts).toBe(10);
  });

  it("matches statsmodels' cochrans_q on four checkpoints, and leaves out prompts a checkpoint did not answer", () => {
    const x = [[1, 0, 0, 1], [1, 1, 0, 1], [0, 0, 0, 1], [1, 1, 1, 1], [0, 0, 0, 0], [1, 0, 0, 1], [1, 0, 1, 1], [0, 0, 0, 1]];
    const rows: (boolean | null)[][] = x.map((row) => row.map(Boolean));
    rows.push([true, null, false, false]);
    const result = cochranQ(rows);
    expect(result.q).toBeCloseTo(10.8, 12);
    expect(result.df).toBe(3);
    expect(result.pValue).toBeCloseTo(0.012858001156297613, 10);
    expect(result.prompts).toBe(8);
  });

  it("gives Q = 0 and p = 1 when no prompt separates the checkpoints", () => {
    expect(cochranQ([[true, true], [false, false]])).toMatchObject({ q: 0, pValue: 1 });
  });
});
