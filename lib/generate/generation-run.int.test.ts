// Generation runs against a real PostgreSQL, worked by real pg-boss workers, calling the local
// OpenAI-compatible server: what a researcher gets in the study (responses split like imported ones,
// with signals, usage and finish reason), retries on 429 and 500, failures per prompt, pause/resume,
// and that running the same request again writes nothing twice.
import { Readable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importResponses } from "../import/pipeline";
import { startWorkers, sendRunJob, type Workers } from "../jobs/workers";
import { fakeAnswer, fakeReasoning, startFakeModelServer, type FakeModelServer } from "../testing/openai-server";
import { runParallax } from "../testing/run-cli";
import { decryptApiKey } from "./key-cipher";
import { generationRequestSchema } from "./run-settings";
import { controlRun, createRun, runProgress, type RunProgress } from "./runs";

const SECRET = "generation-test-secret-0123456789abcdef";
const fastRetry = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };
const actor = { userId: null, label: "researcher (test)" };
let pool: pg.Pool;
let workers: Workers;
let server: FakeModelServer;

beforeAll(async () => {
  const url = inject("databaseUrl");
  pool = createPool(url, 4);
  process.env.PARALLAX_JOB_LEASE_SECONDS = "3";
  workers = await startWorkers(url, 2, { log: () => {}, retry: fastRetry, secret: SECRET });
  server = await startFakeModelServer({ reasoning: "field", apiKey: "sk-int" });
});

afterAll(async () => {
  await workers?.stop();
  await server?.close();
  await pool.query("DELETE FROM study WHERE slug LIKE 'gen-%'");
  await pool.end();
  delete process.env.PARALLAX_JOB_LEASE_SECONDS;
});

async function studyWithPrompts(slug: string, prompts: number) {
  const rows = Array.from({ length: prompts }, (_, i) =>
    JSON.stringify({
      prompt_id: `p${i}`,
      prompt: `Question number ${i}?`,
      language: "en",
      checkpoint: "imported-sft",
      strategy: "sft",
      response: `<think>Imported reasoning ${i}.</think>Imported answer ${i}.`,
    }),
  );
  const summary = await importResponses(pool, {
    studySlug: slug,
    createStudyName: slug,
    fileName: "seed.jsonl",
    source: Readable.from([rows.join("\n") + "\n"]),
  });
  expect(summary.status).toBe("succeeded");
}

function request(fields: Record<string, unknown>) {
  return generationRequestSchema.parse({
    checkpoint: "rl-step-100",
    strategy: "rl",
    baseUrl: server.url,
    model: "fake-model",
    apiKey: "sk-int",
    concurrency: 4,
    ...fields,
  });
}

const enqueue = (runId: number) => sendRunJob(workers.boss, runId);

async function until(runId: number, done: (p: RunProgress) => boolean, ms = 60_000): Promise<RunProgress> {
  const end = Date.now() + ms;
  for (;;) {
    const progress = (await runProgress(pool, runId))!;
    if (done(progress)) return progress;
    if (Date.now() > end) throw new Error(`run ${runId} stuck: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("generation runs", () => {
  it("collects every prompt × sample once, split and analysed like imported responses", async () => {
    await studyWithPrompts("gen-basic", 12);
    server.inject({ kind: "429", retryAfterSeconds: 0 }, { kind: "500" });
    const created = await createRun(pool, "gen-basic", request({ samples: 2, seed: 5, maxTokens: 1000 }), {
      createdById: null,
      enqueue,
      secret: SECRET,
    });
    expect(created.total).toBe(24);
    const finished = await until(created.id, (p) => p.status === "SUCCEEDED");
    expect(finished).toMatchObject({ done: 24, failed: 0, message: null });

    const rows = await pool.query<{
      key: string;
      sample_index: number;
      reasoning: string;
      answer: string;
      text: string;
      source_shape: string;
      signals: unknown;
      metadata: {
        generation: { finish_reason: string; truncated: boolean; completion_tokens: number; run_id: number };
      };
    }>(
      `SELECT p.key, p.text, r.sample_index, r.reasoning, r.answer, r.source_shape, r.signals, r.metadata
         FROM response r JOIN prompt p ON p.id = r.prompt_id JOIN checkpoint c ON c.id = r.checkpoint_id
        WHERE c.name = 'rl-step-100' AND p.study_id = (SELECT id FROM study WHERE slug = 'gen-basic') ORDER BY p.key, r.sample_index`,
    );
    expect(rows.rows).toHaveLength(24);
    for (const row of rows.rows) {
      expect(row.reasoning).toBe(fakeReasoning(row.text));
      expect(row.answer).toBe(fakeAnswer(row.text, 5 + row.sample_index));
      expect(row.source_shape).toBe("generated");
      expect(row.signals).not.toBeNull();
      expect(row.metadata.generation).toMatchObject({ finish_reason: "stop", truncated: false, run_id: created.id });
      expect(row.metadata.generation.completion_tokens).toBeGreaterThan(0);
    }

    // The checkpoint records the endpoint; the key only encrypted.
    const checkpoint = await pool.query<{ strategy: string; endpoint: Record<string, unknown>; endpoint_key: string }>(
      "SELECT strategy, endpoint, endpoint_key FROM checkpoint WHERE name = 'rl-step-100' AND study_id = (SELECT id FROM study WHERE slug = 'gen-basic')",
    );
    expect(checkpoint.rows[0]!.strategy).toBe("RL");
    expect(checkpoint.rows[0]!.endpoint).toMatchObject({
      base_url: server.url,
      model: "fake-model",
      samples: 2,
      seed: 5,
    });
    expect(JSON.stringify(checkpoint.rows[0]!.endpoint)).not.toContain("sk-int");
    expect(checkpoint.rows[0]!.endpoint_key).not.toContain("sk-int");
    expect(decryptApiKey(checkpoint.rows[0]!.endpoint_key, SECRET)).toBe("sk-int");

    // The responses are in the review queue's counts like imported ones: every prompt has two checkpoints now.
    const perPrompt = await pool.query<{ n: number }>(
      "SELECT count(DISTINCT checkpoint_id)::int AS n FROM response WHERE study_id = (SELECT id FROM study WHERE slug = 'gen-basic') GROUP BY prompt_id",
    );
    expect(new Set(perPrompt.rows.map((r) => r.n))).toEqual(new Set([2]));

    // The same request again has nothing left to collect.
    const again = await createRun(pool, "gen-basic", request({ samples: 2, seed: 5 }), {
      createdById: null,
      enqueue,
      secret: SECRET,
    });
    expect(again).toMatchObject({ status: "SUCCEEDED", total: 0 });
    expect(again.message).toContain("nothing to collect");
  });

  it("marks truncated answers and lists the prompts that failed for good", async () => {
    await studyWithPrompts("gen-fail", 3);
    // Every attempt of the first prompt fails (3 attempts), the others succeed.
    server.inject({ kind: "500" }, { kind: "500" }, { kind: "500" });
    const created = await createRun(pool, "gen-fail", request({ maxTokens: 2, concurrency: 1 }), {
      createdById: null,
      enqueue,
      secret: SECRET,
    });
    const finished = await until(created.id, (p) => p.status === "SUCCEEDED");
    expect(finished).toMatchObject({ done: 2, failed: 1 });
    expect(finished.message).toBe("1 of 3 prompt samples failed for good (their errors are listed).");
    expect(finished.failures).toEqual([{ promptKey: "p0", sampleIndex: 0, error: "HTTP 500: internal error" }]);
    const truncated = await pool.query<{ truncated: boolean; issues: string[] }>(
      `SELECT (r.metadata -> 'generation' ->> 'truncated')::boolean AS truncated FROM response r JOIN generation_item i ON i.response_id = r.id
        WHERE i.run_id = $1`,
      [created.id],
    );
    expect(truncated.rows.map((r) => r.truncated)).toEqual([true, true]);
  });

  it("pauses and resumes without losing or repeating a prompt", async () => {
    await studyWithPrompts("gen-pause", 40);
    server.setLatency(100);
    try {
      const created = await createRun(pool, "gen-pause", request({ concurrency: 2 }), {
        createdById: null,
        enqueue,
        secret: SECRET,
      });
      await until(created.id, (p) => p.done >= 4);
      await controlRun(pool, "gen-pause", created.id, "pause", enqueue, actor);
      // Settled once no worker holds it: what was in flight is written, then nothing moves.
      const settled = await until(created.id, (p) => p.status === "PAUSED" && !p.held);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await runProgress(pool, created.id))!.done).toBe(settled.done);
      expect(settled.done).toBeLessThan(40);
      await expect(controlRun(pool, "gen-pause", created.id, "pause", enqueue, actor)).rejects.toThrow(
        /paused: it cannot be paused/,
      );
      await controlRun(pool, "gen-pause", created.id, "resume", enqueue, actor);
      const finished = await until(created.id, (p) => p.status === "SUCCEEDED");
      expect(finished).toMatchObject({ done: 40, failed: 0 });
      // Pause and resume are in the audit log under who did them; the refused pause wrote nothing.
      const audit = await pool.query<{ action: string; actor: string; detail: unknown }>(
        "SELECT action, actor, detail FROM audit_event WHERE study_slug = 'gen-pause' AND action LIKE 'generation-run.%' ORDER BY id",
      );
      expect(audit.rows).toEqual([
        {
          action: "generation-run.pause",
          actor: actor.label,
          detail: { run: `generation run ${created.id}`, status: { from: expect.any(String), to: "paused" } },
        },
        {
          action: "generation-run.resume",
          actor: actor.label,
          detail: { run: `generation run ${created.id}`, status: { from: "paused", to: "queued" } },
        },
      ]);
      const count = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM response r JOIN checkpoint c ON c.id = r.checkpoint_id WHERE c.name = 'rl-step-100' AND r.study_id = (SELECT id FROM study WHERE slug = 'gen-pause')",
      );
      expect(count.rows[0]!.n).toBe(40);
    } finally {
      server.setLatency(0);
    }
  });

  it("refuses what it cannot do with the field named", async () => {
    await studyWithPrompts("gen-refuse", 1);
    await expect(
      createRun(pool, "gen-refuse", request({ checkpoint: "imported-sft", strategy: "rl" }), {
        createdById: null,
        enqueue,
        secret: SECRET,
      }),
    ).rejects.toThrow('strategy: checkpoint "imported-sft" already exists in this study with strategy sft, not rl.');
    await expect(
      createRun(pool, "gen-refuse", request({ checkpoint: "new-one", strategy: "" }), {
        createdById: null,
        enqueue,
        secret: SECRET,
      }),
    ).rejects.toThrow(/is new to this study, so its strategy/);
    await expect(
      createRun(pool, "gen-nope", request({}), { createdById: null, enqueue, secret: SECRET }),
    ).rejects.toThrow('No study "gen-nope".');
    expect(generationRequestSchema.safeParse({ ...request({}), temperature: 3 }).error?.issues[0]?.message).toBe(
      "temperature must be 0 to 2",
    );
  });

  it("runs from the command line with progress on stderr and the key from PARALLAX_API_KEY", async () => {
    await studyWithPrompts("gen-cli", 5);
    process.env.PARALLAX_API_KEY = "sk-int";
    process.env.NEXTAUTH_SECRET = SECRET;
    try {
      const args = ["generate", "--study", "gen-cli", "--checkpoint", "hybrid-cli", "--strategy", "sft+rl"];
      const endpoint = ["--base-url", server.url, "--model", "fake-model", "--samples", "2", "--max-tokens", "3"];
      const first = await runParallax([...args, ...endpoint], inject("databaseUrl"));
      expect(first.stderr).toMatch(/Run \d+: 10 prompt sample\(s\) to collect for checkpoint "hybrid-cli"/);
      expect(first.stdout).toMatch(/^run \d+ succeeded: 10\/10 \(100 %\)$/m);
      expect(first.stdout + first.stderr).not.toContain("sk-int");
      expect(first.code).toBe(0);
      const strategy = await pool.query<{ strategy: string }>(
        "SELECT strategy FROM checkpoint WHERE name = 'hybrid-cli'",
      );
      expect(strategy.rows[0]!.strategy).toBe("HYBRID");

      const again = await runParallax([...args, ...endpoint], inject("databaseUrl"));
      expect(again.stdout).toContain("nothing to collect");
      expect(again.code).toBe(0);

      const refused = await runParallax([...args, "--base-url", "ftp://x", "--model", "m"], inject("databaseUrl"));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("baseUrl: base URL must start with http:// or https://");
    } finally {
      delete process.env.PARALLAX_API_KEY;
      delete process.env.NEXTAUTH_SECRET;
    }
  });
});
