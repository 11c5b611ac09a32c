// Agreement between reviewers per label field: Krippendorff's alpha over all reviewers and Cohen's
// kappa per pair. SQL pairs up the labels of each response and sums the coincidence matrix and the
// pairwise tables; JavaScript turns those few cells into coefficients.
import type pg from "pg";
import { alphaFromCoincidences, kappaFromTable, type MeasurementLevel } from "../stats/agreement";
import { filterParams, labelFilterSql, labelResponseFilterSql, noLabelFilterSql, pairLabelFilterSql, type AnalyticsFilters } from "./filters";
import { judgementBasis, judgementsInsideDatesSql, storedForDates, type JudgementBasis, type StoredForDates } from "./judgement";

/** The fields compared, each with its column of label (fixed, never from input) and scale. */
export const AGREEMENT_FIELDS = {
  harmSeverity: { column: "harm_severity", level: "ordinal", numeric: true },
  reasoningQuality: { column: "reasoning_quality", level: "ordinal", numeric: true },
  refusal: { column: "refusal", level: "nominal", numeric: false },
  languageMixing: { column: "language_mixing", level: "nominal", numeric: false },
  rewardHacking: { column: "reward_hacking", level: "nominal", numeric: false },
} as const satisfies Record<string, { column: string; level: MeasurementLevel; numeric: boolean }>;

export type AgreementField = keyof typeof AGREEMENT_FIELDS;
const FIELD_NAMES = Object.keys(AGREEMENT_FIELDS) as AgreementField[];

export interface PairKappa {
  reviewerA: number;
  reviewerB: number;
  /** Responses both labelled (with this field). */
  n: number;
  kappa: number | null;
  observedAgreement: number | null;
}

export interface FieldAgreement {
  field: AgreementField;
  level: MeasurementLevel;
  alpha: number | null;
  /** Pairable values: labels with this field on responses that two or more reviewers gave it. */
  values: number;
  pairs: PairKappa[];
}

const COLUMNS = FIELD_NAMES.map((name) => AGREEMENT_FIELDS[name].column);

/** m per field of a pair from the judgement `s` of its response (of the selected labels). */
const M_FROM_JUDGEMENT = `s.severity_n AS m_harm_severity, s.quality_n AS m_reasoning_quality, s.refusal_n AS m_refusal,
             s.mixing_n AS m_language_mixing, s.labels AS m_reward_hacking`;

/**
 * Each unordered pair of selected labels on one response (reviewer a < reviewer b) with both values
 * of every field and m per field — how many of the response's selected labels have a value (alpha
 * weighs each pair 1 / (m − 1)). These are the rows of label_pair (kept by triggers): all of them
 * without label filters; with the source as the only one, those whose labels both have that source,
 * with m among the response's labels of that source (ms_*); with a reviewer or date filter, those whose
 * labels are both selected, with m counted among the response's selected labels (or, with `stored`,
 * read from the pair for a response whose labels all fall inside the date range). Response filters apply to the response, label filters to both labels of a pair. The label
 * filters are read from $first … $first+3 and the response filters from $first+4 … $first+7.
 */
function pairsSql(basis: JudgementBasis, first: number, stored: StoredForDates): string {
  const responses = labelResponseFilterSql(first + 4, "p");
  if (basis === "all") {
    return `SELECT * FROM label_pair p WHERE p.study_id = $1 AND ${noLabelFilterSql(first)} AND ${responses}`;
  }
  const values = `p.reviewer_a, p.reviewer_b, ${COLUMNS.map((c) => `p.a_${c}, p.b_${c}`).join(", ")}`;
  if (basis === "source") {
    return `
      SELECT ${values}, ${COLUMNS.map((c) => `p.ms_${c} AS m_${c}`).join(", ")}
      FROM label_pair p
      WHERE p.study_id = $1 AND p.a_source = $${first + 1}::text::"LabelSource" AND p.b_source = p.a_source
        AND $${first}::int[] IS NULL AND $${first + 2}::timestamp IS NULL AND $${first + 3}::timestamp IS NULL AND ${responses}`;
  }
  // The selected labels in response order, counted one response at a time (as in judgedResponsesSql).
  const counted = (onlyResponses: string) => `(
        SELECT l.response_id, count(*) AS labels, count(l.harm_severity) AS severity_n, count(l.reasoning_quality) AS quality_n,
               count(l.refusal) AS refusal_n, count(l.language_mixing) AS mixing_n
        FROM (SELECT l.response_id, l.harm_severity, l.reasoning_quality, l.refusal, l.language_mixing
              FROM label l
              WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL AND ${labelFilterSql(first)} AND ${labelResponseFilterSql(first + 4)}${onlyResponses}
              ORDER BY l.response_id) l
        GROUP BY l.response_id
        HAVING count(*) > 1)`;
  const selectedPairs = `p.study_id = $1 AND ${pairLabelFilterSql(first, "a")} AND ${pairLabelFilterSql(first, "b")} AND ${responses}`;
  if (stored === "none") {
    return `
      SELECT ${values}, ${M_FROM_JUDGEMENT}
      FROM label_pair p
      JOIN ${counted("")} s ON s.response_id = p.response_id
      WHERE ${selectedPairs}`;
  }
  // A date filter alone (or with the source): on a response whose labels (of the source) all fall
  // inside the range, m is the stored one (among all its labels, or among the source's: ms_*); only
  // the other responses' selected labels are counted.
  const { table, condition, inside } = judgementsInsideDatesSql(stored, first);
  const storedM = COLUMNS.map((c) => `p.${stored === "all" ? "m" : "ms"}_${c} AS m_${c}`).join(", ");
  return `
      SELECT ${values}, ${storedM}
      FROM label_pair p JOIN ${table} ON t.response_id = p.response_id AND ${condition}
      WHERE ${selectedPairs} AND ${inside}
      UNION ALL
      SELECT ${values}, ${M_FROM_JUDGEMENT}
      FROM label_pair p
      JOIN ${counted(`
          AND l.response_id IN (SELECT t.response_id FROM ${table} WHERE ${condition} AND NOT ${inside})`)} s ON s.response_id = p.response_id
      WHERE ${selectedPairs}`;
}

/**
 * One hashed GROUPING SETS aggregation over the pairs, a set per field: each (reviewer pair, both
 * values, m) counted. A pair where a value is missing lands in a group with a NULL, which
 * JavaScript skips; it adds each pair to the coincidence matrix in both orders, with its weight, and
 * to the (a, b) contingency table for kappa. Ordered, so that the sums are made in one order
 * whichever way the pairs were found.
 */
export function agreementSql(basis: JudgementBasis, stored: StoredForDates = "none", first = 2): string {
  const sets = COLUMNS.map((c) => `(p.reviewer_a, p.reviewer_b, p.a_${c}, p.b_${c}, p.m_${c})`).join(", ");
  return `
    SELECT GROUPING(${COLUMNS.map((c) => `p.a_${c}`).join(", ")}) AS bits, p.reviewer_a AS ra, p.reviewer_b AS rb,
           ${COLUMNS.map((c, i) => `p.a_${c}::text AS va_${i}, p.b_${c}::text AS vb_${i}, p.m_${c} AS m_${i}`).join(", ")},
           count(*) AS pairs
    FROM (${pairsSql(basis, first, stored)}) p
    GROUP BY GROUPING SETS (${sets})
    ORDER BY bits, ra, rb, ${COLUMNS.map((_, i) => `va_${i}, vb_${i}, m_${i}`).join(", ")}`;
}

export type AgreementRow = Record<string, string | number | null> & { bits: number; ra: number; rb: number };

export async function reviewerAgreement(db: pg.Pool | pg.PoolClient, studyId: number, filters: AnalyticsFilters = {}): Promise<FieldAgreement[]> {
  const { rows } = await db.query<AgreementRow>(agreementSql(judgementBasis(filters), storedForDates(filters)), [studyId, ...filterParams(filters)]);
  return agreementFromRows(rows);
}

/** Alpha and the kappas per field from agreementSql's rows. */
export function agreementFromRows(rows: AgreementRow[]): FieldAgreement[] {
  return FIELD_NAMES.map((field, index) => {
    const spec = AGREEMENT_FIELDS[field];
    // GROUPING(…) has a bit per field, the first field the highest; the row's own field is 0.
    const bits = ((1 << FIELD_NAMES.length) - 1) ^ (1 << (FIELD_NAMES.length - 1 - index));
    const value = (v: string) => (spec.numeric ? Number(v) : v);
    const coincidences = new Map<string, { c: number | string; k: number | string; weight: number }>();
    const tables = new Map<string, { a: number; b: number; cells: { a: number | string; b: number | string; count: number }[] }>();
    const add = (va: string, vb: string, weight: number) => {
      const key = `${va}\u0000${vb}`;
      const cell = coincidences.get(key) ?? { c: value(va), k: value(vb), weight: 0 };
      cell.weight += weight;
      coincidences.set(key, cell);
    };
    for (const r of rows) {
      const pairs = Number(r.pairs);
      const va = r[`va_${index}`] as string | null;
      const vb = r[`vb_${index}`] as string | null;
      if (Number(r.bits) !== bits || pairs === 0 || va === null || vb === null) continue;
      const weight = pairs / (Number(r[`m_${index}`]) - 1);
      add(va, vb, weight);
      add(vb, va, weight);
      const pair = `${r.ra}:${r.rb}`;
      const table = tables.get(pair) ?? { a: r.ra, b: r.rb, cells: [] };
      table.cells.push({ a: value(va), b: value(vb), count: pairs });
      tables.set(pair, table);
    }
    // Each pairable value contributes weights summing to 1, so the total is the number of values.
    const n = [...coincidences.values()].reduce((sum, c) => sum + c.weight, 0);
    return {
      field,
      level: spec.level,
      alpha: alphaFromCoincidences([...coincidences.values()], spec.level),
      values: Math.round(n),
      pairs: [...tables.values()].map((t) => {
        const kappa = kappaFromTable(t.cells);
        return { reviewerA: t.a, reviewerB: t.b, n: kappa.n, kappa: kappa.kappa, observedAgreement: kappa.observedAgreement };
      }),
    };
  });
}
