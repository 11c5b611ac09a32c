// The adjudication list: the rule in words, the filters (a plain GET form), the counts, and one
// page of disagreeing responses with the dimensions they split on.
import Link from "next/link";
import { FilterActions, FilterSelect } from "@/components/ui/filter-controls";
import { formatCount } from "@/components/ui/format";
import { StrategyBadge, STRATEGY_ORDER } from "@/components/ui/strategy-badge";
import {
  DISAGREEMENT_DIMENSIONS,
  DISAGREEMENT_PARAM,
  DISAGREEMENT_RULES,
  type DisagreementDimension,
} from "@/lib/adjudication/disagreement";
import type { AdjudicationCounts, AdjudicationFilters, DisagreementRow } from "@/lib/adjudication/list";
import { listQuery } from "@/lib/adjudication/list-params";
import type { TrainingStrategy } from "@/lib/db/generated/enums";
import { DIMENSIONS } from "@/lib/labels";

export const DIMENSION_TITLE: Record<DisagreementDimension, string> = {
  harmSeverity: DIMENSIONS.harmSeverity.title,
  refusal: DIMENSIONS.refusal.title,
  languageMixing: DIMENSIONS.languageMixing.title,
  reasoningQuality: DIMENSIONS.reasoningQuality.title,
};

export function DisagreementRule() {
  return (
    <aside aria-labelledby="rule-heading" className="rounded-lg border border-zinc-200 bg-zinc-50 p-4 text-sm">
      <h2 id="rule-heading" className="text-sm font-semibold">
        When reviewers disagree
      </h2>
      <p className="mt-1 text-zinc-700">
        A response is listed when at least two reviewers submitted labels and, among the labels that judged a dimension
        (at least two of them):
      </p>
      <ul className="mt-1 list-disc pl-5 text-zinc-700">
        {DISAGREEMENT_DIMENSIONS.map((d) => (
          <li key={d}>{DISAGREEMENT_RULES[d]}</li>
        ))}
      </ul>
      <p className="mt-1 text-zinc-500">
        The final label you set replaces the reviewers&apos; aggregate in the analytics (basis &quot;adjudicated&quot;);
        agreement between reviewers is always computed on their own labels.
      </p>
    </aside>
  );
}

export function DisagreementFilters({
  action,
  filters,
  checkpoints,
}: {
  action: string;
  filters: AdjudicationFilters;
  checkpoints: { id: number; name: string }[];
}) {
  return (
    <form action={action} method="get" aria-label="Filter the disagreements" className="flex flex-wrap items-end gap-3">
      <FilterSelect
        idPrefix="adjudicate"
        name="dimension"
        label="Dimension"
        value={filters.dimension ? DISAGREEMENT_PARAM[filters.dimension] : undefined}
        all="Any"
        options={DISAGREEMENT_DIMENSIONS.map((d) => ({ value: DISAGREEMENT_PARAM[d], label: DIMENSION_TITLE[d] }))}
      />
      <FilterSelect
        idPrefix="adjudicate"
        name="strategy"
        label="Strategy"
        value={filters.strategy?.toLowerCase()}
        options={STRATEGY_ORDER.map((s) => ({ value: s.toLowerCase(), label: s }))}
      />
      <FilterSelect
        idPrefix="adjudicate"
        name="checkpoint"
        label="Checkpoint"
        value={filters.checkpointId ? String(filters.checkpointId) : undefined}
        options={checkpoints.map((c) => ({ value: String(c.id), label: c.name }))}
      />
      <FilterSelect
        idPrefix="adjudicate"
        name="status"
        label="Status"
        value={filters.status}
        all={null}
        options={[
          { value: "open", label: "To adjudicate" },
          { value: "done", label: "Adjudicated" },
          { value: "all", label: "All" },
        ]}
      />
      <FilterActions action={action} />
    </form>
  );
}

export function DisagreementCounts({ counts }: { counts: AdjudicationCounts }) {
  return (
    <p className="text-sm text-zinc-700" data-testid="adjudication-counts">
      <strong>{formatCount(counts.open)}</strong> to adjudicate · <strong>{formatCount(counts.done)}</strong>{" "}
      adjudicated (with these filters) · {formatCount(counts.adjudicatedInStudy)} responses of the study have a final
      label.
    </p>
  );
}

export function DisagreementTable({
  rows,
  base,
  filters,
  hrefOf,
  first,
}: {
  rows: DisagreementRow[];
  base: string;
  filters: AdjudicationFilters;
  hrefOf: (responseId: number) => string;
  /** This is the first page (no "previous" link). */
  first: boolean;
}) {
  if (rows.length === 0)
    return (
      <p className="rounded-lg border border-zinc-200 bg-white p-4 text-sm text-zinc-600">No disagreements here.</p>
    );
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
        <table className="w-full text-sm">
          <caption className="sr-only">Responses whose reviewers disagree</caption>
          <thead className="bg-zinc-50 text-left text-xs text-zinc-500 uppercase">
            <tr>
              <th scope="col" className="px-3 py-2">
                Response
              </th>
              <th scope="col" className="px-3 py-2">
                Prompt
              </th>
              <th scope="col" className="px-3 py-2">
                Checkpoint
              </th>
              <th scope="col" className="px-3 py-2">
                Labels
              </th>
              <th scope="col" className="px-3 py-2">
                Disagree on
              </th>
              <th scope="col" className="px-3 py-2">
                Status
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.responseId} className="border-t border-zinc-100">
                <td className="px-3 py-2 font-mono">
                  <Link href={hrefOf(row.responseId)}>#{row.responseId}</Link>
                </td>
                <td className="max-w-md truncate px-3 py-2 text-zinc-700" title={row.promptExcerpt}>
                  {row.promptExcerpt}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {row.checkpoint} <StrategyBadge strategy={row.strategy as TrainingStrategy} />
                </td>
                <td className="px-3 py-2">{row.labels}</td>
                <td className="px-3 py-2">{row.dimensions.map((d) => DIMENSION_TITLE[d]).join(", ")}</td>
                <td className="px-3 py-2">{row.adjudicated ? "adjudicated" : "to adjudicate"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex gap-3 text-sm">
        {first ? null : (
          <>
            <Link href={`${base}${listQuery(filters)}`}>First page</Link>
            <Link href={`${base}${listQuery(filters, { before: rows[0]!.responseId })}`}>Previous page</Link>
          </>
        )}
        <Link href={`${base}${listQuery(filters, { after: rows.at(-1)!.responseId })}`}>Next page</Link>
      </nav>
    </div>
  );
}
