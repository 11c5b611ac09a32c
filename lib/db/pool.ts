// pg pools with the app's connection settings, and closing the shared clients; without Prisma, so
// that the command line's imports and exports start without loading it.
import pg from "pg";

/**
 * Every connection of the app runs in UTC: timestamp columns hold UTC wall time (as Prisma writes
 * it), so database defaults like now() must agree whatever the server's time zone.
 */
export function poolConfig(connectionString: string, max = 10): pg.PoolConfig {
  // JIT compilation costs tens of milliseconds per analytics query and wins nothing at this size.
  // Idle connections stay a minute (pg's default is 10 s): a new one costs a round of start-up and
  // re-preparing statements, which the review queue's first call after a pause paid each time.
  // allowExitOnIdle lets a process that forgets to close its pool still exit.
  return { connectionString, max, options: "-c TimeZone=UTC -c jit=off", idleTimeoutMillis: 60_000, allowExitOnIdle: true };
}

/** A pg pool with the app's connection settings. */
export function createPool(connectionString: string, max = 10): pg.Pool {
  return new pg.Pool(poolConfig(connectionString, max));
}

/** Where lib/db/client.ts keeps the shared clients of the process. */
export const sharedClients = globalThis as unknown as { parallaxPrisma?: { $disconnect(): Promise<void> }; parallaxPool?: pg.Pool };

export async function closeDb(): Promise<void> {
  await sharedClients.parallaxPrisma?.$disconnect();
  await sharedClients.parallaxPool?.end();
  sharedClients.parallaxPrisma = undefined;
  sharedClients.parallaxPool = undefined;
}
