// The one Prisma client of the app (and a pg pool for bulk work such as COPY), both on DATABASE_URL.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run demo` or `npm start` (they start an embedded PostgreSQL), or set DATABASE_URL.",
    );
  }
  return url;
}

/**
 * Every connection of the app runs in UTC: timestamp columns hold UTC wall time (as Prisma writes
 * it), so database defaults like now() must agree whatever the server's time zone.
 */
export function poolConfig(connectionString: string, max = 10): pg.PoolConfig {
  // JIT compilation costs tens of milliseconds per analytics query and wins nothing at this size.
  return { connectionString, max, options: "-c TimeZone=UTC -c jit=off" };
}

/** A pg pool with the app's connection settings. */
export function createPool(connectionString: string, max = 10): pg.Pool {
  return new pg.Pool(poolConfig(connectionString, max));
}

const globalForDb = globalThis as unknown as { parallaxPrisma?: PrismaClient; parallaxPool?: pg.Pool };

/** A Prisma client of its own on a given database (tests, one-off tools); end it with $disconnect(). */
export function createPrisma(connectionString: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(poolConfig(connectionString, max)) });
}

/** Shared Prisma client; created on first use so that importing this module never needs a database. */
export function prisma(): PrismaClient {
  globalForDb.parallaxPrisma ??= createPrisma(databaseUrl());
  return globalForDb.parallaxPrisma;
}

/** Shared pg pool for statements Prisma cannot express (COPY, advisory locks, bulk merges). */
export function pool(): pg.Pool {
  globalForDb.parallaxPool ??= createPool(databaseUrl());
  return globalForDb.parallaxPool;
}

export async function closeDb(): Promise<void> {
  await globalForDb.parallaxPrisma?.$disconnect();
  await globalForDb.parallaxPool?.end();
  globalForDb.parallaxPrisma = undefined;
  globalForDb.parallaxPool = undefined;
}
