"use server";
// Setting a password with an invite link. Open to anyone: the link's token is the proof.
import { redirect } from "next/navigation";
import { refused, type ActionState } from "@/lib/admin/action-state";
import { fieldErrors, formFields } from "@/lib/admin/schemas";
import { publicAccess } from "@/lib/auth/guard";
import { acceptInvite as accept } from "@/lib/auth/invites";
import { acceptInviteInput } from "@/lib/auth/schemas";

export async function acceptInvite(_previous: ActionState, formData: FormData): Promise<ActionState> {
  await publicAccess("action:app/invite/[token]/actions.ts#acceptInvite");
  const parsed = acceptInviteInput.safeParse(formFields(formData));
  if (!parsed.success) return refused("Check the highlighted fields.", fieldErrors(parsed.error));
  const result = await accept({ token: parsed.data.token, password: parsed.data.password });
  if (!result.ok) {
    return result.reason === "weak"
      ? refused(result.message, { password: result.message })
      : refused("This invite link no longer works (used, expired or replaced). Ask an admin for a new one.");
  }
  redirect(`/signin?${new URLSearchParams({ passwordSet: "1", email: result.email })}`);
}
