// API tokens against a real PostgreSQL: shown once, stored hashed, verified with the owner's role,
// last use noted, revoked, expired, and dead with a disabled owner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

async function user(
  data: { role?: "ADMIN" | "RESEARCHER" | "REVIEWER"; disabled?: boolean; placeholder?: boolean } = {},
) {
  return db.user.create({
    data: {
      email: `tok-${unique()}@example.org`,
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
});
