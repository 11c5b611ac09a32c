// A judge run through a bad day, as generation-kill.fault.test.ts does for generation: the judge's
// endpoint answers 429 with Retry-After, the worker process is killed with SIGKILL mid-run and
// PostgreSQL is stopped and started again before a new worker takes over. The run completes with
// exactly one label per response, and its counts say so.
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
const RESPONSES = 100;
const SECRET = "judge-fault-secret-0123456789abcdefghij";
const dataDir = path.join(projectRoot, ".parallax", "fault", "judges");

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
  const result = await pool.query("SELECT status, done, failed, total FROM judge_run ORDER BY id DESC LIMIT 1");
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
  process.env.PARALLAX_API_KEY = "sk-judge-fault";
  process.env.NEXTAUTH_SECRET = SECRET;
  rmSync(dataDir, { recursive: true, force: true });
  port = await freePort();
  db = await startEmbeddedPostgres({ dataDir, port });
  await applyMigrations(db.url);
  pool = createPool(db.url, 2);
  const rows = Array.from({ length: RESPONSES }, (_, i) =>
    JSON.stringify({
      prompt_id: `k${i}`,
      prompt: `Kill test prompt ${i}`,
      checkpoint: "sft-0",
      strategy: "sft",
      response: i % 3 === 0 ? "I cannot help with that." : `Here is answer ${i}.`,
    }),
  );
  const summary = await importResponses(pool, {
    studySlug: "judge-fault",
    createStudyName: "judge-fault",
    fileName: "seed.jsonl",
    source: Readable.from([`${rows.join("\n")}\n`]),
  });
  expect(summary.status).toBe("succeeded");
  model = await startFakeModelServer({ latencyMs: 150, reasoning: "think", apiKey: "sk-judge-fault" });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await model?.close();
  await pool?.end().catch(() => {});
  await db?.stop();
});

describe("a judge run survives a killed worker and a database restart", () => {
  it("completes with exactly one label per response", async () => {
    const queued = await runParallax(
      [
        "judge",
        "--study",
        "judge-fault",
        "--name",
        "refusals",
        "--rubric",
        "refusal-kind",
        "--base-url",
        model.url,
        "--model",
        "judge-model",
        "--concurrency",
        "4",
        "--no-wait",
      ],
      db.url,
    );
    expect(queued.stderr + queued.stdout).toContain("Queued judge run");

    model.inject({ kind: "429", retryAfterSeconds: 1 }, { kind: "500" }, { kind: "cut" });
    const first = startWorker();
    await until("progress before the kill", async () => (await run()).done >= 15);
    first.child.kill("SIGKILL");
    const killedAt = await run();
    expect(killedAt.status).toBe("RUNNING");
    expect(killedAt.done).toBeLessThan(RESPONSES);

    await pool.end();
    await db.stop();
    db = await startEmbeddedPostgres({ dataDir, port });
    pool = createPool(db.url, 2);

    model.inject({ kind: "429", retryAfterSeconds: 1 });
    const second = startWorker();
    const finished = await until(
      "the run to finish",
      async () => {
        const r = await run();
        return r.status === "SUCCEEDED" ? r : false;
      },
      90_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the worker said:\n${second.output()}`);
    });
    expect(finished).toEqual({ status: "SUCCEEDED", done: RESPONSES, failed: 0, total: RESPONSES });

    const labels = await pool.query<{ n: number; responses: number; refused: number; items: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT response_id)::int AS responses,
              count(*) FILTER (WHERE refusal = 'REFUSED')::int AS refused,
              (SELECT count(*)::int FROM judge_item WHERE status = 'DONE') AS items
         FROM judge_label`,
    );
    expect(labels.rows[0]).toEqual({ n: RESPONSES, responses: RESPONSES, refused: 34, items: RESPONSES });
    expect((await pool.query("SELECT count(*)::int AS n FROM label")).rows[0].n).toBe(0);
    expect(model.received.every((r) => r.authorization === "Bearer sk-judge-fault")).toBe(true);

    second.child.kill("SIGTERM");
    await until("the second worker to stop", async () => second.child.exitCode !== null || false);
    expect(second.output()).toContain("Stopped.");
  });
});
