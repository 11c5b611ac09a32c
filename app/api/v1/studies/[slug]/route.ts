// One study for scripts: PATCH {"archived": true|false} archives or restores it, and any of its
// settings' fields (name, overlap, reviewOrder, failureRules…; lib/study/settings.ts) changes them,
// the others kept, validated and logged as on the settings page; DELETE ?confirm=SLUG deletes it and
// everything in it (one transaction; refused while an import runs).
import { apiError } from "@/lib/api/errors";
import { studyApiRoute } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { deleteStudy, setStudyArchived, StudyLifecycleError } from "@/lib/study/lifecycle";
import { patchStudySettings, SETTINGS_FIELDS, type SettingsChange, StudySettingsError } from "@/lib/study/settings";

type Context = { params: Promise<{ slug: string }> };
const noStore = { "Cache-Control": "no-store" };
const PATCH_HINT = `Send JSON with "archived" (true or false) and/or settings: ${SETTINGS_FIELDS.join(", ")}.`;

export const PATCH = studyApiRoute("/api/v1/studies/[slug]", async (request, user, study, _c: Context) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiError(400, "bad_request", PATCH_HINT);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return apiError(400, "bad_request", PATCH_HINT);
  const { archived, ...settings } = body as Record<string, unknown>;
  const unknown = Object.keys(settings).filter((key) => !(SETTINGS_FIELDS as string[]).includes(key));
  if (unknown.length > 0) return apiError(400, "bad_request", `Unknown field ${unknown.join(", ")}. ${PATCH_HINT}`);
  if (archived !== undefined && typeof archived !== "boolean")
    return apiError(400, "bad_request", `"archived" is true or false. ${PATCH_HINT}`);
  if (archived === undefined && Object.keys(settings).length === 0) return apiError(400, "bad_request", PATCH_HINT);
  const actor = { userId: user.id, label: user.email };
  let settingsChanged: SettingsChange | undefined;
  if (Object.keys(settings).length > 0) {
    try {
      settingsChanged = await patchStudySettings(pool(), study.id, actor, settings);
    } catch (error) {
      if (error instanceof StudySettingsError) return apiError(422, "refused", error.message);
      throw error;
    }
  }
  if (archived === undefined) return Response.json({ slug: study.slug, settingsChanged }, { headers: noStore });
  try {
    const changed = await setStudyArchived(pool(), study.id, actor, archived);
    return Response.json({ slug: study.slug, archived, changed, settingsChanged }, { headers: noStore });
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
