// One judge run: POST {"action": "pause" | "resume" | "cancel"} controls it and answers with its
// progress (GET ../../judges lists every run's progress).
import { z } from "zod";
import { apiError } from "@/lib/api/errors";
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { enqueueJudgeRun } from "@/lib/jobs/sender";
import { controlJudgeRun, JudgeRequestError, judgeRunProgress } from "@/lib/judges/judges";

type Context = { params: Promise<{ slug: string; id: string }> };
const noStore = { "Cache-Control": "no-store" };
const actionSchema = z.object({
  action: z.enum(["pause", "resume", "cancel"], { error: "action must be pause, resume or cancel" }),
});

export const POST = studyApiRoute(
  "/api/v1/studies/[slug]/judges/runs/[id]",
  async (request, user, study, { params }: Context) => {
    const { id } = await params;
    const number = /^[1-9][0-9]{0,9}$/.test(id) && Number(id) <= 2 ** 31 - 1 ? Number(id) : null;
    if (number === null) return apiError(404, "not_found", `There is no judge run ${id} in study "${study.slug}".`);
    const parsed = actionSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return apiError(400, "invalid_request", parsed.error.issues[0]!.message);
    try {
      await controlJudgeRun(pool(), study.slug, number, parsed.data.action, enqueueJudgeRun, {
        userId: user.id,
        label: user.email,
      });
    } catch (error) {
      if (error instanceof JudgeRequestError)
        return apiError(error.status, error.status === 404 ? "not_found" : "conflict", error.message);
      throw error;
    }
    return Response.json({ run: await judgeRunProgress(pool(), number) }, { headers: noStore });
  },
);
