// A generation run through its worst day: the endpoint answers 429 with Retry-After, the worker
// process is killed with SIGKILL mid-run, PostgreSQL is stopped and started again, before a new
// worker starts and again while it works.
// The run completes, every prompt has exactly one response, the run's counts say so, and the
// job is worked to the end exactly once (one SUCCEEDED, no item counted twice).
import { describe, expect, it } from "vitest";
import { runFaults } from "../testing/run-faults";
import { runParallax } from "../testing/run-cli";

const PROMPTS = 120;
const faults = runFaults({
  name: "gen",
  table: "generation_run",
  secret: "fault-test-secret-0123456789abcdefghij",
  apiKey: "sk-fault",
  rows: Array.from({ length: PROMPTS }, (_, i) => ({
    prompt_id: `k${i}`,
    prompt: `Kill test prompt ${i}`,
    checkpoint: "sft-0",
    strategy: "sft",
    response: "x",
  })),
});

describe("a generation run survives a killed worker and a database restart", () => {
  it("completes with exactly one response per prompt", async () => {
    const { model, run, startWorker, until } = faults;
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
      faults.db.url,
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
    await faults.restartDatabase();

    model.inject({ kind: "429", retryAfterSeconds: 1 });
    const second = startWorker();
    // And once more while the new worker is mid-run: it keeps its process and carries on.
    await until("progress of the second worker", async () => (await run()).done >= killedAt.done + 20);
    await faults.restartDatabase();
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

    const responses = await faults.pool.query<{ n: number; prompts: number; items: number; linked: number }>(
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
