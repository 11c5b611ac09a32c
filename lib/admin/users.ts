// Managing users: create (with an invite link, or a password from the command line), change role,
// disable, renew an invite. The rules: one account per email; placeholder reviewers (from imported
// labels) stay placeholders; and the instance always keeps an active admin, even when two admins
// demote each other at the same moment. Every change is written to the audit log in its own
// transaction (lib/audit).
import { type Actor, recordAuditPrisma } from "../audit/record";
import { prisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import type { Role, StudyRole } from "../db/generated/enums";
import { memberRefusal } from "../study/members";
import { createInvite } from "../auth/invites";
import { hashPassword, passwordProblem } from "../auth/passwords";
import { ACCOUNT_SELECT, endSessions, mayUseAccount, normalizeEmail } from "../auth/users";

/** A refusal meant for the admin, e.g. "A user with this email already exists." */
export class UserRuleError extends Error {}

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface UserRow {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  status: "active" | "invited" | "disabled" | "placeholder";
  hasPassword: boolean;
  /** The open invite's expiry, when there is one. */
  inviteExpiresAt: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  activeTokens: number;
}

export async function listUsers(db: PrismaClient = prisma()): Promise<UserRow[]> {
  const now = new Date();
  const users = await db.user.findMany({
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      disabled: true,
      placeholder: true,
      passwordHash: true,
      lastSignInAt: true,
      createdAt: true,
      invites: {
        where: { usedAt: null, expiresAt: { gt: now } },
        select: { expiresAt: true },
        orderBy: { expiresAt: "desc" },
        take: 1,
      },
      _count: {
        select: { apiTokens: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } } },
      },
    },
    // Placeholders (imported reviewers) after real accounts.
    orderBy: [{ placeholder: "asc" }, { role: "asc" }, { email: "asc" }],
  });
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.placeholder ? "placeholder" : u.disabled ? "disabled" : u.passwordHash ? "active" : "invited",
    hasPassword: u.passwordHash !== null,
    inviteExpiresAt: u.invites[0]?.expiresAt ?? null,
    lastSignInAt: u.lastSignInAt,
    createdAt: u.createdAt,
    activeTokens: u._count.apiTokens,
  }));
}

async function refuseDuplicate(db: Pick<PrismaClient, "user">, email: string): Promise<void> {
  const existing = await db.user.findUnique({
    where: { email },
    select: { role: true, placeholder: true, disabled: true },
  });
  if (!existing) return;
  const role = existing.role.toLowerCase();
  const what = existing.placeholder
    ? "a placeholder reviewer from imported labels"
    : `${role === "admin" ? "an" : "a"} ${role}${existing.disabled ? " (disabled)" : ""}`;
  throw new UserRuleError(`A user with the email ${email} already exists: ${what}.`);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** A new account without a password, and the invite link (token) with which its owner sets one. */
export async function createInvitedUser(
  input: { email: string; name: string | null; role: Role; study?: string | null; studyRole?: StudyRole },
  createdById: number,
  db: PrismaClient = prisma(),
): Promise<{ userId: number; inviteToken: string; inviteExpiresAt: Date }> {
  const email = normalizeEmail(input.email);
  await refuseDuplicate(db, email);
  // An invite may name a study: the person becomes its member when they accept (lib/auth/invites.ts).
  let study: { id: number; role: StudyRole } | undefined;
  if (input.study) {
    const found = await db.study.findUnique({ where: { slug: input.study }, select: { id: true } });
    if (!found) throw new UserRuleError(`There is no study "${input.study}".`);
    const role = input.studyRole ?? (input.role === "RESEARCHER" ? "RESEARCHER" : "REVIEWER");
    const refusal = memberRefusal({ role: input.role, placeholder: false }, role);
    if (refusal) throw new UserRuleError(refusal);
    study = { id: found.id, role };
  }
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, name: input.name, role: input.role }, select: { id: true } });
      const invite = await createInvite({ userId: user.id, createdById, study }, tx);
      await recordAuditPrisma(tx, createdById, {
        studyId: study?.id ?? null,
        studySlug: study ? input.study! : null,
        action: "user.create",
        detail: {
          user: email,
          role: input.role,
          via: "invite",
          ...(study ? { study: input.study, studyRole: study.role } : {}),
        },
      });
      return { userId: user.id, inviteToken: invite.token, inviteExpiresAt: invite.expiresAt };
    });
  } catch (error) {
    if (isUniqueViolation(error)) await refuseDuplicate(db, email);
    throw error;
  }
}

/** A new account with a password (the command line's `user:create`). */
export async function createUserWithPassword(
  input: { email: string; name: string | null; role: Role; password: string },
  actor: Actor,
  db: PrismaClient = prisma(),
): Promise<{ userId: number }> {
  const email = normalizeEmail(input.email);
  const problem = passwordProblem(input.password, { email });
  if (problem) throw new UserRuleError(`That password will not do: ${problem}`);
  await refuseDuplicate(db, email);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email, name: input.name, role: input.role, passwordHash },
        select: { id: true },
      });
      await recordAuditPrisma(tx, actor, {
        studyId: null,
        studySlug: null,
        action: "user.create",
        detail: { user: email, role: input.role, via: "password" },
      });
      return created;
    });
    return { userId: user.id };
  } catch (error) {
    if (isUniqueViolation(error)) await refuseDuplicate(db, email);
    throw error;
  }
}

/**
 * Runs a change to one user after locking every active admin row, then checks that an active admin
 * is left; concurrent changes queue on the same locks, so the check cannot be raced.
 */
async function changeKeepingAnAdmin<T>(
  db: PrismaClient,
  userId: number,
  change: (tx: Tx, before: { email: string; role: Role; disabled: boolean }) => Promise<T>,
): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "user" WHERE role = 'ADMIN' AND NOT disabled AND NOT placeholder ORDER BY id FOR UPDATE`;
    const target = await tx.user.findUnique({
      where: { id: userId },
      select: { placeholder: true, email: true, role: true, disabled: true },
    });
    if (!target) throw new UserRuleError("That user does not exist.");
    if (target.placeholder)
      throw new UserRuleError(
        "Placeholder reviewers come from imported labels and cannot sign in; create a new account instead.",
      );
    const result = await change(tx, target);
    const admins = await tx.user.count({ where: { role: "ADMIN", disabled: false, placeholder: false } });
    if (admins === 0)
      throw new UserRuleError("Parallax needs at least one active admin: make someone else an admin first.");
    return result;
  });
}

export async function changeUserRole(
  input: { userId: number; role: Role },
  actorId: number,
  db: PrismaClient = prisma(),
): Promise<void> {
  await changeKeepingAnAdmin(db, input.userId, async (tx, before) => {
    if (before.role === input.role) return;
    await tx.user.update({ where: { id: input.userId }, data: { role: input.role } });
    await recordAuditPrisma(tx, actorId, {
      studyId: null,
      studySlug: null,
      action: "user.role",
      detail: { user: before.email, role: { from: before.role, to: input.role } },
    });
  });
}

export async function setUserDisabled(
  input: { userId: number; disabled: boolean },
  actorId: number,
  db: PrismaClient = prisma(),
): Promise<void> {
  if (input.disabled && input.userId === actorId) throw new UserRuleError("You cannot disable your own account.");
  // Disabling also ends the user's sessions, so that enabling them again does not revive cookies
  // from before (they sign in afresh).
  await changeKeepingAnAdmin(db, input.userId, async (tx, before) => {
    await tx.user.update({
      where: { id: input.userId },
      data: { disabled: input.disabled, ...(input.disabled ? { sessionGeneration: { increment: 1 } } : {}) },
    });
    if (before.disabled === input.disabled) return;
    await recordAuditPrisma(tx, actorId, {
      studyId: null,
      studySlug: null,
      action: input.disabled ? "user.disable" : "user.enable",
      detail: { user: before.email, disabled: { from: before.disabled, to: input.disabled } },
    });
  });
}

/**
 * "Sign out everywhere": every sign-in cookie of the user stops working at its next request (a
 * copied one too); they sign in again as usual. API tokens are not sessions: revoke those apart.
 */
export async function signOutEverywhere(
  input: { userId: number },
  actorId: number,
  db: PrismaClient = prisma(),
): Promise<{ email: string }> {
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { email: true, placeholder: true } });
  if (!user) throw new UserRuleError("That user does not exist.");
  if (user.placeholder)
    throw new UserRuleError("Placeholder reviewers come from imported labels and have no sessions.");
  await db.$transaction(async (tx) => {
    if (!(await endSessions(input.userId, {}, tx))) throw new UserRuleError("That user does not exist.");
    await recordAuditPrisma(tx, actorId, {
      studyId: null,
      studySlug: null,
      action: "user.sign-out",
      detail: { user: user.email },
    });
  });
  return { email: user.email };
}

/**
 * A new invite link for a user, e.g. one who forgot their password. Their current password keeps
 * working until the link is used.
 */
export async function renewInvite(input: { userId: number }, createdById: number, db: PrismaClient = prisma()) {
  const user = await db.user.findUnique({
    where: { id: input.userId },
    select: { email: true, disabled: true, placeholder: true },
  });
  if (!user) throw new UserRuleError("That user does not exist.");
  if (user.placeholder) throw new UserRuleError("Placeholder reviewers come from imported labels and cannot sign in.");
  if (user.disabled) throw new UserRuleError("Enable the account first.");
  const invite = await db.$transaction(async (tx) => {
    const made = await createInvite({ userId: input.userId, createdById }, tx);
    await recordAuditPrisma(tx, createdById, {
      studyId: null,
      studySlug: null,
      action: "user.invite",
      detail: { user: user.email, expires: made.expiresAt.toISOString() },
    });
    return made;
  });
  return { email: user.email, inviteToken: invite.token, inviteExpiresAt: invite.expiresAt };
}

/** Accounts that may own an API token: those that may sign in. */
export async function listTokenOwners(
  db: PrismaClient = prisma(),
): Promise<{ id: number; email: string; role: Role }[]> {
  const users = await db.user.findMany({
    where: { disabled: false, placeholder: false },
    select: ACCOUNT_SELECT,
    orderBy: [{ role: "asc" }, { email: "asc" }],
  });
  return users.filter((u) => mayUseAccount(u)).map(({ id, email, role }) => ({ id, email, role }));
}
