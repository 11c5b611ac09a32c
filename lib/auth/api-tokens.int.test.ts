// API tokens against a real PostgreSQL: shown once, stored hashed, verified with the owner's role,
// last use noted, revoked, expired, and dead with a disabled owner.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import {
  ApiTokenError,
  createApiToken,
  hashApiToken,
  listApiTokens,
  revokeApiToken,
  verifyApiToken,
} from "./api-tokens";

let db: PrismaClient;
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}`;

beforeAll(() => {
  db = createPrisma(inject("databaseUrl"), 5);
});
afterAll(async () => {
  await db.$disconnect();
});
afterEach(() => {
  vi.useRealTimers();
});

async function user(
  data: { role?: "ADMIN" | "RESEARCHER" | "REVIEWER"; disabled?: boolean; placeholder?: boolean; email?: string } = {},
) {
  return db.user.create({
    data: {
      email: data.email ?? `tok-${unique()}@example.org`,
      role: data.role ?? "RESEARCHER",
      disabled: data.disabled,
      placeholder: data.placeholder,
    },
  });
}

describe("API tokens", () => {
  it("are stored as a hash and a prefix only, and verify as their owner", async () => {
    const owner = await user({ role: "RESEARCHER" });
    const { token, id } = await createApiToken({ userId: owner.id, name: "nightly eval", expiresAt: null }, db);
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(stored.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(token.startsWith(stored.prefix)).toBe(true);
    expect(stored.lastUsedAt).toBeNull();

    const verified = await verifyApiToken(token, db);
    expect(verified).toEqual({
      tokenId: id,
      user: { id: owner.id, email: owner.email, name: null, role: "RESEARCHER" },
    });
    const used = await db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(used.lastUsedAt).not.toBeNull();
    expect(Math.abs(used.lastUsedAt!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("note the last use at most once a minute", async () => {
    const owner = await user();
    const { token, id } = await createApiToken({ userId: owner.id, name: "busy", expiresAt: null }, db);
    await verifyApiToken(token, db);
    const first = (await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt!;
    await verifyApiToken(token, db);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(first);
    await db.apiToken.update({ where: { id }, data: { lastUsedAt: new Date(Date.now() - 5 * 60_000) } });
    await verifyApiToken(token, db);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt!.getTime()).toBeGreaterThan(
      Date.now() - 60_000,
    );
  });

  it("stop working when revoked, expired, or when the owner is disabled", async () => {
    const owner = await user();
    const revoked = await createApiToken({ userId: owner.id, name: "r", expiresAt: null }, db);
    expect(await revokeApiToken(revoked.id, db)).toBe(true);
    expect(await revokeApiToken(revoked.id, db)).toBe(false);
    expect(await verifyApiToken(revoked.token, db)).toBeNull();

    const expired = await createApiToken({ userId: owner.id, name: "e", expiresAt: new Date(Date.now() - 1000) }, db);
    expect(await verifyApiToken(expired.token, db)).toBeNull();

    const live = await createApiToken({ userId: owner.id, name: "l", expiresAt: new Date(Date.now() + 3600_000) }, db);
    expect(await verifyApiToken(live.token, db)).not.toBeNull();
    await db.user.update({ where: { id: owner.id }, data: { disabled: true } });
    expect(await verifyApiToken(live.token, db)).toBeNull();

    const statuses = (await listApiTokens(db))
      .filter((t) => t.owner.id === owner.id)
      .map((t) => [t.name, t.status, t.owner.active]);
    expect(statuses).toEqual([
      ["l", "active", false],
      ["e", "expired", false],
      ["r", "revoked", false],
    ]);
  });

  it("refuse made-up and near-miss tokens", async () => {
    const owner = await user();
    const { token } = await createApiToken({ userId: owner.id, name: "x", expiresAt: null }, db);
    const flipped = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    expect(await verifyApiToken(flipped, db)).toBeNull();
    expect(await verifyApiToken("plx_" + "A".repeat(43), db)).toBeNull();
    expect(await verifyApiToken("", db)).toBeNull();
  });

  it("cannot be made for placeholder or disabled users", async () => {
    await expect(
      createApiToken({ userId: (await user({ placeholder: true })).id, name: "p", expiresAt: null }, db),
    ).rejects.toThrow(ApiTokenError);
    await expect(
      createApiToken({ userId: (await user({ disabled: true })).id, name: "d", expiresAt: null }, db),
    ).rejects.toThrow(ApiTokenError);
  });

  it("say why a token cannot be made, in the admin's words", async () => {
    await expect(createApiToken({ userId: 2_000_000_000, name: "n", expiresAt: null }, db)).rejects.toThrow(
      new ApiTokenError("That user does not exist."),
    );
    await expect(
      createApiToken({ userId: (await user({ disabled: true })).id, name: "d", expiresAt: null }, db),
    ).rejects.toThrow(
      new ApiTokenError("That user cannot sign in (disabled or a placeholder), so cannot own a token."),
    );
  });

  it("can be made for a demo account (usable in the demo only)", async () => {
    const demo = await user({ email: `demo-${unique()}@demo.parallax.local` });
    const { token } = await createApiToken({ userId: demo.id, name: "demo", expiresAt: null }, db);
    expect(token).toMatch(/^plx_/);
    // Outside the demo, a demo account's token opens nothing.
    expect(await verifyApiToken(token, db)).toBeNull();
  });

  it("expire at the very moment of their expiry", async () => {
    const owner = await user();
    const expiresAt = new Date(Date.now() + 3600_000);
    const { token } = await createApiToken({ userId: owner.id, name: "edge", expiresAt }, db);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expiresAt.getTime() - 1);
    expect(await verifyApiToken(token, db)).not.toBeNull();
    expect((await listApiTokens(db)).find((t) => t.name === "edge" && t.owner.id === owner.id)?.status).toBe("active");
    vi.setSystemTime(expiresAt.getTime());
    expect(await verifyApiToken(token, db)).toBeNull();
    expect((await listApiTokens(db)).find((t) => t.name === "edge" && t.owner.id === owner.id)?.status).toBe("expired");
  });

  it("are listed with what the admin page shows, usable ones first, each group newest first", async () => {
    const owner = await user({ role: "ADMIN" });
    const make = async (name: string, createdAt: Date, state: { expired?: boolean; revoked?: boolean } = {}) => {
      const made = await createApiToken(
        { userId: owner.id, name, expiresAt: state.expired ? new Date(Date.now() - 1000) : null },
        db,
      );
      await db.apiToken.update({
        where: { id: made.id },
        data: { createdAt, revokedAt: state.revoked ? new Date() : null },
      });
      return made;
    };
    const t = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    // Made in an order other than their creation times, so that only createdAt can sort them.
    const old = await make("active-old", t(50));
    await make("revoked-new", t(10), { revoked: true });
    await make("active-new", t(20));
    await make("expired-newest", t(5), { expired: true });
    await make("revoked-old", t(40), { revoked: true });
    // Two made in the same instant: the later one first.
    await make("active-tie-1", t(30));
    await make("active-tie-2", t(30));
    await verifyApiToken(old.token, db);

    const rows = (await listApiTokens(db)).filter((row) => row.owner.id === owner.id);
    expect(rows.map((row) => [row.name, row.status])).toEqual([
      ["active-new", "active"],
      ["active-tie-2", "active"],
      ["active-tie-1", "active"],
      ["active-old", "active"],
      ["expired-newest", "expired"],
      ["revoked-new", "revoked"],
      ["revoked-old", "revoked"],
    ]);
    const first = rows.find((row) => row.name === "active-old")!;
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: old.id } });
    expect(first).toEqual({
      id: old.id,
      name: "active-old",
      prefix: old.prefix,
      status: "active",
      owner: { id: owner.id, email: owner.email, role: "ADMIN", active: true },
      createdAt: stored.createdAt,
      lastUsedAt: stored.lastUsedAt,
      expiresAt: null,
      revokedAt: null,
    });
    expect(first.lastUsedAt).toBeInstanceOf(Date);
    expect(first.prefix).toMatch(/^plx_.{8}$/);
  });
});
