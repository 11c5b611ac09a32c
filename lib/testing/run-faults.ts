// What the fault tests of both kinds of leased run (generation-kill, judge-kill) share: an embedded
// PostgreSQL of their own with a study imported, a fake model endpoint, worker processes started as
// `npm run parallax -- worker` would be (and killed), the database stopped and started again on the
// same port, and the newest run's counts. Registers its own beforeAll/afterAll.
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, expect } from "vitest";
import { type EmbeddedPostgres, freePort, startEmbeddedPostgres } from "../db/embedded";
import { createPool } from "../db/pool";
import { applyMigrations, projectRoot } from "../db/schema-engine";
import { importResponses } from "../import/pipeline";
import { type FakeModelServer, startFakeModelServer } from "./openai-server";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunCounts {
  status: string;
  done: number;
  failed: number;
  total: number;
}

export interface RunFaults {
  readonly db: EmbeddedPostgres;
  readonly pool: pg.Pool;
  readonly model: FakeModelServer;
  /** A worker process (one slot, leases of 2 s) on the test's database. */
  startWorker(): { child: ChildProcess; output: () => string };
  /** The newest run's status and counts. */
  run(): Promise<RunCounts>;
  until<T>(what: string, probe: () => Promise<T | false>, timeoutMs?: number): Promise<T>;
  /** PostgreSQL stopped and started again on the same port (the pool with it). */
  restartDatabase(): Promise<void>;
}

export function runFaults(options: {
  /** The folder under .parallax/fault and the study's slug. */
  name: string;
  table: "generation_run" | "judge_run";
  secret: string;
  apiKey: string;
  /** The imported study's rows (JSON Lines objects). */
  rows: Record<string, unknown>[];
}): RunFaults {
  const dataDir = path.join(projectRoot, ".parallax", "fault", options.name);
  let db: EmbeddedPostgres;
  let port: number;
  let pool: pg.Pool;
  let model: FakeModelServer;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // The command line (runParallax) takes the key and the server secret from its environment.
    process.env.PARALLAX_API_KEY = options.apiKey;
    process.env.NEXTAUTH_SECRET = options.secret;
    rmSync(dataDir, { recursive: true, force: true });
    port = await freePort();
    db = await startEmbeddedPostgres({ dataDir, port });
    await applyMigrations(db.url);
    pool = createPool(db.url, 2);
    const summary = await importResponses(pool, {
      studySlug: `${options.name}-fault`,
      createStudyName: `${options.name}-fault`,
      fileName: "seed.jsonl",
      source: Readable.from([`${options.rows.map((row) => JSON.stringify(row)).join("\n")}\n`]),
    });
    expect(summary.status).toBe("succeeded");
    model = await startFakeModelServer({ latencyMs: 150, reasoning: "think", apiKey: options.apiKey });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await model?.close();
    await pool?.end().catch(() => {});
    await db?.stop();
  });

  return {
    get db() {
      return db;
    },
    get pool() {
      return pool;
    },
    get model() {
      return model;
    },
    startWorker() {
      const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/parallax.ts", "worker", "--workers", "1"], {
        cwd: projectRoot,
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          NEXTAUTH_SECRET: options.secret,
          PARALLAX_JOB_LEASE_SECONDS: "2",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      children.push(child);
      return { child, output: () => output };
    },
    async run() {
      const result = await pool.query<RunCounts>(
        `SELECT status, done, failed, total FROM ${options.table} ORDER BY id DESC LIMIT 1`,
      );
      return result.rows[0]!;
    },
    async until<T>(what: string, probe: () => Promise<T | false>, timeoutMs = 120_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe().catch(() => false as const);
        if (value !== false) return value;
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await sleep(100);
      }
    },
    async restartDatabase() {
      await pool.end();
      await db.stop();
      db = await startEmbeddedPostgres({ dataDir, port });
      pool = createPool(db.url, 2);
    },
  };
}
