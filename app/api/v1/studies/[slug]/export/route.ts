// A study's labels or responses as CSV / JSON Lines, streamed from PostgreSQL (lib/export).
import { Readable } from "node:stream";
import { parseExportQuery } from "@/lib/api/export-request";
import { sessionOrTokenRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { exportContentType, exportFileName, exportStream } from "@/lib/export/export-stream";
import { failureRulesOf } from "@/lib/study/failure-rules";

type Context = { params: Promise<{ slug: string }> };

const noStore = { "Cache-Control": "no-store" };

export const GET = sessionOrTokenRoute("/api/v1/studies/[slug]/export", async (request, user, { params }: Context) => {
  const { slug } = await params;
  const parsed = parseExportQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return Response.json({ error: "bad_request", message: parsed.errors.join(" "), errors: parsed.errors }, { status: 400, headers: noStore });
  const { query } = parsed;
  if (query.reveal && user.role !== "ADMIN") {
    return Response.json({ error: "forbidden", message: "Only an admin can export reviewers' e-mail addresses (reveal=1); without it reviewers are pseudonymised." }, { status: 403, headers: noStore });
  }
  const study = await pool().query<{ id: number; failure_rules: unknown }>("SELECT id, failure_rules FROM study WHERE slug = $1", [slug]);
  if (!study.rows[0]) return Response.json({ error: "not_found", message: `There is no study "${slug}".` }, { status: 404, headers: noStore });

  const stream = await exportStream(pool(), {
    studyId: study.rows[0].id,
    shape: query.shape,
    format: query.format,
    bom: query.bom,
    revealReviewers: query.reveal,
    filters: query.filters,
    rules: failureRulesOf(study.rows[0].failure_rules),
  });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": exportContentType(query.format),
      "Content-Disposition": `attachment; filename="${exportFileName(slug, query)}"`,
      ...noStore,
    },
  });
});
