// Forgetting a study's remembered column mapping (the import page's "Clear"): DELETE
// ?format=FORMAT&column=NAME… names the set of columns it was remembered for.
import { apiError } from "@/lib/api/errors";
import { rememberOf } from "@/lib/api/import-request";
import { sessionOrTokenRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { forgetMapping } from "@/lib/import/remembered-mapping";
import { studyBySlug } from "@/lib/study/study-by-slug";

type Context = { params: Promise<{ slug: string }> };

export const DELETE = sessionOrTokenRoute(
  "/api/v1/studies/[slug]/import-mapping",
  async (request, _user, { params }: Context) => {
    const { slug } = await params;
    const study = await studyBySlug(slug);
    if (study === null) return apiError(404, "not_found", `There is no study "${slug}".`);
    const columns = rememberOf(new URL(request.url).searchParams, "format");
    if (columns === null)
      return apiError(400, "bad_request", "Name the mapping: ?format=FORMAT&column=NAME (repeatable).");
    const forgotten = await forgetMapping(pool(), study.id, columns.format, columns.columns);
    return Response.json({ forgotten }, { headers: { "Cache-Control": "no-store" } });
  },
);
