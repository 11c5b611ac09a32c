// The launcher's watch over its embedded PostgreSQL, against real server processes: a kill -9 of the
// postmaster is followed by a restart on the same port with crash recovery (committed data kept, the
// announcement still right), and past the restart limit the supervisor gives up instead of looping.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { announcementPath, startEmbeddedPostgres } from "./embedded";
import { superviseEmbedded, type Supervisor } from "./embedded-supervisor";
import type { Database } from "./connect";
import { announce } from "./embedded";
import { restartEmbedded } from "./connect";
import { projectRoot } from "./schema-engine";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function supervised(
  name: string,
  policy?: { maxRestarts: number; windowMs: number; firstDelayMs: number; maxDelayMs: number },
) {
  const dataDir = path.join(projectRoot, ".parallax", "fault", name);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir, settings: { fsync: "off" } });
  await announce(server);
  const db: Database = { url: server.url, embedded: server, close: async () => db.embedded?.stop() };
  const lines: string[] = [];
  const gaveUp: string[] = [];
  const supervisor: Supervisor = superviseEmbedded(db, {
    log: (line) => lines.push(line),
    onGiveUp: (message) => gaveUp.push(message),
    policy,
    restart: restartEmbedded,
  });
  cleanup = async () => {
    await supervisor.stop();
    await db.close();
    rmSync(announcementPath(dataDir), { force: true });
  };
  return { db, lines, gaveUp, dataDir };
}

describe("embedded PostgreSQL supervisor", () => {
  it("restarts a kill -9'd server on the same port, with the committed data, and says so", async () => {
    const { db, lines, dataDir } = await supervised("supervisor-restart");
    const url = db.url;
    await query(url, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2), (3)");
    const first = db.embedded!.pid;
    // A connection with an open transaction, as the app has when the server dies under it.
    const open = new pg.Client({ connectionString: url });
    open.on("error", () => {});
    await open.connect();
    await open.query("BEGIN; INSERT INTO kept VALUES (99)");

    process.kill(first, "SIGKILL");
    await until(
      "the restart",
      () => db.embedded!.pid !== first && lines.some((l) => l.startsWith("The embedded PostgreSQL is running again")),
    );
    expect(lines[0]).toMatch(
      /^The embedded PostgreSQL stopped unexpectedly \(pid \d+, killed by SIGKILL\); restarting it on 127\.0\.0\.1:\d+ \(restart 1 of at most 5 restarts in 10 minutes\)/,
    );
    console.log(`supervisor: ${lines.join(" | ")}`); // the recovery time, for the README's figures
    expect(db.embedded!.url).toBe(url);
    expect(alive(first)).toBe(false);
    expect((await query(url, "SELECT count(*)::int AS n FROM kept"))[0].n).toBe(3);
    expect(JSON.parse(readFileSync(announcementPath(dataDir), "utf8")).url).toBe(url);
    await open.end().catch(() => {});
  });

  it("gives up past the restart limit", async () => {
    const { db, lines, gaveUp } = await supervised("supervisor-limit", {
      maxRestarts: 1,
      windowMs: 60_000,
      firstDelayMs: 100,
      maxDelayMs: 100,
    });
    const first = db.embedded!.pid;
    process.kill(first, "SIGKILL");
    const second = await until("the restart", () =>
      db.embedded!.pid !== first && lines.length >= 2 ? db.embedded!.pid : undefined,
    );
    process.kill(second, "SIGKILL");
    await until("giving up", () => gaveUp.length === 1);
    expect(gaveUp[0]).toMatch(/stopped again \(killed by SIGKILL\) after 1 restart in 1 minute: giving up/);
    expect(lines.filter((l) => l.startsWith("The embedded PostgreSQL stopped unexpectedly"))).toHaveLength(1);
  });
});
