// The analytics filters as a plain GET form: submitting it changes the URL, so a view can be shared.
import type { UrlFilterValues } from "@/lib/analytics/url-filters";
import { inputClass, labelClass } from "@/components/ui/controls";
import { asOptions, FilterActions, FilterSelect } from "@/components/ui/filter-controls";
import { STRATEGY_ORDER } from "@/components/ui/strategy-badge";

interface Props {
  action: string;
  values: UrlFilterValues;
  categories: string[];
  splits: string[];
  checkpoints: { id: number; name: string }[];
  reviewers: { id: number; email: string }[];
  /** The study's judges: each is a basis of its own (judge:<name>). */
  judges?: string[];
}

/** A date input only takes YYYY-MM-DD; anything else in the URL is reported by the page instead. */
const asDay = (value: string | undefined) =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : undefined;

export function FilterForm({ action, values, categories, splits, checkpoints, reviewers, judges = [] }: Props) {
  const basis = values.basis[0];
  return (
    <form
      method="get"
      action={action}
      aria-label="Filters"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-4"
    >
      <FilterSelect
        idPrefix="filter"
        name="strategy"
        label="Strategy"
        value={values.strategy[0]}
        options={asOptions(STRATEGY_ORDER)}
      />
      <FilterSelect
        idPrefix="filter"
        name="checkpoint"
        label="Checkpoint"
        value={values.checkpoint[0]}
        options={checkpoints.map((c) => ({ value: String(c.id), label: c.name }))}
      />
      <FilterSelect
        idPrefix="filter"
        name="category"
        label="Category"
        value={values.category[0]}
        options={asOptions(categories)}
      />
      <FilterSelect idPrefix="filter" name="split" label="Split" value={values.split[0]} options={asOptions(splits)} />
      <FilterSelect
        idPrefix="filter"
        name="reviewer"
        label="Reviewer"
        value={values.reviewer[0]}
        options={reviewers.map((r) => ({ value: String(r.id), label: r.email }))}
      />
      <FilterSelect
        idPrefix="filter"
        name="source"
        label="Labels"
        value={values.source[0]?.toLowerCase()}
        options={[
          { value: "review", label: "Given here" },
          { value: "import", label: "Imported" },
        ]}
      />
      <FilterSelect
        idPrefix="filter"
        name="basis"
        label="Basis"
        value={basis && /^judge:/i.test(basis) ? `judge:${basis.slice(6)}` : basis?.toLowerCase()}
        all="Adjudicated where set"
        options={[
          { value: "reviewers", label: "Reviewers only" },
          ...judges.map((name) => ({ value: `judge:${name}`, label: `Judge: ${name}` })),
        ]}
      />
      <div className="w-40">
        <label htmlFor="filter-from" className={labelClass}>
          From
        </label>
        <input id="filter-from" type="date" name="from" defaultValue={asDay(values.from[0])} className={inputClass} />
      </div>
      <div className="w-40">
        <label htmlFor="filter-to" className={labelClass}>
          To
        </label>
        <input id="filter-to" type="date" name="to" defaultValue={asDay(values.to[0])} className={inputClass} />
      </div>
      <FilterActions action={action} />
    </form>
  );
}
