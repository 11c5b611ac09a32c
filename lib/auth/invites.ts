// One-time invite links: how a user created by an admin (or whose password an admin reset) sets a
// password without the admin ever knowing it. The link holds a random token; only its SHA-256 is
// stored; it works once and for INVITE_DAYS.
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import type { StudyRole } from "../db/generated/enums";
import { hashPassword, passwordProblem } from "./passwords";
import { ACCOUNT_SELECT, mayUseAccount } from "./users";

export const INVITE_DAYS = 7;

type Tx = Pick<PrismaClient, "userInvite">;

function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function looksLikeInviteToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** A fresh link for a user; earlier unused links of that user stop working. */
export async function createInvite(
  input: { userId: number; createdById: number | null; study?: { id: number; role: StudyRole } },
  db: Tx = prisma(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + INVITE_DAYS * 24 * 3600 * 1000);
  await db.userInvite.deleteMany({ where: { userId: input.userId, usedAt: null } });
  await db.userInvite.create({
    data: {
      userId: input.userId,
      createdById: input.createdById,
      tokenHash: hashInviteToken(token),
      expiresAt,
      studyId: input.study?.id ?? null,
      studyRole: input.study?.role ?? null,
    },
  });
  return { token, expiresAt };
}

/** The invite link to hand to the user, on the site's own address (NEXTAUTH_URL) — never one taken from a request. */
export function inviteUrl(token: string, siteUrl = process.env.NEXTAUTH_URL): string {
  const path = `/invite/${token}`;
  return siteUrl ? new URL(path, siteUrl).toString() : path;
}

export interface OpenInvite {
  email: string;
  name: string | null;
  expiresAt: Date;
}

/** The account an unused, unexpired link is for; null for anything else. */
export async function findOpenInvite(token: string, db: PrismaClient = prisma()): Promise<OpenInvite | null> {
  if (!looksLikeInviteToken(token)) return null;
  const invite = await db.userInvite.findUnique({
    where: { tokenHash: hashInviteToken(token) },
    select: { usedAt: true, expiresAt: true, user: { select: ACCOUNT_SELECT } },
  });
  if (!invite || invite.usedAt || invite.expiresAt.getTime() <= Date.now()) return null;
  if (!mayUseAccount(invite.user, true)) return null;
  return { email: invite.user.email, name: invite.user.name, expiresAt: invite.expiresAt };
}

export type AcceptInviteResult =
  | { ok: true; email: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "weak"; message: string };

/** Sets the password and uses the link up, in one transaction: a link cannot be used twice, even at once. */
export async function acceptInvite(
  input: { token: string; password: string },
  db: PrismaClient = prisma(),
): Promise<AcceptInviteResult> {
  const invite = await findOpenInvite(input.token, db);
  if (!invite) return { ok: false, reason: "invalid" };
  const problem = passwordProblem(input.password, { email: invite.email });
  if (problem) return { ok: false, reason: "weak", message: problem };
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await tx.userInvite.updateMany({
      where: { tokenHash: hashInviteToken(input.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) return { ok: false, reason: "invalid" } as const;
    const used = await tx.userInvite.findUniqueOrThrow({
      where: { tokenHash: hashInviteToken(input.token) },
      select: { id: true, userId: true },
    });
    // A new password ends the sessions signed in with the old one (e.g. after "New password link").
    const user = await tx.user.update({
      where: { id: used.userId },
      data: { passwordHash, sessionGeneration: { increment: 1 } },
      select: { email: true },
    });
    // An invite that names a study makes its member now (if the study is still there), logged as
    // added by whoever made the invite.
    await tx.$executeRaw`
      WITH joined AS (
        INSERT INTO study_member (study_id, user_id, role, added_by_id)
        SELECT i.study_id, i.user_id, i.study_role, i.created_by_id FROM user_invite i
         WHERE i.id = ${used.id} AND i.study_id IS NOT NULL AND i.study_role IS NOT NULL
        ON CONFLICT (study_id, user_id) DO NOTHING
        RETURNING study_id, role, added_by_id
      )
      INSERT INTO audit_event (actor_id, actor, study_id, study_slug, action, detail)
      SELECT j.added_by_id, coalesce(a.email, 'invite'), j.study_id, s.slug, 'study.member.add',
             jsonb_build_object('member', ${user.email}::text, 'role', jsonb_build_object('from', null, 'to', j.role::text), 'via', 'invite')
        FROM joined j JOIN study s ON s.id = j.study_id LEFT JOIN "user" a ON a.id = j.added_by_id`;
    return { ok: true, email: user.email } as const;
  });
}
