// A study's generation runs: GET lists them with progress; POST starts one (JSON body as in
// docs/generation.md), answering 202 with the run. The study page's "Collect responses" form posts here.
import { apiError } from "@/lib/api/errors";
import { sessionOrTokenRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { firstIssue, generationRequestSchema } from "@/lib/generate/run-settings";
import { createRun, GenerationRequestError, studyRuns } from "@/lib/generate/runs";
import { enqueueRun } from "@/lib/jobs/sender";

type Context = { params: Promise<{ slug: string }> };
const noStore = { "Cache-Control": "no-store" };

export const GET = sessionOrTokenRoute(
  "/api/v1/studies/[slug]/generation-runs",
  async (_request, _user, { params }: Context) => {
    const { slug } = await params;
    const exists = await pool().query("SELECT 1 FROM study WHERE slug = $1", [slug]);
    if (exists.rowCount === 0) return apiError(404, "not_found", `There is no study "${slug}".`);
    return Response.json({ runs: await studyRuns(pool(), slug) }, { headers: noStore });
  },
);

export const POST = sessionOrTokenRoute(
  "/api/v1/studies/[slug]/generation-runs",
  async (request, user, { params }: Context) => {
    const { slug } = await params;
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return apiError(400, "invalid_request", "Send the run's settings as a JSON object (docs/generation.md).");
    }
    const parsed = generationRequestSchema.safeParse(body);
    if (!parsed.success) return apiError(400, "invalid_request", firstIssue(parsed.error));
    try {
      const run = await createRun(pool(), slug, parsed.data, { createdById: user.id, enqueue: enqueueRun });
      return Response.json({ run }, { status: 202, headers: noStore });
    } catch (error) {
      if (error instanceof GenerationRequestError)
        return apiError(error.status, error.status === 404 ? "not_found" : "invalid_request", error.message);
      throw error;
    }
  },
);
