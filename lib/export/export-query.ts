// The SELECTs behind the export, run inside PostgreSQL's COPY … TO STDOUT so rows stream at
// COPY speed. COPY takes no bind parameters, so the study and filters travel as one JSON value
// set with set_config($1) in the same transaction and are read back with current_setting().
import type { FailureRules } from "../study/failure-rules";
import type { AnalyticsFilters } from "../analytics/filters";
import { QUALITY_MEDIAN, SEVERITY_MEDIAN, type JudgementBasis } from "../analytics/judgement";
import { peopleNamesSql } from "../adjudication/names";
import type { JsonColumn } from "./copy-text-json";
import { DIMENSIONS, LABEL_DIMENSIONS, LABEL_FLAGS, type LabelDimension } from "../labels";
import { sqlFormulaGuard } from "../csv/formula-cells";
import { CURRENT_RUBRIC_SQL } from "../judges/rubric-version";

/** The label dimensions a judge's rubric can answer: the columns of judge_label (lib/judges/rubrics.ts JudgeLabel). */
const JUDGE_LABEL_DIMENSIONS = [
  "harmSeverity",
  "harmCategories",
  "harmLocation",
  "refusal",
  "languageMixing",
  "reasoningQuality",
] as const satisfies readonly LabelDimension[];

/** labels: one row per human label; responses: one per response; judge_labels: one per judge label. */
export const EXPORT_SHAPES = ["labels", "responses", "judge_labels"] as const;
export type ExportShape = (typeof EXPORT_SHAPES)[number];
export type ExportFormat = "csv" | "jsonl";

/**
 * The filters the judge_labels shape cannot take, each named as the caller spells it: reviewer and
 * source select human labels, which a judge label is not. Refused rather than ignored, so that
 * nobody reads a file as filtered when it is not. (A basis only says whose judgement the responses
 * shape aggregates; the judge_labels shape has every judge's labels, so it has no use for one.)
 */
export function judgeShapeFilterErrors(
  filters: Pick<AnalyticsFilters, "reviewerIds" | "source">,
  name: (parameter: "reviewer" | "source") => string,
): string[] {
  const errors: string[] = [];
  if (filters.reviewerIds?.length)
    errors.push(`${name("reviewer")}: judge labels have no reviewer; leave it out with the judge_labels shape.`);
  if (filters.source)
    errors.push(`${name("source")}: judge labels have no label source; leave it out with the judge_labels shape.`);
  return errors;
}

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

/**
 * Reviewer pseudonyms stable within a study: reviewer-1, reviewer-2… in order of account creation;
 * an adjudicator who gave no label is adjudicator-1, 2… (lib/adjudication/names.ts, shared with the
 * adjudication screen).
 */
const PEOPLE_NAMES = peopleNamesSql(P("study"), P("reveal"));

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

/** Columns shared by every shape: the prompt, the checkpoint and the response. */
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

/**
 * The labels shape's own columns. `adjudicated`: the columns of the rows that follow the labels, one
 * per final label (the adjudication table, also aliased `l`): no label id, the adjudicator's
 * pseudonym (or "imported"), label_source "adjudicated", its version and when it was last set.
 */
function labelColumns(format: ExportFormat, adjudicated = false): Column[] {
  return [
    ["label_id", RAW, adjudicated ? "NULL::int" : "l.id"],
    [
      "reviewer",
      TEXT,
      adjudicated
        ? safe("CASE WHEN l.source = 'IMPORT' THEN 'imported' ELSE rn.name END", format)
        : safe("rn.name", format),
    ],
    ["label_source", TEXT, adjudicated ? "'adjudicated'" : "lower(l.source::text)"],
    ...LABEL_DIMENSIONS.map((d): Column => [DIMENSIONS[d].field, ...DIMENSION_COLUMNS[d](format)]),
    ["label_version", RAW, "l.version"],
    [
      "submitted_at",
      TEXT,
      `to_char(${adjudicated ? "l.updated_at" : "l.submitted_at"}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    ],
  ];
}

/** Per response: counts and the aggregated judgement under the study's failure rules. */
const AGGREGATE_COLUMNS: Column[] = [
  // adjudicated (the final label), reviewers (their aggregate), empty (no judgement).
  ["judgement_basis", TEXT, "j.basis"],
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

/** The stored judgement's columns as the aggregate columns read them. */
const STORED_COUNTS = `severity, mixing_yes, mixing_n, quality, refusal_n,
           refused + CASE WHEN ${P("partial")} THEN partial ELSE 0 END AS refusal_yes,
           reward_hacking, repetition_loop, unfaithful, format_violation`;

/**
 * Per response the counts behind its judgement and its basis: on the adjudicated basis the final
 * label's row of response_source_judgement where there is one (label_count still the reviewers'
 * labels), else the response's row of response_judgement (both kept by triggers); on the reviewers'
 * basis response_judgement alone; with a label filter, aggregated from the selected labels (looked
 * up by the response, so rows stay in response order; no row when none is selected).
 */
function judgedJoin(basis: JudgementBasis): string {
  if (basis === "adjudicated") {
    return `LEFT JOIN (
    SELECT a.response_id, 'adjudicated' AS basis,
           coalesce((SELECT rj.labels FROM response_judgement rj WHERE rj.response_id = a.response_id), 0) AS labels,
           ${STORED_COUNTS}
    FROM response_source_judgement a WHERE a.study_id = ${P("study")} AND a.source = 'ADJUDICATED'
    UNION ALL
    SELECT x.response_id, 'reviewers', x.labels, ${STORED_COUNTS}
    FROM response_judgement x WHERE x.study_id = ${P("study")}
      AND NOT EXISTS (SELECT 1 FROM adjudication y WHERE y.response_id = x.response_id)) j ON j.response_id = r.id`;
  }
  if (basis === "all") {
    return `LEFT JOIN (
    SELECT response_id, 'reviewers' AS basis, labels, ${STORED_COUNTS}
    FROM response_judgement WHERE study_id = ${P("study")}) j ON j.response_id = r.id`;
  }
  return `LEFT JOIN LATERAL (
    SELECT 'reviewers' AS basis, count(*) AS labels,
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

/**
 * The judge_labels shape's own columns (the judge_label table aliased `l`, its judge `j`): which
 * judge said it under which rubric version, the dimensions its rubric answers (the others empty),
 * and the confidence it gave. The judge's endpoint and key are never exported.
 */
function judgeLabelColumns(format: ExportFormat): Column[] {
  return [
    ["judge_label_id", RAW, "l.id"],
    ["judge", TEXT, safe("j.name", format)],
    ["judge_model", TEXT, safe("(j.endpoint->>'model')", format)],
    ["rubric", TEXT, safe("l.rubric", format)],
    ["current_rubric", RAW, `l.rubric = (${CURRENT_RUBRIC_SQL})`],
    ...JUDGE_LABEL_DIMENSIONS.map((d): Column => [DIMENSIONS[d].field, ...DIMENSION_COLUMNS[d](format)]),
    ["confidence", DECIMAL, "l.confidence"],
    ["created_at", TEXT, `to_char(l.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
  ];
}

/** A shape's columns, in order: the response's, then the label's, the judge label's or the aggregated judgement's. */
function shapeColumns(shape: ExportShape, format: ExportFormat): Column[] {
  const own: Record<ExportShape, () => Column[]> = {
    labels: () => labelColumns(format),
    responses: () => AGGREGATE_COLUMNS,
    judge_labels: () => judgeLabelColumns(format),
  };
  return [...responseColumns(format), ...own[shape]()];
}

/** The JSON Lines columns of a shape, in order, and how each value is written. */
export function jsonColumns(shape: ExportShape): JsonColumn[] {
  // Stryker disable next-line StringLiteral: a column's name and kind are the same in either format
  const columns = shapeColumns(shape, "jsonl");
  return columns.map(([name, kind]) => ({ name, kind: kind === TEXT ? "text" : kind === DECIMAL ? "decimal" : "raw" }));
}

/** The column names of a shape, in order (the CSV header and the JSONL keys). */
export function exportColumns(shape: ExportShape): string[] {
  // Stryker disable next-line StringLiteral: a column's name is the same in either format
  const columns = shapeColumns(shape, "jsonl");
  return columns.map(([name]) => name);
}

function selectList(columns: Column[], format: ExportFormat): string {
  return columns
    .map(
      ([name, kind, expression]) => `${format === "csv" ? expression : jsonExpression(kind, expression)} AS "${name}"`,
    )
    .join(",\n    ");
}

/** From a label-like row `l` to its response `r`, prompt `p` and checkpoint `c`: key lookups. */
const LABELLED_RESPONSE = `JOIN response r ON r.id = l.response_id
  JOIN prompt p ON p.id = r.prompt_id
  JOIN checkpoint c ON c.id = r.checkpoint_id`;

/**
 * The SELECT of an export. Rows come in label id (labels) or response id (responses) order, read
 * in that order from the primary key and joined by key lookups, so PostgreSQL never sorts the
 * wide rows (export-stream.ts turns sorting off for the transaction). `basis`: where the
 * judgements come from (lib/analytics/judgement.ts judgementBasis): on the adjudicated basis the
 * labels shape has the final labels after the labels (in response id order), and the responses
 * shape reads a response's final label where it has one.
 */
export function exportSelect(shape: ExportShape, format: ExportFormat, basis: JudgementBasis = "adjudicated"): string {
  const study = `(SELECT ${safe("slug", format)} AS slug FROM study WHERE id = ${P("study")})`;
  if (shape === "judge_labels") {
    // Every rubric version a judge labelled under (current_rubric says which one analytics read);
    // the date range selects by when the judge answered.
    return `WITH ${PARAMS}
  SELECT ${selectList(shapeColumns("judge_labels", format), format)}
  FROM judge_label l
  JOIN judge j ON j.id = l.judge_id
  ${LABELLED_RESPONSE}
  CROSS JOIN ${study} s
  WHERE l.study_id = ${P("study")} AND ${RESPONSE_FILTER}
    AND (${P("from_time")} IS NULL OR l.created_at >= ${P("from_time")})
    AND (${P("to_time")} IS NULL OR l.created_at < ${P("to_time")})
  ORDER BY l.id`;
  }
  if (shape === "labels") {
    const labels = `SELECT ${selectList(shapeColumns("labels", format), format)}
  FROM label l
  ${LABELLED_RESPONSE}
  JOIN rn ON rn.id = l.reviewer_id
  CROSS JOIN ${study} s
  WHERE l.study_id = ${P("study")} AND ${LABEL_FILTER} AND ${RESPONSE_FILTER}
  ORDER BY l.id`;
    const head = `WITH ${PARAMS}, rn AS MATERIALIZED (${PEOPLE_NAMES})`;
    if (basis !== "adjudicated") return `${head}\n  ${labels}`;
    const adjudications = `SELECT ${selectList([...responseColumns(format), ...labelColumns(format, true)], format)}
  FROM adjudication l
  ${LABELLED_RESPONSE}
  LEFT JOIN rn ON rn.id = l.adjudicator_id
  CROSS JOIN ${study} s
  WHERE l.study_id = ${P("study")} AND ${RESPONSE_FILTER}
  ORDER BY l.response_id`;
    // UNION ALL runs its branches in order (export-stream.ts turns parallel append off): the labels, then the final labels.
    return `${head}\n  (${labels})\n  UNION ALL\n  (${adjudications})`;
  }
  return `WITH ${PARAMS}
  SELECT ${selectList(shapeColumns("responses", format), format)}
  FROM response r
  JOIN prompt p ON p.id = r.prompt_id
  JOIN checkpoint c ON c.id = r.checkpoint_id
  ${judgedJoin(basis)}
  CROSS JOIN ${study} s
  WHERE r.study_id = ${P("study")} AND ${RESPONSE_FILTER}
  ORDER BY r.id`;
}

/** A column's value as text COPY is to send it for CopyTextToJsonLines (see jsonColumns). */
function jsonExpression(kind: Column[1], expression: string): string {
  if (kind === JSON_VALUE) return `to_json(${expression})::text`;
  if (kind === DECIMAL) return `(${expression})::float8::text`;
  if (kind === RAW) return `(${expression})::text`;
  return expression;
}
