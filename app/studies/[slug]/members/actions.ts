"use server";
// A study's members: the guard (members of the study with the researcher role there, and admins),
// the form read and validated, then lib/study/members.ts (one transaction, logged).
import { revalidatePath } from "next/cache";
import { refused, type ActionState } from "@/lib/admin/action-state";
import { formFields } from "@/lib/admin/schemas";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { addMember, addMemberInput, removeMember, StudyMemberError } from "@/lib/study/members";

export async function addStudyMember(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/members/actions.ts#addStudyMember",
    fields.study,
  );
  const parsed = addMemberInput.safeParse({ email: fields.email, role: fields.role });
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return refused("Check the highlighted fields.", fieldErrors, fields);
  }
  try {
    const result = await addMember(pool(), study.id, { userId: user.id, label: user.email }, parsed.data);
    revalidatePath(`/studies/${study.slug}/members`);
    const role = result.role.toLowerCase();
    return {
      status: "done",
      message:
        result.outcome === "added"
          ? `Added ${result.email} as a ${role}.`
          : result.outcome === "changed"
            ? `${result.email} is now a ${role} of this study.`
            : `${result.email} already is a ${role} of this study.`,
    };
  } catch (error) {
    if (error instanceof StudyMemberError) return refused(error.message, { email: error.message }, fields);
    throw error;
  }
}

export async function removeStudyMember(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/members/actions.ts#removeStudyMember",
    fields.study,
  );
  try {
    const result = await removeMember(
      pool(),
      study.id,
      { userId: user.id, label: user.email },
      { email: fields.email },
    );
    revalidatePath(`/studies/${study.slug}/members`);
    return result.removed
      ? { status: "done", message: `Removed ${result.email} from this study.` }
      : refused(`${result.email} is not a member of this study.`);
  } catch (error) {
    if (error instanceof StudyMemberError) return refused(error.message);
    throw error;
  }
}
