// Each reviewer's label of one response side by side, one row per dimension (from lib/labels), the
// final label in the last column; the dimensions the reviewers disagree on are marked.
import type { DisagreementDimension } from "@/lib/adjudication/disagreement";
import type { FinalLabel, ReviewerLabel } from "@/lib/adjudication/item";
import { CHOICES, DIMENSIONS, LABEL_DIMENSIONS, SCALES, type LabelDimension, type LabelValues } from "@/lib/labels";

/** A dimension's value as text (model- or reviewer-written text stays text: React escapes it). */
function shown(d: LabelDimension, values: LabelValues): string {
  const value = values[d];
  const spec = DIMENSIONS[d];
  if (value === null || value === undefined) return "—";
  if (spec.kind === "flag") return value ? "yes" : "—";
  if (spec.kind === "list") return (value as string[]).length ? (value as string[]).join(", ") : "—";
  if (spec.kind === "choice")
    return CHOICES[d as keyof typeof CHOICES].find((c) => c.value === value)?.text ?? String(value);
  if (spec.kind === "scale") {
    const named = (SCALES[d as keyof typeof SCALES].named as readonly { value: number; text: string }[]).find(
      (n) => n.value === value,
    );
    return named ? `${value} ${named.text}` : String(value);
  }
  return String(value);
}

export function LabelsSideBySide({
  labels,
  final,
  disagreements,
}: {
  labels: ReviewerLabel[];
  final: FinalLabel | null;
  disagreements: DisagreementDimension[];
}) {
  const disputed = new Set<string>(disagreements);
  return (
    <section aria-labelledby="labels-heading" className="space-y-2">
      <h2 id="labels-heading" className="text-xl">
        Reviewers&apos; labels
      </h2>
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
        <table className="w-full text-sm">
          <caption className="sr-only">Each reviewer&apos;s label and the final label, by dimension</caption>
          <thead className="bg-zinc-50 text-left text-xs text-zinc-500">
            <tr>
              <th scope="col" className="px-3 py-2">
                Dimension
              </th>
              {labels.map((l) => (
                <th key={l.labelId} scope="col" className="px-3 py-2 font-mono">
                  {l.reviewer}
                  {l.source === "IMPORT" ? " (imported)" : ""}
                </th>
              ))}
              <th scope="col" className="px-3 py-2">
                Final{final?.adjudicator ? ` (${final.adjudicator})` : ""}
              </th>
            </tr>
          </thead>
          <tbody>
            {LABEL_DIMENSIONS.map((d) => (
              <tr
                key={d}
                className={`border-t border-zinc-100 ${disputed.has(d) ? "bg-amber-50" : ""}`}
                data-disputed={disputed.has(d) ? "true" : undefined}
              >
                <th scope="row" className="px-3 py-1.5 text-left font-medium text-zinc-700">
                  {DIMENSIONS[d].title}
                  {disputed.has(d) ? <span className="ml-1 text-amber-800">(disagree)</span> : null}
                </th>
                {labels.map((l) => (
                  <td key={l.labelId} className="px-3 py-1.5 whitespace-pre-wrap wrap-anywhere">
                    {shown(d, l.values)}
                  </td>
                ))}
                <td className="px-3 py-1.5 whitespace-pre-wrap wrap-anywhere">
                  {final ? shown(d, final.values) : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
