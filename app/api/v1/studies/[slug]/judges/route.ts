// A study's judges: GET lists them (never their keys) and their runs with progress; POST records a
// judge (name, rubric, endpoint, optional instructions) and starts a run of it over the responses it
// has not labelled under the rubric version in force, answering 202 with the run (docs/judges.md).
import { apiError } from "@/lib/api/errors";
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { firstIssue } from "@/lib/generate/run-settings";
import { enqueueJudgeRun } from "@/lib/jobs/sender";
import { judgeRequestSchema } from "@/lib/judges/judge-settings";
import { createJudgeRun, JudgeRequestError, studyJudgeRuns, studyJudges } from "@/lib/judges/judges";

type Context = { params: Promise<{ slug: string }> };
const noStore = { "Cache-Control": "no-store" };

export const GET = studyApiRoute("/api/v1/studies/[slug]/judges", async (_request, _user, study, _context: Context) => {
  const [judges, runs] = await Promise.all([studyJudges(pool(), study.slug), studyJudgeRuns(pool(), study.slug)]);
  return Response.json({ judges, runs }, { headers: noStore });
});

export const POST = studyApiRoute("/api/v1/studies/[slug]/judges", async (request, user, study, _context: Context) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiError(400, "invalid_request", "Send the judge as a JSON object (docs/judges.md).");
  }
  const parsed = judgeRequestSchema.safeParse(body);
  if (!parsed.success) return apiError(400, "invalid_request", firstIssue(parsed.error));
  try {
    const run = await createJudgeRun(pool(), study.slug, parsed.data, {
      createdById: user.id,
      enqueue: enqueueJudgeRun,
    });
    return Response.json({ run }, { status: 202, headers: noStore });
  } catch (error) {
    if (error instanceof JudgeRequestError)
      return apiError(
        error.status,
        error.status === 404 ? "not_found" : error.status === 409 ? "conflict" : "invalid_request",
        error.message,
      );
    throw error;
  }
});
