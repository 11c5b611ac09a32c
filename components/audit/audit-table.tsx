// The audit log's rows. Everything stored is shown as text (React escapes it): actors, slugs and
// details may hold whatever someone typed into a name.
import { actionLabel } from "@/lib/audit/actions";
import type { AuditEventRow } from "@/lib/audit/query";

export function AuditTable({ events }: { events: AuditEventRow[] }) {
  if (events.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 bg-white px-4 py-6 text-sm text-zinc-600">
        No events match.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th scope="col" className="px-4 py-2.5 text-left font-medium">
              When (UTC)
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Who
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              What
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Study
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Target
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Details
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {events.map((event) => (
            <tr key={event.id} className="align-top">
              <td className="whitespace-nowrap px-4 py-2.5 tabular-nums text-zinc-600">
                <time dateTime={`${event.at}Z`}>{event.at.replace("T", " ").slice(0, 19)}</time>
              </td>
              <td className="px-3 py-2.5 break-all">{event.actor}</td>
              <td className="px-3 py-2.5">
                <span title={event.action}>{actionLabel(event.action)}</span>
              </td>
              <td className="px-3 py-2.5 break-all">{event.studySlug ?? "—"}</td>
              <td className="px-3 py-2.5 break-all">{event.target}</td>
              <td className="max-w-md px-3 py-2.5 whitespace-pre-wrap break-words text-zinc-700">{event.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
