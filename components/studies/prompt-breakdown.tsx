// How a study's prompts divide over one attribute (category or split), with each group's share.
import { formatCount, formatShare } from "@/components/ui/format";
import type { PromptGroupCount } from "@/lib/study/queries";

export function PromptBreakdown({
  title,
  attribute,
  groups,
}: {
  title: string;
  attribute: string;
  groups: PromptGroupCount[];
}) {
  const total = groups.reduce((sum, group) => sum + group.prompts, 0);
  const headingId = `prompts-by-${attribute.toLowerCase()}`;
  return (
    <section aria-labelledby={headingId} className="min-w-0">
      <h3 id={headingId} className="mb-3 text-base">
        {title}
      </h3>
      {groups.length === 0 ? (
        <p className="text-sm text-zinc-500">No prompts yet.</p>
      ) : (
        <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white">
          <table className="w-full text-sm">
            <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500">
              <tr>
                <th scope="col" className="px-4 py-2 text-left font-medium">
                  {attribute}
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Prompts
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={group.value ?? "\u0000none"} className="border-t border-zinc-100">
                  <th scope="row" className="px-4 py-2 text-left font-normal wrap-anywhere">
                    {group.value ?? <span className="italic text-zinc-400">not set</span>}
                  </th>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(group.prompts)}</td>
                  <td className="px-4 py-2">
                    <span className="flex items-center justify-end gap-2 tabular-nums">
                      <span aria-hidden="true" className="h-1.5 w-20 overflow-hidden rounded-full bg-zinc-100">
                        <span
                          className="block h-full rounded-full bg-zinc-400"
                          style={{ width: `${(group.prompts / total) * 100}%` }}
                        />
                      </span>
                      <span className="w-9 text-right text-xs text-zinc-500">{formatShare(group.prompts, total)}</span>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
