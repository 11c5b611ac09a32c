"use server";
// Creating a study from the studies page: researchers and admins; the same fields and zod schema as
// the settings page plus the slug, then lib/study/lifecycle.ts (the creator becomes its first
// researcher; logged), then on to its import page.
import { redirect } from "next/navigation";
import { refused, type ActionState } from "@/lib/admin/action-state";
import { formFields } from "@/lib/admin/schemas";
import { requireAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { createStudy, newStudySchema, StudyLifecycleError } from "@/lib/study/lifecycle";
import { settingsFieldErrors, settingsFromForm } from "@/lib/study/settings-form";

export async function createNewStudy(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireAccess("action:app/studies/new/actions.ts#createNewStudy");
  const fields = formFields(formData);
  const parsed = newStudySchema.safeParse({ ...(settingsFromForm(fields) as object), slug: fields.slug ?? "" });
  if (!parsed.success) return refused("Check the highlighted fields.", settingsFieldErrors(parsed.error), fields);
  let slug: string;
  try {
    ({ slug } = await createStudy(pool(), { userId: user.id, label: user.email }, parsed.data));
  } catch (error) {
    if (!(error instanceof StudyLifecycleError)) throw error;
    return refused(error.message.replace(/^slug: /, ""), { slug: error.message.replace(/^slug: /, "") }, fields);
  }
  redirect(`/studies/${slug}/import`);
}
