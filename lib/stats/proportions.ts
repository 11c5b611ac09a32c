// Failure rates with honest uncertainty: Wilson score intervals, and tests of the difference
// between two rates (two-proportion z-test, or Fisher's exact test when counts are small).
import { logChoose, normalQuantile, normalTwoSidedP } from "./distributions";

export interface RateInterval {
  successes: number;
  n: number;
  /** successes / n; null when n = 0. */
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

/**
 * Wilson score interval (Wilson 1927), which keeps its coverage near 0 and 1 and for small n,
 * unlike the normal-approximation ("Wald") interval.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): RateInterval {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || n < 0 || successes > n) {
    throw new RangeError(`wilsonInterval needs whole numbers 0 ≤ successes ≤ n, got ${successes}/${n}`);
  }
  if (n === 0) return { successes, n, rate: null, lower: null, upper: null };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // The interval always holds its rate (rounding can put a bound a hair past it at p = 0 or 1).
  return {
    successes,
    n,
    rate: p,
    lower: Math.min(p, Math.max(0, centre - half)),
    upper: Math.max(p, Math.min(1, centre + half)),
  };
}

export interface ProportionTest {
  test: "two-proportion z-test" | "Fisher's exact test";
  /** Two-sided p-value. */
  pValue: number;
  /** rate A − rate B. */
  difference: number;
}

/** Pooled two-proportion z-test, two-sided (equals Pearson's χ² test without continuity correction). */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): { z: number; pValue: number } {
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: normalTwoSidedP(z) };
}

/**
 * Fisher's exact test of a 2×2 table [[a, b], [c, d]], two-sided: the sum of the probabilities of
 * all tables with the same margins that are no more likely than the observed one.
 */
export function fisherExactTest(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  const logP = (x: number) => logChoose(row1, x) + logChoose(n - row1, col1 - x) - logChoose(n, col1);
  const observed = logP(a);
  const low = Math.max(0, col1 - (n - row1));
  const high = Math.min(row1, col1);
  let p = 0;
  // A small relative tolerance so that tables as likely as the observed one count despite rounding.
  for (let x = low; x <= high; x++) {
    const lp = logP(x);
    if (lp <= observed + 1e-7 * Math.abs(observed) + 1e-12) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/**
 * Compares rate A = x1/n1 with rate B = x2/n2: Fisher's exact test when any expected cell count is
 * below 5 (where the normal approximation is poor), the two-proportion z-test otherwise.
 */
export function compareProportions(x1: number, n1: number, x2: number, n2: number): ProportionTest {
  if (n1 === 0 || n2 === 0) return { test: "Fisher's exact test", pValue: 1, difference: 0 };
  const n = n1 + n2;
  const successes = x1 + x2;
  const expected = [n1 * successes, n1 * (n - successes), n2 * successes, n2 * (n - successes)].map((v) => v / n);
  const difference = x1 / n1 - x2 / n2;
  if (expected.some((e) => e < 5)) {
    return { test: "Fisher's exact test", pValue: fisherExactTest(x1, n1 - x1, x2, n2 - x2), difference };
  }
  return { test: "two-proportion z-test", pValue: twoProportionZTest(x1, n1, x2, n2).pValue, difference };
}

/**
 * Holm's step-down adjustment (Holm 1979) of several p-values for the family-wise error rate;
 * returns adjusted p-values in the input order (as R's p.adjust(method = "holm")).
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
