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
  /** Responses with at least two reviewers' values. */
  units: number;
  pairs: PairKappa[];
}

/** Labels of the study that pass the filters, as (response, reviewer, value) — $1 study, $2–$9 filters. */
function valuesSql(column: string): string {
  return `
    SELECT l.response_id, l.reviewer_id, ${column} AS value
    FROM label l
    JOIN response r ON r.id = l.response_id
    JOIN checkpoint c ON c.id = r.checkpoint_id
    JOIN prompt p ON p.id = r.prompt_id
    WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL AND ${column} IS NOT NULL
      AND ${labelFilterSql(2)} AND ${responseFilterSql(6)}`;
}

export async function reviewerAgreement(db: pg.Pool | pg.PoolClient, studyId: number, filters: AnalyticsFilters = {}): Promise<FieldAgreement[]> {
  const params = [studyId, ...filterParams(filters)];
  const out: FieldAgreement[] = [];
  for (const [field, spec] of Object.entries(AGREEMENT_FIELDS) as [AgreementField, (typeof AGREEMENT_FIELDS)[AgreementField]][]) {
    const { rows } = await db.query<{ kind: "coincidence" | "pair"; ra: number | null; rb: number | null; va: string; vb: string; weight: string; units: string }>(
      `WITH v AS MATERIALIZED (${valuesSql(spec.column)}),
            m AS (SELECT response_id, count(*) AS m FROM v GROUP BY response_id HAVING count(*) >= 2)
       SELECT 'coincidence' AS kind, NULL::int AS ra, NULL::int AS rb, a.value::text AS va, b.value::text AS vb,
              sum(1.0 / (m.m - 1)) AS weight, (SELECT count(*) FROM m) AS units
       FROM v a JOIN v b ON a.response_id = b.response_id AND a.reviewer_id <> b.reviewer_id
       JOIN m ON m.response_id = a.response_id
       GROUP BY a.value, b.value
       UNION ALL
       SELECT 'pair', a.reviewer_id, b.reviewer_id, a.value::text, b.value::text, count(*), NULL
       FROM v a JOIN v b ON a.response_id = b.response_id AND a.reviewer_id < b.reviewer_id
       GROUP BY a.reviewer_id, b.reviewer_id, a.value, b.value`,
      params,
    );
    const value = (v: string) => (spec.numeric ? Number(v) : v);
    const coincidences = rows.filter((r) => r.kind === "coincidence").map((r) => ({ c: value(r.va), k: value(r.vb), weight: Number(r.weight) }));
    const tables = new Map<string, { a: number; b: number; cells: { a: number | string; b: number | string; count: number }[] }>();
    for (const r of rows.filter((row) => row.kind === "pair")) {
      const key = `${r.ra}:${r.rb}`;
      const table = tables.get(key) ?? { a: r.ra!, b: r.rb!, cells: [] };
      table.cells.push({ a: value(r.va), b: value(r.vb), count: Number(r.weight) });
      tables.set(key, table);
    }
    out.push({
      field,
      level: spec.level,
      alpha: alphaFromCoincidences(coincidences, spec.level),
      units: Number(rows.find((r) => r.kind === "coincidence")?.units ?? 0),
      pairs: [...tables.values()].map((t) => {
        const kappa = kappaFromTable(t.cells);
        return { reviewerA: t.a, reviewerB: t.b, n: kappa.n, kappa: kappa.kappa, observedAgreement: kappa.observedAgreement };
      }),
    });
  }
  return out;
}
