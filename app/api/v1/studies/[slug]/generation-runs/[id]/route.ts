// One generation run: POST {"action": "pause" | "resume" | "cancel"} controls it and answers with its
// progress (GET ../generation-runs lists every run's progress).
import { z } from "zod";
import { apiError } from "@/lib/api/errors";
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { controlRun, GenerationRequestError, runProgress } from "@/lib/generate/runs";
import { enqueueRun } from "@/lib/jobs/sender";

type Context = { params: Promise<{ slug: string; id: string }> };
const noStore = { "Cache-Control": "no-store" };
const actionSchema = z.object({
  action: z.enum(["pause", "resume", "cancel"], { error: "action must be pause, resume or cancel" }),
});

function runId(id: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(id) && Number(id) <= 2 ** 31 - 1 ? Number(id) : null;
}

export const POST = studyApiRoute(
  "/api/v1/studies/[slug]/generation-runs/[id]",
  async (request, user, study, { params }: Context) => {
    const { id } = await params;
    const slug = study.slug;
    const number = runId(id);
    if (number === null) return apiError(404, "not_found", `There is no run ${id} in study "${slug}".`);
    const parsed = actionSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return apiError(400, "invalid_request", parsed.error.issues[0]!.message);
    try {
      await controlRun(pool(), slug, number, parsed.data.action, enqueueRun, {
        userId: user.id,
        label: user.email,
      });
    } catch (error) {
      if (error instanceof GenerationRequestError)
        return apiError(error.status, error.status === 404 ? "not_found" : "conflict", error.message);
      throw error;
    }
    return Response.json({ run: await runProgress(pool(), number) }, { headers: noStore });
  },
);
