// Plain reshaping of analytics rows into what the charts draw: percentages, strategy order,
// one row per group with a column per strategy. No React, so server and client share it.
import type { FailureKind, FailureRate } from "@/lib/analytics/failure-rates";
import type { TrainingStrategy } from "@/lib/db/generated/enums";
import { STRATEGY_ORDER } from "@/components/ui/strategy-badge";

export const FAILURE_KIND_INFO: Record<FailureKind, { title: string; short: string }> = {
  harm: { title: "Harmful responses", short: "Harmful" },
  mixing: { title: "Language mixing", short: "Language mixing" },
  poorReasoning: { title: "Poor reasoning", short: "Poor reasoning" },
  overRefusal: { title: "Over-refusal", short: "Over-refusal" },
  refusalFull: { title: "Full refusals", short: "Refused" },
  refusalPartial: { title: "Partial refusals", short: "Partially refused" },
  harmfulCompliance: { title: "Compliance with harmful prompts", short: "Harmful compliance" },
};

/** The CSS colour of a strategy (the theme variables of app/globals.css). */
export const strategyColour = (strategy: TrainingStrategy): string => `var(--color-strategy-${strategy.toLowerCase()})`;

const percentFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
export const formatPercent = (value: number | null): string =>
  value === null ? "—" : `${percentFormat.format(value * 100)}%`;

export const byStrategyOrder = <T extends { strategy: TrainingStrategy }>(a: T, b: T): number =>
  STRATEGY_ORDER.indexOf(a.strategy) - STRATEGY_ORDER.indexOf(b.strategy);

export interface RateBar {
  strategy: TrainingStrategy;
  /** Percent, 0–100 (0 when there is nothing to judge: n says so). */
  percent: number;
  /** Distance from the bar's top to the interval's ends, in percent points: [below, above]. */
  interval: [number, number];
  failures: number;
  n: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export function toRateBar(row: FailureRate): RateBar {
  const percent = (row.rate ?? 0) * 100;
  const interval: [number, number] =
    row.rate === null ? [0, 0] : [percent - (row.lower ?? row.rate) * 100, (row.upper ?? row.rate) * 100 - percent];
  return {
    strategy: row.strategy,
    percent,
    interval,
    failures: row.failures,
    n: row.n,
    rate: row.rate,
    lower: row.lower,
    upper: row.upper,
  };
}

/** One failure kind's overall rates (grouping "strategy"), in display order. */
export function rateBars(rates: readonly FailureRate[], kind: FailureKind): RateBar[] {
  return rates
    .filter((r) => r.kind === kind && r.group === null)
    .sort(byStrategyOrder)
    .map(toRateBar);
}

export interface GroupRow {
  group: string;
  /** Per strategy present: percent, interval, n, failures under "<STRATEGY>_…" keys. */
  [key: string]: string | number | [number, number];
}

/** Rows per category (or split) with a column set per strategy, for grouped bars. */
export function groupedRows(
  rates: readonly FailureRate[],
  kind: FailureKind,
): { rows: GroupRow[]; strategies: TrainingStrategy[] } {
  const mine = rates.filter((r) => r.kind === kind && r.n > 0);
  const strategies = STRATEGY_ORDER.filter((s) => mine.some((r) => r.strategy === s));
  const groups = [...new Set(mine.map((r) => r.group ?? "(none)"))].sort();
  const rows = groups.map((group) => {
    const row: GroupRow = { group };
    for (const r of mine.filter((r) => (r.group ?? "(none)") === group)) {
      const bar = toRateBar(r);
      row[`${r.strategy}_percent`] = bar.percent;
      row[`${r.strategy}_interval`] = bar.interval;
      row[`${r.strategy}_n`] = bar.n;
      row[`${r.strategy}_failures`] = bar.failures;
    }
    return row;
  });
  return { rows, strategies };
}

export interface TrendPoint {
  step: number;
  percent: number;
  n: number;
  failures: number;
  checkpoint: string;
}

/** Per strategy, its checkpoints with a known training step in step order, with this kind's rate. */
export function checkpointTrends(
  rates: readonly FailureRate[],
  checkpoints: readonly { id: number; name: string; strategy: TrainingStrategy; trainingStep: number | null }[],
  kind: FailureKind,
): { strategy: TrainingStrategy; points: TrendPoint[] }[] {
  const byId = new Map(rates.filter((r) => r.kind === kind && r.n > 0).map((r) => [r.group, r]));
  return STRATEGY_ORDER.map((strategy) => ({
    strategy,
    points: checkpoints
      .filter((c) => c.strategy === strategy && c.trainingStep !== null && byId.has(String(c.id)))
      .map((c) => {
        const r = byId.get(String(c.id))!;
        return {
          step: c.trainingStep!,
          percent: (r.rate ?? 0) * 100,
          n: r.n,
          failures: r.failures,
          checkpoint: c.name,
        };
      })
      .sort((a, b) => a.step - b.step),
  })).filter((line) => line.points.length > 0);
}
