// The analytics page's per-checkpoint view: every failure per checkpoint (grouped by strategy) with
// its interval, the paired comparisons between checkpoints, and the strategies whose pooled rate
// hides checkpoints that differ from each other.
import type { AnalyticsCheckpoint } from "@/lib/analytics/study-analytics";
import { FAILURE_KINDS } from "@/lib/analytics/failure-kinds";
import type { CheckpointComparison, CheckpointFailureRate, PoolingWarning } from "@/lib/analytics/paired-comparisons";
import { STRATEGY_ORDER, StrategyBadge } from "@/components/ui/strategy-badge";
import { FAILURE_KIND_INFO, formatPercent } from "./chart-data";
import { th, td, formatP } from "./table-cells";

function nameOf(checkpoints: AnalyticsCheckpoint[]) {
  const names = new Map(checkpoints.map((c) => [c.id, c.name]));
  return (id: number) => names.get(id) ?? `checkpoint ${id}`;
}

export function CheckpointRateTable({
  rates,
  checkpoints,
}: {
  rates: CheckpointFailureRate[];
  checkpoints: AnalyticsCheckpoint[];
}) {
  const name = nameOf(checkpoints);
  const ids = [...new Set(rates.map((r) => r.checkpointId))];
  if (ids.length === 0)
    return <p className="text-sm text-zinc-500">No checkpoint has a judged response under these filters.</p>;
  const byStrategy = STRATEGY_ORDER.map((strategy) => ({
    strategy,
    ids: ids.filter((id) => rates.find((r) => r.checkpointId === id)?.strategy === strategy),
  })).filter((g) => g.ids.length > 0);
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="min-w-full divide-y divide-zinc-200 text-sm" aria-label="Failure rates per checkpoint">
        <thead>
          <tr>
            <th className={th}>Checkpoint</th>
            {FAILURE_KINDS.map((kind) => (
              <th key={kind} className={th}>
                {FAILURE_KIND_INFO[kind].short}
              </th>
            ))}
          </tr>
        </thead>
        {byStrategy.map((group) => (
          <tbody key={group.strategy} className="divide-y divide-zinc-100">
            <tr className="bg-zinc-50">
              <th scope="rowgroup" colSpan={FAILURE_KINDS.length + 1} className="px-3 py-1.5 text-left">
                <StrategyBadge strategy={group.strategy} />
              </th>
            </tr>
            {group.ids.map((id) => (
              <tr key={id}>
                <th scope="row" className={`${td} text-left font-normal wrap-anywhere`}>
                  {name(id)}
                </th>
                {FAILURE_KINDS.map((kind) => {
                  const r = rates.find((x) => x.checkpointId === id && x.kind === kind);
                  if (!r || r.n === 0)
                    return (
                      <td key={kind} className={`${td} text-zinc-400`}>
                        —
                      </td>
                    );
                  return (
                    <td key={kind} className={`${td} whitespace-nowrap`}>
                      <span className="font-medium">{formatPercent(r.rate)}</span>{" "}
                      <span className="text-xs text-zinc-500">
                        [{formatPercent(r.lower)}–{formatPercent(r.upper)}] {r.failures}/{r.n}
                      </span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

export function CheckpointComparisonTable({
  comparisons,
  checkpoints,
}: {
  comparisons: CheckpointComparison[];
  checkpoints: AnalyticsCheckpoint[];
}) {
  const name = nameOf(checkpoints);
  if (comparisons.length === 0)
    return (
      <p className="text-sm text-zinc-500">
        No two checkpoints have judged responses to the same prompts: nothing to compare.
      </p>
    );
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="min-w-full divide-y divide-zinc-200 text-sm" aria-label="Differences between checkpoints">
        <thead>
          <tr>
            <th className={th}>Failure</th>
            <th className={th}>Comparison</th>
            <th className={th}>Shared prompts</th>
            <th className={th}>Only A failed</th>
            <th className={th}>Only B failed</th>
            <th className={th}>p</th>
            <th className={th}>p (Holm)</th>
            <th className={th}>Significant</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {comparisons.map((c) => (
            <tr key={`${c.kind}-${c.a}-${c.b}`} className={c.significant ? "bg-amber-50/60" : undefined}>
              <td className={td}>{FAILURE_KIND_INFO[c.kind].short}</td>
              <td className={`${td} wrap-anywhere`}>
                {name(c.a)} <StrategyBadge strategy={c.strategyA} /> vs {name(c.b)}{" "}
                <StrategyBadge strategy={c.strategyB} />
              </td>
              <td className={td}>{c.pairs}</td>
              <td className={td}>{c.onlyA}</td>
              <td className={td}>{c.onlyB}</td>
              <td className={`${td} whitespace-nowrap`}>{formatP(c.pValue)}</td>
              <td className={`${td} whitespace-nowrap`}>{formatP(c.adjustedP)}</td>
              <td className={`${td} font-medium`}>{c.significant ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PoolingWarnings({
  warnings,
  checkpoints,
}: {
  warnings: PoolingWarning[];
  checkpoints: AnalyticsCheckpoint[];
}) {
  if (warnings.length === 0) return null;
  const name = nameOf(checkpoints);
  return (
    <div
      role="note"
      aria-label="Pooled checkpoints differ"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
    >
      <p className="font-medium">A strategy&apos;s rate pools checkpoints that differ significantly from each other:</p>
      <ul className="mt-1 list-disc pl-5">
        {warnings.map((w) => (
          <li key={`${w.kind}-${w.a}-${w.b}`}>
            {w.strategy}, {FAILURE_KIND_INFO[w.kind].short.toLowerCase()}: {name(w.a)} vs {name(w.b)} (Holm-adjusted p{" "}
            {formatP(w.adjustedP)}). Read the per-checkpoint rates before the strategy&apos;s.
          </li>
        ))}
      </ul>
    </div>
  );
}
