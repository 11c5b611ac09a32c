// Sign-in attempts limited per account and per client address, counted in PostgreSQL so that the
// limit holds across every app instance. An attempt is reserved (counted) in one atomic statement
// before the password is checked, so a burst of parallel guesses cannot all slip through while the
// first ones are still being checked; a successful sign-in gives its reservation back.
import { prisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";

export interface SignInLimits {
  /** Length of the window in which attempts are counted, from the first one. */
  windowSeconds: number;
  /** Attempts (failed or in progress) per account and window. */
  perAccount: number;
  /** Attempts per client address and window: higher, as an office may share one address. */
  perAddress: number;
}

export const SIGN_IN_LIMITS: SignInLimits = { windowSeconds: 15 * 60, perAccount: 5, perAddress: 20 };

function limitFromEnv(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100_000)
    throw new Error(`${name} must be a whole number from 1 to 100000, got "${raw}".`);
  return value;
}

/** The limits, with PARALLAX_SIGNIN_LIMIT_ACCOUNT / PARALLAX_SIGNIN_LIMIT_ADDRESS when set (e.g. a large office behind one address). */
export function signInLimits(env: Record<string, string | undefined> = process.env): SignInLimits {
  return {
    windowSeconds: SIGN_IN_LIMITS.windowSeconds,
    perAccount: limitFromEnv(
      env.PARALLAX_SIGNIN_LIMIT_ACCOUNT,
      "PARALLAX_SIGNIN_LIMIT_ACCOUNT",
      SIGN_IN_LIMITS.perAccount,
    ),
    perAddress: limitFromEnv(
      env.PARALLAX_SIGNIN_LIMIT_ADDRESS,
      "PARALLAX_SIGNIN_LIMIT_ADDRESS",
      SIGN_IN_LIMITS.perAddress,
    ),
  };
}

export type Reservation = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function limitKeys(email: string, address: string): { account: string; address: string } {
  // Bounded, so that a megabyte "email" does not become a megabyte key.
  return { account: `account:${email.slice(0, 320)}`, address: `address:${address.slice(0, 64)}` };
}

/** Counts one attempt against the account and the address; refused once either is over its limit. */
export async function reserveSignInAttempt(
  who: { email: string; address: string },
  limits: SignInLimits = SIGN_IN_LIMITS,
  db: PrismaClient = prisma(),
): Promise<Reservation> {
  const keys = limitKeys(who.email, who.address);
  // A fixed order, so that two statements never wait on each other's rows.
  const ordered = [keys.account, keys.address].sort();
  const rows = await db.$queryRaw<{ key: string; attempts: number; retry_after: number }[]>`
    INSERT INTO auth_rate_limit AS l (key, attempts, window_start)
    SELECT k, 1, now() AT TIME ZONE 'UTC' FROM unnest(${ordered}::text[]) AS k
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN l.window_start <= EXCLUDED.window_start - make_interval(secs => ${limits.windowSeconds}::int)
                      THEN 1 ELSE l.attempts + 1 END,
      window_start = CASE WHEN l.window_start <= EXCLUDED.window_start - make_interval(secs => ${limits.windowSeconds}::int)
                          THEN EXCLUDED.window_start ELSE l.window_start END
    RETURNING key, attempts,
      greatest(1, ceil(extract(epoch FROM window_start + make_interval(secs => ${limits.windowSeconds}::int) - now() AT TIME ZONE 'UTC')))::int AS retry_after`;
  if (Math.random() < 0.02) void forgetExpired(limits, db).catch(() => {});

  let retryAfterSeconds = 0;
  for (const row of rows) {
    const limit = row.key === keys.account ? limits.perAccount : limits.perAddress;
    if (row.attempts > limit) retryAfterSeconds = Math.max(retryAfterSeconds, row.retry_after);
  }
  return retryAfterSeconds > 0 ? { allowed: false, retryAfterSeconds } : { allowed: true };
}

/**
 * After the password check: a success clears the account's count and gives the address its
 * attempt back; a failure keeps both counted.
 */
export async function settleSignInAttempt(
  who: { email: string; address: string },
  succeeded: boolean,
  db: PrismaClient = prisma(),
): Promise<void> {
  if (!succeeded) return;
  const keys = limitKeys(who.email, who.address);
  await db.$transaction([
    db.$executeRaw`DELETE FROM auth_rate_limit WHERE key = ${keys.account}`,
    db.$executeRaw`UPDATE auth_rate_limit SET attempts = greatest(attempts - 1, 0) WHERE key = ${keys.address}`,
  ]);
}

/** Rows whose window has passed carry no information; removed now and then. */
export async function forgetExpired(
  limits: SignInLimits = SIGN_IN_LIMITS,
  db: PrismaClient = prisma(),
): Promise<number> {
  return db.$executeRaw`
    DELETE FROM auth_rate_limit WHERE window_start <= now() AT TIME ZONE 'UTC' - make_interval(secs => ${limits.windowSeconds}::int)`;
}
