// One study in the list: what it is, and how much of each training strategy it holds.
import { StudyCardTitle } from "./study-card-title";
import { STRATEGY_ORDER, StrategyBadge } from "@/components/ui/strategy-badge";
import { formatCount, plural } from "@/components/ui/format";
import type { StudySummary } from "@/lib/study/queries";

const ROWS = [
  { key: "checkpoints", label: "Checkpoints" },
  { key: "prompts", label: "Prompts answered" },
  { key: "responses", label: "Responses" },
] as const;

export function StudyCard({ study }: { study: StudySummary }) {
  const headingId = `study-${study.id}`;
  const totalFor = (key: (typeof ROWS)[number]["key"]) =>
    key === "prompts" ? study.totals.prompts : study.totals[key];

  return (
    <article
      aria-labelledby={headingId}
      className="grid gap-6 rounded-xl border border-zinc-200 bg-white p-6 shadow-xs lg:grid-cols-[minmax(0,1fr)_auto]"
    >
      <div className="min-w-0">
        <StudyCardTitle headingId={headingId} study={study} showMissingDescription />
        <p className="mt-4 text-sm text-zinc-600">
          {plural(study.totals.prompts, "prompt")} · {plural(study.totals.responses, "response")} ·{" "}
          {plural(study.totals.labels, "label")}
        </p>
      </div>

      <div className="-mx-2 self-start overflow-x-auto px-2">
        <table className="text-sm tabular-nums">
          <caption className="sr-only">Counts by training strategy in {study.name}</caption>
          <thead>
            <tr>
              <td />
              {STRATEGY_ORDER.map((strategy) => (
                <th key={strategy} scope="col" className="w-20 px-2 pb-2 text-right font-normal">
                  <StrategyBadge strategy={strategy} />
                </th>
              ))}
              <th
                scope="col"
                className="w-20 pb-2 pl-3 text-right text-xs font-semibold uppercase tracking-wide text-zinc-500"
              >
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map(({ key, label }) => (
              <tr key={key} className="border-t border-zinc-100">
                <th scope="row" className="py-1.5 pr-3 text-left font-normal text-zinc-600">
                  {label}
                </th>
                {STRATEGY_ORDER.map((strategy) => {
                  const value = study.byStrategy[strategy][key];
                  return (
                    <td
                      key={strategy}
                      className={`px-2 py-1.5 text-right ${value === 0 ? "text-zinc-300" : "text-zinc-900"}`}
                    >
                      {formatCount(value)}
                    </td>
                  );
                })}
                <td className="py-1.5 pl-3 text-right font-medium text-zinc-950">{formatCount(totalFor(key))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}
