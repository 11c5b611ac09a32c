// User management rules against a real PostgreSQL: one account per email, invite links that work
// once, and always an active admin, even when admins change each other at the same moment.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { acceptInvite, findOpenInvite } from "../auth/invites";
import { signInWithPassword } from "../auth/sign-in";
import {
  changeUserRole,
  createInvitedUser,
  createUserWithPassword,
  listUsers,
  renewInvite,
  setUserDisabled,
  UserRuleError,
} from "./users";

let db: PrismaClient;
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}`;
const cli = { userId: null, label: "command line (test)" };
const signIn = (email: string, password: string) =>
  signInWithPassword({ email, password, address: `t-${unique()}` }, { db, demoMode: false });

beforeAll(() => {
  db = createPrisma(inject("databaseUrl"), 10);
});
afterAll(async () => {
  await db.$disconnect();
});
// Admin counting needs a clean slate: demote admins left by other files.
beforeEach(async () => {
  await db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "RESEARCHER" } });
});

describe("creating users", () => {
  it("with a password (the command line): signs in, refuses duplicates in any case", async () => {
    const email = `Ada-${unique()}@Example.org`;
    await createUserWithPassword({ email, name: "Ada", role: "ADMIN", password: "orbit-velvet-kettle" }, cli, db);
    expect(await signIn(email.toLowerCase(), "orbit-velvet-kettle")).toMatchObject({
      ok: true,
      user: { role: "ADMIN" },
    });
    await expect(
      createUserWithPassword(
        { email: email.toUpperCase(), name: null, role: "REVIEWER", password: "another-long-one" },
        cli,
        db,
      ),
    ).rejects.toThrow(/already exists: an admin\./);
    await expect(
      createUserWithPassword(
        { email: `weak-${unique()}@example.org`, name: null, role: "REVIEWER", password: "short" },
        cli,
        db,
      ),
    ).rejects.toThrow(UserRuleError);
  });

  it("refuses an email that a placeholder reviewer (from imported labels) has", async () => {
    const email = `imported-${unique()}@example.org`;
    await db.user.create({ data: { email, role: "REVIEWER", placeholder: true } });
    await expect(createInvitedUser({ email, name: null, role: "REVIEWER" }, 1, db)).rejects.toThrow(/placeholder/);
  });

  it("with an invite link that sets the password once, and only while open", async () => {
    const email = `invited-${unique()}@example.org`;
    const created = await createInvitedUser({ email, name: "Grace", role: "REVIEWER" }, 1, db);
    expect((await listUsers(db)).find((u) => u.email === email)).toMatchObject({
      status: "invited",
      hasPassword: false,
    });
    expect(await findOpenInvite(created.inviteToken, db)).toMatchObject({ email, name: "Grace" });
    expect(await signIn(email, "hollow-pepper-rocket")).toMatchObject({ ok: false });

    expect(await acceptInvite({ token: created.inviteToken, password: "short" }, db)).toMatchObject({
      ok: false,
      reason: "weak",
    });
    // Two tabs submit at once: one wins.
    const results = await Promise.all([
      acceptInvite({ token: created.inviteToken, password: "hollow-pepper-rocket" }, db),
      acceptInvite({ token: created.inviteToken, password: "another-pepper-rocket" }, db),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = results[0]!.ok ? "hollow-pepper-rocket" : "another-pepper-rocket";
    expect(await signIn(email, winner)).toMatchObject({ ok: true });
    expect(await findOpenInvite(created.inviteToken, db)).toBeNull();
    expect(await acceptInvite({ token: created.inviteToken, password: "third-pepper-rocket" }, db)).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("renewing an invite replaces the earlier link; expired links do not work", async () => {
    const created = await createInvitedUser(
      { email: `renew-${unique()}@example.org`, name: null, role: "RESEARCHER" },
      1,
      db,
    );
    const renewed = await renewInvite({ userId: created.userId }, 1, db);
    expect(await findOpenInvite(created.inviteToken, db)).toBeNull();
    expect(await findOpenInvite(renewed.inviteToken, db)).not.toBeNull();
    await db.userInvite.updateMany({
      where: { userId: created.userId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await acceptInvite({ token: renewed.inviteToken, password: "lantern-harbor-quill" }, db)).toEqual({
      ok: false,
      reason: "invalid",
    });
  });
});

describe("keeping an admin", () => {
  async function admin() {
    const email = `admin-${unique()}@example.org`;
    const { userId } = await createUserWithPassword(
      { email, name: null, role: "ADMIN", password: "granite-willow-sparrow" },
      cli,
      db,
    );
    return userId;
  }

  it("refuses to demote or disable the last active admin, and disabling oneself", async () => {
    const only = await admin();
    await expect(changeUserRole({ userId: only, role: "RESEARCHER" }, only, db)).rejects.toThrow(
      /at least one active admin/,
    );
    await expect(setUserDisabled({ userId: only, disabled: true }, only, db)).rejects.toThrow(/your own account/);
    const other = await admin();
    await expect(setUserDisabled({ userId: only, disabled: true }, other, db)).resolves.toBeUndefined();
    await expect(setUserDisabled({ userId: other, disabled: true }, only, db)).rejects.toThrow(
      /at least one active admin/,
    );
  });

  it("holds when two admins demote each other at the same moment", async () => {
    const a = await admin();
    const b = await admin();
    const results = await Promise.allSettled([
      changeUserRole({ userId: a, role: "REVIEWER" }, b, db),
      changeUserRole({ userId: b, role: "REVIEWER" }, a, db),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.user.count({ where: { role: "ADMIN", disabled: false, placeholder: false } })).toBe(1);
  });

  it("disabling takes a user out at once", async () => {
    await admin();
    const email = `gone-${unique()}@example.org`;
    const { userId } = await createUserWithPassword(
      { email, name: null, role: "REVIEWER", password: "meadow-copper-lantern" },
      cli,
      db,
    );
    expect(await signIn(email, "meadow-copper-lantern")).toMatchObject({ ok: true });
    await setUserDisabled({ userId, disabled: true }, -1, db);
    expect(await signIn(email, "meadow-copper-lantern")).toEqual({ ok: false, reason: "invalid" });
    expect((await listUsers(db)).find((u) => u.id === userId)?.status).toBe("disabled");
  });
});
