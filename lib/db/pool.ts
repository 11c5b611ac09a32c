// pg pools with the app's connection settings, and closing the shared clients; without Prisma, so
// that the command line's imports and exports start without loading it.
import pg from "pg";

/**
 * The bounds every connection of the app runs under. Each one exists because without it a single
 * misbehaving client could hold a connection for ever, and ten of them hang the whole app (an export
 * abandoned mid-COPY left its transaction open until a restart).
 */
export interface PoolLimits {
  /** Server side: a statement running longer is cancelled (0: none). Long work sets its own with SET LOCAL. */
  statementTimeoutMs: number;
  /** Server side: a session that sits in an open transaction this long is ended by PostgreSQL. */
  idleInTransactionTimeoutMs: number;
  /** Client side: how long a request waits for a free connection before failing (503), instead of queueing without end. */
  checkoutTimeoutMs: number;
}

function envMs(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number of milliseconds (0 or more), not "${raw}".`);
  return Math.floor(value);
}

/**
 * The app's limits, read from the environment on each call (tests and the launcher set them):
 * PARALLAX_DB_STATEMENT_TIMEOUT_MS (30 s: the slowest interactive query, analytics at a million
 * responses, takes a few seconds), PARALLAX_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS (60 s: no request holds a
 * transaction idle for more than a moment, an upload between two batches included),
 * PARALLAX_DB_CHECKOUT_TIMEOUT_MS (3 s: long enough for a burst to be served, short enough that an
 * exhausted pool answers "busy" before a person or a proxy gives up).
 */
export function poolLimits(overrides: Partial<PoolLimits> = {}): PoolLimits {
  return {
    statementTimeoutMs: envMs("PARALLAX_DB_STATEMENT_TIMEOUT_MS", 30_000),
    idleInTransactionTimeoutMs: envMs("PARALLAX_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 60_000),
    checkoutTimeoutMs: envMs("PARALLAX_DB_CHECKOUT_TIMEOUT_MS", 3_000),
    ...overrides,
  };
}

/**
 * Work whose statements grow with a study's size rather than with one request — an import's
 * transaction, a study's delete — is not an interactive query: on a study of a million responses one
 * of its statements (the length outliers over every response, the DELETE and what cascades from it)
 * can outlast the pool's 30 s on a busy machine, and the whole import or delete would be cancelled
 * at its end. Such work calls this inside its transaction, after taking its locks (so that waiting
 * for them keeps the interactive bound): the rest of the transaction runs under
 * PARALLAX_DB_LONG_WORK_TIMEOUT_MS (30 minutes by default; 0 for none), or with none at all where
 * the connection had none (the command line's pool). The value is bound, never spliced into SQL.
 */
export async function allowLongWork(client: Pick<pg.ClientBase, "query">): Promise<void> {
  const ms = envMs("PARALLAX_DB_LONG_WORK_TIMEOUT_MS", 30 * 60_000);
  await client.query(
    "SELECT set_config('statement_timeout', CASE WHEN current_setting('statement_timeout') = '0' THEN '0' ELSE $1 END, true)",
    [String(ms)],
  );
}

/** Connections of the app's shared pools (and Prisma's): PARALLAX_DB_POOL_SIZE, default 10. */
export function appPoolSize(): number {
  const raw = process.env.PARALLAX_DB_POOL_SIZE;
  if (raw === undefined || raw.trim() === "") return 10;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`PARALLAX_DB_POOL_SIZE must be a whole number of connections (1 or more), not "${raw}".`);
  return value;
}

/**
 * Every connection of the app runs in UTC: timestamp columns hold UTC wall time (as Prisma writes
 * it), so database defaults like now() must agree whatever the server's time zone.
 */
export function poolConfig(connectionString: string, max = 10, overrides: Partial<PoolLimits> = {}): pg.PoolConfig {
  const limits = poolLimits(overrides);
  // JIT compilation costs tens of milliseconds per analytics query and wins nothing at this size.
  // The timeouts go in the start-up packet, so they hold from the first statement of every
  // connection and cost no extra round trip. client_connection_check_interval (PostgreSQL 14+, Linux)
  // makes the server notice a connection the app dropped (a cancelled export) while a query is still
  // computing and has nothing to send yet, instead of only at its next write.
  const settings = [
    "-c TimeZone=UTC",
    "-c jit=off",
    `-c statement_timeout=${limits.statementTimeoutMs}`,
    `-c idle_in_transaction_session_timeout=${limits.idleInTransactionTimeoutMs}`,
    "-c client_connection_check_interval=5000",
  ];
  // Idle connections stay a minute (pg's default is 10 s): a new one costs a round of start-up and
  // re-preparing statements, which the review queue's first call after a pause paid each time.
  // allowExitOnIdle lets a process that forgets to close its pool still exit.
  return {
    connectionString,
    max,
    options: settings.join(" "),
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: limits.checkoutTimeoutMs,
    allowExitOnIdle: true,
  };
}

/** One line in the server log per connection that failed, prefixed like the launcher's lines. */
function logConnectionError(error: Error): void {
  console.error(`[parallax] database connection lost: ${error.message}`);
}

/**
 * After its connection failed, pg answers every query of a client with "Client has encountered a
 * connection error and is not queryable", which does not say what happened (the server was shut
 * down, the backend terminated, the network cut). This gives those errors the original one as their
 * cause, so that the one log line and the 503 answer name it. Only a dead client is touched.
 */
function nameTheCause(client: pg.PoolClient, cause: Error): void {
  // Later 'error' events of the same client need a listener too (else they are uncaught).
  client.on("error", () => {});
  const withCause = (error: unknown) => {
    if (error instanceof Error && error.cause === undefined) error.cause = cause;
    return error;
  };
  const query = client.query as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = function (
    this: pg.PoolClient,
    ...args: unknown[]
  ) {
    const result = query.apply(this, args) as
      | { then?: unknown; handleError?: (error: Error, connection: unknown) => void }
      | undefined;
    if (result && typeof result.then === "function") {
      return (result as Promise<unknown>).catch((error: unknown) => {
        throw withCause(error);
      });
    }
    // A submittable (a COPY stream): pg reports the error through its handleError on the next tick.
    if (result && typeof result.handleError === "function") {
      const handleError = result.handleError;
      result.handleError = (error, connection) => handleError.call(result, withCause(error) as Error, connection);
    }
    return result;
  };
}

/** A pg pool with the app's connection settings. */
export function createPool(connectionString: string, max = 10, overrides: Partial<PoolLimits> = {}): pg.Pool {
  const pool = new pg.Pool(poolConfig(connectionString, max, overrides));
  // pg-pool listens for errors only on idle clients: a checked-out client whose server goes away
  // while no query runs on it (an upload between two batches, when the backend is terminated) emits
  // 'error' with no listener, which is an uncaught exception that takes the request (or the
  // process) down. This listener keeps it from being uncaught and makes the client's next query
  // fail naming it (nameTheCause); whoever runs that query (a route, through lib/api/errors.ts)
  // answers and logs it, once.
  pool.on("connect", (client) => client.once("error", (cause: Error) => nameTheCause(client, cause)));
  // An idle client's error has nobody else to tell.
  pool.on("error", logConnectionError);
  return pool;
}

/** Where lib/db/client.ts keeps the shared clients of the process. */
export const sharedClients = globalThis as unknown as {
  parallaxPrisma?: { $disconnect(): Promise<void> };
  parallaxPool?: pg.Pool;
  parallaxExportPool?: pg.Pool;
};

export async function closeDb(): Promise<void> {
  await sharedClients.parallaxPrisma?.$disconnect();
  await sharedClients.parallaxPool?.end();
  await sharedClients.parallaxExportPool?.end();
  sharedClients.parallaxPrisma = undefined;
  sharedClients.parallaxPool = undefined;
  sharedClients.parallaxExportPool = undefined;
}
