// Signing in with email and password: the rate limit first, then the password check (timed the same
// for unknown accounts), then the account rules. Every failure reads the same to the caller.
import { prisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { spendPasswordCheck, verifyPassword } from "./passwords";
import { rateLimitedError } from "./sign-in-errors";
import { reserveSignInAttempt, settleSignInAttempt, signInLimits, type SignInLimits } from "./sign-in-limit";
import { ACCOUNT_SELECT, isDemoMode, mayUseAccount, normalizeEmail, toSessionUser, type SessionUser } from "./users";

export type SignInResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

export interface SignInAttempt {
  email: string;
  password: string;
  /** The client's address (lib/auth/client-address.ts). */
  address: string;
}

export { rateLimitedError };

export async function signInWithPassword(
  attempt: SignInAttempt,
  options: { limits?: SignInLimits; demoMode?: boolean; db?: PrismaClient } = {},
): Promise<SignInResult> {
  const db = options.db ?? prisma();
  const who = { email: normalizeEmail(attempt.email), address: attempt.address };
  const reservation = await reserveSignInAttempt(who, options.limits ?? signInLimits(), db);
  if (!reservation.allowed)
    return { ok: false, reason: "rate_limited", retryAfterSeconds: reservation.retryAfterSeconds };

  const account = await db.user.findUnique({
    where: { email: who.email },
    select: { ...ACCOUNT_SELECT, passwordHash: true },
  });
  const passwordMatches = account?.passwordHash
    ? await verifyPassword(attempt.password, account.passwordHash)
    : await spendPasswordCheck(attempt.password);
  const succeeded = Boolean(account && passwordMatches && mayUseAccount(account, options.demoMode ?? isDemoMode()));
  await settleSignInAttempt(who, succeeded, db);
  if (!succeeded || !account) return { ok: false, reason: "invalid" };

  await db.user.update({ where: { id: account.id }, data: { lastSignInAt: new Date() } });
  return { ok: true, user: toSessionUser(account) };
}
