// Failure rate of each checkpoint against its training compute, a series per strategy. No React,
// so the server and the chart share it.
import type { FailureKind, FailureRate } from "@/lib/analytics/failure-rates";
import type { TrainingStrategy } from "@/lib/db/generated/enums";
import { STRATEGY_ORDER } from "@/components/ui/strategy-badge";

export interface ComputePoint {
  compute: number;
  percent: number;
  n: number;
  failures: number;
  checkpoint: string;
}

/** Per strategy, its checkpoints with known compute and judged responses of this kind, by compute. */
export function computeSeries(
  rates: readonly FailureRate[],
  checkpoints: readonly { id: number; name: string; strategy: TrainingStrategy; computeGpuHours: number | null }[],
  kind: FailureKind,
): { strategy: TrainingStrategy; points: ComputePoint[] }[] {
  const byId = new Map(rates.filter((r) => r.kind === kind && r.n > 0).map((r) => [r.group, r]));
  return STRATEGY_ORDER.map((strategy) => ({
    strategy,
    points: checkpoints
      .filter((c) => c.strategy === strategy && c.computeGpuHours !== null && byId.has(String(c.id)))
      .map((c) => {
        const r = byId.get(String(c.id))!;
        return {
          compute: c.computeGpuHours!,
          percent: (r.rate ?? 0) * 100,
          n: r.n,
          failures: r.failures,
          checkpoint: c.name,
        };
      })
      .sort((a, b) => a.compute - b.compute),
  })).filter((series) => series.points.length > 0);
}
