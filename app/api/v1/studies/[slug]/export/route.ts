// A study's labels or responses as CSV / JSON Lines, streamed from PostgreSQL (lib/export).
import { parseExportQuery } from "@/lib/api/export-request";
import { apiError, describeError, requestLabel } from "@/lib/api/errors";
import { studyApiRoute } from "@/lib/auth/guard";
import { exportPool } from "@/lib/db/client";
import { exportContentType, exportFileName, exportStream } from "@/lib/export/export-stream";
import { exportStallTimeoutMs, exportWebStream } from "@/lib/export/export-web-stream";

type Context = { params: Promise<{ slug: string }> };

const noStore = { "Cache-Control": "no-store" };

export const GET = studyApiRoute("/api/v1/studies/[slug]/export", async (request, user, study, _context: Context) => {
  const slug = study.slug;
  const parsed = parseExportQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return apiError(400, "bad_request", parsed.errors.join(" "), { errors: parsed.errors });
  const { query } = parsed;
  if (query.reveal && user.role !== "ADMIN") {
    return apiError(
      403,
      "forbidden",
      "Only an admin can export reviewers' e-mail addresses (reveal=1); without it reviewers are pseudonymised.",
    );
  }

  // Its own pool (lib/db/client.ts): downloads that hold their connections cannot starve the pages.
  // The request's signal ends the COPY whenever the client leaves, even before this handler returns.
  const stream = await exportStream(
    exportPool(),
    {
      studyId: study.id,
      shape: query.shape,
      format: query.format,
      bom: query.bom,
      revealReviewers: query.reveal,
      filters: query.filters,
      rules: study.rules,
    },
    { signal: request.signal },
  );
  // After this point the status is sent: a failure can only cut the download short, which the
  // client sees as an incomplete transfer, and the log gets one line.
  const label = requestLabel(request);
  const body = exportWebStream(stream, {
    stallTimeoutMs: exportStallTimeoutMs(),
    onError: (error) => console.error(`${label} download ended early: ${describeError(error)}`),
  });
  return new Response(body, {
    headers: {
      "Content-Type": exportContentType(query.format),
      "Content-Disposition": `attachment; filename="${exportFileName(slug, query)}"`,
      ...noStore,
    },
  });
});
