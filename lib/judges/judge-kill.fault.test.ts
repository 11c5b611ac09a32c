// A judge run through a bad day, as generation-kill.fault.test.ts does for generation: the judge's
// endpoint answers 429 with Retry-After, the worker process is killed with SIGKILL mid-run and
// PostgreSQL is stopped and started again before a new worker takes over. The run completes with
// exactly one label per response, and its counts say so.
import { describe, expect, it } from "vitest";
import { runFaults } from "../testing/run-faults";
import { runParallax } from "../testing/run-cli";

const RESPONSES = 100;
const faults = runFaults({
  name: "judge",
  table: "judge_run",
  secret: "judge-fault-secret-0123456789abcdefghij",
  apiKey: "sk-judge-fault",
  rows: Array.from({ length: RESPONSES }, (_, i) => ({
    prompt_id: `k${i}`,
    prompt: `Kill test prompt ${i}`,
    checkpoint: "sft-0",
    strategy: "sft",
    response: i % 3 === 0 ? "I cannot help with that." : `Here is answer ${i}.`,
  })),
});

describe("a judge run survives a killed worker and a database restart", () => {
  it("completes with exactly one label per response", async () => {
    const { model, run, startWorker, until } = faults;
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
      faults.db.url,
    );
    expect(queued.stderr + queued.stdout).toContain("Queued judge run");

    model.inject({ kind: "429", retryAfterSeconds: 1 }, { kind: "500" }, { kind: "cut" });
    const first = startWorker();
    await until("progress before the kill", async () => (await run()).done >= 15);
    first.child.kill("SIGKILL");
    const killedAt = await run();
    expect(killedAt.status).toBe("RUNNING");
    expect(killedAt.done).toBeLessThan(RESPONSES);

    await faults.restartDatabase();

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

    const labels = await faults.pool.query<{ n: number; responses: number; refused: number; items: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT response_id)::int AS responses,
              count(*) FILTER (WHERE refusal = 'REFUSED')::int AS refused,
              (SELECT count(*)::int FROM judge_item WHERE status = 'DONE') AS items
         FROM judge_label`,
    );
    expect(labels.rows[0]).toEqual({ n: RESPONSES, responses: RESPONSES, refused: 34, items: RESPONSES });
    expect((await faults.pool.query("SELECT count(*)::int AS n FROM label")).rows[0].n).toBe(0);
    expect(model.received.every((r) => r.authorization === "Bearer sk-judge-fault")).toBe(true);

    second.child.kill("SIGTERM");
    await until("the second worker to stop", async () => second.child.exitCode !== null || false);
    expect(second.output()).toContain("Stopped.");
  });
});
