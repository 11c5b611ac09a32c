// Set (PUT) or clear (DELETE) a response's final label: parse, then lib/adjudication (one
// transaction, optimistic version, audit event). 409 when the version is no longer current.
import { type AdjudicationResult, clearAdjudication, saveAdjudication } from "@/lib/adjudication/save";
import { parseAdjudicationBody, parseClearVersion } from "@/lib/api/adjudication-request";
import { apiError } from "@/lib/api/errors";
import { studyApiRoute } from "@/lib/auth/guard";
import type { SessionUser } from "@/lib/auth/users";
import { pool } from "@/lib/db/client";
import type { VisibleStudy } from "@/lib/study/access";

type Context = { params: Promise<{ slug: string; id: string }> };

const noStore = { "Cache-Control": "no-store" };

async function target(
  study: VisibleStudy,
  context: Context,
): Promise<{ error: Response } | { error?: undefined; study: { id: number }; responseId: number }> {
  const { slug, id } = await context.params;
  if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2_147_483_647)
    return { error: apiError(404, "not_found", `There is no response ${id} in ${slug}.`) };
  return { study, responseId: Number(id) };
}

function answer(result: AdjudicationResult, responseId: number, status = 200): Response {
  if (result.ok)
    return Response.json({ response_id: responseId, version: result.version }, { status, headers: noStore });
  if (result.reason === "not-found") return apiError(404, "not_found", result.message);
  return apiError(409, "stale_version", result.message, { current_version: result.currentVersion });
}

const actorOf = (user: SessionUser) => ({ userId: user.id, label: user.email });

export const PUT = studyApiRoute(
  "/api/v1/studies/[slug]/responses/[id]/adjudication",
  async (request, user, study, context: Context) => {
    const found = await target(study, context);
    if (found.error) return found.error;
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return apiError(400, "bad_request", "The body is not JSON.", { errors: ["The body is not JSON."] });
    }
    const parsed = parseAdjudicationBody(body);
    if (!parsed.ok) return apiError(400, "bad_request", parsed.errors.join(" "), { errors: parsed.errors });
    const result = await saveAdjudication(pool(), found.study.id, found.responseId, actorOf(user), parsed.input);
    return answer(result, found.responseId, parsed.input.version === null && result.ok ? 201 : 200);
  },
);

export const DELETE = studyApiRoute(
  "/api/v1/studies/[slug]/responses/[id]/adjudication",
  async (request, user, study, context: Context) => {
    const found = await target(study, context);
    if (found.error) return found.error;
    const parsed = parseClearVersion(new URL(request.url).searchParams);
    if (!parsed.ok) return apiError(400, "bad_request", parsed.errors.join(" "), { errors: parsed.errors });
    return answer(
      await clearAdjudication(pool(), found.study.id, found.responseId, actorOf(user), parsed.version),
      found.responseId,
    );
  },
);
