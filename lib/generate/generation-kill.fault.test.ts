// A generation run through its worst day: the endpoint answers 429 with Retry-After, the worker
// process is killed with SIGKILL mid-run, PostgreSQL is stopped and started again, before a new
// worker starts and again while it works.
// The run completes, every prompt has exactly one response, the run's counts say so, and the
// job is worked to the end exactly once (one SUCCEEDED, no item counted twice).
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "../db/pool";
import { type EmbeddedPostgres, freePort, startEmbeddedPostgres } from "../db/embedded";
import { applyMigrations, projectRoot } from "../db/schema-engine";
import { importResponses } from "../import/pipeline";
import { startFakeModelServer, type FakeModelServer } from "../testing/openai-server";
import { runParallax } from "../testing/run-cli";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PROMPTS = 120;
const SECRET = "fault-test-secret-0123456789abcdefghij";
const dataDir = path.join(projectRoot, ".parallax", "fault", "generation");

let db: EmbeddedPostgres;
let port: number;
let pool: pg.Pool;
let model: FakeModelServer;
const children: ChildProcess[] = [];

function startWorker(): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/parallax.ts", "worker", "--workers", "1"], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: db.url, NEXTAUTH_SECRET: SECRET, PARALLAX_JOB_LEASE_SECONDS: "2" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  children.push(child);
  return { child, output: () => output };
}

async function run(): Promise<{ status: string; done: number; failed: number; total: number }> {
  const result = await pool.query("SELECT status, done, failed, total FROM generation_run ORDER BY id DESC LIMIT 1");
  return result.rows[0];
}

async function until<T>(what: string, probe: () => Promise<T | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => false as const);
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  // The command line (runParallax) takes the key and the server secret from its environment.
  process.env.PARALLAX_API_KEY = "sk-fault";
  process.env.NEXTAUTH_SECRET = SECRET;
  rmSync(dataDir, { recursive: true, force: true });
  port = await freePort();
  db = await startEmbeddedPostgres({ dataDir, port });
  await applyMigrations(db.url);
  pool = createPool(db.url, 2);
  const rows = Array.from({ length: PROMPTS }, (_, i) =>
    JSON.stringify({
      prompt_id: `k${i}`,
      prompt: `Kill test prompt ${i}`,
      checkpoint: "sft-0",
      strategy: "sft",
      response: "x",
    }),
  );
  const summary = await importResponses(pool, {
    studySlug: "gen-fault",
    createStudyName: "gen-fault",
    fileName: "seed.jsonl",
    source: Readable.from([`${rows.join("\n")}\n`]),
  });
  expect(summary.status).toBe("succeeded");
  model = await startFakeModelServer({ latencyMs: 150, reasoning: "think", apiKey: "sk-fault" });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await model?.close();
  await pool?.end().catch(() => {});
  await db?.stop();
});

describe("a generation run survives a killed worker and a database restart", () => {
  it("completes with exactly one response per prompt", async () => {
    // Queued from the command line (no worker of its own); the key from the environment.
    const queued = await runParallax(
      [
        "generate",
        "--study",
        "gen-fault",
        "--checkpoint",
        "rl-fault",
        "--strategy",
        "rl",
        "--base-url",
        model.url,
        "--model",
        "fake-model",
        "--concurrency",
        "4",
        "--no-wait",
      ],
      db.url,
    );
    expect(queued.stderr + queued.stdout).toContain("Queued run");

    model.inject(
      { kind: "429", retryAfterSeconds: 1 },
      { kind: "429", retryAfterSeconds: 1 },
      { kind: "500" },
      { kind: "cut" },
    );
    const first = startWorker();
    await until("progress before the kill", async () => (await run()).done >= 15);
    first.child.kill("SIGKILL");
    const killedAt = await run();
    expect(killedAt.status).toBe("RUNNING");
    expect(killedAt.done).toBeLessThan(PROMPTS);

    // PostgreSQL goes away and comes back on the same port while no worker runs.
    await pool.end();
    await db.stop();
    db = await startEmbeddedPostgres({ dataDir, port });
    pool = createPool(db.url, 2);

    model.inject({ kind: "429", retryAfterSeconds: 1 });
    const second = startWorker();
    // And once more while the new worker is mid-run: it keeps its process and carries on.
    await until("progress of the second worker", async () => (await run()).done >= killedAt.done + 20);
    await pool.end();
    await db.stop();
    db = await startEmbeddedPostgres({ dataDir, port });
    pool = createPool(db.url, 2);
    const finished = await until(
      "the run to finish",
      async () => {
        const r = await run();
        return r.status === "SUCCEEDED" ? r : false;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the worker said:\n${second.output()}`);
    });
    expect(finished).toEqual({ status: "SUCCEEDED", done: PROMPTS, failed: 0, total: PROMPTS });

    const responses = await pool.query<{ n: number; prompts: number; items: number; linked: number }>(
      `SELECT (SELECT count(*)::int FROM response r JOIN checkpoint c ON c.id = r.checkpoint_id WHERE c.name = 'rl-fault') AS n,
              (SELECT count(DISTINCT r.prompt_id)::int FROM response r JOIN checkpoint c ON c.id = r.checkpoint_id WHERE c.name = 'rl-fault') AS prompts,
              (SELECT count(*)::int FROM generation_item WHERE status = 'DONE') AS items,
              (SELECT count(DISTINCT response_id)::int FROM generation_item) AS linked`,
    );
    expect(responses.rows[0]).toEqual({ n: PROMPTS, prompts: PROMPTS, items: PROMPTS, linked: PROMPTS });
    // Every request carried the key the command line was given, decrypted by the workers.
    expect(model.received.every((r) => r.authorization === "Bearer sk-fault")).toBe(true);
    expect(model.received.length).toBeGreaterThanOrEqual(PROMPTS);

    second.child.kill("SIGTERM");
    await until("the second worker to stop", async () => second.child.exitCode !== null || false);
    expect(second.output()).toContain("Stopped.");
  });
});
