// API tokens for eval pipelines and scripts: a random secret shown once, stored as its SHA-256
// (a fast hash is enough for 256 random bits) with a short prefix to recognise it in lists. A token
// acts as its owner, with the owner's role, while the owner may use their account.
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { ACCOUNT_SELECT, mayUseAccount, toSessionUser, type SessionUser } from "./users";

export const TOKEN_MARK = "plx_";
const PREFIX_LENGTH = TOKEN_MARK.length + 8;
/** last_used_at is written at most this often per token, so a busy pipeline does not write on every call. */
export const LAST_USED_RESOLUTION_SECONDS = 60;

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateApiToken(): { token: string; prefix: string; tokenHash: string } {
  const token = TOKEN_MARK + randomBytes(32).toString("base64url");
  return { token, prefix: token.slice(0, PREFIX_LENGTH), tokenHash: hashApiToken(token) };
}

/** Whether a string looks like one of our tokens at all (spares the database the rest). */
export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(TOKEN_MARK) && /^[A-Za-z0-9_-]{43}$/.test(value.slice(TOKEN_MARK.length));
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match ? match[1]! : null;
}

export class ApiTokenError extends Error {}

/** Where tokens are written: the client, or a transaction's (lib/admin/tokens.ts logs the change in the same one). */
type TokenTables = Pick<PrismaClient, "user" | "apiToken">;

export async function createApiToken(
  input: { userId: number; name: string; expiresAt: Date | null },
  db: TokenTables = prisma(),
): Promise<{ token: string; id: number; prefix: string }> {
  const owner = await db.user.findUnique({ where: { id: input.userId }, select: ACCOUNT_SELECT });
  if (!owner) throw new ApiTokenError("That user does not exist.");
  if (!mayUseAccount(owner, true))
    throw new ApiTokenError("That user cannot sign in (disabled or a placeholder), so cannot own a token.");
  const { token, prefix, tokenHash } = generateApiToken();
  const record = await db.apiToken.create({
    data: { userId: owner.id, name: input.name, tokenHash, prefix, expiresAt: input.expiresAt },
    select: { id: true },
  });
  return { token, id: record.id, prefix };
}

/** The owner of a valid token (not revoked, not expired, owner may act), noting when it was used; null otherwise. */
export async function verifyApiToken(
  token: string,
  db: PrismaClient = prisma(),
): Promise<{ user: SessionUser; tokenId: number } | null> {
  if (!looksLikeApiToken(token)) return null;
  const record = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, revokedAt: true, expiresAt: true, user: { select: ACCOUNT_SELECT } },
  });
  if (!record || record.revokedAt) return null;
  if (record.expiresAt && record.expiresAt.getTime() <= Date.now()) return null;
  if (!mayUseAccount(record.user)) return null;
  await db.$executeRaw`
    UPDATE api_token SET last_used_at = now() AT TIME ZONE 'UTC'
     WHERE id = ${record.id}
       AND (last_used_at IS NULL OR last_used_at < now() AT TIME ZONE 'UTC' - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}::int))`;
  return { user: toSessionUser(record.user), tokenId: record.id };
}

/** Revokes a token; false when there was no such token or it was revoked already. */
export async function revokeApiToken(id: number, db: TokenTables = prisma()): Promise<boolean> {
  const result = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count === 1;
}

export interface ApiTokenRow {
  id: number;
  name: string;
  prefix: string;
  status: "active" | "expired" | "revoked";
  owner: { id: number; email: string; role: SessionUser["role"]; active: boolean };
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Every token, usable ones first, newest first. */
export async function listApiTokens(db: PrismaClient = prisma()): Promise<ApiTokenRow[]> {
  const tokens = await db.apiToken.findMany({
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      user: { select: ACCOUNT_SELECT },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const now = Date.now();
  const rows: ApiTokenRow[] = tokens.map(({ user, ...t }) => ({
    ...t,
    status: t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt.getTime() <= now ? "expired" : "active",
    owner: { id: user.id, email: user.email, role: user.role, active: mayUseAccount(user) },
  }));
  // Stable sort: the database's newest-first order holds within each group.
  return rows.sort((a, b) => Number(b.status === "active") - Number(a.status === "active"));
}
