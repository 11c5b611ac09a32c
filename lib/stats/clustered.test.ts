// Reference values from statsmodels 0.13.5 (Debian 12's python3-statsmodels):
// sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": prompt}) — .params, .bse, .pvalues —
// with X a column of ones for a rate, and [1, in_group_B] for a difference.
import { describe, expect, it } from "vitest";
import { clusteredDifference, clusteredRate, wilsonBounds, type ClusterCount } from "./clustered";
import { wilsonInterval } from "./proportions";

/** Per-prompt counts from responses' (prompt, failed) pairs. */
function countsByPrompt(outcomes: readonly [number, number][]): ClusterCount[] {
  const byPrompt = new Map<number, ClusterCount>();
  for (const [prompt, failed] of outcomes) {
    const c = byPrompt.get(prompt) ?? { successes: 0, n: 0 };
    c.n++;
    c.successes += failed;
    byPrompt.set(prompt, c);
  }
  return [...byPrompt.values()];
}

describe("clusteredRate", () => {
  it("gives statsmodels' cluster-robust standard error for equal clusters", () => {
    const y = [1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0];
    const rate = clusteredRate(countsByPrompt(y.map((v, i) => [Math.floor(i / 3), v])));
    expect(rate.rate).toBeCloseTo(0.47619047619047605, 12);
    expect(rate.standardError).toBeCloseTo(0.12295185226055283, 12);
    expect(rate.clusters).toBe(7);
  });

  it("gives statsmodels' cluster-robust standard error for unequal clusters", () => {
    const y = [1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0];
    const g = [0, 0, 1, 1, 1, 1, 2, 3, 3, 3, 4, 5, 5, 5, 5, 5];
    const rate = clusteredRate(countsByPrompt(y.map((v, i) => [g[i]!, v])));
    expect(rate.rate).toBeCloseTo(0.4375, 12);
    expect(rate.standardError).toBeCloseTo(0.22152260748059122, 12);
    // Prompts that fail or pass as a whole: a design effect above 1 widens the interval.
    expect(rate.designEffect).toBeGreaterThan(1);
    const naive = wilsonInterval(7, 16);
    expect(rate.upper! - rate.lower!).toBeGreaterThan(naive.upper! - naive.lower!);
  });

  it("is no narrower than the Wilson interval when every prompt has one response", () => {
    const rate = clusteredRate([1, 0, 0, 1, 0, 0, 0, 1, 0, 0].map((v) => ({ successes: v, n: 1 })));
    const naive = wilsonInterval(3, 10);
    // With clusters of one the design effect is G/(G−1) > 1 only by the CR1 factor; the floor at 1 keeps Wilson.
    expect(rate.designEffect).toBeCloseTo(10 / 9, 12);
    expect(rate.lower).toBeLessThanOrEqual(naive.lower!);
    expect(rate.upper).toBeGreaterThanOrEqual(naive.upper!);
  });

  it("stays inside [0, 1] at rates 0 and 1, and is empty without responses", () => {
    const none = clusteredRate([
      { successes: 0, n: 3 },
      { successes: 0, n: 3 },
    ]);
    expect(none).toMatchObject({ rate: 0, lower: 0, designEffect: 1 });
    expect(none.upper).toBeGreaterThan(0);
    const all = clusteredRate([
      { successes: 2, n: 2 },
      { successes: 3, n: 3 },
    ]);
    expect(all).toMatchObject({ rate: 1, upper: 1 });
    expect(clusteredRate([])).toMatchObject({ rate: null, lower: null, upper: null, n: 0 });
    expect(() => clusteredRate([{ successes: 3, n: 2 }])).toThrow(RangeError);
  });
});

describe("clusteredDifference", () => {
  it("gives statsmodels' OLS slope, cluster-robust standard error and p-value", () => {
    // (prompt, group: 0 = A, 1 = B, failed)
    const rows = [
      [0, 0, 1],
      [0, 0, 1],
      [0, 1, 0],
      [0, 1, 1],
      [1, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 0],
      [2, 0, 1],
      [2, 0, 0],
      [2, 1, 1],
      [2, 1, 1],
      [3, 0, 0],
      [3, 0, 1],
      [3, 1, 1],
      [3, 1, 1],
      [4, 0, 0],
      [4, 0, 0],
      [4, 1, 1],
      [4, 1, 0],
      [5, 0, 1],
      [5, 0, 1],
      [5, 1, 1],
      [5, 1, 1],
      [6, 0, 0],
      [6, 1, 1],
      [6, 1, 0],
      [6, 1, 1],
    ] as const;
    const prompts = [0, 1, 2, 3, 4, 5, 6].map((prompt) => {
      const side = (group: number) => {
        const mine = rows.filter((r) => r[0] === prompt && r[1] === group);
        return { successes: mine.filter((r) => r[2] === 1).length, n: mine.length };
      };
      return { a: side(0), b: side(1) };
    });
    const result = clusteredDifference(prompts)!;
    // statsmodels' slope is rate B − rate A = 0.20512820512820495; ours is A − B.
    expect(result.difference).toBeCloseTo(-0.20512820512820495, 12);
    expect(result.standardError).toBeCloseTo(0.1534722297839846, 12);
    expect(Math.abs(result.z)).toBeCloseTo(1.3365819042111218, 10);
    expect(result.pValue).toBeCloseTo(0.1813591490646156, 6);
    expect(result.clusters).toBe(7);
  });

  it("is undefined when a side is empty or one prompt is all there is", () => {
    expect(
      clusteredDifference([
        { a: { successes: 1, n: 2 }, b: { successes: 0, n: 0 } },
        { a: { successes: 1, n: 1 }, b: { successes: 0, n: 0 } },
      ]),
    ).toBeNull();
    expect(clusteredDifference([{ a: { successes: 1, n: 2 }, b: { successes: 1, n: 2 } }])).toBeNull();
  });
});

describe("wilsonBounds", () => {
  it("holds the rate itself at 0 and 1, whatever the rounding", () => {
    for (const n of [1, 3, 7, 10, 33, 1000, 12345.6]) {
      expect(wilsonBounds(0, n, 1.959963984540054).lower).toBe(0);
      expect(wilsonBounds(1, n, 1.959963984540054).upper).toBe(1);
    }
  });
});
