// Agreement between reviewers per label field: Krippendorff's alpha over all reviewers and Cohen's
// kappa per pair. SQL pairs up the labels of each response and sums the coincidence matrix and the
// pairwise tables; JavaScript turns those few cells into coefficients.
import type pg from "pg";
import { alphaFromMatrix, kappaFromMatrix, sortedCategories, type MeasurementLevel } from "../stats/agreement";
import { poissonBootstrap } from "../stats/bootstrap";
import { empty, raw, sql, type Sql } from "../db/sql";
import {
  analyticsParams,
  labelFilterSql,
  labelResponseFilterSql,
  pairLabelFilterSql,
  type AnalyticsFilters,
  type AnalyticsParams,
} from "./filters";
import {
  atMostOneLabelInsideSql,
  judgementBasis,
  judgementsInsideDatesSql,
  storedForDates,
  type JudgementBasis,
  type StoredForDates,
} from "./judgement";

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
  /** 95% percentile bootstrap interval of kappa (Poisson bootstrap of the pair's table); for the whole selection only. */
  kappaLower: number | null;
  kappaUpper: number | null;
  observedAgreement: number | null;
}

/** Agreement on one field within one scope: the whole selection, or one checkpoint's responses. */
export interface ScopeAgreement {
  alpha: number | null;
  /** 95% percentile bootstrap interval of alpha (Poisson bootstrap of the pairs of values). */
  alphaLower: number | null;
  alphaUpper: number | null;
  /** Pairable values: labels with this field on responses that two or more reviewers gave it. */
  values: number;
  pairs: PairKappa[];
}

export interface FieldAgreement extends ScopeAgreement {
  field: AgreementField;
  level: MeasurementLevel;
  /** The same per checkpoint (of the responses labelled), in checkpoint id order. */
  byCheckpoint: (ScopeAgreement & { checkpointId: number })[];
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
 * read from the pair for a response whose labels all fall inside the date range). Response filters apply to the response, label filters to both labels of a pair.
 */
function pairsSql(basis: JudgementBasis, p: AnalyticsParams, stored: StoredForDates): Sql {
  const responses = labelResponseFilterSql(p, "p");
  // Agreement is between reviewers' own labels: an adjudicated or a judge's label is never one of a pair.
  if (basis === "all" || basis === "adjudicated" || basis === "judge") {
    return sql`SELECT * FROM label_pair p WHERE p.study_id = ${p.study} AND ${responses}`;
  }
  const values = raw(
    `p.checkpoint_id, p.reviewer_a, p.reviewer_b, ${COLUMNS.map((c) => `p.a_${c}, p.b_${c}`).join(", ")}`,
  );
  if (basis === "source") {
    return sql`
      SELECT ${values}, ${raw(COLUMNS.map((c) => `p.ms_${c} AS m_${c}`).join(", "))}
      FROM label_pair p
      WHERE p.study_id = ${p.study} AND p.a_source = ${p.source}::text::"LabelSource" AND p.b_source = p.a_source
        AND ${responses}`;
  }
  // The selected labels in response order, counted one response at a time (as in judgedResponsesSql).
  const counted = (onlyResponses: Sql) => sql`(
        SELECT l.response_id, count(*) AS labels, count(l.harm_severity) AS severity_n, count(l.reasoning_quality) AS quality_n,
               count(l.refusal) AS refusal_n, count(l.language_mixing) AS mixing_n
        FROM (SELECT l.response_id, l.harm_severity, l.reasoning_quality, l.refusal, l.language_mixing
              FROM label l
              WHERE l.study_id = ${p.study} AND l.submitted_at IS NOT NULL AND ${labelFilterSql(p)} AND ${labelResponseFilterSql(p)}${onlyResponses}
              ORDER BY l.response_id) l
        GROUP BY l.response_id
        HAVING count(*) > 1)`;
  const selectedPairs = sql`p.study_id = ${p.study} AND ${pairLabelFilterSql(p, "a")} AND ${pairLabelFilterSql(p, "b")} AND ${responses}`;
  if (stored === "none") {
    return sql`
      SELECT ${values}, ${raw(M_FROM_JUDGEMENT)}
      FROM label_pair p
      JOIN ${counted(empty)} s ON s.response_id = p.response_id
      WHERE ${selectedPairs}`;
  }
  // A date filter alone (or with the source): on a response whose labels (of the source) all fall
  // inside the range, m is the stored one (among all its labels, or among the source's: ms_*); only
  // the other responses' selected labels are counted, and of those only responses with more than two
  // labels: one with two at most has at most one inside the range, and so no pair (with two
  // reviewers per response, as is usual, none is counted).
  const { table, condition, inside } = judgementsInsideDatesSql(stored, p);
  const storedM = raw(COLUMNS.map((c) => `p.${stored === "all" ? "m" : "ms"}_${c} AS m_${c}`).join(", "));
  return sql`
      SELECT ${values}, ${storedM}
      FROM label_pair p JOIN ${table} ON t.response_id = p.response_id AND ${condition}
      WHERE ${selectedPairs} AND ${inside}
      UNION ALL
      SELECT ${values}, ${raw(M_FROM_JUDGEMENT)}
      FROM label_pair p
      JOIN ${counted(sql`
          AND l.response_id IN (SELECT t.response_id FROM ${table}
                                WHERE ${condition} AND NOT ${inside} AND NOT (${atMostOneLabelInsideSql}))`)} s ON s.response_id = p.response_id
      WHERE ${selectedPairs}`;
}

/**
 * One hashed GROUPING SETS aggregation over the pairs, a set per field and checkpoint: each
 * (checkpoint, reviewer pair, both values, m) counted. The whole selection's rows (bits with the
 * checkpoint's bit set, ck NULL) are those rows summed over the checkpoints, from the few hundred
 * counted rows rather than a second set per field over every pair: hashing each pair into ten sets
 * was most of the question's time, and five cost about half as much (docs/benchmarks.md, Analytics).
 * A pair where a value is missing lands in a group with a NULL, which JavaScript skips; it adds
 * each pair to the coincidence matrix in both orders, with its weight, and to the (a, b)
 * contingency table for kappa. Ordered, so that the sums are made in one order whichever way the
 * pairs were found.
 */
export function agreementSql(basis: JudgementBasis, p: AnalyticsParams, stored: StoredForDates = "none"): Sql {
  const sets = COLUMNS.map((c) => `(p.checkpoint_id, p.reviewer_a, p.reviewer_b, p.a_${c}, p.b_${c}, p.m_${c})`).join(
    ", ",
  );
  const values = COLUMNS.map((c) => `p.a_${c}, p.b_${c}, p.m_${c}`).join(", ");
  const asText = COLUMNS.map((c, i) => `p.a_${c}::text AS va_${i}, p.b_${c}::text AS vb_${i}, p.m_${c} AS m_${i}`).join(
    ", ",
  );
  // GROUPING's highest bit is the checkpoint's: set on the whole selection's rows.
  const wholeBit = 1 << COLUMNS.length;
  return sql`
    WITH c AS MATERIALIZED (
      SELECT GROUPING(p.checkpoint_id, ${raw(COLUMNS.map((c) => `p.a_${c}`).join(", "))}) AS bits, p.checkpoint_id, p.reviewer_a, p.reviewer_b,
             ${raw(values)}, count(*) AS pairs
      FROM (${pairsSql(basis, p, stored)}) p
      GROUP BY GROUPING SETS (${raw(sets)}))
    SELECT p.bits, p.checkpoint_id AS ck, p.reviewer_a AS ra, p.reviewer_b AS rb, ${raw(asText)}, p.pairs
    FROM c p
    UNION ALL
    SELECT p.bits | ${raw(String(wholeBit))}, NULL, p.reviewer_a, p.reviewer_b, ${raw(asText)}, sum(p.pairs)::int8
    FROM c p
    GROUP BY p.bits, p.reviewer_a, p.reviewer_b, ${raw(values)}
    ORDER BY bits, ck, ra, rb, ${raw(COLUMNS.map((_, i) => `va_${i}, vb_${i}, m_${i}`).join(", "))}`;
}

export type AgreementRow = Record<string, string | number | null> & { bits: number; ra: number; rb: number };

export async function reviewerAgreement(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  filters: AnalyticsFilters = {},
): Promise<FieldAgreement[]> {
  const { rows } = await db.query<AgreementRow>(
    agreementSql(judgementBasis(filters), analyticsParams(studyId, filters), storedForDates(filters)).toQuery(),
  );
  return agreementFromRows(rows);
}

/** Counted pairs of values of one field within one scope: the input of alpha, kappa and their bootstraps. */
interface ScopeCells {
  /** reviewer a, reviewer b, value a, value b, m (values on the response), pairs. */
  rows: { ra: number; rb: number; va: string; vb: string; m: number; pairs: number }[];
}

/** Alpha and the kappas per field (and per checkpoint) from agreementSql's rows. */
export function agreementFromRows(rows: AgreementRow[]): FieldAgreement[] {
  const fields = FIELD_NAMES.length;
  return FIELD_NAMES.map((field, index) => {
    const spec = AGREEMENT_FIELDS[field];
    // GROUPING(checkpoint, …fields) has a bit per column, the checkpoint the highest; the row's own
    // field is 0, and so is the checkpoint's bit in the per-checkpoint set.
    const fieldBits = ((1 << fields) - 1) ^ (1 << (fields - 1 - index));
    const whole: ScopeCells = { rows: [] };
    const perCheckpoint = new Map<number, ScopeCells>();
    for (const r of rows) {
      const bits = Number(r.bits);
      const pairs = Number(r.pairs);
      const va = r[`va_${index}`] as string | null;
      const vb = r[`vb_${index}`] as string | null;
      if (pairs === 0 || va === null || vb === null) continue;
      const cell = { ra: Number(r.ra), rb: Number(r.rb), va, vb, m: Number(r[`m_${index}`]), pairs };
      if (bits === ((1 << fields) | fieldBits)) whole.rows.push(cell);
      else if (bits === fieldBits) {
        const checkpoint = Number(r.ck);
        const scope = perCheckpoint.get(checkpoint) ?? { rows: [] };
        scope.rows.push(cell);
        perCheckpoint.set(checkpoint, scope);
      }
    }
    return {
      field,
      level: spec.level,
      ...scopeAgreement(whole, spec, true),
      byCheckpoint: [...perCheckpoint.entries()]
        .sort(([a], [b]) => a - b)
        .map(([checkpointId, scope]) => ({ checkpointId, ...scopeAgreement(scope, spec, false) })),
    };
  });
}

/**
 * Alpha over every pair of the scope and kappa per reviewer pair, alpha with its bootstrap
 * interval, and each kappa with its own when `kappaIntervals` (the whole selection; per checkpoint
 * the kappas' intervals would cost most of the page's time). Alpha depends on the pairs only
 * through the coincidence matrix, so its bootstrap redraws the matrix's cells (the rows with the
 * same two values and m summed: a sum of Poisson counts is Poisson), a few dozen instead of every
 * reviewer pair's rows; a kappa redraws its pair's table.
 */
function scopeAgreement(
  scope: ScopeCells,
  spec: (typeof AGREEMENT_FIELDS)[AgreementField],
  kappaIntervals: boolean,
): ScopeAgreement {
  const value = (v: string) => (spec.numeric ? Number(v) : v);
  const categories = sortedCategories(scope.rows.flatMap((r) => [value(r.va), value(r.vb)]));
  const k = categories.length;
  const index = new Map(categories.map((c, i) => [c, i]));
  const matrix = new Float64Array(k * k);

  // The coincidence matrix's cells: (value a, value b, m) with their summed pair counts.
  const merged = new Map<string, { a: number; b: number; weight: number; count: number }>();
  for (const r of scope.rows) {
    const a = index.get(value(r.va))!;
    const b = index.get(value(r.vb))!;
    const key = `${a}:${b}:${r.m}`;
    const cell = merged.get(key) ?? { a, b, weight: 1 / (r.m - 1), count: 0 };
    cell.count += r.pairs;
    merged.set(key, cell);
  }
  const cells = [...merged.values()];
  // Each pair adds its weight to the coincidence matrix in both orders.
  const alphaOf = (drawn: readonly number[]) => {
    matrix.fill(0);
    for (let i = 0; i < cells.length; i++) {
      const { a, b, weight } = cells[i]!;
      matrix[a * k + b]! += drawn[i]! * weight;
      matrix[b * k + a]! += drawn[i]! * weight;
    }
    return alphaFromMatrix(matrix, categories, spec.level);
  };
  const cellCounts = cells.map((c) => c.count);
  const alpha = alphaOf(cellCounts);
  const alphaInterval = alpha === null ? { lower: null, upper: null } : poissonBootstrap(cellCounts, alphaOf);
  // Each pairable value contributes weights summing to 1, so the total weight is the number of values.
  const values = Math.round(cells.reduce((sum, c) => sum + 2 * c.count * c.weight, 0));

  const byPair = new Map<string, { ra: number; rb: number; a: number[]; b: number[]; counts: number[] }>();
  for (const r of scope.rows) {
    const key = `${r.ra}:${r.rb}`;
    const pair = byPair.get(key) ?? { ra: r.ra, rb: r.rb, a: [], b: [], counts: [] };
    pair.a.push(index.get(value(r.va))!);
    pair.b.push(index.get(value(r.vb))!);
    pair.counts.push(r.pairs);
    byPair.set(key, pair);
  }
  const pairs = [...byPair.values()].map((pair) => {
    const kappaOf = (drawn: readonly number[]) => {
      matrix.fill(0);
      for (let i = 0; i < drawn.length; i++) matrix[pair.a[i]! * k + pair.b[i]!]! += drawn[i]!;
      return kappaFromMatrix(matrix, categories);
    };
    const kappa = kappaOf(pair.counts);
    const interval =
      kappaIntervals && kappa.kappa !== null
        ? poissonBootstrap(pair.counts, (x) => kappaOf(x).kappa)
        : { lower: null, upper: null };
    return {
      reviewerA: pair.ra,
      reviewerB: pair.rb,
      n: kappa.n,
      kappa: kappa.kappa,
      kappaLower: interval.lower,
      kappaUpper: interval.upper,
      observedAgreement: kappa.observedAgreement,
    };
  });
  return { alpha, alphaLower: alphaInterval.lower, alphaUpper: alphaInterval.upper, values, pairs };
}
