"use server";
// Admin actions on users. Each checks access first, then validates its form with the shared zod
// schema, then calls lib/admin/users.ts.
import { revalidatePath } from "next/cache";
import { refused, type ActionState } from "@/lib/admin/action-state";
import {
  changeRoleInput,
  createUserInput,
  fieldErrors,
  formFields,
  renewInviteInput,
  setDisabledInput,
  signOutEverywhereInput,
} from "@/lib/admin/schemas";
import * as users from "@/lib/admin/users";
import { requireAccess } from "@/lib/auth/guard";
import { inviteUrl } from "@/lib/auth/invites";
import { formatInstant } from "@/components/ui/format";

function refusal(error: unknown, values?: Record<string, string>): ActionState {
  if (error instanceof users.UserRuleError) return refused(error.message, undefined, values);
  throw error;
}

function inviteSecret(email: string, token: string, expiresAt: Date) {
  return {
    label: `Invite link for ${email}`,
    value: inviteUrl(token),
    note: `Send it to ${email} yourself: with it they choose their password. It works once, until ${formatInstant(expiresAt)}, and is shown only now.`,
  };
}

export async function createUser(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const admin = await requireAccess("action:app/admin/users/actions.ts#createUser");
  const fields = formFields(formData);
  const parsed = createUserInput.safeParse(fields);
  if (!parsed.success) return refused("Check the highlighted fields.", fieldErrors(parsed.error), fields);
  try {
    const created = await users.createInvitedUser(parsed.data, admin.id);
    revalidatePath("/admin/users");
    return {
      status: "done",
      message: `Created ${parsed.data.email} as ${parsed.data.role.toLowerCase()}${parsed.data.study ? `; they join ${parsed.data.study} when they accept the invite` : ""}.`,
      secret: inviteSecret(parsed.data.email, created.inviteToken, created.inviteExpiresAt),
    };
  } catch (error) {
    return refusal(error, fields);
  }
}

export async function changeUserRole(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const admin = await requireAccess("action:app/admin/users/actions.ts#changeUserRole");
  const parsed = changeRoleInput.safeParse(formFields(formData));
  if (!parsed.success) return refused("Choose a role.", fieldErrors(parsed.error));
  try {
    await users.changeUserRole(parsed.data, admin.id);
    revalidatePath("/admin/users");
    return { status: "done", message: `Role changed to ${parsed.data.role.toLowerCase()}.` };
  } catch (error) {
    return refusal(error);
  }
}

export async function setUserDisabled(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const admin = await requireAccess("action:app/admin/users/actions.ts#setUserDisabled");
  const parsed = setDisabledInput.safeParse(formFields(formData));
  if (!parsed.success) return refused("Something was missing; reload the page.", fieldErrors(parsed.error));
  try {
    await users.setUserDisabled(parsed.data, admin.id);
    revalidatePath("/admin/users");
    return {
      status: "done",
      message: parsed.data.disabled ? "Disabled: signed out everywhere, tokens stop working." : "Enabled again.",
    };
  } catch (error) {
    return refusal(error);
  }
}

export async function renewInvite(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const admin = await requireAccess("action:app/admin/users/actions.ts#renewInvite");
  const parsed = renewInviteInput.safeParse(formFields(formData));
  if (!parsed.success) return refused("Something was missing; reload the page.", fieldErrors(parsed.error));
  try {
    const invite = await users.renewInvite(parsed.data, admin.id);
    revalidatePath("/admin/users");
    return {
      status: "done",
      message: "New invite link made; earlier links stop working.",
      secret: inviteSecret(invite.email, invite.inviteToken, invite.inviteExpiresAt),
    };
  } catch (error) {
    return refusal(error);
  }
}

export async function signOutEverywhere(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const admin = await requireAccess("action:app/admin/users/actions.ts#signOutEverywhere");
  const parsed = signOutEverywhereInput.safeParse(formFields(formData));
  if (!parsed.success) return refused("Something was missing; reload the page.", fieldErrors(parsed.error));
  try {
    // Logged in the audit log (user.sign-out) with who did it.
    const { email } = await users.signOutEverywhere(parsed.data, admin.id);
    revalidatePath("/admin/users");
    return {
      status: "done",
      message:
        parsed.data.userId === admin.id
          ? "You are signed out everywhere, this browser included: sign in again."
          : `Signed ${email} out everywhere: every browser of theirs needs to sign in again. Their API tokens still work; revoke those on the API tokens page.`,
    };
  } catch (error) {
    return refusal(error);
  }
}
