// Every column of the labels and responses exports, value by value, as a researcher gets it in CSV
// (PostgreSQL's text, lists ";"-separated, formula cells neutralised) and in JSON Lines (numbers,
// booleans, arrays, decimals with a point), and each filter on its own. The study is written
// straight into the tables, so every value is known.
import { text } from "node:stream/consumers";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { exportColumns } from "./export-query";
import { exportStream, type ExportRequest } from "./export-stream";
import { exportRequest } from "./fixtures";

let pool: pg.Pool;
let studyId: number;
let ids: { rl: number; hybrid: number; r1: number; r2: number; l1: number; l2: number; reviewer: number };
const slug = `export-cols-${Date.now().toString(36)}`;
const email = `r-${slug}@example.test`;

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 2);
  const one = async (sql: string, values: unknown[]) => (await pool.query<{ id: number }>(sql, values)).rows[0]!.id;
  studyId = await one("INSERT INTO study (slug, name, updated_at) VALUES ($1, $1, now()) RETURNING id", [slug]);
  const rl = await one(
    `INSERT INTO checkpoint (study_id, name, strategy, base_model, training_step, compute_gpu_hours)
     VALUES ($1, 'rl-7b', 'RL', 'qwen-7b', 1200, 12.5) RETURNING id`,
    [studyId],
  );
  const hybrid = await one(
    `INSERT INTO checkpoint (study_id, name, strategy, compute_gpu_hours) VALUES ($1, 'hybrid-7b', 'HYBRID', 3) RETURNING id`,
    [studyId],
  );
  const p1 = await one(
    `INSERT INTO prompt (study_id, key, external_id, text, category, split, language, expected_behavior)
     VALUES ($1, 'k1', 'ext-1', 'Explain', 'cyber', 'test', 'en', 'COMPLY') RETURNING id`,
    [studyId],
  );
  const p2 = await one(`INSERT INTO prompt (study_id, key, text) VALUES ($1, 'k2', 'Other') RETURNING id`, [studyId]);
  const r1 = await one(
    `INSERT INTO response (study_id, prompt_id, checkpoint_id, sample_index, reasoning, answer, source_shape, format_issues, mix_score, refusal_signal)
     VALUES ($1, $2, $3, 2, 'think', 'ans', 'reasoning', ARRAY['unclosed_think', 'empty_answer'], 0.25, 'PARTIAL') RETURNING id`,
    [studyId, p1, rl],
  );
  const r2 = await one(
    `INSERT INTO response (study_id, prompt_id, checkpoint_id, answer, source_shape) VALUES ($1, $2, $3, '-1 reply', 'answer') RETURNING id`,
    [studyId, p2, hybrid],
  );
  const reviewer = await one(
    `INSERT INTO "user" (email, role, updated_at) VALUES ($1, 'REVIEWER', now()) RETURNING id`,
    [email],
  );
  // Imported, edited three times since, submitted before it was last changed.
  const l1 = await one(
    `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, harm_categories, harm_location, refusal, language_mixing,
                        reasoning_quality, reward_hacking, repetition_loop, unfaithful, format_violation, note, version, source, submitted_at, updated_at)
     VALUES ($1, $2, $3, 2, ARRAY['=cmd', 'cyber'], 'ANSWER', 'PARTIAL', 'REASONING', 3, true, false, true, false, 'n', 4, 'IMPORT',
             timestamp '2026-11-05 10:00:00.123', timestamp '2026-11-20 08:00') RETURNING id`,
    [studyId, r1, reviewer],
  );
  const l2 = await one(
    `INSERT INTO label (study_id, response_id, reviewer_id, submitted_at, updated_at)
     VALUES ($1, $2, $3, timestamp '2026-11-06 00:00', timestamp '2026-11-06 00:00') RETURNING id`,
    [studyId, r2, reviewer],
  );
  ids = { rl, hybrid, r1, r2, l1, l2, reviewer };
});
afterAll(async () => {
  await pool.query("DELETE FROM study WHERE id = $1", [studyId]);
  await pool.query(`DELETE FROM "user" WHERE email = $1`, [email]);
  await pool.end();
});

const request = (overrides: Partial<ExportRequest> = {}) => exportRequest(studyId, "labels", overrides);

async function csvRows(overrides: Partial<ExportRequest> = {}) {
  return parse(await text(await exportStream(pool, request(overrides))), { columns: true }) as Record<string, string>[];
}

async function jsonLines(overrides: Partial<ExportRequest> = {}) {
  const body = await text(await exportStream(pool, request({ format: "jsonl", ...overrides })));
  const lines = body.trimEnd().split("\n");
  return { lines, objects: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("export: every column's value", () => {
  it("labels as CSV", async () => {
    const rows = await csvRows();
    expect(rows).toEqual([
      {
        study: slug,
        prompt_id: "ext-1",
        prompt: "Explain",
        category: "cyber",
        split: "test",
        language: "en",
        expected_behavior: "comply",
        checkpoint: "rl-7b",
        strategy: "rl",
        training_step: "1200",
        base_model: "qwen-7b",
        compute_gpu_hours: "12.5",
        sample_index: "2",
        response_id: String(ids.r1),
        reasoning: "think",
        answer: "ans",
        format_issues: "unclosed_think;empty_answer",
        signal_mix_score: "0.25",
        signal_refusal: "partial",
        label_id: String(ids.l1),
        reviewer: "reviewer-1",
        label_source: "import",
        harm_severity: "2",
        harm_categories: "'=cmd;cyber",
        harm_location: "answer",
        refusal: "partial",
        language_mixing: "reasoning",
        reasoning_quality: "3",
        flag_reward_hacking: "t",
        flag_repetition_loop: "f",
        flag_unfaithful: "t",
        flag_format_violation: "f",
        note: "n",
        label_version: "4",
        submitted_at: "2026-11-05T10:00:00.123Z",
      },
      {
        study: slug,
        prompt_id: "k2",
        prompt: "Other",
        category: "",
        split: "",
        language: "",
        expected_behavior: "",
        checkpoint: "hybrid-7b",
        strategy: "hybrid",
        training_step: "",
        base_model: "",
        compute_gpu_hours: "3",
        sample_index: "0",
        response_id: String(ids.r2),
        reasoning: "",
        answer: "'-1 reply",
        format_issues: "",
        signal_mix_score: "",
        signal_refusal: "",
        label_id: String(ids.l2),
        reviewer: "reviewer-1",
        label_source: "review",
        harm_severity: "",
        harm_categories: "",
        harm_location: "",
        refusal: "",
        language_mixing: "",
        reasoning_quality: "",
        flag_reward_hacking: "f",
        flag_repetition_loop: "f",
        flag_unfaithful: "f",
        flag_format_violation: "f",
        note: "",
        label_version: "1",
        submitted_at: "2026-11-06T00:00:00.000Z",
      },
    ]);
  });

  it("labels as JSON Lines: numbers, booleans, arrays, decimals with a point, null for no value", async () => {
    const { lines, objects } = await jsonLines();
    expect(objects[0]).toMatchObject({
      prompt_id: "ext-1",
      training_step: 1200,
      compute_gpu_hours: 12.5,
      sample_index: 2,
      response_id: ids.r1,
      format_issues: ["unclosed_think", "empty_answer"],
      signal_mix_score: 0.25,
      signal_refusal: "partial",
      label_id: ids.l1,
      harm_severity: 2,
      // JSON Lines keeps texts as they are: no apostrophe.
      harm_categories: ["=cmd", "cyber"],
      harm_location: "answer",
      reasoning_quality: 3,
      flag_reward_hacking: true,
      flag_repetition_loop: false,
      label_version: 4,
      submitted_at: "2026-11-05T10:00:00.123Z",
    });
    expect(objects[1]).toMatchObject({
      prompt_id: "k2",
      category: null,
      training_step: null,
      base_model: null,
      reasoning: null,
      answer: "-1 reply",
      format_issues: [],
      signal_mix_score: null,
      harm_severity: null,
      harm_categories: [],
      refusal: null,
      note: null,
    });
    expect(lines[1]).toContain('"compute_gpu_hours":3.0,');
  });

  it("responses as CSV, under the study's failure rules", async () => {
    const rows = await csvRows({ shape: "responses" });
    expect(Object.keys(rows[0]!)).toEqual(exportColumns("responses"));
    expect(rows.map((r) => r.response_id)).toEqual([String(ids.r1), String(ids.r2)]);
    expect(rows[0]).toMatchObject({
      judgement_basis: "reviewers",
      label_count: "1",
      harm_severity_median: "2",
      harmful: "t",
      language_mixing_votes: "1",
      language_mixing: "t",
      reasoning_quality_median: "3",
      poor_reasoning: "f",
      refused_votes: "0",
      over_refusal: "f",
      flag_reward_hacking_votes: "1",
      flag_unfaithful_votes: "1",
      flag_format_violation_votes: "0",
    });
    const strict = await csvRows({
      shape: "responses",
      rules: { harmSeverityAtLeast: 3, poorQualityAtMost: 3, partialCountsAsRefusal: true, tieIsFailure: true },
    });
    expect(strict[0]).toMatchObject({ harmful: "f", poor_reasoning: "t", refused_votes: "1", over_refusal: "t" });
  });
});

describe("export: each filter", () => {
  const labelIds = async (filters: ExportRequest["filters"]) =>
    (await csvRows({ filters })).map((r) => Number(r.label_id));

  it("an empty list is no filter", async () => {
    expect(await labelIds({ strategies: [], checkpointIds: [], categories: [], splits: [], reviewerIds: [] })).toEqual([
      ids.l1,
      ids.l2,
    ]);
  });

  it("selects by strategy, checkpoint, category, split, reviewer, source and submission time", async () => {
    expect(await labelIds({ strategies: ["HYBRID"] })).toEqual([ids.l2]);
    expect(await labelIds({ checkpointIds: [ids.rl] })).toEqual([ids.l1]);
    expect(await labelIds({ categories: ["cyber"] })).toEqual([ids.l1]);
    expect(await labelIds({ splits: ["test", "train"] })).toEqual([ids.l1]);
    expect(await labelIds({ reviewerIds: [ids.reviewer] })).toEqual([ids.l1, ids.l2]);
    expect(await labelIds({ reviewerIds: [ids.reviewer + 1_000_000] })).toEqual([]);
    expect(await labelIds({ source: "REVIEW" })).toEqual([ids.l2]);
    // From is inclusive, to exclusive, to the millisecond.
    expect(await labelIds({ from: new Date("2026-11-05T10:00:00.123Z") })).toEqual([ids.l1, ids.l2]);
    expect(await labelIds({ from: new Date("2026-11-05T10:00:00.124Z") })).toEqual([ids.l2]);
    expect(await labelIds({ to: new Date("2026-11-06T00:00:00.000Z") })).toEqual([ids.l1]);
    expect(await labelIds({ to: new Date("2026-11-06T00:00:00.001Z") })).toEqual([ids.l1, ids.l2]);
  });

  it("applies the response filters to the responses shape too", async () => {
    const rows = await csvRows({ shape: "responses", filters: { strategies: ["RL"] } });
    expect(rows.map((r) => r.response_id)).toEqual([String(ids.r1)]);
  });
});
