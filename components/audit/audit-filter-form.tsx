// The audit log's filters as a plain GET form: the URL holds them, so a filtered view can be
// bookmarked and its CSV link carries the same filters.
import { inputClass, labelClass, primaryButton, secondaryButton } from "@/components/ui/controls";
import type { AuditFilters } from "@/lib/audit/filters";

export function AuditFilterForm({
  values,
  actions,
}: {
  values: AuditFilters;
  actions: { value: string; label: string }[];
}) {
  return (
    <form method="get" action="/admin/audit" aria-label="Filter the audit log" className="grid gap-4 sm:grid-cols-3">
      <div>
        <label htmlFor="audit-actor" className={labelClass}>
          Who
        </label>
        <input
          id="audit-actor"
          name="actor"
          defaultValue={values.actor ?? ""}
          placeholder="part of an email"
          className={inputClass}
        />
      </div>
      <div>
        <label htmlFor="audit-action" className={labelClass}>
          What
        </label>
        <select id="audit-action" name="action" defaultValue={values.action ?? ""} className={inputClass}>
          <option value="">Any change</option>
          {actions.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="audit-study" className={labelClass}>
          Study (slug)
        </label>
        <input id="audit-study" name="study" defaultValue={values.study ?? ""} className={inputClass} />
      </div>
      <div>
        <label htmlFor="audit-from" className={labelClass}>
          From (UTC)
        </label>
        <input id="audit-from" name="from" type="date" defaultValue={values.from ?? ""} className={inputClass} />
      </div>
      <div>
        <label htmlFor="audit-to" className={labelClass}>
          To (UTC)
        </label>
        <input id="audit-to" name="to" type="date" defaultValue={values.to ?? ""} className={inputClass} />
      </div>
      <div>
        <label htmlFor="audit-q" className={labelClass}>
          Target contains
        </label>
        <input
          id="audit-q"
          name="q"
          defaultValue={values.q ?? ""}
          placeholder="email, checkpoint, token…"
          className={inputClass}
        />
      </div>
      <div className="flex gap-3 sm:col-span-3">
        <button type="submit" className={primaryButton}>
          Filter
        </button>
        <a href="/admin/audit" className={secondaryButton}>
          Clear
        </a>
      </div>
    </form>
  );
}
