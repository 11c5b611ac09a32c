"use server";
// Saving a study's settings: access check, the form read and validated with the settings schema,
// then lib/study/settings.ts (one transaction, logged with who changed what).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { refused, type ActionState } from "@/lib/admin/action-state";
import { formFields } from "@/lib/admin/schemas";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { deleteStudy, setStudyArchived, StudyLifecycleError } from "@/lib/study/lifecycle";
import { studySettingsSchema, updateStudySettings } from "@/lib/study/settings";
import { describeChange, settingsFieldErrors, settingsFromForm } from "@/lib/study/settings-form";

export async function saveStudySettings(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/settings/actions.ts#saveStudySettings",
    fields.study,
  );
  const parsed = studySettingsSchema.safeParse(settingsFromForm(fields));
  if (!parsed.success) return refused("Check the highlighted fields.", settingsFieldErrors(parsed.error), fields);
  const changes = await updateStudySettings(pool(), study.id, { userId: user.id, label: user.email }, parsed.data);
  revalidatePath(`/studies/${study.slug}`, "layout");
  const described = Object.entries(changes).map(([field, change]) => describeChange(field, change));
  return { status: "done", message: described.length ? `Saved: ${described.join("; ")}.` : "Nothing changed." };
}

/** Archive (archived=1) or restore (archived=0) the study: hidden from the lists and the queue, kept whole. */
export async function archiveStudy(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/settings/actions.ts#archiveStudy",
    fields.study,
  );
  if (fields.archived !== "1" && fields.archived !== "0") return refused("Say whether to archive or restore.");
  const archived = fields.archived === "1";
  const changed = await setStudyArchived(pool(), study.id, { userId: user.id, label: user.email }, archived);
  revalidatePath("/");
  revalidatePath(`/studies/${study.slug}`, "layout");
  return {
    status: "done",
    message: !changed
      ? archived
        ? "The study already is archived."
        : "The study already is active."
      : archived
        ? "Archived: hidden from the lists and the review queue, kept whole. Restore it here."
        : "Restored: listed and in the review queue again.",
  };
}

/** Delete the study and everything in it, once its slug is typed; then back to the studies. */
export async function deleteStudyForever(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/settings/actions.ts#deleteStudyForever",
    fields.study,
  );
  try {
    await deleteStudy(pool(), study.id, { userId: user.id, label: user.email }, fields.confirm);
  } catch (error) {
    if (!(error instanceof StudyLifecycleError)) throw error;
    const message = error.message.replace(/^confirm: /, "");
    return refused(message, { confirm: message });
  }
  revalidatePath("/");
  redirect("/");
}
