// The admin forms' inputs, validated by the same zod schemas in the server actions; plain data in
// and out, so that forms, actions and the command line agree.
import { z } from "zod";
import { ROLES } from "../auth/access-rules";
import { TOKEN_LIFETIMES, type TokenLifetime } from "./token-lifetimes";

export const roleField = z.enum(ROLES, { error: "Choose a role: admin, researcher or reviewer." });

export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter an email address such as ada@example.org." }));

const idField = z.coerce.number({ error: "Missing id." }).int().positive();

export const createUserInput = z.object({
  email: emailField,
  name: z
    .string()
    .trim()
    .max(120, "Use at most 120 characters.")
    .optional()
    .transform((name) => (name ? name : null)),
  role: roleField,
  /** Optional: the study the invited person joins when they accept, with their role in it. */
  study: z
    .string()
    .trim()
    .max(63)
    .optional()
    .transform((slug) => (slug ? slug : null)),
  studyRole: z.enum(["RESEARCHER", "REVIEWER"], { error: "Choose a role in the study." }).optional(),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const changeRoleInput = z.object({ userId: idField, role: roleField });
export const setDisabledInput = z.object({
  userId: idField,
  disabled: z.enum(["true", "false"]).transform((v) => v === "true"),
});
export const renewInviteInput = z.object({ userId: idField });
export const signOutEverywhereInput = z.object({ userId: idField });

export const createTokenInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the token after what uses it, e.g. “nightly eval”.")
    .max(80, "Use at most 80 characters."),
  userId: idField,
  expiresIn: z.enum(Object.keys(TOKEN_LIFETIMES) as [TokenLifetime, ...TokenLifetime[]], {
    error: "Choose when the token expires.",
  }),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export const revokeTokenInput = z.object({ tokenId: idField });

/**
 * A form's fields as a plain object (server actions may be called with anything, so check first):
 * from FormData, or from a plain object of fields as a script's call of the action sends; anything
 * that is not text is left out. Each action validates the fields afterwards.
 */
export function formFields(formData: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (formData instanceof FormData) {
    for (const [key, value] of formData.entries()) if (typeof value === "string") fields[key] = value;
  } else if (typeof formData === "object" && formData !== null && !Array.isArray(formData)) {
    for (const [key, value] of Object.entries(formData)) if (typeof value === "string") fields[key] = value;
  }
  return fields;
}

/** The first message per field, for showing beside the inputs. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

export function tokenExpiry(expiresIn: CreateTokenInput["expiresIn"], now = new Date()): Date | null {
  return expiresIn === "never" ? null : new Date(now.getTime() + Number(expiresIn) * 24 * 3600 * 1000);
}
