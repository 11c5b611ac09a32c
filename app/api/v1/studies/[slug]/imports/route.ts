// A study's recent imports with their progress (rows and bytes read so far) and row errors: the
// import page polls it while a file uploads.
import { apiError } from "@/lib/api/errors";
import { sessionOrTokenRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { recentImportJobs } from "@/lib/import/import-jobs";
import { studyBySlug } from "@/lib/study/study-by-slug";

type Context = { params: Promise<{ slug: string }> };

export const GET = sessionOrTokenRoute(
  "/api/v1/studies/[slug]/imports",
  async (_request, _user, { params }: Context) => {
    const { slug } = await params;
    if ((await studyBySlug(slug)) === null) return apiError(404, "not_found", `There is no study "${slug}".`);
    return Response.json(
      { jobs: await recentImportJobs(pool(), slug, 10) },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
);
