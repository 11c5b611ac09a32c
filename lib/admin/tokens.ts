// API token administration: creating and revoking a token with its audit event in one transaction.
// The token primitives (generate, hash, verify) stay in lib/auth/api-tokens.ts; this is the admin's
// operation on them, as lib/admin/users.ts is for accounts.
import { type Actor, recordAuditPrisma } from "../audit/record";
import { createApiToken, revokeApiToken } from "../auth/api-tokens";
import { prisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";

/** Creates a token for a user, logged as token.create (its name, owner and prefix; never the token). */
export async function createTokenForUser(
  input: { userId: number; name: string; expiresAt: Date | null },
  actor: Actor | number,
  db: PrismaClient = prisma(),
): Promise<{ token: string; id: number; prefix: string }> {
  return db.$transaction(async (tx) => {
    const created = await createApiToken(input, tx);
    const owner = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true } });
    await recordAuditPrisma(tx, actor, {
      studyId: null,
      studySlug: null,
      action: "token.create",
      detail: {
        token: input.name,
        prefix: created.prefix,
        owner: owner.email,
        expires: input.expiresAt?.toISOString() ?? null,
      },
    });
    return created;
  });
}

/** Revokes a token, logged as token.revoke; false (and nothing logged) when it was revoked already. */
export async function revokeTokenOfUser(
  id: number,
  actor: Actor | number,
  db: PrismaClient = prisma(),
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await revokeApiToken(id, tx))) return false;
    const token = await tx.apiToken.findUniqueOrThrow({
      where: { id },
      select: { name: true, prefix: true, user: { select: { email: true } } },
    });
    await recordAuditPrisma(tx, actor, {
      studyId: null,
      studySlug: null,
      action: "token.revoke",
      detail: { token: token.name, prefix: token.prefix, owner: token.user.email },
    });
    return true;
  });
}
