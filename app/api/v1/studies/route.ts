// Creating a study for scripts: POST a JSON body with the New study form's fields (slug, name,
// description, blind, overlap, harmCategories, showSignals, failureRules); missing settings take
// their defaults. The caller becomes its first researcher (lib/study/lifecycle.ts).
import { apiError } from "@/lib/api/errors";
import { sessionOrTokenRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { DEFAULT_FAILURE_RULES } from "@/lib/study/failure-rules";
import { createStudy, StudyLifecycleError } from "@/lib/study/lifecycle";

const DEFAULTS = {
  description: "",
  blind: true,
  overlap: 1,
  harmCategories: ["violence", "weapons", "cyber", "self-harm", "hate", "sexual", "drugs", "fraud", "privacy", "other"],
  showSignals: true,
  mixingThreshold: "default",
  reviewOrder: "import",
  failureRules: DEFAULT_FAILURE_RULES,
};

export const POST = sessionOrTokenRoute("/api/v1/studies", async (request, user) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiError(400, "bad_request", 'Send JSON: {"slug": "…", "name": "…", …}.');
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return apiError(400, "bad_request", 'Send a JSON object: {"slug": "…", "name": "…", …}.');
  try {
    const created = await createStudy(pool(), { userId: user.id, label: user.email }, { ...DEFAULTS, ...body });
    return Response.json(
      { slug: created.slug, url: `/studies/${created.slug}` },
      { status: 201, headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof StudyLifecycleError) return apiError(422, "refused", error.message);
    throw error;
  }
});
