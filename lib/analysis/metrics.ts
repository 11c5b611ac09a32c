// Precision, recall and F1 from confusion counts: shared by the test-set scoring and by the
// comparison of signals with human labels.

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface BinaryMetrics extends Confusion {
  /** Null when undefined (nothing predicted positive, or no positives). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export function binaryMetrics({ tp, fp, fn, tn }: Confusion): BinaryMetrics {
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 =
    precision === null || recall === null
      ? null
      : precision + recall === 0
        ? 0
        : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, tn, precision, recall, f1 };
}

/** Counts one (truth, prediction) pair into a confusion. */
export function tally(confusion: Confusion, truth: boolean, predicted: boolean): void {
  if (truth) {
    if (predicted) confusion.tp += 1;
    else confusion.fn += 1;
  } else if (predicted) confusion.fp += 1;
  else confusion.tn += 1;
}

export function emptyConfusion(): Confusion {
  return { tp: 0, fp: 0, fn: 0, tn: 0 };
}

/** Macro-averaged F1 over classes (one-vs-rest), skipping classes with no F1. */
export function macroF1<K extends string>(
  labels: readonly K[],
  pairs: readonly { truth: K; predicted: K | null }[],
): number {
  const scores: number[] = [];
  for (const label of labels) {
    const confusion = emptyConfusion();
    for (const pair of pairs) tally(confusion, pair.truth === label, pair.predicted === label);
    const f1 = binaryMetrics(confusion).f1;
    if (f1 !== null) scores.push(f1);
  }
  return scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
}
