"use server";
// Admin actions on API tokens: access check, zod validation, then lib/auth/api-tokens.ts.
import { revalidatePath } from "next/cache";
import { refused, type ActionState } from "@/lib/admin/action-state";
import { createTokenInput, fieldErrors, formFields, revokeTokenInput, tokenExpiry } from "@/lib/admin/schemas";
import { createTokenForUser, revokeTokenOfUser } from "@/lib/admin/tokens";
import { ApiTokenError } from "@/lib/auth/api-tokens";
import { requireAccess } from "@/lib/auth/guard";
import { formatDay } from "@/components/ui/format";

export async function createToken(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const admin = await requireAccess("action:app/admin/tokens/actions.ts#createToken");
  const fields = formFields(formData);
  const parsed = createTokenInput.safeParse(fields);
  if (!parsed.success) return refused("Check the highlighted fields.", fieldErrors(parsed.error), fields);
  const expiresAt = tokenExpiry(parsed.data.expiresIn);
  try {
    const created = await createTokenForUser(
      { userId: parsed.data.userId, name: parsed.data.name, expiresAt },
      { userId: admin.id, label: admin.email },
    );
    revalidatePath("/admin/tokens");
    return {
      status: "done",
      message: `Created the token “${parsed.data.name}”.`,
      secret: {
        label: "API token",
        value: created.token,
        note: `Copy it now: Parallax keeps only a hash and cannot show it again. Send it as “Authorization: Bearer …”. ${expiresAt ? `It expires on ${formatDay(expiresAt)}.` : "It does not expire; revoke it when it is no longer needed."}`,
      },
    };
  } catch (error) {
    if (error instanceof ApiTokenError) return refused(error.message, { userId: error.message }, fields);
    throw error;
  }
}

export async function revokeToken(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const admin = await requireAccess("action:app/admin/tokens/actions.ts#revokeToken");
  const parsed = revokeTokenInput.safeParse(formFields(formData));
  if (!parsed.success) return refused("Something was missing; reload the page.", fieldErrors(parsed.error));
  const revoked = await revokeTokenOfUser(parsed.data.tokenId, { userId: admin.id, label: admin.email });
  revalidatePath("/admin/tokens");
  return revoked
    ? { status: "done", message: "Revoked: the token stops working now." }
    : refused("That token was already revoked.");
}
