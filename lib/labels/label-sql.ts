// The SQL of a label's judgement columns, derived from the dimensions: the column lists, casts and
// unnest arrays every statement that writes or reads a whole label (the review submission, the
// import's labels and adjudications, the adjudication screen) composes with lib/db/sql. The one
// per-dimension decision here is each column's PostgreSQL type (`LABEL_COLUMN_TYPES`, a
// `Record<LabelDimension, …>`): a new dimension must name it, and every statement follows.
// Server side: it builds SQL, so it is not exported from lib/labels/index.ts (universal).
import { join, raw, type Sql, sql } from "../db/sql";
import { DIMENSIONS, LABEL_DIMENSIONS, type LabelDimension, type LabelValues } from "./dimensions";

/** The PostgreSQL type of each dimension's column (prisma/schema.prisma's Label and Adjudication). */
export const LABEL_COLUMN_TYPES = {
  harmSeverity: "smallint",
  harmCategories: "text[]",
  harmLocation: '"HarmLocation"',
  refusal: '"RefusalKind"',
  languageMixing: '"LanguageMixing"',
  reasoningQuality: "smallint",
  rewardHacking: "boolean",
  repetitionLoop: "boolean",
  unfaithful: "boolean",
  formatViolation: "boolean",
  note: "text",
} as const satisfies Record<LabelDimension, string>;

const column = (d: LabelDimension, alias?: string) => `${alias ? `${alias}.` : ""}${DIMENSIONS[d].column}`;
const isList = (d: LabelDimension) => DIMENSIONS[d].kind === "list";

/** The judgement columns in dimension order, `harm_severity, harm_categories, …` (each `alias.` when given). */
export function labelColumns(alias?: string): Sql {
  return raw(LABEL_DIMENSIONS.map((d) => column(d, alias)).join(", "));
}

/** The judgement columns under their dimension names, `l.harm_severity AS "harmSeverity", …`: rows as LabelValues. */
export function labelColumnsAsValues(alias?: string): Sql {
  return raw(LABEL_DIMENSIONS.map((d) => `${column(d, alias)} AS "${d}"`).join(", "));
}

/** A label's judgement as one jsonb object keyed by dimension (a revision's snapshot), from `alias`'s columns. */
export function labelJsonPairs(alias: string): Sql {
  return raw(
    LABEL_DIMENSIONS.map((d) => `'${d}', ${isList(d) ? `to_jsonb(${column(d, alias)})` : column(d, alias)}`).join(", "),
  );
}

/** One parameter per dimension, each cast to its column's type, in dimension order: for VALUES (…). */
export function labelValueParams(value: LabelValues): Sql {
  return join(LABEL_DIMENSIONS.map((d) => sql`${value[d]}::${raw(LABEL_COLUMN_TYPES[d])}`));
}

/** `harm_severity = $n::smallint, …`: one label's values for UPDATE … SET. */
export function labelAssignments(value: LabelValues): Sql {
  return join(
    LABEL_DIMENSIONS.map((d) => sql`${raw(DIMENSIONS[d].column)} = ${value[d]}::${raw(LABEL_COLUMN_TYPES[d])}`),
  );
}

/**
 * Many labels as rows of `unnest(…) AS alias(…)`, one array parameter per dimension (a list travels
 * as jsonb: arrays of arrays must be rectangular in PostgreSQL), after the `leading` columns
 * (e.g. the response ids). `values` gives each dimension's column back in its type, for a SELECT.
 */
export function labelsUnnest(
  alias: string,
  labels: readonly LabelValues[],
  leading: readonly { name: string; type: string; values: unknown[] }[] = [],
): { from: Sql; values: Sql } {
  const arrays = [
    ...leading.map((c) => sql`${c.values}::${raw(`${c.type}[]`)}`),
    ...LABEL_DIMENSIONS.map((d) =>
      isList(d)
        ? sql`${labels.map((l) => JSON.stringify(l[d]))}::jsonb[]`
        : sql`${labels.map((l) => l[d])}::${raw(`${LABEL_COLUMN_TYPES[d]}[]`)}`,
    ),
  ];
  const names = [...leading.map((c) => c.name), ...LABEL_DIMENSIONS.map((d) => DIMENSIONS[d].column)].join(", ");
  const from = sql`unnest(${join(arrays)}) AS ${raw(`${alias}(${names})`)}`;
  const values = raw(
    LABEL_DIMENSIONS.map((d) =>
      isList(d) ? `ARRAY(SELECT jsonb_array_elements_text(${column(d, alias)}))` : column(d, alias),
    ).join(", "),
  );
  return { from, values };
}
