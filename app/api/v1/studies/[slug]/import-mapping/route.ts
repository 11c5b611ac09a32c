// Forgetting a study's remembered column mapping (the import page's "Clear"): DELETE
// ?format=FORMAT&column=NAME… names the set of columns it was remembered for.
import { apiError } from "@/lib/api/errors";
import { rememberOf } from "@/lib/api/import-request";
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { forgetMapping } from "@/lib/import/remembered-mapping";

type Context = { params: Promise<{ slug: string }> };

export const DELETE = studyApiRoute(
  "/api/v1/studies/[slug]/import-mapping",
  async (request, _user, study, _context: Context) => {
    const columns = rememberOf(new URL(request.url).searchParams, "format");
    if (columns === null)
      return apiError(400, "bad_request", "Name the mapping: ?format=FORMAT&column=NAME (repeatable).");
    const forgotten = await forgetMapping(pool(), study.id, columns.format, columns.columns);
    return Response.json({ forgotten }, { headers: { "Cache-Control": "no-store" } });
  },
);
