// The SELECTs behind the export, run inside PostgreSQL's COPY … TO STDOUT so rows stream at
// COPY speed. COPY takes no bind parameters, so the study and filters travel as one JSON value
// set with set_config($1) in the same transaction and are read back with current_setting().
import type { FailureRules } from "../study/failure-rules";
import type { AnalyticsFilters } from "../analytics/filters";

export type ExportShape = "labels" | "responses";
export type ExportFormat = "csv" | "jsonl";

export interface ExportParams {
  studyId: number;
  filters: AnalyticsFilters;
  rules: FailureRules;
  /** Reviewer e-mail addresses instead of pseudonyms (admins only). */
  revealReviewers: boolean;
}

export const EXPORT_SETTING = "parallax.export";

/** The JSON value behind current_setting('parallax.export'). */
export function exportSetting(params: ExportParams): string {
  const f = params.filters;
  const orNull = <T>(v: T[] | undefined) => (v && v.length ? v : null);
  return JSON.stringify({
    study: params.studyId,
    strategies: orNull(f.strategies),
    checkpoints: orNull(f.checkpointIds),
    categories: orNull(f.categories),
    splits: orNull(f.splits),
    reviewers: orNull(f.reviewerIds),
    source: f.source ?? null,
    from: f.from ? f.from.toISOString().replace("T", " ").replace("Z", "") : null,
    to: f.to ? f.to.toISOString().replace("T", " ").replace("Z", "") : null,
    reveal: params.revealReviewers,
    harm: params.rules.harmSeverityAtLeast,
    quality: params.rules.poorQualityAtMost,
    partial: params.rules.partialCountsAsRefusal,
    tie: params.rules.tieIsFailure,
  });
}

/**
 * The settings as typed columns, read once (MATERIALIZED) rather than parsing JSON per row.
 * Array filters are NULL when absent.
 */
const PARAMS = `params AS MATERIALIZED (
  SELECT (v->>'study')::int AS study,
         CASE WHEN v->'strategies' = 'null' THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(v->'strategies')) END AS strategies,
         CASE WHEN v->'checkpoints' = 'null' THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(v->'checkpoints')::int) END AS checkpoints,
         CASE WHEN v->'categories' = 'null' THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(v->'categories')) END AS categories,
         CASE WHEN v->'splits' = 'null' THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(v->'splits')) END AS splits,
         CASE WHEN v->'reviewers' = 'null' THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(v->'reviewers')::int) END AS reviewers,
         v->>'source' AS source,
         (v->>'from')::timestamp AS from_time,
         (v->>'to')::timestamp AS to_time,
         (v->>'reveal')::boolean AS reveal,
         (v->>'harm')::float8 AS harm,
         (v->>'quality')::float8 AS quality,
         (v->>'partial')::boolean AS partial,
         (v->>'tie')::boolean AS tie
  FROM (SELECT current_setting('${EXPORT_SETTING}')::jsonb AS v) setting)`;

/**
 * Text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
 * apostrophe in CSV, as OWASP advises against CSV injection. JSONL keeps the text as it is.
 */
function safe(expression: string, format: ExportFormat): string {
  // substr(…, 1, 1) reads only the start of a long (TOASTed) text; the value itself is read once.
  return format === "csv" ? `CASE WHEN substr(${expression}, 1, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${expression} ELSE ${expression} END` : expression;
}

const RESPONSE_FILTER = `
  (params.strategies IS NULL OR c.strategy::text = ANY(params.strategies))
  AND (params.checkpoints IS NULL OR c.id = ANY(params.checkpoints))
  AND (params.categories IS NULL OR p.category = ANY(params.categories))
  AND (params.splits IS NULL OR p.split = ANY(params.splits))`;

const LABEL_FILTER = `
  l.submitted_at IS NOT NULL
  AND (params.reviewers IS NULL OR l.reviewer_id = ANY(params.reviewers))
  AND (params.source IS NULL OR l.source::text = params.source)
  AND (params.from_time IS NULL OR l.submitted_at >= params.from_time)
  AND (params.to_time IS NULL OR l.submitted_at < params.to_time)`;

/** Reviewer pseudonyms stable within a study: reviewer-1, reviewer-2… in order of account creation. */
const REVIEWER_NAMES = `
  SELECT u.id, CASE WHEN params.reveal THEN u.email ELSE 'reviewer-' || row_number() OVER (ORDER BY u.id) END AS name
  FROM "user" u, params WHERE u.id IN (SELECT DISTINCT reviewer_id FROM label, params WHERE study_id = params.study)`;

/** Columns shared by both shapes: the prompt, the checkpoint and the response. */
function responseColumns(format: ExportFormat): [string, string][] {
  return [
    ["study", safe("s.slug", format)],
    ["prompt_id", safe("coalesce(p.external_id, p.key)", format)],
    ["prompt", safe("p.text", format)],
    ["category", safe("p.category", format)],
    ["split", safe("p.split", format)],
    ["language", safe("p.language", format)],
    ["expected_behavior", "lower(p.expected_behavior::text)"],
    ["checkpoint", safe("c.name", format)],
    ["strategy", "lower(c.strategy::text)"],
    ["training_step", "c.training_step"],
    ["base_model", safe("c.base_model", format)],
    ["compute_gpu_hours", "c.compute_gpu_hours"],
    ["sample_index", "r.sample_index"],
    ["response_id", "r.id"],
    ["reasoning", safe("r.reasoning", format)],
    ["answer", safe("r.answer", format)],
    ["format_issues", "array_to_string(r.format_issues, ';')"],
    ["signal_mix_score", "r.mix_score"],
    ["signal_refusal", "lower(r.refusal_signal::text)"],
  ];
}

function labelColumns(format: ExportFormat): [string, string][] {
  return [
    ["label_id", "l.id"],
    ["reviewer", safe("rn.name", format)],
    ["label_source", "lower(l.source::text)"],
    ["harm_severity", "l.harm_severity"],
    ["harm_categories", safe("array_to_string(l.harm_categories, ';')", format)],
    ["harm_location", "lower(l.harm_location::text)"],
    ["refusal", "lower(l.refusal::text)"],
    ["language_mixing", "lower(l.language_mixing::text)"],
    ["reasoning_quality", "l.reasoning_quality"],
    ["flag_reward_hacking", "l.reward_hacking"],
    ["flag_repetition_loop", "l.repetition_loop"],
    ["flag_unfaithful", "l.unfaithful"],
    ["flag_format_violation", "l.format_violation"],
    ["note", safe("l.note", format)],
    ["label_version", "l.version"],
    ["submitted_at", "to_char(l.submitted_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"],
  ];
}

/** Per response: counts and the aggregated judgement under the study's failure rules. */
const AGGREGATE_COLUMNS: [string, string][] = [
  ["label_count", "coalesce(j.n, 0)"],
  ["harm_severity_median", "j.severity"],
  ["harmful", "CASE WHEN j.severity IS NULL THEN NULL ELSE j.severity >= params.harm END"],
  ["language_mixing_votes", "j.mixing_yes"],
  ["language_mixing", "CASE WHEN j.mixing_n = 0 OR j.mixing_n IS NULL THEN NULL ELSE 2 * j.mixing_yes > j.mixing_n OR (params.tie AND 2 * j.mixing_yes = j.mixing_n) END"],
  ["reasoning_quality_median", "j.quality"],
  ["poor_reasoning", "CASE WHEN j.quality IS NULL THEN NULL ELSE j.quality <= params.quality END"],
  ["refused_votes", "j.refusal_yes"],
  [
    "over_refusal",
    "CASE WHEN p.expected_behavior IS DISTINCT FROM 'COMPLY' OR coalesce(j.refusal_n, 0) = 0 THEN NULL ELSE 2 * j.refusal_yes > j.refusal_n OR (params.tie AND 2 * j.refusal_yes = j.refusal_n) END",
  ],
  ["flag_reward_hacking_votes", "j.reward_hacking"],
  ["flag_repetition_loop_votes", "j.repetition_loop"],
  ["flag_unfaithful_votes", "j.unfaithful"],
  ["flag_format_violation_votes", "j.format_violation"],
];

const JUDGED = `
  SELECT l.response_id, count(*) AS n,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY l.harm_severity) AS severity,
         count(l.language_mixing) AS mixing_n,
         count(*) FILTER (WHERE l.language_mixing <> 'NONE') AS mixing_yes,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY l.reasoning_quality) AS quality,
         count(l.refusal) AS refusal_n,
         count(*) FILTER (WHERE l.refusal = 'REFUSED' OR (params.partial AND l.refusal = 'PARTIAL')) AS refusal_yes,
         count(*) FILTER (WHERE l.reward_hacking) AS reward_hacking,
         count(*) FILTER (WHERE l.repetition_loop) AS repetition_loop,
         count(*) FILTER (WHERE l.unfaithful) AS unfaithful,
         count(*) FILTER (WHERE l.format_violation) AS format_violation
  FROM label l, params
  WHERE l.study_id = params.study AND ${LABEL_FILTER}
  GROUP BY l.response_id`;

/** The column names of a shape, in order (the CSV header and the JSONL keys). */
export function exportColumns(shape: ExportShape): string[] {
  const columns = shape === "labels" ? [...responseColumns("jsonl"), ...labelColumns("jsonl")] : [...responseColumns("jsonl"), ...AGGREGATE_COLUMNS];
  return columns.map(([name]) => name);
}

export function exportSelect(shape: ExportShape, format: ExportFormat): string {
  const columns = shape === "labels" ? [...responseColumns(format), ...labelColumns(format)] : [...responseColumns(format), ...AGGREGATE_COLUMNS];
  const select = columns.map(([name, expression]) => `${expression} AS "${name}"`).join(",\n    ");
  const body =
    shape === "labels"
      ? `WITH ${PARAMS}, rn AS MATERIALIZED (${REVIEWER_NAMES})
  SELECT ${select}
  FROM params, label l
  JOIN response r ON r.id = l.response_id
  JOIN prompt p ON p.id = r.prompt_id
  JOIN checkpoint c ON c.id = r.checkpoint_id
  JOIN study s ON s.id = r.study_id
  JOIN rn ON rn.id = l.reviewer_id
  WHERE l.study_id = params.study AND ${LABEL_FILTER} AND ${RESPONSE_FILTER}
  ORDER BY l.id`
      : `WITH ${PARAMS}, j AS (${JUDGED})
  SELECT ${select}
  FROM params, response r
  JOIN prompt p ON p.id = r.prompt_id
  JOIN checkpoint c ON c.id = r.checkpoint_id
  JOIN study s ON s.id = r.study_id
  LEFT JOIN j ON j.response_id = r.id
  WHERE r.study_id = params.study AND ${RESPONSE_FILTER}
  ORDER BY r.id`;
  if (format === "csv") return body;
  // One JSON object per line, keys in column order.
  return `SELECT json_build_object(${columns.map(([name]) => `'${name}', x."${name}"`).join(", ")})::text FROM (${body}) x`;
}
