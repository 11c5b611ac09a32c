// Who counts as a signed-in user: the account rules every sign-in, session and API token obeys.
import { prisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import type { Role } from "../db/generated/enums";

/** What pages, actions and API routes know about the user they serve. */
export interface SessionUser {
  id: number;
  email: string;
  name: string | null;
  role: Role;
}

/** Demo accounts (`npm run demo`) have emails on this domain and a published password. */
export const DEMO_EMAIL_DOMAIN = "demo.parallax.local";

/** True in a server started by `npm run demo` (the launcher sets PARALLAX_DEMO=1). */
export function isDemoMode(): boolean {
  return process.env.PARALLAX_DEMO === "1";
}

export function isDemoAccount(email: string): boolean {
  return email.toLowerCase().endsWith(`@${DEMO_EMAIL_DOMAIN}`);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const ACCOUNT_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  placeholder: true,
} as const;

interface AccountState {
  email: string;
  disabled: boolean;
  placeholder: boolean;
}

/**
 * Whether an account may act at all: not disabled, not a placeholder (a reviewer known only from
 * imported labels), and not a demo account outside the demo, so that the demo's published password
 * never opens a real instance that happens to share the demo's database.
 */
export function mayUseAccount(account: AccountState, demoMode = isDemoMode()): boolean {
  return !account.disabled && !account.placeholder && (demoMode || !isDemoAccount(account.email));
}

function toSessionUser(user: { id: number; email: string; name: string | null; role: Role }): SessionUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * The user behind a sign-in cookie, read fresh on every request so that a role change or disabling
 * takes effect at once: active, and with the session generation the cookie was issued under.
 * Signing out, "sign out everywhere", disabling and a new password advance the generation, so a
 * copy of an earlier cookie stops working at once, like a disabled user's. Cookies from before
 * generations existed carry none and count as generation 0.
 */
export async function findSessionUser(
  id: number,
  generation: number | undefined,
  db: PrismaClient = prisma(),
): Promise<SessionUser | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const user = await db.user.findUnique({ where: { id }, select: { ...ACCOUNT_SELECT, sessionGeneration: true } });
  if (!user || !mayUseAccount(user)) return null;
  return user.sessionGeneration === (generation ?? 0) ? toSessionUser(user) : null;
}

/** The generation a new session of this user starts with (written into its cookie at sign-in). */
export async function sessionGenerationOf(id: number, db: PrismaClient = prisma()): Promise<number | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const user = await db.user.findUnique({ where: { id }, select: { sessionGeneration: true } });
  return user?.sessionGeneration ?? null;
}

type UserTable = Pick<PrismaClient, "user">;

/**
 * Ends every session of a user: cookies issued before stop working on their next request. With
 * `ifCurrent` (sign-out), only while that generation is still the current one, so that replaying
 * an already-ended cookie's sign-out cannot sign the user out of their new sessions. Returns
 * whether the generation advanced.
 */
export async function endSessions(
  userId: number,
  options: { ifCurrent?: number } = {},
  db: UserTable = prisma(),
): Promise<boolean> {
  if (!Number.isSafeInteger(userId) || userId <= 0) return false;
  const { count } = await db.user.updateMany({
    where: { id: userId, ...(options.ifCurrent === undefined ? {} : { sessionGeneration: options.ifCurrent }) },
    data: { sessionGeneration: { increment: 1 } },
  });
  return count === 1;
}

export async function findActiveUserByEmail(email: string, db: PrismaClient = prisma()): Promise<SessionUser | null> {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) }, select: ACCOUNT_SELECT });
  return user && mayUseAccount(user) ? toSessionUser(user) : null;
}

export { toSessionUser };
