// Signing in with a password against a real PostgreSQL: who may, and brute force slowed down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { hashPassword } from "./passwords";
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

async function account(overrides: { email?: string; disabled?: boolean; placeholder?: boolean; role?: "ADMIN" | "RESEARCHER" | "REVIEWER" } = {}) {
  const email = overrides.email ?? `user-${unique()}@example.org`;
  await db.user.create({ data: { email, role: overrides.role ?? "RESEARCHER", passwordHash, disabled: overrides.disabled, placeholder: overrides.placeholder } });
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
    expect(await signInWithPassword({ email, password: PASSWORD, address: "a" }, { db, demoMode: true })).toMatchObject({ ok: true });
  });

  it("takes as long for an unknown email as for a known one", async () => {
    const email = await account();
    const time = async (target: string) => {
      const started = performance.now();
      await attempt(target, "not-the-password");
      return performance.now() - started;
    };
    const known = await time(email);
    const unknown = await time(`nobody-${unique()}@example.org`);
    expect(unknown).toBeGreaterThan(known * 0.5);
    expect(unknown).toBeLessThan(known * 2);
  });

  it("slows brute force down: after the limit even the right password is refused, for the rest of the window", async () => {
    const email = await account();
    const address = `attacker-${unique()}`;
    const started = performance.now();
    const guesses = [];
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) guesses.push(await attempt(email, `guess-${i}-wrong`, address));
    const checked = performance.now() - started;
    expect(guesses.every((g) => !g.ok && g.reason === "invalid")).toBe(true);
    // Each checked guess costs a bcrypt comparison (cost 12).
    expect(checked / SIGN_IN_LIMITS.perAccount).toBeGreaterThan(100);

    const blocked = await attempt(email, PASSWORD, address);
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
    if (!blocked.ok && blocked.reason === "rate_limited") expect(blocked.retryAfterSeconds).toBeGreaterThan(SIGN_IN_LIMITS.windowSeconds - 60);
    // From another address too: the limit is on the account.
    expect(await attempt(email, PASSWORD, `elsewhere-${unique()}`)).toMatchObject({ ok: false, reason: "rate_limited" });

    // A refused attempt does not check the password at all (answers at database speed).
    const refusedStarted = performance.now();
    await attempt(email, "another-guess", address);
    expect(performance.now() - refusedStarted).toBeLessThan(100);

    // Once the window has passed, the owner gets in.
    const keys = [`account:${email}`, `address:${address}`];
    await db.$executeRaw`UPDATE auth_rate_limit SET window_start = window_start - make_interval(secs => ${SIGN_IN_LIMITS.windowSeconds}::int) WHERE key = ANY(${keys}::text[])`;
    expect(await attempt(email, PASSWORD, address)).toMatchObject({ ok: true });
  });

  it("checks at most the limit of passwords when a burst of guesses arrives at once", async () => {
    const email = await account();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(email, i === 11 ? PASSWORD : `burst-guess-${i}`)));
    const refused = results.filter((r) => !r.ok && r.reason === "rate_limited");
    expect(refused.length).toBeGreaterThanOrEqual(12 - SIGN_IN_LIMITS.perAccount);
  });
});
