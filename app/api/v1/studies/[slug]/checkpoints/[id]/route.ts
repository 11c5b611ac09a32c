// One checkpoint of a study for scripts: PATCH {name?, strategy?, trainingStep?, computeGpuHours?}
// changes it; DELETE ?confirm=NAME deletes it with its responses and labels; POST {"into": ID}
// merges it into another checkpoint of the study (lib/study/checkpoints.ts; each logged).
import { apiError } from "@/lib/api/errors";
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { changeCheckpoint, CheckpointError, deleteCheckpoint, mergeCheckpoints } from "@/lib/study/checkpoints";

type Context = { params: Promise<{ slug: string; id: string }> };
const noStore = { "Cache-Control": "no-store" };

async function checkpointId(context: Context): Promise<number | null> {
  const { id } = await context.params;
  return /^[1-9]\d{0,9}$/.test(id) && Number(id) <= 2_147_483_647 ? Number(id) : null;
}

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

function refusal(error: unknown): Response {
  if (!(error instanceof CheckpointError)) throw error;
  const notFound = /has no checkpoint/.test(error.message);
  return apiError(
    notFound ? 404 : 422,
    notFound ? "not_found" : "refused",
    error.message.replace(/^(confirm|name): /, ""),
  );
}

export const PATCH = studyApiRoute(
  "/api/v1/studies/[slug]/checkpoints/[id]",
  async (request, user, study, context: Context) => {
    const id = await checkpointId(context);
    if (id === null) return apiError(404, "not_found", "No such checkpoint.");
    const body = await jsonBody(request);
    if (body === undefined)
      return apiError(400, "bad_request", 'Send JSON, e.g. {"strategy": "RL", "trainingStep": 8000}.');
    try {
      const changes = await changeCheckpoint(pool(), study.id, id, { userId: user.id, label: user.email }, body);
      return Response.json({ changes }, { headers: noStore });
    } catch (error) {
      return refusal(error);
    }
  },
);

export const DELETE = studyApiRoute(
  "/api/v1/studies/[slug]/checkpoints/[id]",
  async (request, user, study, context: Context) => {
    const id = await checkpointId(context);
    if (id === null) return apiError(404, "not_found", "No such checkpoint.");
    const confirm = new URL(request.url).searchParams.get("confirm");
    try {
      return Response.json(
        await deleteCheckpoint(pool(), study.id, id, { userId: user.id, label: user.email }, confirm),
        {
          headers: noStore,
        },
      );
    } catch (error) {
      return refusal(error);
    }
  },
);

export const POST = studyApiRoute(
  "/api/v1/studies/[slug]/checkpoints/[id]",
  async (request, user, study, context: Context) => {
    const id = await checkpointId(context);
    if (id === null) return apiError(404, "not_found", "No such checkpoint.");
    const into = (await jsonBody(request)) as { into?: unknown } | undefined;
    if (typeof into?.into !== "number")
      return apiError(400, "bad_request", 'Send JSON: {"into": CHECKPOINT_ID} to merge into it.');
    try {
      return Response.json(
        await mergeCheckpoints(pool(), study.id, id, into.into, { userId: user.id, label: user.email }),
        {
          headers: noStore,
        },
      );
    } catch (error) {
      return refusal(error);
    }
  },
);
