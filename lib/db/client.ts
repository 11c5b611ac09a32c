// The one Prisma client of the app (and a pg pool for bulk work such as COPY), both on DATABASE_URL.
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "./generated/client";
import { appPoolSize, createPool, poolConfig, sharedClients } from "./pool";

export { appPoolSize, closeDb, createPool, poolConfig, poolLimits } from "./pool";

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run demo` or `npm start` (they start an embedded PostgreSQL), or set DATABASE_URL.",
    );
  }
  return url;
}

const globalForDb = sharedClients as {
  parallaxPrisma?: PrismaClient;
  parallaxPool?: pg.Pool;
  parallaxExportPool?: pg.Pool;
};

const logPrismaConnectionError = (error: Error) =>
  console.error(`[parallax] database connection lost: ${error.message}`);

/**
 * A Prisma client of its own on a given database (tests, one-off tools); end it with $disconnect().
 * Its pool has the same bounds as the app's (statement, idle-in-transaction and checkout timeouts).
 */
export function createPrisma(connectionString: string, max = 10): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg(poolConfig(connectionString, max), {
      onPoolError: logPrismaConnectionError,
      onConnectionError: logPrismaConnectionError,
    }),
  });
}

/** Shared Prisma client; created on first use so that importing this module never needs a database. */
export function prisma(): PrismaClient {
  globalForDb.parallaxPrisma ??= createPrisma(databaseUrl(), appPoolSize());
  return globalForDb.parallaxPrisma;
}

/** Shared pg pool for statements Prisma cannot express (COPY, advisory locks, bulk merges). */
export function pool(): pg.Pool {
  globalForDb.parallaxPool ??= createPool(databaseUrl(), appPoolSize());
  return globalForDb.parallaxPool;
}

/**
 * Connections the HTTP export may hold at once: PARALLAX_EXPORT_CONNECTIONS, default 4. Downloads
 * have a pool of their own because each holds its connection for as long as its client reads: on
 * the shared pool, a handful of slow (or stalled) downloads would leave the browse table and the
 * review workspace waiting. With their own pool, the next download is told "busy" (503) instead.
 */
export function exportPoolSize(): number {
  const raw = process.env.PARALLAX_EXPORT_CONNECTIONS;
  if (raw === undefined || raw.trim() === "") return 4;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`PARALLAX_EXPORT_CONNECTIONS must be a whole number of connections (1 or more), not "${raw}".`);
  return value;
}

/** The pool of the HTTP export's COPY streams (see exportPoolSize). */
export function exportPool(): pg.Pool {
  globalForDb.parallaxExportPool ??= createPool(databaseUrl(), exportPoolSize());
  return globalForDb.parallaxExportPool;
}
