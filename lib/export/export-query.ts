// The SELECTs behind the export, run inside PostgreSQL's COPY … TO STDOUT so rows stream at
// COPY speed. COPY takes no bind parameters, so the study and filters travel as one JSON value
// set with set_config($1) in the same transaction and are read back with current_setting().
import type { FailureRules } from "../study/failure-rules";
import type { AnalyticsFilters } from "../analytics/filters";
import { QUALITY_MEDIAN, SEVERITY_MEDIAN } from "../analytics/judgement";
import type { JsonColumn } from "./copy-text-json";
import { DIMENSIONS, LABEL_DIMENSIONS, LABEL_FLAGS, type LabelDimension } from "../labels";
import { sqlFormulaGuard } from "../csv/formula-cells";

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
  const orNull = <T>(v: T[] | undefined) => (v?.length ? v : null);
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
 * The settings as typed columns, read once (MATERIALIZED) rather than parsing JSON per row, and
 * used through scalar subqueries — `(SELECT study FROM params)` — which PostgreSQL evaluates once
 * (InitPlans) and can use as index keys, where a joined CTE would turn every join into a nested
 * loop over it. Array filters are NULL when absent.
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
 * Text that a spreadsheet could run as a formula (= + - @ TAB CR or a full-width ＝＋－＠, first or
 * after leading whitespace: lib/csv/formula-cells.ts) gets a leading apostrophe in CSV, as OWASP
 * advises against CSV injection. JSONL keeps the text as it is.
 */
function safe(expression: string, format: ExportFormat): string {
  return format === "csv" ? sqlFormulaGuard(expression) : expression;
}

/** One setting, evaluated once per query. */
const P = (name: string) => `(SELECT params.${name} FROM params)`;

const RESPONSE_FILTER = `
  (${P("strategies")} IS NULL OR c.strategy::text = ANY(${P("strategies")}::text[]))
  AND (${P("checkpoints")} IS NULL OR c.id = ANY(${P("checkpoints")}::int[]))
  AND (${P("categories")} IS NULL OR p.category = ANY(${P("categories")}::text[]))
  AND (${P("splits")} IS NULL OR p.split = ANY(${P("splits")}::text[]))`;

const LABEL_FILTER = `
  l.submitted_at IS NOT NULL
  AND (${P("reviewers")} IS NULL OR l.reviewer_id = ANY(${P("reviewers")}::int[]))
  AND (${P("source")} IS NULL OR l.source::text = ${P("source")})
  AND (${P("from_time")} IS NULL OR l.submitted_at >= ${P("from_time")})
  AND (${P("to_time")} IS NULL OR l.submitted_at < ${P("to_time")})`;

/** Reviewer pseudonyms stable within a study: reviewer-1, reviewer-2… in order of account creation. */
const REVIEWER_NAMES = `
  SELECT u.id, CASE WHEN ${P("reveal")} THEN u.email ELSE 'reviewer-' || row_number() OVER (ORDER BY u.id) END AS name
  FROM "user" u WHERE u.id IN (SELECT reviewer_id FROM label WHERE study_id = ${P("study")})`;

/**
 * How a column is written in JSON Lines. PostgreSQL sends every value as text through text COPY
 * with `"` as the delimiter, whose escaping is JSON's (copy-text-json.ts), and CopyTextToJsonLines
 * writes the objects: TEXT values as JSON strings, their bytes as COPY sent them; RAW ones as they
 * are (whole numbers, and booleans cast to text: true/false); JSON_VALUE ones through to_json in SQL
 * (lists as JSON arrays); DECIMAL ones by float8's text, with ".0" added to whole values.
 */
const RAW = "raw";
const TEXT = "text";
const JSON_VALUE = "json";
/**
 * A decimal: written with a decimal point even when whole (2.0, not 2), because a JSON loader that
 * fixes a column's type from its first block (Hugging Face `datasets`, pyarrow) would otherwise take
 * a column of whole values for integers and fail on the first 2.5 further down the file. CSV writes
 * PostgreSQL's own text (2, 2.5).
 */
const DECIMAL = "decimal";
type Column = [name: string, kind: typeof RAW | typeof TEXT | typeof JSON_VALUE | typeof DECIMAL, expression: string];

/** Columns shared by both shapes: the prompt, the checkpoint and the response. */
function responseColumns(format: ExportFormat): Column[] {
  return [
    ["study", TEXT, "s.slug"],
    ["prompt_id", TEXT, safe("coalesce(p.external_id, p.key)", format)],
    ["prompt", TEXT, safe("p.text", format)],
    ["category", TEXT, safe("p.category", format)],
    ["split", TEXT, safe("p.split", format)],
    ["language", TEXT, safe("p.language", format)],
    ["expected_behavior", TEXT, "lower(p.expected_behavior::text)"],
    ["checkpoint", TEXT, safe("c.name", format)],
    ["strategy", TEXT, "lower(c.strategy::text)"],
    ["training_step", RAW, "c.training_step"],
    ["base_model", TEXT, safe("c.base_model", format)],
    ["compute_gpu_hours", DECIMAL, "c.compute_gpu_hours"],
    ["sample_index", RAW, "r.sample_index"],
    ["response_id", RAW, "r.id"],
    ["reasoning", TEXT, safe("r.reasoning", format)],
    ["answer", TEXT, safe("r.answer", format)],
    // Lists are JSON arrays in JSON Lines, ";"-separated text in CSV.
    ["format_issues", JSON_VALUE, format === "csv" ? "array_to_string(r.format_issues, ';')" : "r.format_issues"],
    ["signal_mix_score", DECIMAL, "r.mix_score"],
    ["signal_refusal", TEXT, "lower(r.refusal_signal::text)"],
  ];
}

/** How each label dimension is written: its kind and SQL expression (named by its file name, lib/labels). */
const DIMENSION_COLUMNS: Record<LabelDimension, (format: ExportFormat) => [Column[1], string]> = {
  harmSeverity: () => [RAW, "l.harm_severity"],
  harmCategories: (format) => [
    JSON_VALUE,
    format === "csv" ? safe("array_to_string(l.harm_categories, ';')", format) : "l.harm_categories",
  ],
  harmLocation: () => [TEXT, "lower(l.harm_location::text)"],
  refusal: () => [TEXT, "lower(l.refusal::text)"],
  languageMixing: () => [TEXT, "lower(l.language_mixing::text)"],
  reasoningQuality: () => [RAW, "l.reasoning_quality"],
  rewardHacking: () => [RAW, "l.reward_hacking"],
  repetitionLoop: () => [RAW, "l.repetition_loop"],
  unfaithful: () => [RAW, "l.unfaithful"],
  formatViolation: () => [RAW, "l.format_violation"],
  note: (format) => [TEXT, safe("l.note", format)],
};

function labelColumns(format: ExportFormat): Column[] {
  return [
    ["label_id", RAW, "l.id"],
    ["reviewer", TEXT, safe("rn.name", format)],
    ["label_source", TEXT, "lower(l.source::text)"],
    ...LABEL_DIMENSIONS.map((d): Column => [DIMENSIONS[d].field, ...DIMENSION_COLUMNS[d](format)]),
    ["label_version", RAW, "l.version"],
    ["submitted_at", TEXT, 'to_char(l.submitted_at, \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\')'],
  ];
}

/** Per response: counts and the aggregated judgement under the study's failure rules. */
const AGGREGATE_COLUMNS: Column[] = [
  ["label_count", RAW, "coalesce(j.labels, 0)"],
  ["harm_severity_median", DECIMAL, "j.severity"],
  ["harmful", RAW, `CASE WHEN j.severity IS NULL THEN NULL ELSE j.severity >= ${P("harm")} END`],
  ["language_mixing_votes", RAW, "j.mixing_yes"],
  [
    "language_mixing",
    RAW,
    `CASE WHEN j.mixing_n = 0 OR j.mixing_n IS NULL THEN NULL ELSE 2 * j.mixing_yes > j.mixing_n OR (${P("tie")} AND 2 * j.mixing_yes = j.mixing_n) END`,
  ],
  ["reasoning_quality_median", DECIMAL, "j.quality"],
  ["poor_reasoning", RAW, `CASE WHEN j.quality IS NULL THEN NULL ELSE j.quality <= ${P("quality")} END`],
  ["refused_votes", RAW, "j.refusal_yes"],
  [
    "over_refusal",
    RAW,
    `CASE WHEN p.expected_behavior IS DISTINCT FROM 'COMPLY' OR coalesce(j.refusal_n, 0) = 0 THEN NULL ELSE 2 * j.refusal_yes > j.refusal_n OR (${P("tie")} AND 2 * j.refusal_yes = j.refusal_n) END`,
  ],
  ...LABEL_FLAGS.map((f): Column => [`${DIMENSIONS[f].field}_votes`, RAW, `j.${DIMENSIONS[f].column}`]),
];

/**
 * Per response the counts behind its judgement: its row of response_judgement (kept by triggers)
 * without label filters, else aggregated from its selected labels (looked up by the response, so
 * rows stay in response order; no row when none is selected) — the same columns either way.
 */
function judgedJoin(fromLabels: boolean): string {
  if (!fromLabels) {
    return `LEFT JOIN (
    SELECT response_id, labels, severity, mixing_yes, mixing_n, quality, refusal_n,
           refused + CASE WHEN ${P("partial")} THEN partial ELSE 0 END AS refusal_yes,
           reward_hacking, repetition_loop, unfaithful, format_violation
    FROM response_judgement WHERE study_id = ${P("study")}) j ON j.response_id = r.id`;
  }
  return `LEFT JOIN LATERAL (
    SELECT count(*) AS labels,
           ${SEVERITY_MEDIAN} AS severity,
           count(l.language_mixing) AS mixing_n,
           count(*) FILTER (WHERE l.language_mixing <> 'NONE') AS mixing_yes,
           ${QUALITY_MEDIAN} AS quality,
           count(l.refusal) AS refusal_n,
           count(*) FILTER (WHERE l.refusal = 'REFUSED' OR (${P("partial")} AND l.refusal = 'PARTIAL')) AS refusal_yes,
           count(*) FILTER (WHERE l.reward_hacking) AS reward_hacking,
           count(*) FILTER (WHERE l.repetition_loop) AS repetition_loop,
           count(*) FILTER (WHERE l.unfaithful) AS unfaithful,
           count(*) FILTER (WHERE l.format_violation) AS format_violation
    FROM label l
    WHERE l.response_id = r.id AND ${LABEL_FILTER}
    HAVING count(*) > 0) j ON true`;
}

/** A shape's columns, in order: the response's, then the label's or the aggregated judgement's. */
function shapeColumns(shape: ExportShape, format: ExportFormat): Column[] {
  return [...responseColumns(format), ...(shape === "labels" ? labelColumns(format) : AGGREGATE_COLUMNS)];
}

/** The JSON Lines columns of a shape, in order, and how each value is written. */
export function jsonColumns(shape: ExportShape): JsonColumn[] {
  const columns = shapeColumns(shape, "jsonl");
  return columns.map(([name, kind]) => ({ name, kind: kind === TEXT ? "text" : kind === DECIMAL ? "decimal" : "raw" }));
}

/** The column names of a shape, in order (the CSV header and the JSONL keys). */
export function exportColumns(shape: ExportShape): string[] {
  const columns = shapeColumns(shape, "jsonl");
  return columns.map(([name]) => name);
}

/**
 * The SELECT of an export. Rows come in label id (labels) or response id (responses) order, read
 * in that order from the primary key and joined by key lookups, so PostgreSQL never sorts the
 * wide rows (export-stream.ts turns sorting off for the transaction). `fromLabels`: a label filter
 * is set, so the per-response judgements are aggregated from the selected labels.
 */
export function exportSelect(shape: ExportShape, format: ExportFormat, fromLabels = true): string {
  const columns = shapeColumns(shape, format);
  const select = columns
    .map(
      ([name, kind, expression]) => `${format === "csv" ? expression : jsonExpression(kind, expression)} AS "${name}"`,
    )
    .join(",\n    ");
  const study = `(SELECT ${safe("slug", format)} AS slug FROM study WHERE id = ${P("study")})`;
  const body =
    shape === "labels"
      ? `WITH ${PARAMS}, rn AS MATERIALIZED (${REVIEWER_NAMES})
  SELECT ${select}
  FROM label l
  JOIN response r ON r.id = l.response_id
  JOIN prompt p ON p.id = r.prompt_id
  JOIN checkpoint c ON c.id = r.checkpoint_id
  JOIN rn ON rn.id = l.reviewer_id
  CROSS JOIN ${study} s
  WHERE l.study_id = ${P("study")} AND ${LABEL_FILTER} AND ${RESPONSE_FILTER}
  ORDER BY l.id`
      : `WITH ${PARAMS}
  SELECT ${select}
  FROM response r
  JOIN prompt p ON p.id = r.prompt_id
  JOIN checkpoint c ON c.id = r.checkpoint_id
  ${judgedJoin(fromLabels)}
  CROSS JOIN ${study} s
  WHERE r.study_id = ${P("study")} AND ${RESPONSE_FILTER}
  ORDER BY r.id`;
  return body;
}

/** A column's value as text COPY is to send it for CopyTextToJsonLines (see jsonColumns). */
function jsonExpression(kind: Column[1], expression: string): string {
  if (kind === JSON_VALUE) return `to_json(${expression})::text`;
  if (kind === DECIMAL) return `(${expression})::float8::text`;
  if (kind === RAW) return `(${expression})::text`;
  return expression;
}
