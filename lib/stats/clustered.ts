// Rates and differences of rates when responses are clustered by prompt: several checkpoints (and
// samples) answer each prompt, and a hard prompt makes all of them fail together, so the responses
// are not independent and the usual binomial error is too small. Following "Adding Error Bars to
// Evals" (Miller, 2024), the standard errors are cluster-robust (the sandwich estimator with the
// CR1 small-sample factor, exactly what statsmodels' OLS gives with cov_type="cluster"); intervals
// are Wilson intervals on the effective sample size n / design effect (Kish), so they stay inside
// [0, 1] and keep Wilson's behaviour near 0 and 1.
import { normalQuantile, normalTwoSidedP } from "./distributions";

/** One prompt's responses within a group: how many failed out of how many. */
export interface ClusterCount {
  successes: number;
  n: number;
}

export interface ClusteredRate {
  successes: number;
  n: number;
  /** Prompts with at least one response in the group. */
  clusters: number;
  rate: number | null;
  /** Cluster-robust standard error of the rate (CR1); null with fewer than two prompts. */
  standardError: number | null;
  /** Variance against independent responses' (≥ 1 as used; 1 when it cannot be estimated). */
  designEffect: number;
  lower: number | null;
  upper: number | null;
}

function checkCounts(clusters: readonly ClusterCount[]): void {
  for (const c of clusters) {
    if (!Number.isInteger(c.successes) || !Number.isInteger(c.n) || c.successes < 0 || c.n < 0 || c.successes > c.n) {
      throw new RangeError(`cluster counts need whole numbers 0 ≤ successes ≤ n, got ${c.successes}/${c.n}`);
    }
  }
}

/** Wilson score bounds for rate p on a (possibly fractional) sample size n. */
export function wilsonBounds(p: number, n: number, z: number): { lower: number; upper: number } {
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** A failure rate over responses clustered by prompt, with its cluster-robust error and interval. */
export function clusteredRate(clusters: readonly ClusterCount[], confidence = 0.95): ClusteredRate {
  checkCounts(clusters);
  const used = clusters.filter((c) => c.n > 0);
  const successes = used.reduce((s, c) => s + c.successes, 0);
  const n = used.reduce((s, c) => s + c.n, 0);
  const g = used.length;
  if (n === 0) return { successes, n, clusters: g, rate: null, standardError: null, designEffect: 1, lower: null, upper: null };
  const p = successes / n;
  let standardError: number | null = null;
  let designEffect = 1;
  if (g >= 2) {
    // Scores of an intercept-only OLS summed per prompt: Σ (y − p) = successes − n·p.
    const meat = used.reduce((s, c) => s + (c.successes - c.n * p) ** 2, 0);
    standardError = Math.sqrt((g / (g - 1)) * meat) / n;
    const independent = (p * (1 - p)) / n;
    if (independent > 0) designEffect = Math.max(1, standardError ** 2 / independent);
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const { lower, upper } = wilsonBounds(p, n / designEffect, z);
  return { successes, n, clusters: g, rate: p, standardError, designEffect, lower, upper };
}

export interface ClusteredDifference {
  test: "cluster-robust z-test";
  /** rate A − rate B. */
  difference: number;
  standardError: number;
  z: number;
  pValue: number;
  clusters: number;
}

/**
 * Difference between two groups' rates (e.g. two strategies) on shared prompts: the coefficient of
 * a group indicator in an OLS of the outcome, with standard errors clustered by prompt (CR1:
 * G/(G−1)·(N−1)/(N−K)), and a two-sided normal p-value, as statsmodels' OLS(…).fit(cov_type=
 * "cluster") reports. Each entry is one prompt's counts in A and in B (either may be empty).
 * Undefined (null) when a group is empty or there are fewer than two prompts.
 */
export function clusteredDifference(prompts: readonly { a: ClusterCount; b: ClusterCount }[]): ClusteredDifference | null {
  checkCounts(prompts.flatMap((p) => [p.a, p.b]));
  const used = prompts.filter((p) => p.a.n + p.b.n > 0);
  const nA = used.reduce((s, p) => s + p.a.n, 0);
  const nB = used.reduce((s, p) => s + p.b.n, 0);
  const g = used.length;
  if (nA === 0 || nB === 0 || g < 2) return null;
  const pA = used.reduce((s, p) => s + p.a.successes, 0) / nA;
  const pB = used.reduce((s, p) => s + p.b.successes, 0) / nB;
  const n = nA + nB;
  // The slope's row of (X'X)⁻¹ applied to each prompt's summed scores reduces to uB/nB − uA/nA.
  const meat = used.reduce((s, p) => s + ((p.b.successes - p.b.n * pB) / nB - (p.a.successes - p.a.n * pA) / nA) ** 2, 0);
  const variance = (g / (g - 1)) * ((n - 1) / (n - 2)) * meat;
  const standardError = Math.sqrt(variance);
  const difference = pA - pB;
  if (standardError === 0) {
    return { test: "cluster-robust z-test", difference, standardError, z: difference === 0 ? 0 : Infinity, pValue: difference === 0 ? 1 : 0, clusters: g };
  }
  const z = difference / standardError;
  return { test: "cluster-robust z-test", difference, standardError, z, pValue: normalTwoSidedP(z), clusters: g };
}
