// Tests for the study's design, in which every checkpoint answers the same prompts: the outcomes of
// two checkpoints on one prompt are paired, so a comparison counts only the prompts on which they
// disagree (exact McNemar) and several checkpoints are compared within prompts (Cochran's Q).
import { chiSquareSurvival, logChoose } from "./distributions";

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
export function discordantPairs(a: readonly boolean[], b: readonly boolean[]): { onlyA: number; onlyB: number; pairs: number } {
  if (a.length !== b.length) throw new RangeError(`discordantPairs needs outcomes on the same prompts (${a.length} vs ${b.length})`);
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) onlyA++;
    else if (b[i] && !a[i]) onlyB++;
  }
  return { onlyA, onlyB, pairs: a.length };
}

export interface CochranQResult {
  test: "Cochran's Q";
  q: number;
  df: number;
  pValue: number;
  /** Prompts used: those with an outcome from every checkpoint. */
  prompts: number;
}

/**
 * Cochran's Q (1950): do k checkpoints fail equally often on the same prompts? `outcomes` holds one
 * row per prompt with one outcome per checkpoint; rows with a missing outcome (null) are left out,
 * as the test needs complete blocks. Q is referred to χ² with k − 1 degrees of freedom (as
 * statsmodels' cochrans_q). With no variation at all Q is 0 and p is 1.
 */
export function cochranQ(outcomes: readonly (readonly (boolean | null)[])[]): CochranQResult {
  const k = outcomes[0]?.length ?? 0;
  if (k < 2) throw new RangeError("cochranQ needs at least two checkpoints");
  const columnTotals = new Array<number>(k).fill(0);
  let sumRows = 0;
  let sumRowSquares = 0;
  let prompts = 0;
  for (const row of outcomes) {
    if (row.length !== k) throw new RangeError(`cochranQ needs ${k} outcomes per prompt, got ${row.length}`);
    if (row.some((v) => v === null)) continue;
    let rowTotal = 0;
    row.forEach((v, j) => {
      if (v) {
        columnTotals[j]!++;
        rowTotal++;
      }
    });
    sumRows += rowTotal;
    sumRowSquares += rowTotal * rowTotal;
    prompts++;
  }
  const df = k - 1;
  const denominator = k * sumRows - sumRowSquares;
  if (denominator === 0) return { test: "Cochran's Q", q: 0, df, pValue: 1, prompts };
  const sumColumnSquares = columnTotals.reduce((s, t) => s + t * t, 0);
  const q = (df * (k * sumColumnSquares - sumRows * sumRows)) / denominator;
  return { test: "Cochran's Q", q, df, pValue: chiSquareSurvival(q, df), prompts };
}
