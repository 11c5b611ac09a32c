// The sign-in rate limit against a real PostgreSQL: per account, per address, under a burst of
// parallel attempts (as from several app instances), and over time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { forgetExpired, reserveSignInAttempt, settleSignInAttempt, SIGN_IN_LIMITS } from "./sign-in-limit";

let db: PrismaClient;
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}`;

beforeAll(() => {
  db = createPrisma(inject("databaseUrl"), 20);
});
afterAll(async () => {
  await db.$disconnect();
});

async function attempts(who: { email: string; address: string }, n: number) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await reserveSignInAttempt(who, SIGN_IN_LIMITS, db));
  return results;
}

/** Moves a key's window into the past, as if `seconds` had gone by. */
async function age(key: string, seconds: number) {
  await db.$executeRaw`UPDATE auth_rate_limit SET window_start = window_start - make_interval(secs => ${seconds}::int) WHERE key = ${key}`;
}

describe("reserveSignInAttempt", () => {
  it("refuses an account after its limit, from any address, for the rest of the window", async () => {
    const email = `victim-${unique()}@example.org`;
    const results = await attempts({ email, address: `198.51.100.${counter}` }, SIGN_IN_LIMITS.perAccount);
    expect(results.every((r) => r.allowed)).toBe(true);
    const refused = await reserveSignInAttempt({ email, address: "203.0.113.250" }, SIGN_IN_LIMITS, db);
    expect(refused).toMatchObject({ allowed: false });
    if (!refused.allowed) {
      expect(refused.retryAfterSeconds).toBeGreaterThan(SIGN_IN_LIMITS.windowSeconds - 60);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.windowSeconds);
    }
  });

  it("refuses an address that tries many accounts (password spraying)", async () => {
    const address = `192.0.2.${(counter % 200) + 1}-${unique()}`;
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) {
      expect(
        (await reserveSignInAttempt({ email: `spray-${unique()}@example.org`, address }, SIGN_IN_LIMITS, db)).allowed,
      ).toBe(true);
    }
    expect(
      (await reserveSignInAttempt({ email: `spray-${unique()}@example.org`, address }, SIGN_IN_LIMITS, db)).allowed,
    ).toBe(false);
    // Another address is not affected.
    expect(
      (
        await reserveSignInAttempt(
          { email: `spray-${unique()}@example.org`, address: `${address}-other` },
          SIGN_IN_LIMITS,
          db,
        )
      ).allowed,
    ).toBe(true);
  });

  it("lets exactly the limit through when 40 attempts arrive at once", async () => {
    const email = `burst-${unique()}@example.org`;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        reserveSignInAttempt({ email, address: `burst-${i}-${unique()}` }, SIGN_IN_LIMITS, db),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(SIGN_IN_LIMITS.perAccount);
  });

  it("opens again when the window has passed", async () => {
    const who = { email: `later-${unique()}@example.org`, address: `later-${unique()}` };
    await attempts(who, SIGN_IN_LIMITS.perAccount + 1);
    expect((await reserveSignInAttempt(who, SIGN_IN_LIMITS, db)).allowed).toBe(false);
    await age(`account:${who.email}`, SIGN_IN_LIMITS.windowSeconds);
    await age(`address:${who.address}`, SIGN_IN_LIMITS.windowSeconds);
    expect((await reserveSignInAttempt(who, SIGN_IN_LIMITS, db)).allowed).toBe(true);
    const row = await db.authRateLimit.findUniqueOrThrow({ where: { key: `account:${who.email}` } });
    expect(row.attempts).toBe(1);
  });

  it("gives a successful attempt back: the account starts over, the address gets its attempt back", async () => {
    const who = { email: `ok-${unique()}@example.org`, address: `ok-${unique()}` };
    await attempts(who, SIGN_IN_LIMITS.perAccount - 1); // four failures…
    await settleSignInAttempt(who, false, db);
    expect((await reserveSignInAttempt(who, SIGN_IN_LIMITS, db)).allowed).toBe(true); // …then the right password
    await settleSignInAttempt(who, true, db);
    expect(await db.authRateLimit.findUnique({ where: { key: `account:${who.email}` } })).toBeNull();
    expect((await db.authRateLimit.findUniqueOrThrow({ where: { key: `address:${who.address}` } })).attempts).toBe(
      SIGN_IN_LIMITS.perAccount - 1,
    );
  });

  it("forgets rows whose window has passed", async () => {
    const who = { email: `old-${unique()}@example.org`, address: `old-${unique()}` };
    await attempts(who, 1);
    await age(`account:${who.email}`, SIGN_IN_LIMITS.windowSeconds + 1);
    expect(await forgetExpired(SIGN_IN_LIMITS, db)).toBeGreaterThanOrEqual(1);
    expect(await db.authRateLimit.findUnique({ where: { key: `account:${who.email}` } })).toBeNull();
    expect(await db.authRateLimit.findUnique({ where: { key: `address:${who.address}` } })).not.toBeNull();
  });
});
