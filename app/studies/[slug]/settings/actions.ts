"use server";
// Saving a study's settings: access check, the form read and validated with the settings schema,
// then lib/study/settings.ts (one transaction, logged with who changed what).
import { revalidatePath } from "next/cache";
import { refused, type ActionState } from "@/lib/admin/action-state";
import { formFields } from "@/lib/admin/schemas";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
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
