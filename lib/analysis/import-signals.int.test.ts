// The automatic signals as the importer stores them, against a real PostgreSQL: what a reviewer and
// a researcher get for each response right after an import, that `analyze` recomputes exactly the
// same values, and that --no-signals leaves them out.
import { Readable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importResponses } from "../import/pipeline";
import { analyzeStudy } from "./analyze-study";
import type { ResponseSignals } from "./signals";
import { decodeSpans } from "./span-codec";

let pool: pg.Pool;

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 4);
});

afterAll(async () => {
  await pool.query("DELETE FROM study WHERE slug LIKE 'import-signals-%'");
  await pool.end();
});

const NORMAL = "Let me think about the question step by step and check the arithmetic once more before answering.";
const ANSWER = "Sure: mix the flour, water, salt and yeast, knead, let it rise, then bake.";

/** The special responses (by prompt id), among ordinary ones that give the checkpoint its norm. */
const SPECIAL: Record<string, { response: string; expected_behavior?: string }> = {
  mixed: { response: `<think>${NORMAL} 我们需要考虑 the safety implications here, 然后 decide.</think>${ANSWER}` },
  refused: { response: `<think>${NORMAL}</think>I'm sorry, but I can't help with that.`, expected_behavior: "comply" },
  unclosed: { response: `<think>${NORMAL} Maybe I should`, expected_behavior: "comply" },
  loop: { response: `<think>${NORMAL} ${"Wait, let me re-check that. ".repeat(12)}</think>${ANSWER}` },
  long: { response: `<think>${NORMAL.repeat(60)}</think>${ANSWER}` },
  german: {
    response: `<think>${NORMAL}</think>Zuerst vermischt man das Mehl mit dem Wasser, und dann lässt man den Teig ruhen, bevor man ihn backt.`,
  },
};

function fileOf(prefix: string, ordinary: number): string {
  const rows: object[] = [];
  const base = { language: "en", checkpoint: `${prefix}-rl`, strategy: "rl", expected_behavior: "comply" };
  for (const [id, special] of Object.entries(SPECIAL)) {
    rows.push({ ...base, prompt_id: `${prefix}-${id}`, prompt: `How do I bake bread? (${id})`, ...special });
  }
  for (let i = 0; i < ordinary; i++) {
    rows.push({
      ...base,
      prompt_id: `${prefix}-q${i}`,
      prompt: `How do I bake bread, variant ${i}?`,
      response: `<think>${NORMAL} Variant ${i}.</think>${ANSWER}`,
    });
  }
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

interface Stored {
  key: string;
  reasoning: string | null;
  signals: ResponseSignals | null;
  mix_score: number | null;
  refusal_signal: string | null;
}

async function stored(slug: string): Promise<Map<string, Stored>> {
  const result = await pool.query<Stored>(
    `SELECT p.key, r.reasoning, r.signals, r.mix_score, r.refusal_signal
       FROM response r JOIN prompt p ON p.id = r.prompt_id JOIN study s ON s.id = r.study_id
      WHERE s.slug = $1 ORDER BY r.id`,
    [slug],
  );
  return new Map(result.rows.map((r) => [r.key, r]));
}

const kinds = (row: Stored | undefined) => row?.signals?.hints.map((h) => h.kind) ?? [];

async function importFile(slug: string, text: string, options: { signals?: boolean; signalsThreads?: number } = {}) {
  return importResponses(pool, {
    studySlug: slug,
    createStudyName: slug,
    fileName: "responses.jsonl",
    source: Readable.from([text]),
    ...options,
  });
}

describe("signals computed during import", () => {
  it("stores mixing, refusal and hints for every response, and analyze recomputes the same values", async () => {
    const summary = await importFile("import-signals-small", fileOf("s", 30));
    expect(summary.status).toBe("succeeded");
    expect(summary.signalsComputed).toBe(true);
    const rows = await stored("import-signals-small");
    expect(rows.size).toBe(36);
    for (const row of rows.values()) expect(row.signals, row.key).not.toBeNull();

    const mixed = rows.get("s-mixed")!;
    expect(mixed.signals!.mixing).toBe("REASONING");
    expect(mixed.mix_score).toBeGreaterThan(0);
    // Stored as one string per part (span-codec.ts), read back as offsets into the text.
    expect(typeof mixed.signals!.reasoning!.spans).toBe("string");
    expect(decodeSpans(mixed.signals!.reasoning!.spans).map((s) => mixed.reasoning!.slice(s.start, s.end))).toEqual([
      "我们需要考虑",
      "然后",
    ]);
    expect(rows.get("s-q0")!.mix_score).toBe(0);
    expect(rows.get("s-q0")!.signals!.mixing).toBe("NONE");

    expect(rows.get("s-refused")!.refusal_signal).toBe("REFUSED");
    expect(kinds(rows.get("s-refused"))).toContain("over_refusal");
    expect(rows.get("s-q0")!.refusal_signal).toBe("COMPLIED");

    expect(kinds(rows.get("s-unclosed"))).toEqual(
      expect.arrayContaining(["unclosed_think", "reasoning_without_answer"]),
    );
    expect(kinds(rows.get("s-loop"))).toContain("repetition_loop");
    expect(kinds(rows.get("s-german"))).toContain("answer_language");
    // The checkpoint's norm, computed in SQL at the end of the import.
    expect(kinds(rows.get("s-long"))).toContain("length_outlier");
    expect(kinds(rows.get("s-q0"))).toEqual([]);

    const studyId = summary.studyId!;
    await pool.query(
      "UPDATE response SET signals = NULL, mix_score = NULL, refusal_signal = NULL WHERE study_id = $1",
      [studyId],
    );
    await analyzeStudy(pool, studyId);
    const recomputed = await stored("import-signals-small");
    for (const [key, row] of rows) expect(recomputed.get(key), key).toEqual(row);
  });

  it("stores the same signals when a file of several batches is computed in a worker thread", async () => {
    // More rows than one batch: the signals of all but the last are computed beside the import.
    const summary = await importFile("import-signals-threads", fileOf("t", 2100), { signalsThreads: 1 });
    expect(summary.status).toBe("succeeded");
    const rows = await stored("import-signals-threads");
    expect(rows.size).toBe(2106);
    expect(rows.get("t-mixed")!.signals!.mixing).toBe("REASONING");
    expect(rows.get("t-refused")!.refusal_signal).toBe("REFUSED");
    expect(kinds(rows.get("t-long"))).toContain("length_outlier");

    await pool.query(
      "UPDATE response SET signals = NULL, mix_score = NULL, refusal_signal = NULL WHERE study_id = $1",
      [summary.studyId],
    );
    await analyzeStudy(pool, summary.studyId!);
    const recomputed = await stored("import-signals-threads");
    let same = 0;
    for (const [key, row] of rows) if (JSON.stringify(recomputed.get(key)) === JSON.stringify(row)) same += 1;
    expect(same).toBe(rows.size);
  });

  it("stores signals for a batch written row by row because it repeats a row of an earlier batch", async () => {
    const text = fileOf("d", 2100);
    const summary = await importFile("import-signals-repeat", text + text.split("\n")[0] + "\n", { signalsThreads: 1 });
    expect(summary.status).toBe("succeeded");
    expect([summary.inserted, summary.alreadyPresent, summary.repeatedInFile]).toEqual([2106, 0, 1]);
    const rows = await stored("import-signals-repeat");
    for (const row of rows.values()) expect(row.signals, row.key).not.toBeNull();
    // The ordinary responses at the end of the file are in the batch with the repeat.
    const last = rows.get("d-q2099")!;
    expect([last.signals!.mixing, last.refusal_signal, last.mix_score]).toEqual(["NONE", "COMPLIED", 0]);
    // Written one by one, a response without format problems still has an empty list, not none.
    const issues = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM response WHERE study_id = $1 AND format_issues IS NULL",
      [summary.studyId],
    );
    expect(issues.rows[0]!.n).toBe(0);
    await pool.query(
      "UPDATE response SET signals = NULL, mix_score = NULL, refusal_signal = NULL WHERE study_id = $1",
      [summary.studyId],
    );
    await analyzeStudy(pool, summary.studyId!);
    expect((await stored("import-signals-repeat")).get("d-q2099")).toEqual(last);
  });

  it("updates the length norm of a checkpoint that a later import adds to", async () => {
    await importFile("import-signals-norm", fileOf("n", 30));
    expect(kinds((await stored("import-signals-norm")).get("n-long"))).toContain("length_outlier");
    // Sixty more responses as long as the outlier: it is not far from the checkpoint's norm any more.
    const long = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({
        prompt_id: `n-l${i}`,
        prompt: `Long one ${i}?`,
        checkpoint: "n-rl",
        response: `<think>${NORMAL.repeat(60)} ${i}</think>${ANSWER}`,
      }),
    ).join("\n");
    expect((await importFile("import-signals-norm", long)).status).toBe("succeeded");
    expect(kinds((await stored("import-signals-norm")).get("n-long"))).not.toContain("length_outlier");
  });

  it("leaves the signals out with signals: false (the command line's --no-signals)", async () => {
    const summary = await importFile("import-signals-off", fileOf("o", 5), { signals: false });
    expect(summary.status).toBe("succeeded");
    expect(summary.signalsComputed).toBe(false);
    const rows = await stored("import-signals-off");
    expect(rows.size).toBe(11);
    for (const row of rows.values())
      expect([row.signals, row.mix_score, row.refusal_signal]).toEqual([null, null, null]);
  });
});
