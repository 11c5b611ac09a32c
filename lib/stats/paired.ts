// The test for the study's design, in which every checkpoint answers the same prompts: the outcomes
// of two checkpoints on one prompt are paired, so a comparison counts only the prompts on which
// they disagree (exact McNemar).
import { logChoose } from "./distributions";

export interface McNemarResult {
  test: "exact McNemar";
  /** Prompts where only A failed, and where only B failed (the discordant pairs). */
  onlyA: number;
  onlyB: number;
  /** Two-sided exact p-value: binomial(onlyA + onlyB, ½), as statsmodels' mcnemar(exact=True). */
  pValue: number;
}

/**
 * Exact McNemar test from the discordant pair counts. Under "A and B fail equally often" each
 * discordant prompt is A's with probability ½, so the p-value is twice the smaller binomial tail.
 */
export function exactMcNemar(onlyA: number, onlyB: number): McNemarResult {
  if (!Number.isInteger(onlyA) || !Number.isInteger(onlyB) || onlyA < 0 || onlyB < 0) {
    throw new RangeError(`exactMcNemar needs whole counts ≥ 0, got ${onlyA} and ${onlyB}`);
  }
  const n = onlyA + onlyB;
  const k = Math.min(onlyA, onlyB);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return { test: "exact McNemar", onlyA, onlyB, pValue: Math.min(1, 2 * tail) };
}

/** The discordant counts of two checkpoints' outcomes on the prompts both answered (same order). */
export function discordantPairs(
  a: readonly boolean[],
  b: readonly boolean[],
): { onlyA: number; onlyB: number; pairs: number } {
  if (a.length !== b.length)
    throw new RangeError(`discordantPairs needs outcomes on the same prompts (${a.length} vs ${b.length})`);
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) onlyA++;
    else if (b[i] && !a[i]) onlyB++;
  }
  return { onlyA, onlyB, pairs: a.length };
}
