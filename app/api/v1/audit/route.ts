// The audit log for admins' scripts and the audit page's download: one keyset page as JSON
// (?format=json, the default; ?before= the page's `next`), or every event the filters select as a
// streamed CSV or JSON Lines file (?format=csv|jsonl). Filters: lib/audit/filters.ts.
import { apiError } from "@/lib/api/errors";
import { auditExportLines, auditFileName } from "@/lib/audit/export";
import { parseAuditQuery } from "@/lib/audit/filters";
import { listAuditEvents } from "@/lib/audit/query";
import { sessionOrTokenRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";

const FORMATS = ["json", "csv", "jsonl"] as const;

export const GET = sessionOrTokenRoute("/api/v1/audit", async (request) => {
  const params = new URL(request.url).searchParams;
  const format = params.get("format") ?? "json";
  if (!(FORMATS as readonly string[]).includes(format))
    return apiError(400, "bad_request", `format: one of ${FORMATS.join(", ")}, not "${format.slice(0, 40)}".`);
  const parsed = parseAuditQuery(params);
  if (!parsed.ok) return apiError(400, "bad_request", parsed.errors.join(" "), { errors: parsed.errors });
  const { filters, page } = parsed;

  if (format === "json") {
    const result = await listAuditEvents(pool(), filters, page);
    return Response.json(result, { headers: { "Cache-Control": "no-store" } });
  }

  const exportFormat = format === "csv" ? "csv" : "jsonl";
  const lines = auditExportLines(pool(), filters, exportFormat, request.signal);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // After the headers: the download fails (cut short) rather than looking complete.
        console.error(`[parallax] audit log download ended early: ${(error as Error).message}`);
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": exportFormat === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${auditFileName(exportFormat)}"`,
      "Cache-Control": "no-store",
    },
  });
});
