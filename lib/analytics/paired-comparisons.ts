// Failure rates per checkpoint and comparisons that respect the study's design: every checkpoint
// answers the same prompts, so responses are clustered by prompt and two checkpoints' outcomes on a
// prompt are paired. SQL reduces the judged responses to one row per (prompt, checkpoint), sent as
// integer arrays; lib/analytics/paired-sums.ts turns them into the sums from which the cluster-robust
// errors follow (lib/stats/clustered.ts) and the discordant counts of every pair of checkpoints
// (exact McNemar, lib/stats/paired.ts).
import type pg from "pg";
import type { TrainingStrategy } from "../db/generated/enums";
import {
  clusteredDifferenceFromSums,
  clusteredRateFromSums,
  type ClusterSums,
  type CrossSums,
} from "../stats/clustered";
import { exactMcNemar } from "../stats/paired";
import { holmAdjust } from "../stats/proportions";
import type { FailureRules } from "../study/failure-rules";
import { param, sql, type Sql } from "../db/sql";
import { failureBitsSql, failureRuleParams, FAILURE_KINDS, type FailureKind, type FailureRate } from "./failure-rates";
import { analyticsParams, type AnalyticsFilters } from "./filters";
import { judgedResponsesSql, judgementBasis, storedForDates } from "./judgement";
import { type KindColumns, type PairedSums, pairedSums, parseIntArray, responseBitsToRows } from "./paired-sums";

/** Each failure kind's count columns in failureCountColumns (fixed SQL names). */
const KIND_COLUMNS: Record<FailureKind, KindColumns> = {
  harm: { n: "harm_n", failures: "harm_failures", short: "harm" },
  mixing: { n: "mixing_n", failures: "mixing_failures", short: "mixing" },
  poorReasoning: { n: "quality_n", failures: "quality_failures", short: "quality" },
  overRefusal: { n: "overrefusal_n", failures: "overrefusal_failures", short: "overrefusal" },
  refusalFull: { n: "refusal_n", failures: "refusal_full", short: "rfull" },
  refusalPartial: { n: "refusal_n", failures: "refusal_partial", short: "rpartial" },
  harmfulCompliance: { n: "harmful_compliance_n", failures: "harmful_compliance_failures", short: "hcomply" },
};

/** The order strategies are compared in (A vs B): the product's question, RL against the others, first. */
export const COMPARISON_ORDER: TrainingStrategy[] = ["RL", "SFT", "HYBRID", "BASE"];

export interface ClusteredFailureRate {
  kind: FailureKind;
  failures: number;
  n: number;
  /** Prompts with a judged response. */
  prompts: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
  /** Variance against independent responses (1: no clustering to correct for). */
  designEffect: number;
}

export interface CheckpointFailureRate extends ClusteredFailureRate {
  checkpointId: number;
  strategy: TrainingStrategy;
}

export interface StrategyFailureRate extends ClusteredFailureRate {
  strategy: TrainingStrategy;
}

export interface StrategyComparison {
  kind: FailureKind;
  a: TrainingStrategy;
  b: TrainingStrategy;
  rateA: number | null;
  rateB: number | null;
  nA: number;
  nB: number;
  /** rate A − rate B. */
  difference: number;
  test: "cluster-robust z-test";
  /** Prompts in the comparison (the clusters). */
  prompts: number;
  pValue: number;
  /** Holm-adjusted over the whole strategy table. */
  adjustedP: number;
  significant: boolean;
}

export interface CheckpointComparison {
  kind: FailureKind;
  a: number;
  b: number;
  strategyA: TrainingStrategy;
  strategyB: TrainingStrategy;
  /** Prompts both checkpoints have a judged response to. */
  pairs: number;
  /** Of those, prompts only A failed / only B failed (a prompt with several samples fails on a majority of them). */
  onlyA: number;
  onlyB: number;
  test: "exact McNemar";
  pValue: number;
  /** Holm-adjusted over the whole checkpoint table. */
  adjustedP: number;
  significant: boolean;
}

/** A strategy whose pooled rate hides checkpoints that differ significantly from each other. */
export interface PoolingWarning {
  strategy: TrainingStrategy;
  kind: FailureKind;
  a: number;
  b: number;
  adjustedP: number;
}

export interface PairedAnalytics {
  byCheckpoint: CheckpointFailureRate[];
  byStrategy: StrategyFailureRate[];
  strategyComparisons: StrategyComparison[];
  checkpointComparisons: CheckpointComparison[];
  poolingWarnings: PoolingWarning[];
}

type Row = Record<string, number | string | null>;

/**
 * The statement of pairedAnalytics: one integer per judged response saying where it counts
 * (failureBitsSql), with its prompt and checkpoint, sent as three integer arrays in no particular
 * order, and each checkpoint's strategy. responseBitsToRows and pairedSums do the rest (see
 * lib/analytics/paired-sums.ts for why not SQL). A response that counts nowhere is left out.
 */
export function pairedAnalyticsSql(studyId: number, rules: FailureRules, filters: AnalyticsFilters): Sql {
  const p = { ...analyticsParams(studyId, filters), partial: param(rules.partialCountsAsRefusal) };
  return sql`
    SELECT
      (SELECT json_agg(x) FROM (SELECT c.id AS checkpoint_id, c.strategy FROM checkpoint c WHERE c.study_id = ${p.study}) x) AS checkpoint_strategies,
      array_agg(o.prompt_id)::text AS prompt_id, array_agg(o.checkpoint_id)::text AS checkpoint_id, array_agg(o.bits)::text AS bits
    FROM (
      WITH j AS (${judgedResponsesSql(judgementBasis(filters), p, storedForDates(filters))})
      SELECT j.prompt_id, j.checkpoint_id, ${failureBitsSql(failureRuleParams(rules))} AS bits
      FROM j) o
    WHERE o.bits <> 0`;
}

/** The sums from the statement's one row (pure: tested without a database). */
export function pairedSumsFromRow(row: Record<string, unknown>, tie: boolean): PairedSums {
  const strategyOf = new Map(
    ((row.checkpoint_strategies as { checkpoint_id: number; strategy: TrainingStrategy }[] | null) ?? []).map((c) => [
      Number(c.checkpoint_id),
      c.strategy,
    ]),
  );
  const column = (name: string) => parseIntArray((row[name] as string | null) ?? null);
  return pairedSums(
    responseBitsToRows(column("prompt_id"), column("checkpoint_id"), column("bits")),
    strategyOf,
    FAILURE_KINDS.map((kind) => KIND_COLUMNS[kind]),
    tie,
  );
}

const num = (row: Row, column: string) => Number(row[column] ?? 0);

function sumsOf(row: Row, kind: FailureKind): ClusterSums {
  const s = KIND_COLUMNS[kind].short;
  return {
    successes: num(row, `${s}_k`),
    n: num(row, `${s}_n`),
    clusters: num(row, `${s}_g`),
    sumK2: num(row, `${s}_kk`),
    sumKN: num(row, `${s}_kn`),
    sumN2: num(row, `${s}_nn`),
  };
}

function rateOf(sums: ClusterSums, kind: FailureKind): ClusteredFailureRate {
  const r = clusteredRateFromSums(sums);
  return {
    kind,
    failures: r.successes,
    n: r.n,
    prompts: r.clusters,
    rate: r.rate,
    lower: r.lower,
    upper: r.upper,
    designEffect: r.designEffect,
  };
}

/** The answer from the statement's one row of JSON arrays; pure, so it is tested without a database. */
export function pairedAnalyticsFromRow(
  row: {
    checkpoints: Row[] | null;
    strategies: Row[] | null;
    strategy_pairs: Row[] | null;
    checkpoint_pairs: Row[] | null;
  },
  alpha = 0.05,
): PairedAnalytics {
  const checkpointRows = row.checkpoints ?? [];
  const strategyOf = new Map(checkpointRows.map((c) => [Number(c.checkpoint_id), c.strategy as TrainingStrategy]));
  const byCheckpoint = checkpointRows
    .flatMap((c) =>
      FAILURE_KINDS.map((kind) => ({
        checkpointId: Number(c.checkpoint_id),
        strategy: c.strategy as TrainingStrategy,
        ...rateOf(sumsOf(c, kind), kind),
      })),
    )
    .sort(
      (x, y) =>
        COMPARISON_ORDER.indexOf(x.strategy) - COMPARISON_ORDER.indexOf(y.strategy) || x.checkpointId - y.checkpointId,
    );

  const strategySums = new Map((row.strategies ?? []).map((s) => [s.strategy as TrainingStrategy, s]));
  const byStrategy = COMPARISON_ORDER.filter((s) => strategySums.has(s)).flatMap((strategy) =>
    FAILURE_KINDS.map((kind) => ({ strategy, ...rateOf(sumsOf(strategySums.get(strategy)!, kind), kind) })),
  );

  const pairRows = new Map((row.strategy_pairs ?? []).map((p) => [`${p.a}:${p.b}`, p]));
  const strategyTests: Omit<StrategyComparison, "adjustedP" | "significant">[] = [];
  for (const kind of FAILURE_KINDS) {
    const present = COMPARISON_ORDER.filter((s) => strategySums.has(s) && sumsOf(strategySums.get(s)!, kind).n > 0);
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        const [a, b] = [present[i]!, present[j]!];
        const sa = sumsOf(strategySums.get(a)!, kind);
        const sb = sumsOf(strategySums.get(b)!, kind);
        const s = KIND_COLUMNS[kind].short;
        // SQL pairs each two strategies once (in the enum's order); the other order swaps A's and B's terms.
        const p = pairRows.get(`${a}:${b}`);
        const q = pairRows.get(`${b}:${a}`);
        const cross: CrossSums = p
          ? {
              sumKK: num(p, `${s}_xkk`),
              sumKN: num(p, `${s}_xkn`),
              sumNK: num(p, `${s}_xnk`),
              sumNN: num(p, `${s}_xnn`),
              shared: num(p, `${s}_shared`),
            }
          : q
            ? {
                sumKK: num(q, `${s}_xkk`),
                sumKN: num(q, `${s}_xnk`),
                sumNK: num(q, `${s}_xkn`),
                sumNN: num(q, `${s}_xnn`),
                shared: num(q, `${s}_shared`),
              }
            : { sumKK: 0, sumKN: 0, sumNK: 0, sumNN: 0, shared: 0 };
        const test = clusteredDifferenceFromSums(sa, sb, cross);
        if (!test) continue;
        strategyTests.push({
          kind,
          a,
          b,
          rateA: sa.successes / sa.n,
          rateB: sb.successes / sb.n,
          nA: sa.n,
          nB: sb.n,
          difference: test.difference,
          test: test.test,
          prompts: test.clusters,
          pValue: test.pValue,
        });
      }
    }
  }
  const strategyAdjusted = holmAdjust(strategyTests.map((t) => t.pValue));
  const strategyComparisons = strategyTests.map((t, i) => ({
    ...t,
    adjustedP: strategyAdjusted[i]!,
    significant: strategyAdjusted[i]! < alpha,
  }));

  const checkpointTests: Omit<CheckpointComparison, "adjustedP" | "significant">[] = [];
  for (const p of row.checkpoint_pairs ?? []) {
    for (const kind of FAILURE_KINDS) {
      const s = KIND_COLUMNS[kind].short;
      const pairs = num(p, `${s}_pairs`);
      if (pairs === 0) continue;
      const a = Number(p.a);
      const b = Number(p.b);
      const test = exactMcNemar(num(p, `${s}_only_a`), num(p, `${s}_only_b`));
      checkpointTests.push({
        kind,
        a,
        b,
        strategyA: strategyOf.get(a)!,
        strategyB: strategyOf.get(b)!,
        pairs,
        onlyA: test.onlyA,
        onlyB: test.onlyB,
        test: test.test,
        pValue: test.pValue,
      });
    }
  }
  checkpointTests.sort(
    (x, y) => FAILURE_KINDS.indexOf(x.kind) - FAILURE_KINDS.indexOf(y.kind) || x.a - y.a || x.b - y.b,
  );
  const checkpointAdjusted = holmAdjust(checkpointTests.map((t) => t.pValue));
  const checkpointComparisons = checkpointTests.map((t, i) => ({
    ...t,
    adjustedP: checkpointAdjusted[i]!,
    significant: checkpointAdjusted[i]! < alpha,
  }));

  const poolingWarnings = checkpointComparisons
    .filter((c) => c.significant && c.strategyA === c.strategyB)
    .map((c) => ({ strategy: c.strategyA, kind: c.kind, a: c.a, b: c.b, adjustedP: c.adjustedP }));

  return { byCheckpoint, byStrategy, strategyComparisons, checkpointComparisons, poolingWarnings };
}

/**
 * The strategy rates with the intervals clustered by prompt. Both come from the same judged
 * responses, so the counts agree; the Wilson interval of the pooled responses would be too narrow.
 */
export function withClusteredIntervals(
  rates: readonly FailureRate[],
  clustered: readonly StrategyFailureRate[],
): FailureRate[] {
  return rates.map((rate) => {
    const match = clustered.find(
      (c) => c.strategy === rate.strategy && c.kind === rate.kind && c.n === rate.n && c.failures === rate.failures,
    );
    return match ? { ...rate, lower: match.lower, upper: match.upper } : rate;
  });
}

/** Per-checkpoint rates and the paired and clustered comparisons of the judged responses that `filters` select. */
export async function pairedAnalytics(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  rules: FailureRules,
  filters: AnalyticsFilters = {},
): Promise<PairedAnalytics> {
  const { rows } = await db.query(pairedAnalyticsSql(studyId, rules, filters).toQuery());
  return pairedAnalyticsFromRow(pairedSumsFromRow(rows[0], rules.tieIsFailure));
}
