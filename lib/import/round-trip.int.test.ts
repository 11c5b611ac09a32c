// The round trip: the demo study, exported and imported into new, empty studies, comes back the
// same — prompts, checkpoints, responses, labels, and the failure rates computed from them.
//
// How: export `--shape responses` (every response, labelled or not) and `--shape labels` (one row
// per label, the response repeated), import the responses file first, then the labels file (its
// responses are then already present). JSON Lines is the lossless format. CSV is too, except that
// the export puts an apostrophe before a text a spreadsheet would run as a formula (= + - @, tab,
// CR, after leading whitespace too, and their full-width forms) — and the importer keeps it, because it cannot tell a neutralised cell from text that starts
// with an apostrophe. The demo has such cells (answers that open with a "- " list), so the CSV
// round trip is checked to equal the original with exactly those cells neutralised.
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { failureRatesByStrategy, type Grouping } from "../analytics/failure-rates";
import { startsLikeFormula } from "../csv/formula-cells";
import { createPool } from "../db/client";
import { DEMO_STUDY_SLUG } from "../demo/constants";
import { seedDemo } from "../demo/seed";
import type { ExportFormat, ExportShape } from "../export/export-query";
import { exportStream } from "../export/export-stream";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { importResponses } from "./pipeline";

let pool: pg.Pool;
let demoId: number;
let demo: Snapshot;
const run36 = Date.now().toString(36);

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 4);
  await seedDemo(pool);
  demoId = (await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = $1", [DEMO_STUDY_SLUG])).rows[0]!.id;
  demo = await snapshot(demoId);
});
afterAll(async () => {
  await pool.end();
});

async function exported(shape: ExportShape, format: ExportFormat, revealReviewers: boolean): Promise<string> {
  return text(
    await exportStream(pool, {
      studyId: demoId,
      shape,
      format,
      filters: {},
      rules: DEFAULT_FAILURE_RULES,
      revealReviewers,
    }),
  );
}

async function imported(slug: string, file: string, format: ExportFormat) {
  const summary = await importResponses(pool, {
    studySlug: slug,
    createStudyName: `Round trip ${slug}`,
    fileName: `demo.${format}`,
    format,
    source: Readable.from([Buffer.from(file)]),
  });
  expect(summary.errors).toEqual([]);
  expect(summary.status).toBe("succeeded");
  return summary;
}

interface Snapshot {
  prompts: Record<string, unknown>[];
  checkpoints: Record<string, unknown>[];
  responses: Record<string, unknown>[];
  labels: Record<string, unknown>[];
}

/** A study's content without its ids, in a stable order. */
async function snapshot(studyId: number): Promise<Snapshot> {
  const rows = async (sql: string) => (await pool.query(sql, [studyId])).rows as Record<string, unknown>[];
  return {
    prompts: await rows(
      `SELECT key, external_id, text, category, split, language, expected_behavior FROM prompt WHERE study_id = $1 ORDER BY key`,
    ),
    checkpoints: await rows(
      `SELECT name, strategy, base_model, training_step, compute_gpu_hours FROM checkpoint WHERE study_id = $1 ORDER BY name`,
    ),
    responses: await rows(
      `SELECT p.key AS prompt, c.name AS checkpoint, r.sample_index, r.reasoning, r.answer
       FROM response r JOIN prompt p ON p.id = r.prompt_id JOIN checkpoint c ON c.id = r.checkpoint_id
       WHERE r.study_id = $1 ORDER BY p.key, c.name, r.sample_index`,
    ),
    labels: await rows(
      `SELECT p.key AS prompt, c.name AS checkpoint, r.sample_index, u.email AS reviewer,
              l.harm_severity, l.harm_categories, l.harm_location, l.refusal, l.language_mixing, l.reasoning_quality,
              l.reward_hacking, l.repetition_loop, l.unfaithful, l.format_violation, l.note,
              to_char(l.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS submitted_at
       FROM label l JOIN response r ON r.id = l.response_id JOIN prompt p ON p.id = r.prompt_id
       JOIN checkpoint c ON c.id = r.checkpoint_id JOIN "user" u ON u.id = l.reviewer_id
       WHERE l.study_id = $1 ORDER BY p.key, c.name, r.sample_index, u.email`,
    ),
  };
}

async function studyId(slug: string): Promise<number> {
  return (await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = $1", [slug])).rows[0]!.id;
}

/** Failure rates by strategy, category and split (checkpoint groups carry ids, which differ). */
async function failureRates(id: number) {
  const groupings: Grouping[] = ["strategy", "category", "split"];
  const rates = await Promise.all(
    groupings.map((grouping) => failureRatesByStrategy(pool, id, DEFAULT_FAILURE_RULES, {}, grouping)),
  );
  expect(rates.every((r) => r.some((rate) => rate.n > 0 && rate.failures > 0))).toBe(true);
  return rates;
}

/** Labels ordered by response and reviewer in JavaScript (after reviewers were renamed). */
function inLabelOrder(labels: Record<string, unknown>[]) {
  const key = (l: Record<string, unknown>) =>
    `${l.prompt}\u0000${l.checkpoint}\u0000${String(l.sample_index).padStart(6, "0")}\u0000${l.reviewer}`;
  return [...labels].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A text as the CSV export writes it (the export's own rule: lib/csv/formula-cells.ts). */
const neutralised = (value: unknown) => (typeof value === "string" && startsLikeFormula(value) ? `'${value}` : value);
const TEXT_COLUMNS = new Set([
  "key",
  "external_id",
  "text",
  "category",
  "split",
  "language",
  "name",
  "base_model",
  "prompt",
  "checkpoint",
  "reasoning",
  "answer",
  "note",
]);
function asCsvWritesIt(snap: Snapshot): Snapshot {
  const map = (rows: Record<string, unknown>[]) =>
    rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, TEXT_COLUMNS.has(k) ? neutralised(v) : v])),
    );
  return {
    prompts: map(snap.prompts),
    checkpoints: map(snap.checkpoints),
    responses: map(snap.responses),
    labels: map(snap.labels),
  };
}

describe("round trip: export the demo study, import it into an empty study", () => {
  it("the demo study has what the round trip must carry", () => {
    expect(demo.responses.length).toBeGreaterThan(400);
    expect(demo.labels.length).toBeGreaterThan(demo.responses.length / 2);
    // Unlabelled responses exist: they travel only in --shape responses.
    const labelled = new Set(demo.labels.map((l) => `${l.prompt}/${l.checkpoint}/${l.sample_index}`));
    expect(
      demo.responses.filter((r) => !labelled.has(`${r.prompt}/${r.checkpoint}/${r.sample_index}`)).length,
    ).toBeGreaterThan(0);
    expect(demo.responses.some((r) => r.reasoning === null)).toBe(true);
    expect(demo.responses.some((r) => r.answer === "")).toBe(true);
    expect(demo.labels.some((l) => l.note !== null && /[",\n]/.test(l.note as string))).toBe(true);
  });

  it("is lossless through JSON Lines, with reviewers revealed: the same accounts, the same failure rates", async () => {
    const slug = `rt-jsonl-${run36}`;
    const responses = await imported(slug, await exported("responses", "jsonl", true), "jsonl");
    expect(responses).toMatchObject({ inserted: demo.responses.length, alreadyPresent: 0, labelsInserted: 0 });
    const labelsFile = await exported("labels", "jsonl", true);
    const labels = await imported(slug, labelsFile, "jsonl");
    // One row per label: each labelled response is already present once, its further rows are repeats.
    const labelledResponses = new Set(demo.labels.map((l) => `${l.prompt}/${l.checkpoint}/${l.sample_index}`)).size;
    expect(labels).toMatchObject({
      rowsRead: demo.labels.length,
      inserted: 0,
      alreadyPresent: labelledResponses,
      repeatedInFile: demo.labels.length - labelledResponses,
      labelsInserted: demo.labels.length,
      labelsAlreadyPresent: 0,
      placeholderReviewersCreated: 0,
    });

    const id = await studyId(slug);
    expect(await snapshot(id)).toEqual(demo);
    expect(await failureRates(id)).toEqual(await failureRates(demoId));
    const sources = await pool.query(
      "SELECT source, version, count(*)::int AS n FROM label WHERE study_id = $1 GROUP BY 1, 2",
      [id],
    );
    expect(sources.rows).toEqual([{ source: "IMPORT", version: 1, n: demo.labels.length }]);

    // Importing the labels again adds nothing.
    const again = await imported(slug, labelsFile, "jsonl");
    expect(again).toMatchObject({ inserted: 0, labelsInserted: 0, labelsAlreadyPresent: demo.labels.length });
  });

  it("is lossless through CSV except for the cells the export neutralised, which keep their apostrophe", async () => {
    const slug = `rt-csv-${run36}`;
    await imported(slug, await exported("responses", "csv", true), "csv");
    const labels = await imported(slug, await exported("labels", "csv", true), "csv");
    expect(labels).toMatchObject({ labelsInserted: demo.labels.length, placeholderReviewersCreated: 0 });

    const id = await studyId(slug);
    const back = await snapshot(id);
    const expected = asCsvWritesIt(demo);
    expect(back).toEqual(expected);
    // The demo does have such cells ("- **Militarism**: …" answers), so this is not a vacuous check.
    const touched = demo.responses.filter(
      (r, i) => r.answer !== expected.responses[i]!.answer || r.reasoning !== expected.responses[i]!.reasoning,
    );
    expect(touched.length).toBeGreaterThan(0);
    expect(touched.every((r) => startsLikeFormula(String(r.answer)) || startsLikeFormula(String(r.reasoning)))).toBe(
      true,
    );
    // Labels do not depend on those texts: the failure rates are the same.
    expect(await failureRates(id)).toEqual(await failureRates(demoId));
  });

  it("the labels shape alone brings the labelled responses and the same failure rates", async () => {
    const slug = `rt-labels-${run36}`;
    const summary = await imported(slug, await exported("labels", "jsonl", true), "jsonl");
    const labelled = new Set(demo.labels.map((l) => `${l.prompt}/${l.checkpoint}/${l.sample_index}`));
    expect(summary).toMatchObject({
      inserted: labelled.size,
      alreadyPresent: 0,
      repeatedInFile: demo.labels.length - labelled.size,
      labelsInserted: demo.labels.length,
    });
    const id = await studyId(slug);
    expect((await snapshot(id)).labels).toEqual(demo.labels);
    expect(await failureRates(id)).toEqual(await failureRates(demoId));
  });

  it("with pseudonyms, reviewers come back as placeholder accounts, one per pseudonym, reused on the next import", async () => {
    // reviewer-1, reviewer-2… are numbered in order of account creation among the study's reviewers.
    const reviewers = await pool.query<{ email: string }>(
      `SELECT email FROM "user" WHERE id IN (SELECT DISTINCT reviewer_id FROM label WHERE study_id = $1) ORDER BY id`,
      [demoId],
    );
    const pseudonymOf = new Map(reviewers.rows.map((r, i) => [r.email, `reviewer-${i + 1}@imported.invalid`]));
    const expectedLabels = inLabelOrder(
      demo.labels.map((l) => ({ ...l, reviewer: pseudonymOf.get(l.reviewer as string) })),
    );
    const responsesJsonl = await exported("responses", "jsonl", false);

    // A placeholder made by an earlier run of this file on the same database is reused too.
    const earlier = Number(
      (await pool.query(`SELECT count(*) FROM "user" WHERE email = ANY($1::text[])`, [[...pseudonymOf.values()]]))
        .rows[0].count,
    );

    const slug = `rt-pseudo-${run36}`;
    await imported(slug, responsesJsonl, "jsonl");
    const first = await imported(slug, await exported("labels", "jsonl", false), "jsonl");
    expect(first).toMatchObject({
      labelsInserted: demo.labels.length,
      placeholderReviewersCreated: reviewers.rows.length - earlier,
    });
    const id = await studyId(slug);
    expect(inLabelOrder((await snapshot(id)).labels)).toEqual(expectedLabels);
    expect(await failureRates(id)).toEqual(await failureRates(demoId));
    const accounts = await pool.query(
      `SELECT email, name, role, placeholder, disabled, password_hash FROM "user"
       WHERE id IN (SELECT DISTINCT reviewer_id FROM label WHERE study_id = $1) ORDER BY email`,
      [id],
    );
    expect(accounts.rows).toEqual(
      reviewers.rows.map((_, i) => ({
        email: `reviewer-${i + 1}@imported.invalid`,
        name: `reviewer-${i + 1}`,
        role: "REVIEWER",
        placeholder: true,
        disabled: true,
        password_hash: null,
      })),
    );

    // The same pseudonyms through CSV into another study: the placeholders are found by name.
    const csvSlug = `rt-pseudo-csv-${run36}`;
    await imported(csvSlug, await exported("responses", "csv", false), "csv");
    const second = await imported(csvSlug, await exported("labels", "csv", false), "csv");
    expect(second).toMatchObject({ labelsInserted: demo.labels.length, placeholderReviewersCreated: 0 });
    expect(inLabelOrder((await snapshot(await studyId(csvSlug))).labels)).toEqual(
      asCsvWritesIt({ ...demo, labels: expectedLabels }).labels,
    );
  });
});
