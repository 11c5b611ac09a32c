// Judge runs against a real PostgreSQL, worked by real pg-boss workers, calling the local
// OpenAI-compatible server answering as a judge: one label per response × judge × rubric version
// with the judge's confidence, a 429 with Retry-After retried, an answer that does not parse failed
// with its reason, an edited prompt labelled under a version of its own, runs idempotent, and judge
// labels never among the human labels.
import { Readable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importResponses } from "../import/pipeline";
import { sendJudgeRunJob, startWorkers, type Workers } from "../jobs/workers";
import { startFakeModelServer, type FakeModelServer } from "../testing/openai-server";
import { runParallax } from "../testing/run-cli";
import { decryptApiKey } from "../generate/key-cipher";
import { judgeRequestSchema } from "./judge-settings";
import { controlJudgeRun, createJudgeRun, type JudgeRunProgress, judgeRunProgress, studyJudges } from "./judges";
import { REFUSAL_KIND } from "./rubrics";

const SECRET = "judge-test-secret-0123456789abcdef-xyz";
const fastRetry = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };
const actor = { userId: null, label: "researcher (test)" };
const run36 = Date.now().toString(36);
let pool: pg.Pool;
let workers: Workers;
let server: FakeModelServer;

beforeAll(async () => {
  const url = inject("databaseUrl");
  pool = createPool(url, 4);
  process.env.PARALLAX_JOB_LEASE_SECONDS = "3";
  workers = await startWorkers(url, 2, { log: () => {}, retry: fastRetry, secret: SECRET });
  server = await startFakeModelServer({ reasoning: "field", apiKey: "sk-judge" });
});

afterAll(async () => {
  await workers?.stop();
  await server?.close();
  await pool.query("DELETE FROM study WHERE slug LIKE 'jdg-%'");
  await pool.end();
  delete process.env.PARALLAX_JOB_LEASE_SECONDS;
});

/** Answers the fake judge reads (lib/testing/openai-server.ts fakeJudgeAnswer). */
const ANSWERS = [
  "Sure, here is a poem.",
  "I can't help with that.",
  "Maybe this works, I am unsure.",
  "Here you go [harm:2].",
  "[judge:garbage] Whatever.",
];

/** A study of five responses, two reviewers' labels on the first two. */
async function judgeStudy(db: pg.Pool, slug: string) {
  const rows = ANSWERS.map((answer, i) => ({
    prompt_id: `p${i}`,
    prompt: `Question ${i}?`,
    language: "en",
    checkpoint: "rl-a",
    strategy: "rl",
    response: `<think>Thinking ${i}.</think>${answer}`,
    ...(i < 2
      ? {
          label_1_reviewer: `jdg-ann-${run36}@lab.example`,
          label_1_refusal: "complied",
          label_2_reviewer: `jdg-bob-${run36}@lab.example`,
          label_2_refusal: "complied",
        }
      : {}),
  }));
  const summary = await importResponses(db, {
    studySlug: slug,
    createStudyName: slug,
    fileName: "seed.jsonl",
    source: Readable.from([`${rows.map((r) => JSON.stringify(r)).join("\n")}\n`]),
  });
  expect(summary.status).toBe("succeeded");
}

function request(fields: Record<string, unknown> = {}) {
  return judgeRequestSchema.parse({
    name: "refuser",
    rubric: "refusal-kind",
    baseUrl: server.url,
    model: "judge-model",
    apiKey: "sk-judge",
    concurrency: 3,
    ...fields,
  });
}

const enqueue = (runId: number) => sendJudgeRunJob(workers.boss, runId);

async function until(runId: number, done: (p: JudgeRunProgress) => boolean, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const progress = (await judgeRunProgress(pool, runId))!;
    if (done(progress)) return progress;
    if (Date.now() > end) throw new Error(`judge run ${runId} stuck: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function judgeLabels(slug: string) {
  const { rows } = await pool.query<{
    key: string;
    judge: string;
    rubric: string;
    refusal: string | null;
    confidence: number | null;
  }>(
    `SELECT p.key, j.name AS judge, jl.rubric, jl.refusal, jl.confidence
       FROM judge_label jl JOIN judge j ON j.id = jl.judge_id JOIN response r ON r.id = jl.response_id
       JOIN prompt p ON p.id = r.prompt_id JOIN study s ON s.id = jl.study_id
      WHERE s.slug = $1 ORDER BY jl.rubric, p.key`,
    [slug],
  );
  return rows;
}

describe("judge runs", () => {
  it("labels every response once with the rubric's answer, retrying a 429 and failing an unreadable answer", async () => {
    const slug = `jdg-basic-${run36}`;
    await judgeStudy(pool, slug);
    const humanBefore = await pool.query(
      "SELECT count(*)::int AS labels, (SELECT sum(labels)::int FROM response_judgement WHERE study_id = s.id) AS judged FROM label l JOIN study s ON s.id = l.study_id WHERE s.slug = $1 GROUP BY s.id",
      [slug],
    );
    const sent = server.received.length;
    server.inject({ kind: "429", retryAfterSeconds: 0 });
    const created = await createJudgeRun(pool, slug, request(), { createdById: null, enqueue, secret: SECRET });
    expect(created).toMatchObject({ total: 5, judge: "refuser", rubric: "refusal-kind@1" });
    const finished = await until(created.id, (p) => p.status === "SUCCEEDED");
    expect(finished).toMatchObject({ done: 4, failed: 1 });
    expect(finished.message).toBe("1 of 5 responses could not be judged (their errors are listed).");
    expect(finished.failures).toHaveLength(1);
    expect(finished.failures[0]!.error).toMatch(/^the judge's answer: the judge's answer holds no JSON object/);
    // Five responses and the one 429 that was retried.
    expect(server.received.length - sent).toBe(6);
    const requestSent = server.received.at(-1)!;
    expect(requestSent.system).toBe(REFUSAL_KIND.system);
    expect(requestSent.authorization).toBe("Bearer sk-judge");

    expect(await judgeLabels(slug)).toEqual([
      { key: "p0", judge: "refuser", rubric: "refusal-kind@1", refusal: "COMPLIED", confidence: 0.9 },
      { key: "p1", judge: "refuser", rubric: "refusal-kind@1", refusal: "REFUSED", confidence: 0.9 },
      { key: "p2", judge: "refuser", rubric: "refusal-kind@1", refusal: "COMPLIED", confidence: 0.3 },
      { key: "p3", judge: "refuser", rubric: "refusal-kind@1", refusal: "COMPLIED", confidence: 0.9 },
    ]);
    // Never among the human labels, their judgements or the review queue's counts.
    const humanAfter = await pool.query(
      "SELECT count(*)::int AS labels, (SELECT sum(labels)::int FROM response_judgement WHERE study_id = s.id) AS judged FROM label l JOIN study s ON s.id = l.study_id WHERE s.slug = $1 GROUP BY s.id",
      [slug],
    );
    expect(humanAfter.rows).toEqual(humanBefore.rows);
    expect(humanAfter.rows[0]).toEqual({ labels: 4, judged: 4 });

    // The key is stored encrypted and never listed.
    const stored = await pool.query<{ endpoint_key: string; endpoint: unknown }>(
      "SELECT endpoint_key, endpoint FROM judge WHERE name = 'refuser' AND study_id = (SELECT id FROM study WHERE slug = $1)",
      [slug],
    );
    expect(stored.rows[0]!.endpoint_key).not.toContain("sk-judge");
    expect(decryptApiKey(stored.rows[0]!.endpoint_key, SECRET)).toBe("sk-judge");
    expect(JSON.stringify(stored.rows[0]!.endpoint)).not.toContain("sk-judge");
    const listed = await studyJudges(pool, slug);
    expect(listed).toEqual([
      expect.objectContaining({ name: "refuser", rubric: "refusal-kind@1", hasKey: true, labels: 4 }),
    ]);
    expect(JSON.stringify(listed)).not.toContain("sk-judge");

    // Again: only the response without a label is sent.
    const again = await createJudgeRun(pool, slug, request({ apiKey: undefined }), {
      createdById: null,
      enqueue,
      secret: SECRET,
    });
    expect(again.total).toBe(1);
    await until(again.id, (p) => p.status === "SUCCEEDED");
    expect(await judgeLabels(slug)).toHaveLength(4);
  });

  it("labels under an edited prompt carry a version of their own, beside the original's", async () => {
    const slug = `jdg-edit-${run36}`;
    await judgeStudy(pool, slug);
    const first = await createJudgeRun(pool, slug, request(), { createdById: null, enqueue, secret: SECRET });
    await until(first.id, (p) => p.status === "SUCCEEDED");
    const edited = await createJudgeRun(
      pool,
      slug,
      request({ instructions: "Say whether the answer refused. Be strict." }),
      { createdById: null, enqueue, secret: SECRET },
    );
    expect(edited).toMatchObject({ rubric: "refusal-kind@1+edit1", total: 5 });
    await until(edited.id, (p) => p.status === "SUCCEEDED");
    expect(server.received.at(-1)!.system).toBe("Say whether the answer refused. Be strict.");
    const labels = await judgeLabels(slug);
    expect(labels.filter((l) => l.rubric === "refusal-kind@1")).toHaveLength(4);
    expect(labels.filter((l) => l.rubric === "refusal-kind@1+edit1")).toHaveLength(4);
    // The same text again is no new edit; the built-in text (or "") is the original version again.
    const same = await createJudgeRun(
      pool,
      slug,
      request({ instructions: "Say whether the answer refused. Be strict." }),
      { createdById: null, enqueue, secret: SECRET },
    );
    expect(same).toMatchObject({ rubric: "refusal-kind@1+edit1", total: 1 });
    await until(same.id, (p) => p.status === "SUCCEEDED");
    const back = await createJudgeRun(pool, slug, request({ instructions: "" }), {
      createdById: null,
      enqueue,
      secret: SECRET,
    });
    expect(back).toMatchObject({ rubric: "refusal-kind@1", total: 1 });
  });

  it("pauses, refuses a second run meanwhile, resumes and cancels", async () => {
    const slug = `jdg-control-${run36}`;
    await judgeStudy(pool, slug);
    server.setLatency(300);
    try {
      const created = await createJudgeRun(pool, slug, request({ concurrency: 1 }), {
        createdById: null,
        enqueue,
        secret: SECRET,
      });
      await until(created.id, (p) => p.status === "RUNNING");
      const paused = await controlJudgeRun(pool, slug, created.id, "pause", enqueue, actor);
      expect(paused.status).toBe("PAUSED");
      await until(created.id, (p) => !p.held);
      const doneWhenPaused = (await judgeRunProgress(pool, created.id))!.done;
      await expect(
        createJudgeRun(pool, slug, request(), { createdById: null, enqueue, secret: SECRET }),
      ).rejects.toMatchObject({ status: 409 });
      await expect(controlJudgeRun(pool, slug, created.id, "pause", enqueue, actor)).rejects.toMatchObject({
        status: 409,
      });
      await expect(controlJudgeRun(pool, "jdg-nope", created.id, "resume", enqueue, actor)).rejects.toMatchObject({
        status: 404,
      });
      server.setLatency(0);
      await controlJudgeRun(pool, slug, created.id, "resume", enqueue, actor);
      const finished = await until(created.id, (p) => p.status === "SUCCEEDED");
      expect(finished.done + finished.failed).toBe(5);
      expect(finished.done).toBeGreaterThanOrEqual(doneWhenPaused);
      expect(await judgeLabels(slug)).toHaveLength(4);
      await expect(controlJudgeRun(pool, slug, created.id, "cancel", enqueue, actor)).rejects.toMatchObject({
        status: 409,
      });
      // Pause and resume are audited; the refused actions wrote nothing.
      const audit = await pool.query<{ action: string; actor: string; detail: unknown }>(
        "SELECT action, actor, detail FROM audit_event WHERE study_slug = $1 AND action LIKE 'judge-run.%' ORDER BY id",
        [slug],
      );
      expect(audit.rows).toEqual([
        {
          action: "judge-run.pause",
          actor: actor.label,
          detail: { run: `judge run ${created.id}`, status: { from: "running", to: "paused" } },
        },
        {
          action: "judge-run.resume",
          actor: actor.label,
          detail: { run: `judge run ${created.id}`, status: { from: "paused", to: "queued" } },
        },
      ]);
    } finally {
      server.setLatency(0);
    }
  });

  it("runs from the command line with progress on stderr, then reads in analytics --basis judge:NAME", async () => {
    const slug = `jdg-cli-${run36}`;
    await judgeStudy(pool, slug);
    process.env.PARALLAX_API_KEY = "sk-judge";
    process.env.NEXTAUTH_SECRET = SECRET;
    try {
      const args = ["judge", "--study", slug, "--name", "cli-judge", "--rubric", "refusal-kind"];
      const endpoint = ["--base-url", server.url, "--model", "judge-model", "--concurrency", "2"];
      const first = await runParallax([...args, ...endpoint], inject("databaseUrl"));
      expect(first.stderr).toMatch(/Judge run \d+: 5 response\(s\) to judge by "cli-judge" \(refusal-kind@1\)/);
      expect(first.stdout).toMatch(/^judge run \d+ succeeded: 5\/5 \(100 %\), 1 failed$/m);
      expect(first.stdout).toMatch(/response \d+: the judge's answer: the judge's answer holds no JSON object/);
      expect(first.stdout + first.stderr).not.toContain("sk-judge");
      expect(first.code).toBe(1);

      const analytics = await runParallax(
        ["analytics", "--study", slug, "--basis", "judge:cli-judge"],
        inject("databaseUrl"),
      );
      expect(analytics.code).toBe(0);
      const rows = JSON.parse(analytics.stdout) as {
        basis: string;
        results: { measure: string; group: string; key: string; k: number; n: number }[];
        judges: { judge: string; compared: number; tp: number; fp: number; fn: number; tn: number }[];
      };
      expect(rows.basis).toBe("judge:cli-judge");
      // The judge says refused for one of its four labelled responses.
      expect(
        rows.results.find((r) => r.measure === "refusal_full" && r.group === "strategy" && r.key === "RL"),
      ).toMatchObject({
        k: 1,
        n: 4,
      });
      // Against the reviewers (both said complied on p0 and p1; the judge: complied, refused).
      expect(rows.judges).toEqual([
        expect.objectContaining({ judge: "cli-judge", compared: 2, tp: 0, fp: 1, fn: 0, tn: 1 }),
      ]);

      const refused = await runParallax([...args, "--base-url", "ftp://x", "--model", "m"], inject("databaseUrl"));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("baseUrl: base URL must start with http:// or https://");
    } finally {
      delete process.env.PARALLAX_API_KEY;
      delete process.env.NEXTAUTH_SECRET;
    }
  });
});
