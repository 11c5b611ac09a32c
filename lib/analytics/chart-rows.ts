// The rows behind each chart's CSV download on the analytics page: the numbers the chart draws,
// one row per bar or point, rates as shares 0–1 as the export writes them. Pure, universal.
import type { FailureKind, FailureRate } from "./failure-rates";
import type { ScoreCount } from "./label-distributions";
import type { CheckpointFailureRate } from "./paired-comparisons";
import type { AnalyticsCheckpoint } from "./study-analytics";

export type ChartCell = string | number | boolean | null;
/** A chart's download: its columns in order and one record per row. */
export interface ChartTable {
  columns: string[];
  rows: Record<string, ChartCell>[];
}

export const RATE_COLUMNS = ["strategy", "kind", "failures", "n", "rate", "ci95_lower", "ci95_upper"];

const rateCells = (r: FailureRate): Record<string, ChartCell> => ({
  strategy: r.strategy,
  kind: r.kind,
  failures: r.failures,
  n: r.n,
  rate: r.rate,
  ci95_lower: r.lower,
  ci95_upper: r.upper,
});

/** One rate per strategy (a panel of the strategy charts). */
export function strategyRateTable(rates: readonly FailureRate[], kind: FailureKind): ChartTable {
  return { columns: RATE_COLUMNS, rows: rates.filter((r) => r.kind === kind).map(rateCells) };
}

/** Rates per prompt category or split, the group first. */
export function groupedRateTable(rates: readonly FailureRate[], column: "category" | "split"): ChartTable {
  return {
    columns: [column, ...RATE_COLUMNS],
    rows: rates.map((r) => ({ [column]: r.group, ...rateCells(r) })),
  };
}

const checkpointOf = (checkpoints: readonly AnalyticsCheckpoint[], group: string | null) =>
  checkpoints.find((c) => String(c.id) === group);

/**
 * Rates per checkpoint with its training step (the trend chart) or its compute (the compute chart);
 * a checkpoint no longer listed keeps its id.
 */
export function checkpointRateTable(
  rates: readonly FailureRate[],
  checkpoints: readonly AnalyticsCheckpoint[],
  measure: "training_step" | "compute_gpu_hours",
): ChartTable {
  return {
    columns: ["checkpoint", measure, ...RATE_COLUMNS],
    rows: rates.map((r) => {
      const checkpoint = checkpointOf(checkpoints, r.group);
      const value = measure === "training_step" ? checkpoint?.trainingStep : checkpoint?.computeGpuHours;
      return { checkpoint: checkpoint?.name ?? r.group, ...rateCells(r), [measure]: value ?? null };
    }),
  };
}

/** Every failure per checkpoint with its interval and the prompts it covers (the per-checkpoint table). */
export function checkpointFailureTable(
  rates: readonly CheckpointFailureRate[],
  checkpoints: readonly AnalyticsCheckpoint[],
): ChartTable {
  return {
    columns: ["checkpoint", "strategy", "kind", "failures", "n", "prompts", "rate", "ci95_lower", "ci95_upper"],
    rows: rates.map((r) => ({
      checkpoint: checkpoints.find((c) => c.id === r.checkpointId)?.name ?? r.checkpointId,
      strategy: r.strategy,
      kind: r.kind,
      failures: r.failures,
      n: r.n,
      prompts: r.prompts,
      rate: r.rate,
      ci95_lower: r.lower,
      ci95_upper: r.upper,
    })),
  };
}

/** A score's distribution per strategy (every reviewer's label counts), the score under its column name. */
export function scoreTable(counts: readonly ScoreCount[], column: "harm_severity" | "reasoning_quality"): ChartTable {
  return {
    columns: ["strategy", column, "labels", "share"],
    rows: counts.map((c) => ({ strategy: c.strategy, [column]: c.score, labels: c.labels, share: c.share })),
  };
}
