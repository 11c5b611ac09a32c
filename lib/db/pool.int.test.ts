// The bounds every pool of the app runs under, on a real PostgreSQL: server-side timeouts set on
// each connection, a checkout that fails fast when the pool is exhausted, and a checked-out
// connection that dies without taking the process down (its next query says why it died).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { describeError } from "../api/errors";
import { isDatabaseUnavailable } from "./availability";
import { allowLongWork, createPool } from "./pool";

let admin: pg.Client;
const pools: pg.Pool[] = [];
const pool = (max: number, overrides: Parameters<typeof createPool>[2] = {}) => {
  const created = createPool(inject("databaseUrl"), max, overrides);
  pools.push(created);
  return created;
};

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await admin.end();
});

describe("app pools", () => {
  it("set the statement, idle-in-transaction and connection-check bounds on every connection", async () => {
    const result = await pool(1).query<{ statement: string; idle: string; check: string; tz: string }>(
      `SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle,
              current_setting('client_connection_check_interval') AS check, current_setting('TimeZone') AS tz`,
    );
    expect(result.rows[0]).toEqual({ statement: "30s", idle: "1min", check: "5s", tz: "UTC" });
  });

  it("cancel an interactive statement over the statement timeout", async () => {
    const error = await pool(1, { statementTimeoutMs: 200 })
      .query("SELECT pg_sleep(2)")
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("57014");
  });

  it("let long work (an import, a delete) outlast the statement timeout until its transaction ends, never where none was set", async () => {
    const client = await pool(1, { statementTimeoutMs: 200 }).connect();
    try {
      await client.query("BEGIN");
      await expect(client.query("SELECT pg_sleep(0.4)")).rejects.toThrow(/statement timeout/);
      await client.query("ROLLBACK");
      await client.query("BEGIN");
      await allowLongWork(client);
      await client.query("SELECT pg_sleep(0.4)");
      expect((await client.query("SHOW statement_timeout")).rows[0].statement_timeout).toBe("30min");
      await client.query("COMMIT");
      // Only for that transaction: the next statement is interactive again.
      await expect(client.query("SELECT pg_sleep(0.4)")).rejects.toThrow(/statement timeout/);
    } finally {
      client.release();
    }
    // The command line's pool has no timeout: long work does not give it one.
    const unbounded = await pool(1, { statementTimeoutMs: 0 }).connect();
    try {
      await unbounded.query("BEGIN");
      await allowLongWork(unbounded);
      expect((await unbounded.query("SHOW statement_timeout")).rows[0].statement_timeout).toBe("0");
      await unbounded.query("COMMIT");
    } finally {
      unbounded.release();
    }
  });

  it("end a transaction left idle longer than the idle-in-transaction timeout, without an uncaught error", async () => {
    const p = pool(1, { idleInTransactionTimeoutMs: 200 });
    const client = await p.connect();
    await client.query("BEGIN");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const error = await client.query("SELECT 1").catch((e: unknown) => e);
    client.release(error as Error);
    expect(describeError(error)).toMatch(/idle-in-transaction timeout/);
    // The pool serves again with a new connection.
    expect((await p.query("SELECT 1 AS one")).rows[0]).toEqual({ one: 1 });
  });

  it("fail a checkout fast when every connection is taken, as 'database unavailable'", async () => {
    const p = pool(1, { checkoutTimeoutMs: 300 });
    const held = await p.connect();
    const started = Date.now();
    const error = await p.connect().catch((e: unknown) => e);
    const waited = Date.now() - started;
    held.release();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(waited).toBeLessThan(5_000);
    expect((await p.query("SELECT 1 AS one")).rows[0]).toEqual({ one: 1 });
  });

  it("name why a checked-out connection died in its next query's error", async () => {
    const p = pool(1);
    const client = await p.connect();
    const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    // Terminated while no query runs on it: pg emits 'error' on the client, which without the
    // pool's listener would be an uncaught exception here.
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const error = await client.query("SELECT 1").catch((e: unknown) => e);
    client.release(error as Error);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(describeError(error)).toMatch(/not queryable: terminating connection due to administrator command/);
  });
});
