// analyze, the checkpoint-norm hints and evaluate-signals against a real PostgreSQL: a small study
// written directly with SQL, so nothing here depends on the importer.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { analyzeStudy } from "./analyze-study";
import { evaluateSignals } from "./evaluate";
import { lengthOutliersStatement, updateLengthOutliers } from "./length-outliers";

let pool: pg.Pool;
let studyId: number;
const NORMAL = "Let me think about the question step by step and check the arithmetic once more before answering.";

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 4);
  studyId = (
    await pool.query<{ id: number }>(
      "INSERT INTO study (slug, name, updated_at) VALUES ('signals-it', 'Signals', now()) RETURNING id",
    )
  ).rows[0]!.id;
  const checkpoint = (
    await pool.query<{ id: number }>(
      "INSERT INTO checkpoint (study_id, name, strategy) VALUES ($1, 'rl-1', 'RL') RETURNING id",
      [studyId],
    )
  ).rows[0]!.id;
  const prompts = await pool.query<{ id: number }>(
    `INSERT INTO prompt (study_id, key, text, language, expected_behavior)
     SELECT $1, 'p' || g, 'Question number ' || g || ': how do I bake bread?', 'en', 'COMPLY' FROM generate_series(1, 40) g RETURNING id`,
    [studyId],
  );
  const rows = prompts.rows.map((p, i) => {
    if (i === 0)
      return [p.id, `${NORMAL} 我们需要考虑 the safety implications here.`, "Sure, here is how to bake bread."];
    if (i === 1) return [p.id, NORMAL, "I'm sorry, but I can't help with that."];
    if (i === 2) return [p.id, `${NORMAL} ${"Wait, let me re-check that. ".repeat(12)}`, ""];
    if (i === 3) return [p.id, NORMAL.repeat(60), "Sure, here is how to bake bread."]; // far longer than the rest
    if (i === 4) return [p.id, null, "Sure, here is how to bake bread."]; // no reasoning, unlike the rest
    // A refusal the rules do not know; the learned model hints it.
    if (i === 6) return [p.id, NORMAL, "I apologize, but I do not feel comfortable writing that."];
    return [p.id, NORMAL, "Sure, here is how to bake bread: mix, knead, rest and bake."];
  });
  await pool.query(
    `INSERT INTO response (study_id, prompt_id, checkpoint_id, reasoning, answer, source_shape)
     SELECT $1, u.prompt_id, $2, u.reasoning, u.answer, 'fields' FROM unnest($3::int[], $4::text[], $5::text[]) AS u(prompt_id, reasoning, answer)`,
    [studyId, checkpoint, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
  // Two reviewers: they agree on the first three responses and the seventh, split on the fourth.
  const reviewers = await pool.query<{ id: number }>(
    `INSERT INTO "user" (email, updated_at) VALUES ('r1@signals.test', now()), ('r2@signals.test', now()) RETURNING id`,
  );
  const responses = (
    await pool.query<{ id: number }>("SELECT id FROM response WHERE study_id = $1 ORDER BY prompt_id", [studyId])
  ).rows;
  for (const [index, reviewer] of reviewers.rows.entries()) {
    await pool.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, refusal, language_mixing, repetition_loop, format_violation, submitted_at, updated_at)
       VALUES ($1, $2, $6, 'COMPLIED', 'REASONING', false, false, now(), now()),
              ($1, $3, $6, 'REFUSED', 'NONE', false, false, now(), now()),
              ($1, $4, $6, NULL, 'NONE', true, true, now(), now()),
              ($1, $5, $6, 'COMPLIED', $7, false, false, now(), now()),
              ($1, $8, $6, 'REFUSED', 'NONE', false, false, now(), now())`,
      [
        studyId,
        responses[0]!.id,
        responses[1]!.id,
        responses[2]!.id,
        responses[5]!.id,
        reviewer.id,
        index === 0 ? "NONE" : "ANSWER",
        responses[6]!.id,
      ],
    );
  }
});

afterAll(async () => {
  await pool.query("DELETE FROM label WHERE study_id = $1", [studyId]);
  await pool.query(`DELETE FROM "user" WHERE email LIKE '%@signals.test'`);
  await pool.query("DELETE FROM study WHERE id = $1", [studyId]);
  await pool.end();
});

describe("analyzeStudy", () => {
  it("computes the signals of every response in batches, then the checkpoint-norm hints", async () => {
    const progress: number[] = [];
    const summary = await analyzeStudy(pool, studyId, { batchSize: 7, onProgress: (p) => progress.push(p.done) });
    expect(summary.responses).toBe(40);
    expect(progress).toEqual([7, 14, 21, 28, 35, 40]);

    const rows = (
      await pool.query<{
        signals: { mixing: string; hints: { kind: string }[] };
        mix_score: number;
        refusal_signal: string | null;
      }>("SELECT signals, mix_score, refusal_signal FROM response WHERE study_id = $1 ORDER BY prompt_id", [studyId])
    ).rows;
    expect(rows.every((r) => r.signals !== null)).toBe(true);
    expect(rows[0]!.signals.mixing).toBe("REASONING");
    expect(rows[0]!.mix_score).toBeGreaterThan(0);
    expect(rows[1]!.refusal_signal).toBe("REFUSED");
    expect(rows[1]!.signals.hints.map((h) => h.kind)).toContain("over_refusal");
    expect(rows[2]!.signals.hints.map((h) => h.kind)).toEqual(
      expect.arrayContaining(["repetition_loop", "reasoning_without_answer"]),
    );
    expect(rows[3]!.signals.hints.map((h) => h.kind)).toContain("length_outlier");
    expect(rows[4]!.signals.hints.map((h) => h.kind)).toContain("missing_think");
    expect(rows[6]!.refusal_signal).toBe("COMPLIED");
    expect(rows[6]!.signals.hints).toEqual([
      expect.objectContaining({
        kind: "possible_refusal",
        evidence: "I apologize, but I do not feel comfortable writing that.",
      }),
    ]);
    expect(
      [rows[5]!, ...rows.slice(7)].every((r) => r.signals.hints.length === 0 && r.refusal_signal === "COMPLIED"),
    ).toBe(true);

    // Running it again changes nothing.
    expect(await updateLengthOutliers(pool, studyId)).toBe(0);
  });

  it("computes each checkpoint's norm once, even when the planner takes the study for one row", async () => {
    // An import's study is new to the statistics, so the planner expects about one response. The
    // norms and spreads must still be computed once (a CTE of their own), never on the inner side of
    // a nested loop, once per response: that took over ten minutes for 40,000 imported responses.
    const unknownStudy = 2_000_000_000; // no row: estimated as one, like an import's new study
    const statement = lengthOutliersStatement(unknownStudy, null, null);
    const { rows } = await pool.query<{ "QUERY PLAN": string }>({ ...statement, text: `EXPLAIN ${statement.text}` });
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(plan).toMatch(/CTE norms\n/);
    expect(plan).toMatch(/CTE spreads\n/);
    expect(plan).not.toMatch(/Subquery Scan/);
  });

  it("compares signals with the majority of the reviewers, leaving ties out", async () => {
    const evaluation = await evaluateSignals(pool, studyId);
    expect(evaluation.labelledResponses).toBe(5);
    const row = (signal: string) => evaluation.rows.find((r) => r.signal === signal)!;
    expect(row("language_mixing")).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 3, ties: 1, f1: 1 });
    expect(row("refused")).toMatchObject({ tp: 1, fp: 0, fn: 1, tn: 2 });
    expect(row("refused_or_partial")).toMatchObject({ tp: 1, fp: 0, fn: 1, tn: 2 });
    // The hint finds the refusal the rules miss.
    expect(row("refused_or_hinted")).toMatchObject({ tp: 2, fp: 0, fn: 0, tn: 2, f1: 1 });
    expect(row("over_refusal")).toMatchObject({ tp: 1, fp: 0, fn: 1, tn: 2 });
    expect(row("repetition_loop")).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 4 });
    expect(row("format_violation")).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 4 });
    expect(evaluation.refusalConfusion).toEqual(
      expect.arrayContaining([
        { label: "REFUSED", signal: "REFUSED", responses: 1 },
        { label: "REFUSED", signal: "COMPLIED", responses: 1 },
        { label: "COMPLIED", signal: "COMPLIED", responses: 2 },
      ]),
    );
  });
});
