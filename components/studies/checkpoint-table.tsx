// The checkpoints of a study, grouped by training strategy and ordered by training step.
import { STRATEGY_ORDER, StrategyBadge } from "@/components/ui/strategy-badge";
import { formatCount, formatHours, formatShare } from "@/components/ui/format";
import type { CheckpointRow } from "@/lib/study/queries";

const numeric = "px-3 py-2.5 text-right tabular-nums";

export function CheckpointTable({ checkpoints }: { checkpoints: CheckpointRow[] }) {
  if (checkpoints.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 bg-white px-4 py-6 text-sm text-zinc-600">
        No checkpoints yet: import responses to add them.
      </p>
    );
  }
  const groups = STRATEGY_ORDER.map((strategy) => ({
    strategy,
    rows: checkpoints.filter((checkpoint) => checkpoint.strategy === strategy),
  })).filter((group) => group.rows.length > 0);

  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Checkpoints by training strategy and training step</caption>
        <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th scope="col" className="px-4 py-2.5 text-left font-medium">
              Checkpoint
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Strategy
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Base model
            </th>
            <th scope="col" className="px-3 py-2.5 text-right font-medium">
              Training step
            </th>
            <th scope="col" className="px-3 py-2.5 text-right font-medium">
              <abbr title="Training compute in GPU-hours" className="no-underline">
                Compute (GPU-h)
              </abbr>
            </th>
            <th scope="col" className="px-3 py-2.5 text-right font-medium">
              Responses
            </th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">
              Labelled
            </th>
          </tr>
        </thead>
        {groups.map(({ strategy, rows }) => (
          <tbody key={strategy} className="border-t border-zinc-200">
            {rows.map((checkpoint) => (
              <tr key={checkpoint.id} className="border-t border-zinc-100 first:border-t-0 hover:bg-zinc-50/70">
                <th scope="row" className="max-w-72 px-4 py-2.5 text-left font-medium text-zinc-950 wrap-anywhere">
                  {checkpoint.name}
                </th>
                <td className="px-3 py-2.5">
                  <StrategyBadge strategy={checkpoint.strategy} />
                </td>
                <td className="max-w-56 px-3 py-2.5 text-zinc-700 wrap-anywhere">
                  {checkpoint.baseModel ?? <NotGiven />}
                </td>
                <td className={numeric}>
                  {checkpoint.trainingStep == null ? <NotGiven /> : formatCount(checkpoint.trainingStep)}
                </td>
                <td className={numeric}>
                  {checkpoint.computeGpuHours == null ? <NotGiven /> : formatHours(checkpoint.computeGpuHours)}
                </td>
                <td className={numeric}>{formatCount(checkpoint.responses)}</td>
                <td className="px-4 py-2.5 text-right tabular-nums">
                  <LabelledProgress labelled={checkpoint.labelledResponses} total={checkpoint.responses} />
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

/** A value the import did not provide. */
function NotGiven() {
  return (
    <span className="text-zinc-400" title="Not given">
      —
    </span>
  );
}

function LabelledProgress({ labelled, total }: { labelled: number; total: number }) {
  const share = total === 0 ? 0 : labelled / total;
  return (
    <span className="inline-flex items-center justify-end gap-2">
      <span>{formatCount(labelled)}</span>
      <span className="w-9 text-xs text-zinc-500">{formatShare(labelled, total)}</span>
      <span aria-hidden="true" className="hidden h-1.5 w-14 overflow-hidden rounded-full bg-zinc-100 sm:inline-block">
        <span className="block h-full rounded-full bg-accent" style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
    </span>
  );
}
