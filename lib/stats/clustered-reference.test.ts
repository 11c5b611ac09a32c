// Clustered rates and differences against statsmodels 0.13.5 (python3), for the shapes of data the
// product meets: prompts only one group answered, prompts without responses, two prompts only.
//   import numpy as np, statsmodels.api as sm
//   sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": prompt}) -> .params, .bse, .pvalues
//   statsmodels.stats.proportion.proportion_confint(p * n_eff, n_eff, method="wilson")
import { describe, expect, it } from "vitest";
import { clusteredDifference, clusteredRate, wilsonBounds } from "./clustered";
import { logGamma, normalQuantile } from "./distributions";

describe("clusteredDifference against statsmodels", () => {
  it("counts prompts only one group answered, and gives OLS's clustered slope and p-value", () => {
    // Per prompt: A failures / responses, B failures / responses (prompt 3 only A, 4 only B).
    const prompts = [
      [2, 3, 1, 3],
      [0, 2, 1, 2],
      [3, 4, 1, 4],
      [1, 2, 0, 0],
      [0, 0, 2, 3],
      [1, 3, 3, 3],
    ].map(([ka, na, kb, nb]) => ({ a: { successes: ka!, n: na! }, b: { successes: kb!, n: nb! } }));
    const result = clusteredDifference(prompts)!;
    // statsmodels' slope is rate B − rate A = 0.033333333333333284; ours is A − B.
    expect(result.test).toBe("cluster-robust z-test");
    expect(result.difference).toBeCloseTo(-0.033333333333333284, 12);
    expect(result.standardError).toBeCloseTo(0.24741070238277324, 12);
    expect(result.pValue).toBeCloseTo(0.892826345484773, 6);
    expect(result.clusters).toBe(6);
  });

  it("is undefined when the first group has no responses on any prompt", () => {
    expect(
      clusteredDifference([
        { a: { successes: 0, n: 0 }, b: { successes: 1, n: 2 } },
        { a: { successes: 0, n: 0 }, b: { successes: 2, n: 3 } },
      ]),
    ).toBeNull();
  });

  it("is defined with two prompts", () => {
    const result = clusteredDifference([
      { a: { successes: 1, n: 2 }, b: { successes: 0, n: 2 } },
      { a: { successes: 2, n: 2 }, b: { successes: 1, n: 2 } },
    ]);
    expect(result?.clusters).toBe(2);
  });

  it("is certain when every prompt gives the same outcome within each group", () => {
    const differ = clusteredDifference([
      { a: { successes: 2, n: 2 }, b: { successes: 0, n: 2 } },
      { a: { successes: 3, n: 3 }, b: { successes: 0, n: 1 } },
    ]);
    expect(differ).toEqual({
      test: "cluster-robust z-test",
      difference: 1,
      standardError: 0,
      z: Infinity,
      pValue: 0,
      clusters: 2,
    });
    const same = clusteredDifference([
      { a: { successes: 0, n: 2 }, b: { successes: 0, n: 2 } },
      { a: { successes: 0, n: 3 }, b: { successes: 0, n: 1 } },
    ]);
    expect(same).toEqual({
      test: "cluster-robust z-test",
      difference: 0,
      standardError: 0,
      z: 0,
      pValue: 1,
      clusters: 2,
    });
  });
});

describe("clusteredRate against statsmodels", () => {
  it("two prompts at 3/4 and 1/4: standard error 0.25, design effect 2, Wilson on 4 effective responses", () => {
    // A prompt without responses is no prompt of the group.
    const rate = clusteredRate([
      { successes: 3, n: 4 },
      { successes: 0, n: 0 },
      { successes: 1, n: 4 },
    ]);
    expect(rate.clusters).toBe(2);
    expect(rate.standardError).toBeCloseTo(0.25, 12);
    expect(rate.designEffect).toBeCloseTo(2, 12);
    expect(rate.lower).toBeCloseTo(0.15003898915214953, 8);
    expect(rate.upper).toBeCloseTo(0.8499610108478505, 8);
  });

  it("has no standard error from one prompt", () => {
    expect(clusteredRate([{ successes: 1, n: 4 }])).toMatchObject({
      clusters: 1,
      standardError: null,
      designEffect: 1,
    });
  });

  it.each([
    [1.5, 2],
    [1, 2.5],
    [-1, 2],
  ])("refuses %f failures of %f", (successes, n) => {
    expect(() => clusteredRate([{ successes, n }])).toThrow(/cluster counts need whole numbers 0 ≤ successes ≤ n/);
  });

  it("gives statsmodels' Wilson interval on a fractional sample: 3.75 of 12.5", () => {
    const bounds = wilsonBounds(0.3, 12.5, normalQuantile(0.975));
    expect(bounds.lower).toBeCloseTo(0.11991132526488321, 8);
    expect(bounds.upper).toBeCloseTo(0.5741184394665119, 8);
  });
});

describe("distributions against scipy", () => {
  it("logGamma below ½ (the reflection): scipy.special.gammaln", () => {
    expect(logGamma(0.25)).toBeCloseTo(1.2880225246980774, 12);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 12);
    expect(logGamma(3.5)).toBeCloseTo(1.2009736023470743, 12);
  });

  it("normal quantiles in both tails and the middle: scipy.stats.norm.ppf", () => {
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489004, 8);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080409, 8);
  });

  it.each([0, 1, -0.5, 1.5, Number.NaN])("refuses the quantile at %f", (p) => {
    expect(() => normalQuantile(p)).toThrow(/normalQuantile needs 0 < p < 1/);
  });
});
