// Agreement between reviewers per label field: Krippendorff's alpha over all reviewers and Cohen's
// kappa per pair. SQL pairs up the labels of each response and sums the coincidence matrix and the
// pairwise tables; JavaScript turns those few cells into coefficients.
import type pg from "pg";
import { alphaFromCoincidences, kappaFromTable, type MeasurementLevel } from "../stats/agreement";
import { filterParams, labelFilterSql, responseFilterSql, type AnalyticsFilters } from "./filters";

/** The fields compared, each with its SQL column (fixed, never from input) and scale. */
export const AGREEMENT_FIELDS = {
  harmSeverity: { column: "l.harm_severity", level: "ordinal", numeric: true },
  reasoningQuality: { column: "l.reasoning_quality", level: "ordinal", numeric: true },
  refusal: { column: "l.refusal::text", level: "nominal", numeric: false },
  languageMixing: { column: "l.language_mixing::text", level: "nominal", numeric: false },
  rewardHacking: { column: "l.reward_hacking::text", level: "nominal", numeric: false },
} as const satisfies Record<string, { column: string; level: MeasurementLevel; numeric: boolean }>;

export type AgreementField = keyof typeof AGREEMENT_FIELDS;

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

/** Every field's value and, per response, how many reviewers gave that field (m in alpha's weights). */
function labelValuesSql(withResponseFilters: boolean): string {
  const fields = Object.entries(AGREEMENT_FIELDS)
    .map(([name, spec]) => `${spec.column} AS "${name}", count(${spec.column}) OVER (PARTITION BY l.response_id) AS "m_${name}"`)
    .join(",\n           ");
  return `
    SELECT l.response_id, l.reviewer_id,
           ${fields}
    FROM label l
    ${withResponseFilters ? "JOIN response r ON r.id = l.response_id JOIN checkpoint c ON c.id = r.checkpoint_id JOIN prompt p ON p.id = r.prompt_id" : ""}
    WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL AND ${labelFilterSql(2)}
      ${withResponseFilters ? `AND ${responseFilterSql(6)}` : "AND $6::text[] IS NULL AND $7::int[] IS NULL AND $8::text[] IS NULL AND $9::text[] IS NULL"}`;
}

/**
 * One pass for every field: each pair of labels on one response (by two reviewers) yields, per
 * field where both have a value, a coincidence weighted 1 / (m − 1) in both orders, and — for the
 * ordered pair of reviewers — a cell of their contingency table.
 */
function agreementSql(withResponseFilters: boolean): string {
  const perField = Object.entries(AGREEMENT_FIELDS)
    .map(([name]) => `('${name}', a."${name}"::text, b."${name}"::text, a."m_${name}")`)
    .join(",\n                ");
  return `
    WITH v AS MATERIALIZED (${labelValuesSql(withResponseFilters)})
    SELECT f.field, f.va, f.vb,
           sum(1.0 / (f.m - 1)) AS weight,
           a.reviewer_id < b.reviewer_id AS ordered, a.reviewer_id AS ra, b.reviewer_id AS rb, count(*) AS pairs
    FROM v a
    JOIN v b ON b.response_id = a.response_id AND b.reviewer_id <> a.reviewer_id
    CROSS JOIN LATERAL (VALUES ${perField}) AS f(field, va, vb, m)
    WHERE f.va IS NOT NULL AND f.vb IS NOT NULL
    GROUP BY f.field, f.va, f.vb, a.reviewer_id, b.reviewer_id`;
}

export async function reviewerAgreement(db: pg.Pool | pg.PoolClient, studyId: number, filters: AnalyticsFilters = {}): Promise<FieldAgreement[]> {
  const params = filterParams(filters);
  const withResponseFilters = params.slice(4).some((p) => p !== null);
  const { rows } = await db.query<{ field: AgreementField; va: string; vb: string; weight: string; ordered: boolean; ra: number; rb: number; pairs: string }>(
    agreementSql(withResponseFilters),
    [studyId, ...params],
  );
  return (Object.entries(AGREEMENT_FIELDS) as [AgreementField, (typeof AGREEMENT_FIELDS)[AgreementField]][]).map(([field, spec]) => {
    const value = (v: string) => (spec.numeric ? Number(v) : v);
    const mine = rows.filter((r) => r.field === field);
    const coincidences = new Map<string, { c: number | string; k: number | string; weight: number }>();
    const tables = new Map<string, { a: number; b: number; cells: { a: number | string; b: number | string; count: number }[] }>();
    for (const r of mine) {
      const key = `${r.va}\u0000${r.vb}`;
      const cell = coincidences.get(key) ?? { c: value(r.va), k: value(r.vb), weight: 0 };
      cell.weight += Number(r.weight);
      coincidences.set(key, cell);
      if (r.ordered) {
        const pair = `${r.ra}:${r.rb}`;
        const table = tables.get(pair) ?? { a: r.ra, b: r.rb, cells: [] };
        table.cells.push({ a: value(r.va), b: value(r.vb), count: Number(r.pairs) });
        tables.set(pair, table);
      }
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
