// A study's recent imports with their progress (rows and bytes read so far) and row errors: the
// import page polls it while a file uploads.
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { recentImportJobs } from "@/lib/import/import-jobs";

type Context = { params: Promise<{ slug: string }> };

export const GET = studyApiRoute(
  "/api/v1/studies/[slug]/imports",
  async (_request, _user, study, _context: Context) => {
    return Response.json(
      { jobs: await recentImportJobs(pool(), study.slug, 10) },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
);
