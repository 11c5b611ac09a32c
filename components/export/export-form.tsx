// The export as a plain GET form to /api/v1/studies/{slug}/export: the browser downloads the file
// (Content-Disposition), the page stays. Hidden fields carry the page's current filters.
import { inputClass, labelClass, secondaryButton } from "@/components/ui/controls";
import { FILTER_PARAMS, type UrlFilterValues } from "@/lib/analytics/url-filters";

interface Props {
  slug: string;
  /** The filters of the page the form sits on; none on the study page. */
  filters?: UrlFilterValues;
  /** Admins may export reviewers' e-mail addresses instead of pseudonyms. */
  mayReveal: boolean;
}

export function ExportForm({ slug, filters, mayReveal }: Props) {
  const hidden = filters
    ? FILTER_PARAMS.flatMap((name) =>
        filters[name].map((value, i) => <input key={`${name}-${i}`} type="hidden" name={name} value={value} />),
      )
    : null;
  const filtered = filters ? FILTER_PARAMS.some((name) => filters[name].length > 0) : false;
  // Judge labels have no reviewer and no label source: the route refuses those filters with them.
  const humanOnly = filters ? filters.reviewer.length > 0 || filters.source.length > 0 : false;
  return (
    <form
      method="get"
      action={`/api/v1/studies/${slug}/export`}
      aria-label="Export"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-4"
    >
      {hidden}
      <div className="w-52">
        <label htmlFor="export-shape" className={labelClass}>
          Rows
        </label>
        <select id="export-shape" name="shape" defaultValue="labels" className={inputClass}>
          <option value="labels">One per label</option>
          <option value="responses">One per response</option>
          <option value="judge_labels" disabled={humanOnly}>
            {humanOnly ? "One per judge label (not with a reviewer or source filter)" : "One per judge label"}
          </option>
        </select>
      </div>
      <div className="w-36">
        <label htmlFor="export-format" className={labelClass}>
          Format
        </label>
        <select id="export-format" name="format" defaultValue="csv" className={inputClass}>
          <option value="csv">CSV</option>
          <option value="jsonl">JSON Lines</option>
        </select>
      </div>
      <label className="flex items-center gap-2 pb-2 text-sm text-zinc-700">
        <input type="checkbox" name="bom" value="1" /> For Excel (byte-order mark)
      </label>
      {mayReveal ? (
        <label className="flex items-center gap-2 pb-2 text-sm text-zinc-700">
          <input type="checkbox" name="reveal" value="1" /> Reviewer e-mails instead of pseudonyms
        </label>
      ) : null}
      <button type="submit" className={secondaryButton}>
        Download export
      </button>
      <p className="basis-full text-xs text-zinc-500">
        {filtered ? "With the filters above. " : ""}Reviewers appear as reviewer-1, reviewer-2 and so on
        {mayReveal ? ", unless you tick the box" : ""}. Columns: docs/exporting.md in the repository.
      </p>
    </form>
  );
}
