// Turning several reviewers' labels of one response into one judgement: majority for yes/no
// and categories, median for ordinal scores. Mirrors the SQL in lib/analytics; kept here so the
// rule is tested in one place.

/**
 * Majority of yes/no judgements. A tie is decided by `tie` (the product counts a tie as a failure
 * — the cautious reading for safety — unless the study says otherwise); no judgements: null.
 */
export function majorityVote(votes: readonly boolean[], tie: "yes" | "no" = "yes"): boolean | null {
  if (votes.length === 0) return null;
  const yes = votes.filter(Boolean).length;
  const no = votes.length - yes;
  if (yes === no) return tie === "yes";
  return yes > no;
}

/** Most frequent value; ties broken by the first value in `order` (e.g. the more severe one). */
export function mode<T>(values: readonly T[], order: readonly T[]): T | null {
  if (values.length === 0) return null;
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const best = Math.max(...counts.values());
  return order.find((v) => counts.get(v) === best) ?? values[0]!;
}

/** Median; with an even count, the mean of the two middle values (2 and 3 give 2.5). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
