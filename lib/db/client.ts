// The one Prisma client of the app (and a pg pool for bulk work such as COPY), both on DATABASE_URL.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { createPool, poolConfig, sharedClients } from "./pool";

export { closeDb, createPool, poolConfig } from "./pool";

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run demo` or `npm start` (they start an embedded PostgreSQL), or set DATABASE_URL.",
    );
  }
  return url;
}

const globalForDb = sharedClients as { parallaxPrisma?: PrismaClient; parallaxPool?: pg.Pool };

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
