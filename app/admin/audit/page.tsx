import type { Metadata } from "next";
import { AuditFilterForm } from "@/components/audit/audit-filter-form";
import { AuditTable } from "@/components/audit/audit-table";
import { AUDIT_ACTION_FAMILIES, AUDIT_ACTIONS } from "@/lib/audit/actions";
import { filterParams, parseAuditQuery } from "@/lib/audit/filters";
import { listAuditEvents } from "@/lib/audit/query";
import { requireAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { secondaryButton } from "@/components/ui/controls";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  await requireAccess("/admin/audit");
  const raw = await searchParams;
  const parsed = parseAuditQuery(raw);
  const filters = parsed.ok ? parsed.filters : {};
  const result = parsed.ok ? await listAuditEvents(pool(), parsed.filters, parsed.page) : null;
  const params = filterParams(filters);
  const csvParams = new URLSearchParams(params);
  csvParams.set("format", "csv");
  const nextParams = new URLSearchParams(params);
  if (result?.next) nextParams.set("before", result.next);
  const actionChoices = [
    ...Object.entries(AUDIT_ACTION_FAMILIES).map(([value, label]) => ({ value, label })),
    ...Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label })),
  ];
  const onLaterPage = typeof raw.before === "string" && raw.before !== "";
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl">Audit log</h1>
        <p className="mt-1 max-w-prose text-zinc-600">
          Every change to studies, members, checkpoints, final labels, users and API tokens: who made it, when, and what
          it changed. Newest first; times in UTC.
        </p>
      </header>
      <AuditFilterForm values={filters} actions={actionChoices} />
      {parsed.ok ? null : (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {parsed.errors.join(" ")}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <a className={secondaryButton} href={`/api/v1/audit?${csvParams.toString()}`} download>
          Download CSV
        </a>
        <span className="text-sm text-zinc-600">All events that match the filters, not only this page.</span>
      </div>
      {result ? <AuditTable events={result.events} /> : null}
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {onLaterPage ? <a href={`/admin/audit?${params.toString()}`}>Newest</a> : null}
        {result?.next ? <a href={`/admin/audit?${nextParams.toString()}`}>Older events</a> : null}
      </nav>
    </div>
  );
}
