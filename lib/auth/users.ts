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

export const ACCOUNT_SELECT = { id: true, email: true, name: true, role: true, disabled: true, placeholder: true } as const;

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

/** The user behind a session, read fresh on every request so that a role change or disabling takes effect at once. */
export async function findActiveUser(id: number, db: PrismaClient = prisma()): Promise<SessionUser | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const user = await db.user.findUnique({ where: { id }, select: ACCOUNT_SELECT });
  return user && mayUseAccount(user) ? toSessionUser(user) : null;
}

export async function findActiveUserByEmail(email: string, db: PrismaClient = prisma()): Promise<SessionUser | null> {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) }, select: ACCOUNT_SELECT });
  return user && mayUseAccount(user) ? toSessionUser(user) : null;
}

export { toSessionUser };
