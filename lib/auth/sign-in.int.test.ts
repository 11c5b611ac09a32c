// Signing in with a password against a real PostgreSQL: who may, and brute force slowed down.
import bcrypt from "bcryptjs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { BCRYPT_COST, hashPassword } from "./passwords";
import { signInWithPassword } from "./sign-in";
import { SIGN_IN_LIMITS } from "./sign-in-limit";

const PASSWORD = "quartz-lantern-meadow";
let db: PrismaClient;
let passwordHash: string;
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}`;

beforeAll(async () => {
  db = createPrisma(inject("databaseUrl"), 10);
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(async () => {
  await db.$disconnect();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * The bcrypt comparisons an attempt makes, with the cost of each hash: what an attacker's stopwatch
 * would measure, counted instead of timed (a busy machine changes times, not counts). The spy
 * calls the real comparison.
 */
async function comparisons(run: () => Promise<unknown>): Promise<number[]> {
  const spy = vi.spyOn(bcrypt, "compare");
  try {
    await run();
    return spy.mock.calls.map(([, hash]) => bcrypt.getRounds(hash as string));
  } finally {
    spy.mockRestore();
  }
}

async function account(
  overrides: {
    email?: string;
    disabled?: boolean;
    placeholder?: boolean;
    role?: "ADMIN" | "RESEARCHER" | "REVIEWER";
  } = {},
) {
  const email = overrides.email ?? `user-${unique()}@example.org`;
  await db.user.create({
    data: {
      email,
      role: overrides.role ?? "RESEARCHER",
      passwordHash,
      disabled: overrides.disabled,
      placeholder: overrides.placeholder,
    },
  });
  return email;
}

const attempt = (email: string, password: string, address = `addr-${unique()}`) =>
  signInWithPassword({ email, password, address }, { db, demoMode: false });

describe("signInWithPassword", () => {
  it("signs in with the right password, whatever the case of the email, and notes the time", async () => {
    const email = await account({ role: "REVIEWER" });
    const result = await attempt(email.toUpperCase(), PASSWORD);
    expect(result).toMatchObject({ ok: true, user: { email, role: "REVIEWER" } });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.lastSignInAt).not.toBeNull();
  });

  it("says the same for a wrong password, an unknown email, a disabled and a placeholder account", async () => {
    const email = await account();
    expect(await attempt(email, "wrong-password-here")).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(`nobody-${unique()}@example.org`, PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(await account({ disabled: true }), PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(await account({ placeholder: true }), PASSWORD)).toEqual({ ok: false, reason: "invalid" });
  });

  it("lets demo accounts in only in the demo", async () => {
    const email = await account({ email: `demo-${unique()}@demo.parallax.local` });
    expect(await attempt(email, PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword({ email, password: PASSWORD, address: "a" }, { db, demoMode: true })).toMatchObject(
      { ok: true },
    );
  });

  it("does the same work for an unknown email as for a known one: one bcrypt comparison at the same cost", async () => {
    const email = await account();
    const known = await comparisons(() => attempt(email, "not-the-password"));
    expect(known).toEqual([BCRYPT_COST]);
    expect(await comparisons(() => attempt(`nobody-${unique()}@example.org`, "not-the-password"))).toEqual(known);
    expect(await comparisons(async () => attempt(await account({ disabled: true }), PASSWORD))).toEqual(known);
    expect(await comparisons(async () => attempt(await account({ placeholder: true }), PASSWORD))).toEqual(known);
  });

  it("slows brute force down: after the limit even the right password is refused, for the rest of the window", async () => {
    const email = await account();
    const address = `attacker-${unique()}`;
    const guesses: Awaited<ReturnType<typeof attempt>>[] = [];
    // Each checked guess costs a bcrypt comparison at cost 12.
    const checked = await comparisons(async () => {
      for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++)
        guesses.push(await attempt(email, `guess-${i}-wrong`, address));
    });
    expect(guesses.every((g) => !g.ok && g.reason === "invalid")).toBe(true);
    expect(checked).toEqual(Array(SIGN_IN_LIMITS.perAccount).fill(BCRYPT_COST));

    const blocked = await attempt(email, PASSWORD, address);
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
    if (!blocked.ok && blocked.reason === "rate_limited")
      expect(blocked.retryAfterSeconds).toBeGreaterThan(SIGN_IN_LIMITS.windowSeconds - 60);
    // From another address too: the limit is on the account.
    expect(await attempt(email, PASSWORD, `elsewhere-${unique()}`)).toMatchObject({
      ok: false,
      reason: "rate_limited",
    });

    // A refused attempt does not check the password at all (answers at database speed).
    expect(
      await comparisons(async () =>
        expect(await attempt(email, "another-guess", address)).toMatchObject({ reason: "rate_limited" }),
      ),
    ).toEqual([]);

    // Once the window has passed, the owner gets in.
    const keys = [`account:${email}`, `address:${address}`];
    await db.$executeRaw`UPDATE auth_rate_limit SET window_start = window_start - make_interval(secs => ${SIGN_IN_LIMITS.windowSeconds}::int) WHERE key = ANY(${keys}::text[])`;
    expect(await attempt(email, PASSWORD, address)).toMatchObject({ ok: true });
  });

  it("checks at most the limit of passwords when a burst of guesses arrives at once", async () => {
    const email = await account();
    let results: Awaited<ReturnType<typeof attempt>>[] = [];
    const checked = await comparisons(async () => {
      results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => attempt(email, i === 11 ? PASSWORD : `burst-guess-${i}`)),
      );
    });
    const refused = results.filter((r) => !r.ok && r.reason === "rate_limited");
    expect(refused.length).toBeGreaterThanOrEqual(12 - SIGN_IN_LIMITS.perAccount);
    expect(checked.length).toBeLessThanOrEqual(SIGN_IN_LIMITS.perAccount);
  });
});
