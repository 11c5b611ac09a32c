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
  // Rounding can leave the bound a hair past the rate at p = 0 or 1 (e.g. 5.6e-17 above 0): the
  // interval always holds its rate.
  return { lower: Math.min(p, Math.max(0, centre - half)), upper: Math.max(p, Math.min(1, centre + half)) };
}

/**
 * Sums over the prompts of a group from which the cluster-robust error follows: with k a prompt's
 * failures and n its responses, Σk, Σn, Σk², Σk·n, Σn² and the number of prompts (n > 0). SQL
 * can produce them in one aggregation, so no per-prompt row leaves the database.
 */
export interface ClusterSums {
  successes: number;
  n: number;
  clusters: number;
  sumK2: number;
  sumKN: number;
  sumN2: number;
}

export function clusterSums(clusters: readonly ClusterCount[]): ClusterSums {
  checkCounts(clusters);
  const sums: ClusterSums = { successes: 0, n: 0, clusters: 0, sumK2: 0, sumKN: 0, sumN2: 0 };
  for (const c of clusters) {
    if (c.n === 0) continue;
    sums.successes += c.successes;
    sums.n += c.n;
    sums.clusters++;
    sums.sumK2 += c.successes * c.successes;
    sums.sumKN += c.successes * c.n;
    sums.sumN2 += c.n * c.n;
  }
  return sums;
}

/** Σ (k − n·p)² over the prompts, from their sums. */
const squaredScores = (s: ClusterSums, p: number) => Math.max(0, s.sumK2 - 2 * p * s.sumKN + p * p * s.sumN2);

/** A failure rate over responses clustered by prompt, with its cluster-robust error and interval. */
export function clusteredRate(clusters: readonly ClusterCount[], confidence = 0.95): ClusteredRate {
  return clusteredRateFromSums(clusterSums(clusters), confidence);
}

export function clusteredRateFromSums(sums: ClusterSums, confidence = 0.95): ClusteredRate {
  const { successes, n, clusters: g } = sums;
  if (n === 0)
    return { successes, n, clusters: g, rate: null, standardError: null, designEffect: 1, lower: null, upper: null };
  const p = successes / n;
  let standardError: number | null = null;
  let designEffect = 1;
  if (g >= 2) {
    // Scores of an intercept-only OLS summed per prompt: Σ (y − p) = k − n·p.
    standardError = Math.sqrt((g / (g - 1)) * squaredScores(sums, p)) / n;
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
export function clusteredDifference(
  prompts: readonly { a: ClusterCount; b: ClusterCount }[],
): ClusteredDifference | null {
  const cross: CrossSums = { sumKK: 0, sumKN: 0, sumNK: 0, sumNN: 0, shared: 0 };
  for (const { a, b } of prompts) {
    if (a.n === 0 || b.n === 0) continue;
    cross.sumKK += a.successes * b.successes;
    cross.sumKN += a.successes * b.n;
    cross.sumNK += a.n * b.successes;
    cross.sumNN += a.n * b.n;
    cross.shared++;
  }
  return clusteredDifferenceFromSums(clusterSums(prompts.map((p) => p.a)), clusterSums(prompts.map((p) => p.b)), cross);
}

/** Sums over the prompts both groups answered: Σ kA·kB, Σ kA·nB, Σ nA·kB, Σ nA·nB and their number. */
export interface CrossSums {
  sumKK: number;
  sumKN: number;
  sumNK: number;
  sumNN: number;
  shared: number;
}

export function clusteredDifferenceFromSums(
  a: ClusterSums,
  b: ClusterSums,
  cross: CrossSums,
): ClusteredDifference | null {
  const g = a.clusters + b.clusters - cross.shared;
  if (a.n === 0 || b.n === 0 || g < 2) return null;
  const pA = a.successes / a.n;
  const pB = b.successes / b.n;
  const n = a.n + b.n;
  // The slope's row of (X'X)⁻¹ applied to each prompt's summed scores reduces to uB/nB − uA/nA
  // (u = k − n·p); its square summed over prompts, expanded into the sums.
  const crossScores = cross.sumKK - pB * cross.sumKN - pA * cross.sumNK + pA * pB * cross.sumNN;
  const meat = Math.max(
    0,
    squaredScores(b, pB) / b.n ** 2 - (2 * crossScores) / (a.n * b.n) + squaredScores(a, pA) / a.n ** 2,
  );
  const variance = (g / (g - 1)) * ((n - 1) / (n - 2)) * meat;
  const standardError = Math.sqrt(variance);
  const difference = pA - pB;
  if (standardError < 1e-12) {
    return {
      test: "cluster-robust z-test",
      difference,
      standardError: 0,
      z: difference === 0 ? 0 : Infinity,
      pValue: difference === 0 ? 1 : 0,
      clusters: g,
    };
  }
  const z = difference / standardError;
  return { test: "cluster-robust z-test", difference, standardError, z, pValue: normalTwoSidedP(z), clusters: g };
}
