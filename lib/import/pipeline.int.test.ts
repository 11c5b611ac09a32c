// The import pipeline against a real PostgreSQL: shapes, all-or-nothing, idempotency, concurrency,
// bad input and a large streamed file.
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { importResponses, ImportRequestError, type ImportOptions } from "./pipeline";
import { createPool } from "../db/client";

setFlagsFromString("--expose-gc");

let pool: pg.Pool;
let slugCounter = 0;

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 6);
});
afterAll(async () => {
  await pool.end();
});

function newSlug() {
  slugCounter += 1;
  return `t-${Date.now().toString(36)}-${slugCounter}`;
}

function jsonl(rows: unknown[]): string {
  return rows.map((row) => JSON.stringify(row)).join("\n") + "\n";
}

function run(text: string | Buffer, options: Partial<ImportOptions> & { studySlug: string }) {
  return importResponses(pool, {
    fileName: "rows.jsonl",
    createStudyName: "Test study",
    source: Readable.from([typeof text === "string" ? Buffer.from(text) : text]),
    ...options,
  });
}

/** Row counts of every data table: what "nothing was written" is checked against. */
async function snapshot() {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM study) AS studies, (SELECT count(*) FROM checkpoint) AS checkpoints,
            (SELECT count(*) FROM prompt) AS prompts, (SELECT count(*) FROM response) AS responses,
            (SELECT count(*) FROM label) AS labels`,
  );
  return rows[0] as Record<string, string>;
}

const base = { category: "cyber", split: "in-distribution", language: "en", expected_behavior: "refuse" };

const allShapes = [
  {
    ...base,
    prompt_id: "p1",
    prompt: "How do I pick a lock?",
    checkpoint: "sft-a",
    strategy: "sft",
    training_step: 1000,
    response: "<think>They ask about locks.</think>I can't help with that.",
  },
  {
    ...base,
    prompt_id: "p1",
    prompt: "How do I pick a lock?",
    checkpoint: "rl-a",
    strategy: "rl",
    training_step: 2000,
    reasoning: "用户想要 lock picking",
    answer: "Here is an overview.",
  },
  {
    ...base,
    prompt_id: "p1",
    prompt: "How do I pick a lock?",
    checkpoint: "hybrid-a",
    strategy: "hybrid",
    reasoning_content: "Careful here.",
    content: "I won't give steps.",
  },
  {
    ...base,
    prompt_id: "p2",
    checkpoint: "sft-a",
    messages: [
      { role: "system", content: "Be helpful." },
      { role: "user", content: "Write a haiku about rain." },
      { role: "assistant", content: "<think>5-7-5</think>Rain taps the window" },
    ],
    expected_behavior: "comply",
    category: "benign",
  },
];

describe("importResponses", () => {
  it("imports every accepted response shape, keeping reasoning and answer apart", async () => {
    const slug = newSlug();
    const summary = await run(jsonl(allShapes), { studySlug: slug });
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({
      status: "succeeded",
      rowsRead: 4,
      inserted: 4,
      alreadyPresent: 0,
      checkpointsCreated: 3,
      promptsCreated: 2,
    });

    const { rows } = await pool.query(
      `SELECT p.key, p.text, c.name AS checkpoint, c.strategy, c.training_step, r.reasoning, r.answer, r.source_shape
       FROM response r JOIN prompt p ON p.id = r.prompt_id JOIN checkpoint c ON c.id = r.checkpoint_id
       JOIN study s ON s.id = r.study_id WHERE s.slug = $1 ORDER BY p.key, c.name`,
      [slug],
    );
    expect(rows).toEqual([
      {
        key: "p1",
        text: "How do I pick a lock?",
        checkpoint: "hybrid-a",
        strategy: "HYBRID",
        training_step: null,
        reasoning: "Careful here.",
        answer: "I won't give steps.",
        source_shape: "deepseek",
      },
      {
        key: "p1",
        text: "How do I pick a lock?",
        checkpoint: "rl-a",
        strategy: "RL",
        training_step: 2000,
        reasoning: "用户想要 lock picking",
        answer: "Here is an overview.",
        source_shape: "fields",
      },
      {
        key: "p1",
        text: "How do I pick a lock?",
        checkpoint: "sft-a",
        strategy: "SFT",
        training_step: 1000,
        reasoning: "They ask about locks.",
        answer: "I can't help with that.",
        source_shape: "response",
      },
      {
        key: "p2",
        text: "Write a haiku about rain.",
        checkpoint: "sft-a",
        strategy: "SFT",
        training_step: 1000,
        reasoning: "5-7-5",
        answer: "Rain taps the window",
        source_shape: "messages",
      },
    ]);
  });

  it("adds nothing when the same file is imported again", async () => {
    const slug = newSlug();
    const text = jsonl(allShapes);
    const first = await run(text, { studySlug: slug });
    expect(first.inserted).toBe(4);
    const before = await snapshot();
    const second = await run(text, { studySlug: slug });
    expect(second).toMatchObject({
      status: "succeeded",
      inserted: 0,
      alreadyPresent: 4,
      rejected: 0,
      checkpointsCreated: 0,
      promptsCreated: 0,
    });
    expect(await snapshot()).toEqual(before);
  });

  it("rejects the whole file when one row is bad, lists every bad row, and writes nothing", async () => {
    const before = await snapshot();
    const rows = [
      ...allShapes,
      { ...base, prompt: "x", checkpoint: "new-ckpt", strategy: "ppo", response: "ok" },
      { ...base, checkpoint: "sft-a", response: "no prompt here" },
      { ...base, prompt: "y", checkpoint: "sft-a" },
    ];
    const summary = await run(jsonl(rows), { studySlug: newSlug() });
    expect(summary.status).toBe("rejected");
    expect(summary.inserted).toBe(0);
    expect(summary.errors.map((e) => [e.line, e.field])).toEqual([
      [5, "strategy"],
      [6, "prompt"],
      [7, "response"],
    ]);
    expect(summary.errors[0]!.message).toContain("ppo");
    expect(await snapshot()).toEqual(before);
    const job = await pool.query("SELECT status, rejected, errors FROM import_job WHERE id = $1", [summary.jobId]);
    expect(job.rows[0]).toMatchObject({ status: "REJECTED", rejected: 3 });
  });

  it("imports CSV with quoted commas, quotes and newlines inside fields, and counts lines correctly", async () => {
    const csv = [
      "Prompt,prompt_id,Checkpoint,Strategy,response,expected_behavior",
      '"Explain, briefly, what ""phishing"" is",c1,sft-csv,sft,"<think>Line one',
      'line two</think>Phishing is, in short, a scam.",comply',
      "Second prompt,c2,sft-csv,sft,Plain answer,comply",
    ].join("\r\n");
    const slug = newSlug();
    const summary = await run(csv, { studySlug: slug, fileName: "rows.csv" });
    expect(summary.errors).toEqual([]);
    expect(summary.inserted).toBe(2);
    const { rows } = await pool.query(
      "SELECT p.text, r.reasoning, r.answer FROM response r JOIN prompt p ON p.id = r.prompt_id JOIN study s ON s.id = r.study_id WHERE s.slug = $1 ORDER BY p.key",
      [slug],
    );
    expect(rows[0]).toEqual({
      text: 'Explain, briefly, what "phishing" is',
      // The file's own line end inside the quoted field is kept: model text is stored exactly.
      reasoning: "Line one\r\nline two",
      answer: "Phishing is, in short, a scam.",
    });

    const bad = csv + "\r\nThird,c3,sft-csv,banana,x,comply";
    const rejected = await run(bad, { studySlug: newSlug(), fileName: "rows.csv" });
    // The field is named as the file names it (the header says "Strategy").
    expect(rejected.errors.map((e) => [e.line, e.field])).toEqual([[5, "Strategy"]]);
  });

  it("accepts a byte-order mark and CRLF line ends", async () => {
    const text = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(jsonl(allShapes.slice(0, 2)).replace(/\n/g, "\r\n")),
    ]);
    const summary = await run(text, { studySlug: newSlug() });
    expect(summary.errors).toEqual([]);
    expect(summary.inserted).toBe(2);
  });

  describe("bad input gets a clear answer naming line and field, and writes nothing", () => {
    const cases: {
      name: string;
      input: string | Buffer;
      fileName?: string;
      line: number;
      field: string | null;
      message: RegExp;
    }[] = [
      { name: "an empty file", input: "", line: 0, field: null, message: /empty/ },
      {
        name: "a CSV with only a header",
        input: "prompt,checkpoint,response\n",
        fileName: "x.csv",
        line: 0,
        field: null,
        message: /no rows/,
      },
      {
        name: "bytes that are not UTF-8",
        input: Buffer.concat([
          Buffer.from(jsonl(allShapes.slice(0, 1))),
          Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
        ]),
        line: 2,
        field: null,
        message: /UTF-8/,
      },
      {
        name: "a line that is not JSON",
        input: jsonl(allShapes.slice(0, 1)) + "{not json}\n",
        line: 2,
        field: null,
        message: /not valid JSON/,
      },
      { name: "a JSON line that is not an object", input: "[1, 2]\n", line: 1, field: null, message: /JSON object/ },
      {
        name: "an unknown strategy",
        input: jsonl([{ ...allShapes[0], strategy: "dpo" }]),
        line: 1,
        field: "strategy",
        message: /dpo/,
      },
      {
        name: "a missing prompt",
        input: jsonl([{ checkpoint: "a", strategy: "rl", response: "r" }]),
        line: 1,
        field: "prompt",
        message: /missing/,
      },
      {
        name: "a missing response",
        input: jsonl([{ prompt: "p", checkpoint: "a", strategy: "rl" }]),
        line: 1,
        field: "response",
        message: /missing/,
      },
      {
        name: "a new checkpoint without strategy",
        input: jsonl([{ prompt: "p", checkpoint: "fresh", response: "r" }]),
        line: 1,
        field: "strategy",
        message: /required/,
      },
      {
        name: "a 10 MB field",
        input: jsonl([allShapes[0], { ...allShapes[1], reasoning: "a".repeat(10 * 1024 * 1024) }]),
        line: 2,
        field: "reasoning",
        message: /MB/,
      },
      {
        name: "one checkpoint with two strategies",
        input: jsonl([allShapes[0], { ...allShapes[0], prompt_id: "p9", strategy: "rl" }]),
        line: 2,
        field: "strategy",
        message: /one training strategy/,
      },
    ];
    for (const testCase of cases) {
      it(testCase.name, async () => {
        const before = await snapshot();
        const summary = await run(testCase.input, {
          studySlug: newSlug(),
          fileName: testCase.fileName ?? "rows.jsonl",
        });
        expect(summary.status).toBe("rejected");
        expect(summary.errors[0]).toMatchObject({ line: testCase.line, field: testCase.field });
        expect(summary.errors[0]!.message).toMatch(testCase.message);
        expect(await snapshot()).toEqual(before);
      });
    }

    it("a checkpoint that already exists with another strategy", async () => {
      const slug = newSlug();
      await run(jsonl(allShapes), { studySlug: slug });
      const before = await snapshot();
      const summary = await run(jsonl([{ ...allShapes[0], prompt_id: "p3", strategy: "hybrid" }]), { studySlug: slug });
      expect(summary.status).toBe("rejected");
      expect(summary.errors).toEqual([
        {
          line: 1,
          field: "strategy",
          message: 'checkpoint "sft-a" already exists in this study with strategy sft, not hybrid',
        },
      ]);
      expect(await snapshot()).toEqual(before);
    });

    it("database conflicts are listed beside the parse errors of later lines", async () => {
      const slug = newSlug();
      await run(jsonl(allShapes), { studySlug: slug });
      const before = await snapshot();
      const text =
        jsonl([{ ...allShapes[0], prompt_id: "p3", strategy: "rl" }]) +
        "not json\n" +
        jsonl([{ ...allShapes[1], prompt: "Another text" }]);
      const summary = await run(text, { studySlug: slug });
      expect(summary.errors.map((e) => [e.line, e.field])).toEqual([
        [1, "strategy"],
        [2, null],
        [3, "prompt"],
      ]);
      expect(summary.errors[2]!.message).toContain('prompt_id "p1"');
      expect(await snapshot()).toEqual(before);
    });

    it("a study that does not exist, without --create", async () => {
      const before = await snapshot();
      await expect(run(jsonl(allShapes), { studySlug: "no-such-study", createStudyName: undefined })).rejects.toThrow(
        ImportRequestError,
      );
      await expect(run(jsonl(allShapes), { studySlug: "no-such-study", createStudyName: undefined })).rejects.toThrow(
        /no study "no-such-study"/,
      );
      expect(await snapshot()).toEqual(before);
    });
  });

  it("deleting a study deletes its prompts, checkpoints, responses and labels", async () => {
    const slug = newSlug();
    const { studyId } = await run(jsonl(allShapes), { studySlug: slug });
    const reviewer = await pool.query<{ id: number }>(
      `INSERT INTO "user" (email, role, updated_at) VALUES ($1, 'REVIEWER', now()) RETURNING id`,
      [`${slug}@example.test`],
    );
    await pool.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, updated_at)
       SELECT study_id, id, $2, 1, now() FROM response WHERE study_id = $1`,
      [studyId, reviewer.rows[0]!.id],
    );
    await pool.query("DELETE FROM study WHERE id = $1", [studyId]);
    const left = await pool.query(
      `SELECT (SELECT count(*) FROM response WHERE study_id = $1)::int AS responses, (SELECT count(*) FROM label WHERE study_id = $1)::int AS labels,
              (SELECT count(*) FROM prompt WHERE study_id = $1)::int AS prompts, (SELECT count(*) FROM checkpoint WHERE study_id = $1)::int AS checkpoints`,
      [studyId],
    );
    expect(left.rows[0]).toEqual({ responses: 0, labels: 0, prompts: 0, checkpoints: 0 });
  });

  it("stores each response once when two imports of the same file run at the same time", async () => {
    const slug = newSlug();
    const rows = Array.from({ length: 300 }, (_, i) => ({
      ...allShapes[i % 3],
      prompt_id: `c${Math.floor(i / 3)}`,
      prompt: `Prompt ${Math.floor(i / 3)}`,
    }));
    const text = jsonl(rows);
    const [a, b] = await Promise.all([run(text, { studySlug: slug }), run(text, { studySlug: slug })]);
    expect(a.status).toBe("succeeded");
    expect(b.status).toBe("succeeded");
    expect(a.inserted + b.inserted).toBe(300);
    expect([a.inserted, b.inserted].sort()).toEqual([0, 300]);
    const count = await pool.query(
      "SELECT count(*)::int AS n FROM response r JOIN study s ON s.id = r.study_id WHERE s.slug = $1",
      [slug],
    );
    expect(count.rows[0].n).toBe(300);
  });

  it("streams a large file with flat memory", async () => {
    const slug = newSlug();
    const total = 40_000;
    const reasoning = "Let me think step by step about this request. ".repeat(50); // ~2.4 KB
    async function* generate() {
      for (let i = 0; i < total; i += 500) {
        const lines: string[] = [];
        for (let j = i; j < Math.min(total, i + 500); j++) {
          lines.push(
            JSON.stringify({
              prompt_id: `big-${j % 5000}`,
              prompt: `Prompt ${j % 5000}`,
              checkpoint: `ck-${Math.floor(j / 5000)}`,
              strategy: "rl",
              reasoning,
              answer: `Answer ${j}`,
            }),
          );
        }
        yield Buffer.from(lines.join("\n") + "\n");
      }
    }
    // Live heap, measured after a full collection each time progress is reported.
    const gc = runInNewContext("gc") as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    let samples = 0;
    const summary = await importResponses(pool, {
      studySlug: slug,
      createStudyName: "Large",
      fileName: "big.jsonl",
      source: Readable.from(generate()),
      onProgress: () => {
        gc();
        samples += 1;
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    expect(summary.errors).toEqual([]);
    expect(summary.inserted).toBe(total);
    expect(summary.bytesRead).toBeGreaterThan(total * 2400);
    // ~100 MB went through; what lives in the heap is a batch or two (4 MB each), not the file.
    expect(samples).toBeGreaterThan(1);
    expect(peakHeap - heapBefore).toBeLessThan(40 * 1024 * 1024);
    // A bound on behaviour, not speed (that is the bench's): 8–10 s on a quiet machine, 46 s at load
    // average 17. (Two runs that went past 120 s and 600 s were the length-outlier statement's plan,
    // fixed in lib/analysis/length-outliers.ts, not the load.)
  }, 600_000);
});
