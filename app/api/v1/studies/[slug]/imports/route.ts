// A study's recent imports with their progress (rows and bytes read so far) and row errors: the
// import page polls it while a file uploads.
import { apiError } from "@/lib/api/errors";
import { sessionOrTokenRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { recentImportJobs } from "@/lib/import/import-jobs";

type Context = { params: Promise<{ slug: string }> };

export const GET = sessionOrTokenRoute(
  "/api/v1/studies/[slug]/imports",
  async (_request, _user, { params }: Context) => {
    const { slug } = await params;
    const exists = await pool().query("SELECT 1 FROM study WHERE slug = $1", [slug]);
    if (exists.rowCount === 0) return apiError(404, "not_found", `There is no study "${slug}".`);
    return Response.json(
      { jobs: await recentImportJobs(pool(), slug, 10) },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
);
