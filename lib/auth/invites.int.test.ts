// Invite links against a real PostgreSQL: a link opens for its account only while unused and
// unexpired, sets a password once (even when used twice at the same moment), and an invite that
// names a study makes the person its member, logged in the audit trail.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { verifyPassword } from "./passwords";
import { acceptInvite, createInvite, findOpenInvite, INVITE_DAYS, inviteUrl } from "./invites";

const PASSWORD = "saffron-glacier-pinwheel";
let db: PrismaClient;
let unreachable: PrismaClient;
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}`;

beforeAll(() => {
  db = createPrisma(inject("databaseUrl"), 5);
  unreachable = createPrisma("postgresql://nobody@127.0.0.1:1/none", 1);
});
afterAll(async () => {
  await db.$disconnect();
  await unreachable.$disconnect();
});
afterEach(() => {
  vi.useRealTimers();
});

async function user(data: { email?: string; disabled?: boolean; placeholder?: boolean; name?: string } = {}) {
  return db.user.create({ data: { email: `inv-${unique()}@example.org`, role: "REVIEWER", ...data } });
}

describe("inviteUrl", () => {
  it("is on the site's own address when one is configured, else a path", () => {
    expect(inviteUrl("abc", "https://parallax.example.org")).toBe("https://parallax.example.org/invite/abc");
    expect(inviteUrl("abc", "https://parallax.example.org/ignored/path")).toBe(
      "https://parallax.example.org/invite/abc",
    );
    expect(inviteUrl("abc", "")).toBe("/invite/abc");
    expect(inviteUrl("abc", undefined)).toBe(process.env.NEXTAUTH_URL ? expect.any(String) : "/invite/abc");
  });
});

describe("findOpenInvite", () => {
  it("refuses anything that is not shaped like a link's token without asking the database", async () => {
    for (const token of [
      "",
      "short",
      "A".repeat(42),
      "A".repeat(44),
      `x${"A".repeat(43)}!`,
      `!${"A".repeat(43)}`,
      `${"A".repeat(43)}!`,
    ]) {
      expect(await findOpenInvite(token, unreachable), token).toBeNull();
    }
    await expect(findOpenInvite("A".repeat(43), unreachable)).rejects.toThrow();
  });

  it("opens a fresh link for its account, for INVITE_DAYS", async () => {
    const account = await user({ name: "Ada" });
    const before = Date.now();
    const invite = await createInvite({ userId: account.id, createdById: null }, db);
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const days = (invite.expiresAt.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(INVITE_DAYS - 0.01);
    expect(days).toBeLessThanOrEqual(INVITE_DAYS + 0.01);
    expect(await findOpenInvite(invite.token, db)).toEqual({
      email: account.email,
      name: "Ada",
      expiresAt: invite.expiresAt,
    });
  });

  it("does not open a used link, nor an expired one (expired at the very moment it expires)", async () => {
    const account = await user();
    const used = await createInvite({ userId: account.id, createdById: null }, db);
    await db.userInvite.updateMany({ where: { userId: account.id }, data: { usedAt: new Date() } });
    expect(await findOpenInvite(used.token, db)).toBeNull();

    const other = await user();
    const expiring = await createInvite({ userId: other.id, createdById: null }, db);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expiring.expiresAt.getTime() - 1);
    expect(await findOpenInvite(expiring.token, db)).not.toBeNull();
    vi.setSystemTime(expiring.expiresAt.getTime());
    expect(await findOpenInvite(expiring.token, db)).toBeNull();
  });

  it("does not open a link of an account that may not sign in; a demo account's link opens outside the demo too", async () => {
    for (const data of [{ disabled: true }, { placeholder: true }]) {
      const account = await user(data);
      const invite = await createInvite({ userId: account.id, createdById: null }, db);
      expect(await findOpenInvite(invite.token, db), JSON.stringify(data)).toBeNull();
    }
    const demo = await user({ email: `demo-${unique()}@demo.parallax.local` });
    const invite = await createInvite({ userId: demo.id, createdById: null }, db);
    expect(await findOpenInvite(invite.token, db)).toMatchObject({ email: demo.email });
  });

  it("a new link replaces the account's unused ones, and only that account's", async () => {
    const account = await user();
    const neighbour = await user();
    const theirs = await createInvite({ userId: neighbour.id, createdById: null }, db);
    const first = await createInvite({ userId: account.id, createdById: null }, db);
    const second = await createInvite({ userId: account.id, createdById: null }, db);
    expect(await findOpenInvite(first.token, db)).toBeNull();
    expect(await findOpenInvite(second.token, db)).not.toBeNull();
    expect(await findOpenInvite(theirs.token, db)).not.toBeNull();
    // A used link stays on record (who joined how).
    await db.userInvite.updateMany({ where: { userId: account.id, usedAt: null }, data: { usedAt: new Date() } });
    await createInvite({ userId: account.id, createdById: null }, db);
    expect(await db.userInvite.count({ where: { userId: account.id } })).toBe(2);
  });
});

describe("acceptInvite", () => {
  it("refuses an unknown link and a weak password, naming the problem, and changes nothing", async () => {
    expect(await acceptInvite({ token: "A".repeat(43), password: PASSWORD }, db)).toEqual({
      ok: false,
      reason: "invalid",
    });
    const account = await user({ email: `marguerite-${unique()}@example.org` });
    const invite = await createInvite({ userId: account.id, createdById: null }, db);
    expect(await acceptInvite({ token: invite.token, password: "short" }, db)).toEqual({
      ok: false,
      reason: "weak",
      message: "Use at least 12 characters.",
    });
    // The password checks know whose link it is.
    const local = account.email.split("@")[0]!;
    expect(await acceptInvite({ token: invite.token, password: `${local.toUpperCase()}!2026` }, db)).toEqual({
      ok: false,
      reason: "weak",
      message: "Do not use your email address in the password.",
    });
    const stored = await db.user.findUniqueOrThrow({ where: { id: account.id } });
    expect(stored.passwordHash).toBeNull();
    expect(await findOpenInvite(invite.token, db)).not.toBeNull();
  });

  it("sets the password and uses the link up: a second use is refused", async () => {
    const account = await user();
    const invite = await createInvite({ userId: account.id, createdById: null }, db);
    expect(await acceptInvite({ token: invite.token, password: PASSWORD }, db)).toEqual({
      ok: true,
      email: account.email,
    });
    const stored = await db.user.findUniqueOrThrow({ where: { id: account.id } });
    expect(await verifyPassword(PASSWORD, stored.passwordHash!)).toBe(true);
    const row = await db.userInvite.findFirstOrThrow({ where: { userId: account.id } });
    expect(row.usedAt).not.toBeNull();
    expect(await acceptInvite({ token: invite.token, password: "another-long-passphrase" }, db)).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("sets a password once when the link is used twice at the same moment", async () => {
    const account = await user();
    const invite = await createInvite({ userId: account.id, createdById: null }, db);
    const results = await Promise.all([
      acceptInvite({ token: invite.token, password: PASSWORD }, db),
      acceptInvite({ token: invite.token, password: "second-tab-passphrase" }, db),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "invalid" }]);
    expect((await db.user.findUniqueOrThrow({ where: { id: account.id } })).sessionGeneration).toBe(1);
  });

  it("makes the invited person a member of the invite's study, logged as added by the inviter", async () => {
    const admin = await user({ email: `admin-${unique()}@example.org` });
    const account = await user();
    const study = await db.study.create({ data: { slug: `inv-${unique()}`, name: "Invites" } });
    const invite = await createInvite(
      { userId: account.id, createdById: admin.id, study: { id: study.id, role: "REVIEWER" } },
      db,
    );
    expect(await acceptInvite({ token: invite.token, password: PASSWORD }, db)).toMatchObject({ ok: true });
    expect(
      await db.studyMember.findMany({
        where: { studyId: study.id },
        select: { userId: true, role: true, addedById: true },
      }),
    ).toEqual([{ userId: account.id, role: "REVIEWER", addedById: admin.id }]);
    const events = await db.auditEvent.findMany({
      where: { studyId: study.id },
      select: { actor: true, action: true, detail: true },
    });
    expect(events).toEqual([
      {
        actor: admin.email,
        action: "study.member.add",
        detail: { member: account.email, role: { from: null, to: "REVIEWER" }, via: "invite" },
      },
    ]);
  });

  it("an invite without a study makes no membership", async () => {
    const account = await user();
    const invite = await createInvite({ userId: account.id, createdById: null }, db);
    const row = await db.userInvite.findFirstOrThrow({ where: { userId: account.id } });
    expect([row.studyId, row.studyRole]).toEqual([null, null]);
    expect(await acceptInvite({ token: invite.token, password: PASSWORD }, db)).toMatchObject({ ok: true });
    expect(await db.studyMember.count({ where: { userId: account.id } })).toBe(0);
  });
});
