// The browse table's search and filters as a plain GET form: the view lives in the URL.
import { inputClass, labelClass } from "@/components/ui/controls";
import { asOptions, FilterActions, FilterSelect } from "@/components/ui/filter-controls";
import { STRATEGY_ORDER } from "@/components/ui/strategy-badge";
import { FAILURE_LABELS, FAILURES, PAGE_SIZES, type BrowseUrl } from "@/lib/browse/browse-params";
import type { BrowseStudy } from "@/lib/browse/browse-study";

export function BrowseFilters({ action, url, study }: { action: string; url: BrowseUrl; study: BrowseStudy }) {
  return (
    <form
      method="get"
      action={action}
      aria-label="Search and filters"
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4"
    >
      <div>
        <label htmlFor="browse-q" className={labelClass}>
          Search prompt, answer and reasoning
        </label>
        <input
          id="browse-q"
          type="search"
          name="q"
          defaultValue={url.q}
          maxLength={200}
          placeholder={'e.g. napalm   "step by step"   refuse -sorry   我们'}
          className={inputClass}
        />
        <p className="mt-1 text-xs text-zinc-500">
          Whole words; &quot;quotes&quot; for a phrase, OR between alternatives, -word to leave out.
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <FilterSelect
          idPrefix="browse"
          name="strategy"
          label="Strategy"
          value={url.strategy?.toUpperCase()}
          options={asOptions(STRATEGY_ORDER)}
        />
        <FilterSelect
          idPrefix="browse"
          name="checkpoint"
          label="Checkpoint"
          value={url.checkpoint}
          options={study.checkpoints.map((c) => ({ value: String(c.id), label: `${c.name} (${c.strategy})` }))}
        />
        <FilterSelect
          idPrefix="browse"
          name="category"
          label="Category"
          value={url.category}
          options={asOptions(study.categories)}
        />
        <FilterSelect
          idPrefix="browse"
          name="split"
          label="Split"
          value={url.split}
          options={asOptions(study.splits)}
        />
        <FilterSelect
          idPrefix="browse"
          name="labelled"
          label="Labels"
          value={url.labelled}
          options={[
            { value: "yes", label: "Labelled" },
            { value: "no", label: "Not labelled" },
          ]}
        />
        <FilterSelect
          idPrefix="browse"
          name="failure"
          label="Failure (labels)"
          value={url.failure}
          options={FAILURES.map((f) => ({ value: f, label: FAILURE_LABELS[f] }))}
          all="Any"
        />
        <FilterSelect
          idPrefix="browse"
          name="size"
          label="Rows per page"
          value={url.size ?? "50"}
          options={PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) }))}
          all={null}
        />
        {url.sort ? <input type="hidden" name="sort" value={url.sort} /> : null}
        {url.dir ? <input type="hidden" name="dir" value={url.dir} /> : null}
        <FilterActions action={action} />
      </div>
    </form>
  );
}
