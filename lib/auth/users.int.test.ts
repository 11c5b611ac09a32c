// The account rules against a real PostgreSQL: who a session cookie, a single sign-on email or a
// sign-out names, and that ids which cannot be a user are refused before the database is asked.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { endSessions, findActiveUserByEmail, findSessionUser, isDemoMode, sessionGenerationOf } from "./users";

let db: PrismaClient;
/** A client of a server that does not exist: any question it is asked fails. */
let unreachable: PrismaClient;
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}`;
const demoBefore = process.env.PARALLAX_DEMO;

beforeAll(() => {
  db = createPrisma(inject("databaseUrl"), 5);
  unreachable = createPrisma("postgresql://nobody@127.0.0.1:1/none", 1);
});
afterAll(async () => {
  await db.$disconnect();
  await unreachable.$disconnect();
});
afterEach(() => {
  if (demoBefore === undefined) delete process.env.PARALLAX_DEMO;
  else process.env.PARALLAX_DEMO = demoBefore;
});

async function user(data: { email?: string; disabled?: boolean; placeholder?: boolean; name?: string } = {}) {
  return db.user.create({ data: { email: `usr-${unique()}@example.org`, role: "RESEARCHER", ...data } });
}

describe("isDemoMode", () => {
  it("is on only when the demo launcher set PARALLAX_DEMO=1", () => {
    process.env.PARALLAX_DEMO = "1";
    expect(isDemoMode()).toBe(true);
    for (const value of ["0", "", "true", "yes"]) {
      process.env.PARALLAX_DEMO = value;
      expect(isDemoMode(), value).toBe(false);
    }
    delete process.env.PARALLAX_DEMO;
    expect(isDemoMode()).toBe(false);
  });
});

describe("ids that cannot be a user", () => {
  it("are refused without asking the database", async () => {
    for (const id of [0, -1, 1.5, Number.NaN, 2 ** 53]) {
      expect(await findSessionUser(id, 0, unreachable), String(id)).toBeNull();
      expect(await sessionGenerationOf(id, unreachable), String(id)).toBeNull();
      expect(await endSessions(id, {}, unreachable), String(id)).toBe(false);
    }
  });

  it("while a real id is looked up (the unreachable database answers with an error)", async () => {
    await expect(findSessionUser(1, 0, unreachable)).rejects.toThrow();
    await expect(sessionGenerationOf(1, unreachable)).rejects.toThrow();
    await expect(endSessions(1, {}, unreachable)).rejects.toThrow();
  });
});

describe("findSessionUser and sessionGenerationOf", () => {
  it("name nobody for an id without a user", async () => {
    expect(await findSessionUser(2_000_000_000, 0, db)).toBeNull();
    expect(await sessionGenerationOf(2_000_000_000, db)).toBeNull();
  });

  it("refuse a disabled, placeholder or (outside the demo) demo account even with the current generation", async () => {
    for (const data of [{ disabled: true }, { placeholder: true }, { email: `demo-${unique()}@demo.parallax.local` }]) {
      const account = await user(data);
      expect(await sessionGenerationOf(account.id, db)).toBe(0);
      expect(await findSessionUser(account.id, 0, db), JSON.stringify(data)).toBeNull();
    }
    const demo = await user({ email: `demo-${unique()}@demo.parallax.local` });
    process.env.PARALLAX_DEMO = "1";
    expect(await findSessionUser(demo.id, 0, db)).toMatchObject({ id: demo.id });
  });

  it("give back the user as pages see it", async () => {
    const account = await user({ name: "Grace" });
    expect(await findSessionUser(account.id, undefined, db)).toEqual({
      id: account.id,
      email: account.email,
      name: "Grace",
      role: "RESEARCHER",
    });
  });
});

describe("endSessions", () => {
  it("without ifCurrent ends whatever generation is current", async () => {
    const account = await user();
    await db.user.update({ where: { id: account.id }, data: { sessionGeneration: 4 } });
    expect(await endSessions(account.id, {}, db)).toBe(true);
    expect(await sessionGenerationOf(account.id, db)).toBe(5);
    expect(await endSessions(account.id, undefined, db)).toBe(true);
    expect(await sessionGenerationOf(account.id, db)).toBe(6);
    expect(await endSessions(2_000_000_000, {}, db)).toBe(false);
  });
});

describe("findActiveUserByEmail", () => {
  it("finds an account that may sign in by its email in any case, and no other", async () => {
    const account = await user({ name: "Lin" });
    expect(await findActiveUserByEmail(`  ${account.email.toUpperCase()} `, db)).toEqual({
      id: account.id,
      email: account.email,
      name: "Lin",
      role: "RESEARCHER",
    });
    expect(await findActiveUserByEmail(`nobody-${unique()}@example.org`, db)).toBeNull();
    expect(await findActiveUserByEmail((await user({ disabled: true })).email, db)).toBeNull();
    expect(await findActiveUserByEmail((await user({ placeholder: true })).email, db)).toBeNull();
  });
});
