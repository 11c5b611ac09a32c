// One study for scripts: PATCH {"archived": true|false} archives or restores it; DELETE
// ?confirm=SLUG deletes it and everything in it (one transaction; refused while an import runs).
import { apiError } from "@/lib/api/errors";
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { deleteStudy, setStudyArchived, StudyLifecycleError } from "@/lib/study/lifecycle";

type Context = { params: Promise<{ slug: string }> };
const noStore = { "Cache-Control": "no-store" };

export const PATCH = studyApiRoute("/api/v1/studies/[slug]", async (request, user, study, _c: Context) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiError(400, "bad_request", 'Send JSON: {"archived": true} or {"archived": false}.');
  }
  const archived = (body as { archived?: unknown } | null)?.archived;
  if (typeof archived !== "boolean")
    return apiError(400, "bad_request", 'Send JSON: {"archived": true} or {"archived": false}.');
  try {
    const changed = await setStudyArchived(pool(), study.id, { userId: user.id, label: user.email }, archived);
    return Response.json({ slug: study.slug, archived, changed }, { headers: noStore });
  } catch (error) {
    if (error instanceof StudyLifecycleError) return apiError(409, "conflict", error.message);
    throw error;
  }
});

export const DELETE = studyApiRoute("/api/v1/studies/[slug]", async (request, user, study, _c: Context) => {
  const confirm = new URL(request.url).searchParams.get("confirm");
  try {
    const result = await deleteStudy(pool(), study.id, { userId: user.id, label: user.email }, confirm);
    return Response.json(result, { headers: noStore });
  } catch (error) {
    if (error instanceof StudyLifecycleError) {
      const wrongConfirmation = error.message.startsWith("confirm: ");
      return apiError(
        wrongConfirmation ? 422 : 409,
        wrongConfirmation ? "refused" : "conflict",
        error.message.replace(/^confirm: /, ""),
      );
    }
    throw error;
  }
});
