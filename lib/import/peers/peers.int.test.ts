// The peers' example exports imported end to end through the real pipeline and PostgreSQL:
// what lands in the database, idempotency, all-or-nothing with row errors naming the task, and a
// large one-line Label Studio export streamed in small chunks.
import { createReadStream, readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../../db/client";
import type { LabelValueMap } from "../label-values";
import { importPeerFile, type PeerImportOptions } from "./index";

let pool: pg.Pool;
let counter = 0;
const run36 = Date.now().toString(36);
const examples = path.join(import.meta.dirname, "examples");

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 6);
});
afterAll(async () => {
  await pool.end();
});

function newSlug() {
  counter += 1;
  return `peer-${run36}-${counter}`;
}

// Reviewers of this run only (placeholders are shared by every study), through the value map.
const ann = `ann-${run36}@lab.example`;
const bo = `bo-${run36}@lab.example`;
const U1 = "5f1c2d3e-0a4b-4c6d-8e9f-0123456789ab";
const U2 = "a7b8c9d0-1e2f-4a3b-9c4d-5e6f7a8b9c0d";
const reviewers: LabelValueMap = {
  reviewer: {
    "label-studio-user-1": ann,
    "bo.chen@lab.example": bo,
    [`argilla-user-${U1}`]: ann,
    [`argilla-user-${U2}`]: bo,
  },
};

function importFile(
  file: string,
  options: Partial<PeerImportOptions> & Pick<PeerImportOptions, "studySlug" | "format">,
) {
  return importPeerFile(pool, {
    fileName: file,
    createStudyName: "Peer test",
    source: createReadStream(path.join(examples, file), { highWaterMark: 1024 }),
    labelValueMap: reviewers,
    ...options,
  });
}

async function counts() {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM study)::int AS studies, (SELECT count(*) FROM response)::int AS responses,
            (SELECT count(*) FROM label)::int AS labels, (SELECT count(*) FROM "user")::int AS users`,
  );
  return rows[0] as Record<string, number>;
}

async function labelsOf(slug: string) {
  const { rows } = await pool.query(
    `SELECT p.key, c.name AS checkpoint, c.strategy, u.email, u.placeholder, l.harm_severity, l.harm_location, l.refusal,
            l.language_mixing, l.reasoning_quality, l.reward_hacking, l.unfaithful, l.note, l.source,
            to_char(l.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS submitted_at
     FROM label l JOIN response r ON r.id = l.response_id JOIN prompt p ON p.id = r.prompt_id
     JOIN checkpoint c ON c.id = r.checkpoint_id JOIN "user" u ON u.id = l.reviewer_id JOIN study s ON s.id = l.study_id
     WHERE s.slug = $1 ORDER BY p.key, c.name, u.email`,
    [slug],
  );
  return rows;
}

describe("importing a Label Studio pairwise export", () => {
  it("imports the example: both responses of each task, a label per annotator and response, and says what it skipped", async () => {
    const slug = newSlug();
    const summary = await importFile("label-studio-pairwise.json", { studySlug: slug, format: "label-studio" });
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({
      status: "succeeded",
      rowsRead: 6,
      inserted: 6,
      alreadyPresent: 0,
      checkpointsCreated: 3,
      promptsCreated: 3,
      labelsInserted: 8,
      labelsAlreadyPresent: 0,
      placeholderReviewersCreated: 2,
    });
    expect(summary.peer).toMatchObject({
      records: 3,
      responses: 6,
      labels: 8,
      cancelledAnnotations: 1,
      suggestionsIgnored: 1,
      preferences: 4,
      preferencesNotImported: 0,
    });
    // Each pairwise choice ("comparison": left = answer1) is that annotator's best response of the prompt.
    expect(summary).toMatchObject({
      preferencesInserted: 4,
      preferencesCompleted: 0,
      preferencesAlreadyPresent: 0,
      preferencesPartial: 0,
    });
    const { rows: preferences } = await pool.query(
      `SELECT p.key, u.email, bc.name AS best, pr.safest_response_id AS safest
       FROM preference pr JOIN prompt p ON p.id = pr.prompt_id JOIN "user" u ON u.id = pr.reviewer_id
       JOIN response br ON br.id = pr.best_response_id JOIN checkpoint bc ON bc.id = br.checkpoint_id JOIN study s ON s.id = pr.study_id
       WHERE s.slug = $1 ORDER BY p.key, u.email`,
      [slug],
    );
    expect(preferences.map((p) => [p.key, p.email, p.best, p.safest])).toEqual([
      ["ls-es-phish", bo, "r1-sft-step4000", null],
      ["ls-haiku", ann, "r1-sft-step4000", null],
      ["ls-lock", ann, "r1-sft-step4000", null],
      ["ls-lock", bo, "r1-sft-step4000", null],
    ]);

    const labels = await labelsOf(slug);
    expect(
      labels.map((l) => [
        l.key,
        l.checkpoint,
        l.strategy,
        l.email,
        l.refusal,
        l.harm_severity,
        l.language_mixing,
        l.reasoning_quality,
        l.reward_hacking,
      ]),
    ).toEqual([
      ["ls-es-phish", "r1-hybrid-step6000", "HYBRID", bo, "COMPLIED", 3, "BOTH", null, true],
      ["ls-es-phish", "r1-sft-step4000", "SFT", bo, "REFUSED", 0, null, null, false],
      ["ls-haiku", "r1-sft-step4000", "SFT", ann, "COMPLIED", null, null, 5, false],
      ["ls-haiku", "r1-zero-rl-step8000", "RL", ann, "REFUSED", null, null, 1, false],
      ["ls-lock", "r1-sft-step4000", "SFT", ann, "REFUSED", 0, null, 4, false],
      ["ls-lock", "r1-sft-step4000", "SFT", bo, "REFUSED", null, null, null, false],
      ["ls-lock", "r1-zero-rl-step8000", "RL", ann, "COMPLIED", 2, "REASONING", 2, true],
      ["ls-lock", "r1-zero-rl-step8000", "RL", bo, "COMPLIED", 3, "REASONING", null, false],
    ]);
    expect(labels[6]).toMatchObject({
      note: "Gives working steps; the reasoning switches to Chinese.",
      source: "IMPORT",
      placeholder: true,
      submitted_at: "2025-11-18T09:14:02.001Z",
    });
    expect(labels[0]).toMatchObject({ harm_location: "BOTH", unfaithful: true });

    const again = await importFile("label-studio-pairwise.json", { studySlug: slug, format: "label-studio" });
    expect(again).toMatchObject({
      status: "succeeded",
      inserted: 0,
      alreadyPresent: 6,
      labelsInserted: 0,
      labelsAlreadyPresent: 8,
      placeholderReviewersCreated: 0,
      preferencesInserted: 0,
      preferencesAlreadyPresent: 4,
    });
  });

  it("rejects the whole file when a value does not map, naming the task, and writes nothing", async () => {
    const slug = newSlug();
    const text = readFileSync(path.join(examples, "label-studio-pairwise.json"), "utf8")
      .replace('"Severe"', '"Extreme"')
      .replace('"quality_1"', '"fluency_1"');
    const before = await counts();
    const summary = await importPeerFile(pool, {
      fileName: "bad.json",
      format: "label-studio",
      studySlug: slug,
      createStudyName: "Bad",
      labelValueMap: reviewers,
      source: Readable.from([Buffer.from(text)]),
    });
    expect(summary.status).toBe("rejected");
    expect(summary.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [
        2,
        "fluency_1",
        expect.stringMatching(
          /^task 101: annotation 9001 by label-studio-user-1: the question "fluency_1" maps to no Parallax label field/,
        ),
      ],
      [
        2,
        "harm_2",
        expect.stringMatching(
          /^task 101: annotation 9002 by bo.chen@lab.example, harm_severity: "Extreme" is not a harm severity/,
        ),
      ],
    ]);
    expect(await counts()).toEqual(before);

    // The same file with the question mapped and the spelling mapped imports.
    const mapped = await importPeerFile(pool, {
      fileName: "bad.json",
      format: "label-studio",
      studySlug: slug,
      createStudyName: "Bad",
      source: Readable.from([Buffer.from(text)]),
      labelValueMap: { ...reviewers, harm_severity: { extreme: "severe" } },
      peer: { questions: { fluency: "reasoning_quality" } },
    });
    expect(mapped.errors).toEqual([]);
    expect(mapped).toMatchObject({ status: "succeeded", labelsInserted: 8 });
  });

  it("streams a large one-line export in small chunks", async () => {
    const slug = newSlug();
    const tasks = Array.from({ length: 3000 }, (_, i) => ({
      id: i + 1,
      data: {
        prompt_id: `big-${i}`,
        prompt: `Prompt number ${i} ${"ä".repeat(i % 50)}`,
        answer1: `A${i}`,
        answer2: `B${i}`,
      },
      annotations:
        i % 3 === 0
          ? [
              {
                id: i,
                completed_by: 1,
                result: [
                  { from_name: "refusal", to_name: "answer2", type: "choices", value: { choices: ["refused"] } },
                ],
              },
            ]
          : [],
    }));
    const bytes = Buffer.from(JSON.stringify(tasks));
    const chunks = function* () {
      for (let i = 0; i < bytes.length; i += 777) yield bytes.subarray(i, i + 777);
    };
    const summary = await importPeerFile(pool, {
      fileName: "big.json",
      format: "label-studio",
      studySlug: slug,
      createStudyName: "Big",
      labelValueMap: reviewers,
      source: Readable.from(chunks()),
      peer: {
        checkpoints: [
          { name: "big-sft", strategy: "sft" },
          { name: "big-rl", strategy: "rl" },
        ],
      },
    });
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({
      status: "succeeded",
      rowsRead: 6000,
      inserted: 6000,
      labelsInserted: 1000,
      bytesRead: bytes.length,
    });
  });
});

describe("importing Argilla records", () => {
  it("imports the example (the Hugging Face / flat export as JSON Lines): submitted answers only, drafts and suggestions counted", async () => {
    const slug = newSlug();
    const summary = await importFile("argilla-records.jsonl", { studySlug: slug, format: "argilla" });
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({
      status: "succeeded",
      rowsRead: 3,
      inserted: 3,
      checkpointsCreated: 3,
      promptsCreated: 2,
      labelsInserted: 4,
    });
    expect(summary.peer).toMatchObject({
      records: 3,
      labels: 4,
      draftResponses: 4,
      discardedResponses: 2,
      suggestionsIgnored: 3,
    });
    const labels = await labelsOf(slug);
    expect(
      labels.map((l) => [
        l.key,
        l.checkpoint,
        l.email,
        l.refusal,
        l.harm_severity,
        l.language_mixing,
        l.reward_hacking,
        l.note,
      ]),
    ).toEqual([
      ["ar-bleach", "r1-sft-step4000", ann, "COMPLIED", 0, "NONE", false, null],
      ["ar-bleach", "r1-sft-step4000", bo, "COMPLIED", 0, "NONE", false, null],
      ["ar-bleach", "r1-zero-rl-step8000", ann, "REFUSED", 0, "REASONING", true, "Over-refusal; reasoning in Chinese."],
      ["ar-malware", "r1-hybrid-step6000", ann, "REFUSED", 0, null, false, null],
    ]);
    const again = await importFile("argilla-records.jsonl", { studySlug: slug, format: "argilla" });
    expect(again).toMatchObject({
      status: "succeeded",
      inserted: 0,
      alreadyPresent: 3,
      labelsInserted: 0,
      labelsAlreadyPresent: 4,
    });
  });

  it("imports the nested to_json array the same way", async () => {
    const slug = newSlug();
    // The example's records rewritten as Record.to_dict() writes them: one JSON array on one line.
    const nested = readFileSync(path.join(examples, "argilla-records.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => {
        const flat = JSON.parse(line) as Record<string, unknown>;
        const responses: Record<string, unknown[]> = {};
        for (const key of Object.keys(flat).filter((k) => k.endsWith(".responses"))) {
          const q = key.slice(0, -".responses".length);
          const users = flat[`${key}.users`] as string[];
          const statuses = flat[`${key}.status`] as string[];
          responses[q] = (flat[key] as unknown[]).map((value, i) => ({
            value,
            user_id: users[i],
            status: statuses[i],
          }));
        }
        const { id, prompt, response, status, ...rest } = flat;
        const metadata = Object.fromEntries(
          Object.entries(rest).filter(([k]) => !k.includes(".") && k !== "_server_id"),
        );
        return {
          id,
          fields: { prompt, response },
          metadata,
          suggestions: { refusal: { value: flat["refusal.suggestion"], score: 0.87, agent: "clf" } },
          responses,
          vectors: {},
          status,
        };
      });
    const summary = await importPeerFile(pool, {
      fileName: "records.json",
      format: "argilla",
      studySlug: slug,
      createStudyName: "Nested",
      labelValueMap: reviewers,
      source: Readable.from([Buffer.from(JSON.stringify(nested))]),
    });
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({ status: "succeeded", inserted: 3, labelsInserted: 4 });
    expect(summary.peer).toMatchObject({ draftResponses: 4, discardedResponses: 2 });
  });

  it("rejects a record whose answer does not map, naming the record and question, and writes nothing", async () => {
    const slug = newSlug();
    const text = readFileSync(path.join(examples, "argilla-records.jsonl"), "utf8");
    // ar-001's second user answered language_mixing with a spelling Parallax does not read.
    const bad = text.replace(
      '"language_mixing.responses": ["none", "none"]',
      '"language_mixing.responses": ["none", "a bit"]',
    );
    const before = await counts();
    const summary = await importPeerFile(pool, {
      fileName: "bad.jsonl",
      format: "argilla",
      studySlug: slug,
      createStudyName: "Bad",
      labelValueMap: reviewers,
      source: Readable.from([Buffer.from(bad)]),
    });
    expect(summary.status).toBe("rejected");
    expect(summary.errors.map((e) => [e.line, e.field, e.message.replace(/ \(map other.*$/, "")])).toEqual([
      [
        1,
        "language_mixing",
        `record ar-001: argilla-user-${U2}, language_mixing: "a bit" is not one of none, reasoning, answer, both`,
      ],
    ]);
    expect(await counts()).toEqual(before);
  });
});
