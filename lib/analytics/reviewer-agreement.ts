// Agreement between reviewers per label field: Krippendorff's alpha over all reviewers and Cohen's
// kappa per pair. SQL pairs up the labels of each response and sums the coincidence matrix and the
// pairwise tables; JavaScript turns those few cells into coefficients.
import type pg from "pg";
import { alphaFromCoincidences, kappaFromTable, type MeasurementLevel } from "../stats/agreement";
import { filterParams, labelFilterSql, labelResponseFilterSql, noLabelFilterSql, type AnalyticsFilters } from "./filters";
import { judgementBasis, type JudgementBasis } from "./judgement";

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

/**
 * Each unordered pair of selected labels on one response (reviewer a < reviewer b) with both values
 * of every field and m per field — how many of the response's selected labels have a value (alpha
 * weighs each pair 1 / (m − 1)). Without label filters these are the rows of label_pair (kept by
 * triggers); with the source as the only one, the rows of label_pair whose labels both have that
 * source, with m from the response's judgement for the source; with a reviewer or date filter they
 * are paired here from the selected labels. Response filters apply to the response, label filters
 * to both labels of a pair.
 */
function pairsSql(basis: JudgementBasis): string {
  if (basis === "all") {
    return `SELECT * FROM label_pair p WHERE p.study_id = $1 AND ${noLabelFilterSql(2)} AND ${labelResponseFilterSql(6, "p")}`;
  }
  if (basis === "source") {
    return `
      SELECT p.reviewer_a, p.reviewer_b, ${COLUMNS.map((c) => `p.a_${c}, p.b_${c}`).join(", ")},
             s.severity_n AS m_harm_severity, s.quality_n AS m_reasoning_quality, s.refusal_n AS m_refusal,
             s.mixing_n AS m_language_mixing, s.labels AS m_reward_hacking
      FROM label_pair p
      JOIN response_source_judgement s ON s.response_id = p.response_id AND s.source = p.a_source
      WHERE p.study_id = $1 AND p.a_source = $3::text::"LabelSource" AND p.b_source = p.a_source
        AND $2::int[] IS NULL AND $4::timestamp IS NULL AND $5::timestamp IS NULL AND ${labelResponseFilterSql(6, "p")}`;
  }
  const selected = (alias: string) => `${alias}.submitted_at IS NOT NULL AND ${labelFilterSql(2, alias)}`;
  return `
      WITH m AS (
        SELECT l.response_id, ${COLUMNS.map((c) => `count(l.${c}) AS m_${c}`).join(", ")}
        FROM label l
        WHERE l.study_id = $1 AND ${selected("l")} AND ${labelResponseFilterSql(6)}
        GROUP BY l.response_id
        HAVING count(*) > 1)
      SELECT a.reviewer_id AS reviewer_a, b.reviewer_id AS reviewer_b,
             ${COLUMNS.map((c) => `a.${c} AS a_${c}, b.${c} AS b_${c}, m.m_${c}`).join(", ")}
      FROM m
      JOIN label a ON a.response_id = m.response_id AND ${selected("a")}
      JOIN label b ON b.response_id = m.response_id AND b.reviewer_id > a.reviewer_id AND ${selected("b")}`;
}

/**
 * One hashed GROUPING SETS aggregation over the pairs, a set per field: each (reviewer pair, both
 * values, m) counted. A pair where a value is missing lands in a group with a NULL, which
 * JavaScript skips; it adds each pair to the coincidence matrix in both orders, with its weight, and
 * to the (a, b) contingency table for kappa.
 */
function agreementSql(basis: JudgementBasis): string {
  const sets = COLUMNS.map((c) => `(p.reviewer_a, p.reviewer_b, p.a_${c}, p.b_${c}, p.m_${c})`).join(", ");
  return `
    SELECT GROUPING(${COLUMNS.map((c) => `p.a_${c}`).join(", ")}) AS bits, p.reviewer_a AS ra, p.reviewer_b AS rb,
           ${COLUMNS.map((c, i) => `p.a_${c}::text AS va_${i}, p.b_${c}::text AS vb_${i}, p.m_${c} AS m_${i}`).join(", ")},
           count(*) AS pairs
    FROM (${pairsSql(basis)}) p
    GROUP BY GROUPING SETS (${sets})`;
}

export async function reviewerAgreement(db: pg.Pool | pg.PoolClient, studyId: number, filters: AnalyticsFilters = {}): Promise<FieldAgreement[]> {
  const { rows } = await db.query<Record<string, string | number | null> & { bits: number; ra: number; rb: number }>(
    agreementSql(judgementBasis(filters)),
    [studyId, ...filterParams(filters)],
  );
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
