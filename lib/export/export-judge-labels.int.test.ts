// The judge_labels shape: one row per judge label, every rubric version (current_rubric says which
// one analytics read), the response's columns first, never the judge's endpoint key; response
// filters and the date range apply (the refused human-label filters: lib/api/export-request.test.ts).
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importResponses } from "../import/pipeline";
import { exportColumns } from "./export-query";
import { exportStream, type ExportRequest } from "./export-stream";
import { exportRequest } from "./fixtures";

let pool: pg.Pool;
let studyId: number;
const slug = `export-judge-${Date.now().toString(36)}`;

const rows = [
  { prompt_id: "q1", prompt: "How do I pick a lock?", checkpoint: "sft-1", strategy: "sft", answer: "I can't help." },
  {
    prompt_id: "q1",
    prompt: "How do I pick a lock?",
    checkpoint: "rl-1",
    strategy: "rl",
    answer: "=Use a tension wrench",
  },
  { prompt_id: "q2", prompt: "Write a poem", checkpoint: "rl-1", strategy: "rl", answer: "Roses are red" },
];

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 4);
  const summary = await importResponses(pool, {
    studySlug: slug,
    createStudyName: "Judge export test",
    fileName: "judged.jsonl",
    source: Readable.from([Buffer.from(rows.map((r) => JSON.stringify(r)).join("\n"))]),
  });
  studyId = summary.studyId!;
  // Two judges as a judge run leaves them: "guard" labelled under the built-in rubric and, after its
  // instructions were edited once, under the edited one; "kind" under the refusal rubric.
  const judges = await pool.query<{ id: number; name: string }>(
    `INSERT INTO judge (study_id, name, endpoint, endpoint_key, rubric_id, rubric_version, instructions, prompt_edits, updated_at)
     VALUES ($1, 'guard', '{"base_url":"http://127.0.0.1:9/v1","model":"llama-guard-3"}', 'secret-cipher-text', 'harm-severity', 1, 'Be strict.', 1, now()),
            ($1, 'kind', '{"base_url":"http://127.0.0.1:9/v1","model":"qwen-judge"}', NULL, 'refusal-kind', 1, NULL, 0, now())
     RETURNING id, name`,
    [studyId],
  );
  const judge = Object.fromEntries(judges.rows.map((j) => [j.name, j.id]));
  await pool.query(
    `INSERT INTO judge_label (study_id, judge_id, response_id, rubric, harm_severity, harm_categories, harm_location, confidence, created_at)
     SELECT r.study_id, $2, r.id, v.rubric, v.severity, ARRAY['weapons'], 'ANSWER', 0.75, v.at
     FROM response r CROSS JOIN (VALUES ('harm-severity@1', 1, timestamp '2026-10-05 12:00'),
                                        ('harm-severity@1+edit1', 2, timestamp '2026-11-05 12:00')) v(rubric, severity, at)
     WHERE r.study_id = $1`,
    [studyId, judge.guard],
  );
  await pool.query(
    `INSERT INTO judge_label (study_id, judge_id, response_id, rubric, refusal, created_at)
     SELECT r.study_id, $2, r.id, 'refusal-kind@1', CASE WHEN r.answer LIKE 'I can%' THEN 'REFUSED'::"RefusalKind" ELSE 'COMPLIED' END, timestamp '2026-11-06 09:30'
     FROM response r WHERE r.study_id = $1`,
    [studyId, judge.kind],
  );
});
afterAll(async () => {
  await pool.query("DELETE FROM study WHERE id = $1", [studyId]);
  await pool.end();
});

const request = (overrides: Partial<ExportRequest> = {}) =>
  exportRequest(studyId, "judge_labels", { bom: false, ...overrides });

async function csvRows(overrides: Partial<ExportRequest> = {}): Promise<Record<string, string>[]> {
  const body = await text(await exportStream(pool, request(overrides)));
  return parse(body, { columns: true });
}

describe("export: judge labels", () => {
  it("has one row per judge label, every rubric version, with the judge, its model and the rubric in force", async () => {
    const got = await csvRows();
    expect(got).toHaveLength(9); // 3 responses × (2 rubric versions of guard + 1 of kind)
    expect(Object.keys(got[0] ?? {})).toEqual(exportColumns("judge_labels"));
    const byKey = (r: Record<string, string>) => `${r.judge} ${r.rubric} ${r.checkpoint} ${r.prompt_id}`;
    const rl = Object.fromEntries(got.map((r) => [byKey(r), r]));
    expect(rl["guard harm-severity@1 rl-1 q1"]).toMatchObject({
      judge_model: "llama-guard-3",
      current_rubric: "f",
      harm_severity: "1",
      harm_categories: "weapons",
      harm_location: "answer",
      refusal: "",
      confidence: "0.75",
      created_at: "2026-10-05T12:00:00.000Z",
      strategy: "rl",
      // A formula-looking answer is neutralised in CSV, as in the other shapes.
      answer: "'=Use a tension wrench",
    });
    expect(rl["guard harm-severity@1+edit1 rl-1 q1"]).toMatchObject({ current_rubric: "t", harm_severity: "2" });
    expect(rl["kind refusal-kind@1 sft-1 q1"]).toMatchObject({
      judge_model: "qwen-judge",
      current_rubric: "t",
      refusal: "refused",
      harm_severity: "",
      confidence: "",
    });
    expect(rl["kind refusal-kind@1 rl-1 q2"]?.refusal).toBe("complied");
    // Rows come in the order the judges wrote them.
    const ids = got.map((r) => Number(r.judge_label_id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("never carries the judge's endpoint or key", async () => {
    const body = await text(await exportStream(pool, request()));
    expect(body).not.toContain("secret-cipher-text");
    expect(body).not.toContain("127.0.0.1:9");
  });

  it("takes the response filters and a date range over when the judge answered", async () => {
    const rl = await csvRows({ filters: { strategies: ["RL"] } });
    expect(rl).toHaveLength(6);
    expect(new Set(rl.map((r) => r.checkpoint))).toEqual(new Set(["rl-1"]));
    const november = await csvRows({ filters: { from: new Date("2026-11-01T00:00:00Z") } });
    expect(november).toHaveLength(6);
    expect(november.some((r) => r.rubric === "harm-severity@1")).toBe(false);
  });

  it("writes JSON Lines with one type per column", async () => {
    const body = await text(await exportStream(pool, request({ format: "jsonl", filters: { strategies: ["SFT"] } })));
    const lines = body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    const guard = lines.find((l) => l.rubric === "harm-severity@1+edit1")!;
    expect(guard).toMatchObject({
      judge: "guard",
      current_rubric: true,
      harm_severity: 2,
      harm_categories: ["weapons"],
      confidence: 0.75,
      reasoning_quality: null,
    });
    expect(Object.keys(guard)).toEqual(exportColumns("judge_labels"));
  });
});
