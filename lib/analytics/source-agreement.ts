// Agreement between imported labels (source IMPORT: another tool, an earlier study) and labels
// given here (source REVIEW) on the same responses, per label field. Each pair of an imported and a
// reviewed-here label of one response is one comparison — with one label of each per response
// (the usual case) that is simply the response. Cohen's kappa of the imported × reviewed-here table
// and Krippendorff's alpha (ordinal for severity and quality, nominal for the rest) with the two
// sources as the two coders of each comparison. SQL sums the table; lib/stats computes the values.
import type pg from "pg";
import { alphaFromCoincidences, kappaFromTable, type MeasurementLevel } from "../stats/agreement";
import { raw, sql, type Sql } from "../db/sql";
import {
  analyticsParams,
  labelResponseFilterSql,
  pairLabelFilterSql,
  type AnalyticsParams,
  type AnalyticsFilters,
} from "./filters";
import { AGREEMENT_FIELDS, type AgreementField } from "./reviewer-agreement";

export interface SourceAgreement {
  field: AgreementField;
  level: MeasurementLevel;
  /** Imported/reviewed-here label pairs on the same response that both have this field. */
  pairs: number;
  alpha: number | null;
  kappa: number | null;
  observedAgreement: number | null;
}

const FIELD_NAMES = Object.keys(AGREEMENT_FIELDS) as AgreementField[];

const COLUMNS = FIELD_NAMES.map((name) => AGREEMENT_FIELDS[name].column);

/**
 * Every (imported label, reviewed-here label) pair on one response, counted per field and pair of
 * values in one GROUPING SETS aggregation (a set per field; pairs missing a value land in groups
 * with a NULL, which JavaScript skips). These are the rows of label_pair whose sources differ (kept
 * by triggers). Every filter but the source applies, to both labels: the comparison needs both
 * sources.
 */
function sourceAgreementSql(p: AnalyticsParams): Sql {
  const sets = COLUMNS.map((c) => `(i_${c}, r_${c})`).join(", ");
  const side = (c: string, source: "IMPORT" | "REVIEW") =>
    `CASE WHEN p.a_source = '${source}' THEN p.a_${c} ELSE p.b_${c} END AS ${source === "IMPORT" ? "i" : "r"}_${c}`;
  return sql`
    WITH pairs AS (
      SELECT ${raw(COLUMNS.map((c) => `${side(c, "IMPORT")}, ${side(c, "REVIEW")}`).join(", "))}
      FROM label_pair p
      WHERE p.study_id = ${p.study} AND p.a_source <> p.b_source
        AND ${pairLabelFilterSql(p, "a", false)} AND ${pairLabelFilterSql(p, "b", false)} AND ${labelResponseFilterSql(p, "p")})
    SELECT GROUPING(${raw(COLUMNS.map((c) => `i_${c}`).join(", "))}) AS bits,
           ${raw(COLUMNS.map((c, k) => `i_${c}::text AS vi_${k}, r_${c}::text AS vr_${k}`).join(", "))},
           count(*) AS pairs
    FROM pairs
    GROUP BY GROUPING SETS (${raw(sets)})
    ORDER BY bits, ${raw(COLUMNS.map((_, k) => `vi_${k}, vr_${k}`).join(", "))}`;
}

export async function sourceAgreement(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  filters: AnalyticsFilters = {},
): Promise<SourceAgreement[]> {
  const { rows } = await db.query<Record<string, string | number | null> & { bits: number; pairs: string }>(
    sourceAgreementSql(analyticsParams(studyId, filters)).toQuery(),
  );
  return FIELD_NAMES.map((field, index) => {
    const spec = AGREEMENT_FIELDS[field];
    const bits = ((1 << FIELD_NAMES.length) - 1) ^ (1 << (FIELD_NAMES.length - 1 - index));
    const value = (v: string) => (spec.numeric ? Number(v) : v);
    const cells: { a: number | string; b: number | string; count: number }[] = [];
    const coincidences = new Map<string, { c: number | string; k: number | string; weight: number }>();
    const add = (c: string, k: string, weight: number) => {
      const key = `${c}\u0000${k}`;
      const cell = coincidences.get(key) ?? { c: value(c), k: value(k), weight: 0 };
      cell.weight += weight;
      coincidences.set(key, cell);
    };
    for (const r of rows) {
      const pairs = Number(r.pairs);
      const vi = r[`vi_${index}`] as string | null;
      const vr = r[`vr_${index}`] as string | null;
      if (Number(r.bits) !== bits || vi === null || vr === null) continue;
      cells.push({ a: value(vi), b: value(vr), count: pairs });
      // Two values per comparison (m = 2): each ordered pair of them weighs 1 / (m − 1) = 1.
      add(vi, vr, pairs);
      add(vr, vi, pairs);
    }
    const kappa = kappaFromTable(cells);
    return {
      field,
      level: spec.level,
      pairs: kappa.n,
      alpha: alphaFromCoincidences([...coincidences.values()], spec.level),
      kappa: kappa.kappa,
      observedAgreement: kappa.observedAgreement,
    };
  });
}
