// Pieces of the plain GET filter forms (analytics, browse): a labelled select whose empty choice
// means "no filter", and the Apply / Reset pair.
import Link from "next/link";
import { inputClass, labelClass, primaryButton, secondaryButton } from "@/components/ui/controls";

export interface FilterOption {
  value: string;
  label: string;
}

export const asOptions = (values: readonly string[]): FilterOption[] =>
  values.map((value) => ({ value, label: value }));

/** `all`: the text of the empty choice, or null for a select that always has a value. */
export function FilterSelect({
  idPrefix,
  name,
  label,
  value,
  options,
  all = "All",
}: {
  idPrefix: string;
  name: string;
  label: string;
  value: string | undefined;
  options: FilterOption[];
  all?: string | null;
}) {
  return (
    <div className="w-40">
      <label htmlFor={`${idPrefix}-${name}`} className={labelClass}>
        {label}
      </label>
      <select id={`${idPrefix}-${name}`} name={name} defaultValue={value ?? ""} className={inputClass}>
        {all === null ? null : <option value="">{all}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Apply submits the form; Reset goes back to the page without filters. */
export function FilterActions({ action }: { action: string }) {
  return (
    <div className="flex gap-2">
      <button type="submit" className={primaryButton}>
        Apply
      </button>
      <Link href={action} className={secondaryButton}>
        Reset
      </Link>
    </div>
  );
}
