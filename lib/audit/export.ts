// The audit log as a download: CSV (RFC 4180, CRLF, formula-like text neutralised by lib/csv, the
// same rule as every other CSV of Parallax) or JSON Lines, streamed a page at a time from
// PostgreSQL so that its size does not matter.
import { Readable } from "node:stream";
import type pg from "pg";
import { csvField } from "../csv/csv-text";
import type { AuditFilters } from "./filters";
import { actionLabel } from "./actions";
import { allAuditEvents, type AuditEventRow } from "./query";

export const AUDIT_CSV_COLUMNS = [
  "id",
  "time_utc",
  "actor",
  "action",
  "action_label",
  "study",
  "target",
  "summary",
  "detail_json",
] as const;

export type AuditExportFormat = "csv" | "jsonl";

/** One event as a CSV line (with its CRLF). */
export function auditCsvLine(event: AuditEventRow): string {
  const cells = [
    event.id,
    `${event.at}Z`,
    event.actor,
    event.action,
    actionLabel(event.action),
    event.studySlug,
    event.target,
    event.summary,
    JSON.stringify(event.detail ?? {}),
  ];
  return `${cells.map((cell) => csvField(cell)).join(",")}\r\n`;
}

export const auditCsvHeader = `${AUDIT_CSV_COLUMNS.join(",")}\r\n`;

/** One event as a JSON Lines line. */
export function auditJsonLine(event: AuditEventRow): string {
  return `${JSON.stringify({
    id: event.id,
    time: `${event.at}Z`,
    actor: event.actor,
    actorId: event.actorId,
    action: event.action,
    study: event.studySlug,
    target: event.target,
    summary: event.summary,
    detail: event.detail,
  })}\n`;
}

/** The filtered log as text chunks: a header and one line per event. */
export async function* auditExportLines(
  db: pg.Pool,
  filters: AuditFilters,
  format: AuditExportFormat,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  if (format === "csv") yield auditCsvHeader;
  let chunk = "";
  for await (const event of allAuditEvents(db, filters, { signal })) {
    chunk += format === "csv" ? auditCsvLine(event) : auditJsonLine(event);
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/** The same, as a Node stream (the command line writes it to stdout or a file). */
export function auditExportStream(
  db: pg.Pool,
  filters: AuditFilters,
  format: AuditExportFormat,
  signal?: AbortSignal,
): Readable {
  return Readable.from(auditExportLines(db, filters, format, signal));
}

export function auditFileName(format: AuditExportFormat, today = new Date()): string {
  return `parallax-audit-${today.toISOString().slice(0, 10)}.${format === "csv" ? "csv" : "jsonl"}`;
}
