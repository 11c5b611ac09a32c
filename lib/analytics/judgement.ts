// One judgement per labelled response from its reviewers' labels, in SQL, shared by the analytics
// and the export: read from response_judgement (kept by triggers on label) when every label
// counts, aggregated from the selected labels when a label filter is set. There, medians come from
// counts per value instead of percentile_cont, an ordered-set aggregate that sorts every response's
// handful of labels separately (which was most of the page's time).
import { labelFilterSql, labelResponseFilterSql, noLabelFilterSql, type AnalyticsFilters } from "./filters";

/**
 * percentile_cont(0.5) of a label column whose values are the whole numbers lo…hi (CHECK
 * constraints hold them there), as an expression over aggregates of the group: the k-th smallest
 * value (0-based) is lo plus the number of values v in lo…hi−1 with fewer than k+1 labels ≤ v, and
 * the median is the mean of the (n−1)/2-th and n/2-th. Exact (halves are exact in float8).
 */
export function medianSql(column: string, lo: number, hi: number): string {
  const kth = (k: string) => {
    const steps = [];
    for (let v = lo; v < hi; v++) steps.push(`(count(*) FILTER (WHERE ${column} <= ${v}) <= ${k})::int`);
    return `(${lo} + ${steps.join(" + ")})`;
  };
  return `CASE WHEN count(${column}) = 0 THEN NULL ELSE (${kth(`(count(${column}) - 1) / 2`)} + ${kth(`count(${column}) / 2`)})::float8 / 2 END`;
}

/** Median harm severity (0–3) and reasoning quality (1–5) of a group of labels `l`. */
export const SEVERITY_MEDIAN = medianSql("l.harm_severity", 0, 3);
export const QUALITY_MEDIAN = medianSql("l.reasoning_quality", 1, 5);

/** Filters that select labels (rather than responses): with one of them the judgements are recomputed. */
export function hasLabelFilters(filters: AnalyticsFilters): boolean {
  return Boolean(filters.reviewerIds?.length || filters.source || filters.from || filters.to);
}

/**
 * One row per judged response of study $1: its strategy, checkpoint, category, split, expected
 * behaviour and the counts behind each failure kind (severity and quality medians, mixing and
 * refusal votes; refusal_yes counts partial refusals when $partial is true). Without label filters
 * it reads response_judgement (kept by triggers); with them it aggregates the selected labels.
 * The label filters are read from $labelFirst…+3 and the response filters from $responseFirst…+3.
 */
export function judgedResponsesSql(fromLabels: boolean, partial: number, labelFirst: number, responseFirst: number): string {
  if (!fromLabels) {
    return `
  SELECT j.response_id, j.strategy, j.checkpoint_id, j.prompt_category, j.prompt_split, j.expected_behavior,
         j.labels, j.severity, j.severity_n, j.quality, j.quality_n, j.mixing_n, j.mixing_yes, j.mixing_reasoning, j.mixing_answer,
         j.refusal_n, j.refused + CASE WHEN $${partial}::boolean THEN j.partial ELSE 0 END AS refusal_yes, j.refused, j.partial, j.complied,
         j.reward_hacking, j.repetition_loop, j.unfaithful, j.format_violation
  FROM response_judgement j
  WHERE j.study_id = $1 AND ${noLabelFilterSql(labelFirst)} AND ${labelResponseFilterSql(responseFirst, "j")}`;
  }
  return `
  SELECT l.response_id, min(l.strategy) AS strategy, min(l.checkpoint_id) AS checkpoint_id, min(l.prompt_category COLLATE "C") COLLATE "default" AS prompt_category,
         min(l.prompt_split COLLATE "C") COLLATE "default" AS prompt_split, min(l.expected_behavior) AS expected_behavior,
         count(*) AS labels,
         ${SEVERITY_MEDIAN} AS severity,
         count(l.harm_severity) AS severity_n,
         ${QUALITY_MEDIAN} AS quality,
         count(l.reasoning_quality) AS quality_n,
         count(l.language_mixing) AS mixing_n,
         count(*) FILTER (WHERE l.language_mixing <> 'NONE') AS mixing_yes,
         count(*) FILTER (WHERE l.language_mixing IN ('REASONING', 'BOTH')) AS mixing_reasoning,
         count(*) FILTER (WHERE l.language_mixing IN ('ANSWER', 'BOTH')) AS mixing_answer,
         count(l.refusal) AS refusal_n,
         count(*) FILTER (WHERE l.refusal = 'REFUSED' OR ($${partial}::boolean AND l.refusal = 'PARTIAL')) AS refusal_yes,
         count(*) FILTER (WHERE l.refusal = 'REFUSED') AS refused,
         count(*) FILTER (WHERE l.refusal = 'PARTIAL') AS partial,
         count(*) FILTER (WHERE l.refusal = 'COMPLIED') AS complied,
         count(*) FILTER (WHERE l.reward_hacking) AS reward_hacking,
         count(*) FILTER (WHERE l.repetition_loop) AS repetition_loop,
         count(*) FILTER (WHERE l.unfaithful) AS unfaithful,
         count(*) FILTER (WHERE l.format_violation) AS format_violation
  FROM label l
  WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL AND ${labelFilterSql(labelFirst)} AND ${labelResponseFilterSql(responseFirst)}
  GROUP BY l.response_id`;
}
