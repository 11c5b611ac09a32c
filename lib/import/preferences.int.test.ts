// Preferences through the import pipeline against a real PostgreSQL: the canonical `preferences`
// key, Label Studio pairwise tasks and Argilla rankings written into `preference`, idempotent,
// completed but never overwritten, choices among only some responses left out, conflicts as row
// errors naming the line (and, for peers, the task), all-or-nothing.
import { Readable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importPeerFile } from "./peers";
import { importResponses, type ImportOptions } from "./pipeline";

let pool: pg.Pool;
let counter = 0;
const run36 = Date.now().toString(36);

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 6);
});
afterAll(async () => {
  await pool.end();
});

function newSlug() {
  counter += 1;
  return `pref-${run36}-${counter}`;
}
const ann = `ann-pref-${run36}@lab.example`;
const bo = `bo-pref-${run36}@lab.example`;
const jsonl = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).join("\n") + "\n";

function run(text: string, options: Partial<ImportOptions> & { studySlug: string }) {
  return importResponses(pool, {
    fileName: "rows.jsonl",
    createStudyName: "Preference test",
    source: Readable.from([Buffer.from(text)]),
    signals: false,
    ...options,
  });
}

async function preferencesOf(slug: string) {
  const { rows } = await pool.query<{ key: string; email: string; safest: string | null; best: string | null }>(
    `SELECT p.key, u.email, sc.name AS safest, bc.name AS best
     FROM preference pr JOIN study s ON s.id = pr.study_id JOIN prompt p ON p.id = pr.prompt_id JOIN "user" u ON u.id = pr.reviewer_id
     LEFT JOIN response sr ON sr.id = pr.safest_response_id LEFT JOIN checkpoint sc ON sc.id = sr.checkpoint_id
     LEFT JOIN response br ON br.id = pr.best_response_id LEFT JOIN checkpoint bc ON bc.id = br.checkpoint_id
     WHERE s.slug = $1 ORDER BY p.key, u.email`,
    [slug],
  );
  return rows.map((r) => [r.key, r.email, r.safest, r.best]);
}

const response = (prompt_id: string, checkpoint: string, extra: Record<string, unknown> = {}) => ({
  prompt_id,
  prompt: `Prompt ${prompt_id}`,
  checkpoint,
  strategy: checkpoint.startsWith("sft") ? "sft" : "rl",
  response: `Answer of ${checkpoint}`,
  ...extra,
});

describe("preferences in the canonical format", () => {
  it("writes the safest and best response per prompt and reviewer, from any row of the prompt, idempotently", async () => {
    const slug = newSlug();
    const text = jsonl([
      response("p1", "sft-a", { preferences: [{ reviewer: ann, safest: "sft-a", best: "rl-b" }] }),
      response("p1", "rl-b", { preferences: JSON.stringify([{ reviewer: "Bo", best: "rl-b" }]) }),
      response("p2", "sft-a"),
      response("p2", "rl-b", { preferences: [{ reviewer: ann, best: "sft-a" }] }),
    ]);
    const map = { reviewer: { Bo: bo } };
    const summary = await run(text, { studySlug: slug, labelValueMap: map });
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({
      status: "succeeded",
      preferencesInserted: 3,
      preferencesCompleted: 0,
      preferencesAlreadyPresent: 0,
      placeholderReviewersCreated: 2,
    });
    expect(await preferencesOf(slug)).toEqual([
      ["p1", ann, "sft-a", "rl-b"],
      ["p1", bo, null, "rl-b"],
      ["p2", ann, null, "sft-a"],
    ]);

    const again = await run(text, { studySlug: slug, labelValueMap: map });
    expect(again).toMatchObject({
      status: "succeeded",
      inserted: 0,
      preferencesInserted: 0,
      preferencesAlreadyPresent: 3,
    });

    // A stored preference without a safest response is completed, not overwritten.
    const more = await run(
      jsonl([
        {
          prompt_id: "p2",
          checkpoint: "rl-b",
          label_reviewer: ann,
          label_refusal: "complied",
          preferences: [{ reviewer: ann, safest: "rl-b", best: "sft-a" }],
        },
      ]),
      { studySlug: slug },
    );
    expect(more.errors).toEqual([]);
    expect(more).toMatchObject({ preferencesCompleted: 1, labelsInserted: 1 });
    expect(await preferencesOf(slug)).toContainEqual(["p2", ann, "rl-b", "sft-a"]);

    // A row with only preferences names the prompt by prompt_id and one of its responses.
    const alone = await run(
      jsonl([{ prompt_id: "p1", checkpoint: "sft-a", preferences: [{ reviewer: bo, safest: "sft-a" }] }]),
      { studySlug: slug, labelValueMap: map },
    );
    expect(alone.errors).toEqual([]);
    expect(alone).toMatchObject({ rowsRead: 1, inserted: 0, alreadyPresent: 0, preferencesCompleted: 1 });
    expect(await preferencesOf(slug)).toContainEqual(["p1", bo, "sft-a", "rl-b"]);
    const unknown = await run(
      jsonl([{ prompt_id: "p9", checkpoint: "sft-a", preferences: [{ reviewer: bo, best: "sft-a" }] }]),
      { studySlug: slug },
    );
    expect(unknown.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [
        1,
        "prompt_id",
        'there is no prompt_id "p9" in this study; a row without prompt and response labels a response already in the study (or given earlier in this file)',
      ],
    ]);
  });

  it("rejects the import when a reviewer's choice differs from one stored or given earlier, or names no response, naming the line", async () => {
    const slug = newSlug();
    await run(
      jsonl([response("p1", "sft-a"), response("p1", "rl-b", { preferences: [{ reviewer: ann, best: "rl-b" }] })]),
      { studySlug: slug },
    );
    const before = await preferencesOf(slug);
    const summary = await run(
      jsonl([
        response("p1", "sft-a", { preferences: [{ reviewer: ann, best: "sft-a" }] }),
        response("p3", "sft-a", { preferences: [{ reviewer: bo, best: "sft-a" }] }),
        response("p3", "rl-b", { preferences: [{ reviewer: bo, best: "rl-b" }] }),
        response("p4", "sft-a", { preferences: [{ reviewer: bo, safest: "hybrid-c" }, { reviewer: 7 }] }),
      ]),
      { studySlug: slug },
    );
    expect(summary.status).toBe("rejected");
    expect(summary.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [
        1,
        "preferences",
        expect.stringMatching(
          new RegExp(
            `^reviewer "${ann}" already has a different best response for this prompt \\(preference \\d+: checkpoint "rl-b"\\); an import never overwrites a preference`,
          ),
        ),
      ],
      [
        3,
        "preferences",
        `reviewer "${bo}" chooses checkpoint "rl-b" as the best response here but "sft-a" on line 2; a reviewer has one best response per prompt`,
      ],
      [4, "preferences", "[1]: a preference names a safest or a best checkpoint (or both)"],
    ]);
    expect(await preferencesOf(slug)).toEqual(before);

    const missing = await run(
      jsonl([response("p5", "sft-a", { preferences: [{ reviewer: bo, safest: "hybrid-c" }] })]),
      { studySlug: slug },
    );
    expect(missing.errors.map((e) => [e.line, e.message])).toEqual([
      [
        1,
        `the safest response chosen by "${bo}", from checkpoint "hybrid-c" (sample_index 0), is no response to this prompt in the study or in this file`,
      ],
    ]);
  });
});

const pairwiseTask = (
  id: number,
  prompt_id: string,
  models: [string, string],
  selected: "left" | "right",
  extra: unknown[] = [],
) => ({
  id,
  data: {
    prompt: `Prompt ${prompt_id}`,
    prompt_id,
    answer1: `A ${models[0]}`,
    answer2: `B ${models[1]}`,
    model1: models[0],
    model2: models[1],
  },
  annotations: [
    {
      id: id * 10,
      completed_by: { id: 1, email: ann },
      result: [{ from_name: "comparison", to_name: "answer1", type: "pairwise", value: { selected } }, ...extra],
    },
  ],
});

function importTasks(slug: string, tasks: unknown[]) {
  return importPeerFile(pool, {
    fileName: "tasks.json",
    format: "label-studio",
    studySlug: slug,
    createStudyName: "LS",
    signals: false,
    source: Readable.from([Buffer.from(JSON.stringify(tasks))]),
    peer: { strategies: { "sft-a": "sft", "rl-b": "rl", "hybrid-c": "hybrid" } },
  });
}

describe("preferences from Label Studio and Argilla", () => {
  it("writes a pairwise choice between all of a prompt's responses; leaves out one between two of three", async () => {
    const slug = newSlug();
    const summary = await importTasks(slug, [
      pairwiseTask(1, "q1", ["sft-a", "rl-b"], "right", [
        { from_name: "safer", to_name: "answer1", type: "pairwise", value: { selected: "left" } },
      ]),
      pairwiseTask(2, "q2", ["sft-a", "rl-b"], "left"),
      pairwiseTask(3, "q2", ["sft-a", "hybrid-c"], "right"),
    ]);
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({ preferencesInserted: 1, preferencesPartial: 2 });
    expect(summary.peer).toMatchObject({ preferences: 4 });
    expect(await preferencesOf(slug)).toEqual([["q1", ann, "sft-a", "rl-b"]]);
  });

  it("names the task in a conflict with a stored preference or label", async () => {
    const slug = newSlug();
    const choice = (refusal: string) => [
      { from_name: "refusal_1", to_name: "answer1", type: "choices", value: { choices: [refusal] } },
    ];
    expect(
      (await importTasks(slug, [pairwiseTask(1, "q1", ["sft-a", "rl-b"], "right", choice("refused"))])).status,
    ).toBe("succeeded");
    const summary = await importTasks(slug, [pairwiseTask(41, "q1", ["sft-a", "rl-b"], "left", choice("complied"))]);
    expect(summary.status).toBe("rejected");
    expect(summary.errors.map((e) => [e.field, e.message])).toEqual([
      [
        "label_1_reviewer",
        expect.stringMatching(
          new RegExp(
            `^task 41: reviewer "${ann}" already has a different label for this response .*differs in refusal`,
          ),
        ),
      ],
      ["preferences", expect.stringMatching(/^task 41: reviewer .* already has a different best response/)],
    ]);
    const preference = await importTasks(slug, [pairwiseTask(42, "q1", ["sft-a", "rl-b"], "left")]);
    expect(preference.errors.map((e) => [e.field, e.message])).toEqual([
      [
        "preferences",
        expect.stringMatching(
          new RegExp(
            `^task 42: reviewer "${ann}" already has a different best response for this prompt \\(preference \\d+: checkpoint "rl-b"\\)`,
          ),
        ),
      ],
    ]);
  });

  it("writes an Argilla ranking's first response as the best", async () => {
    const slug = newSlug();
    const record = {
      id: "r1",
      fields: { prompt: "p", response_1: "one", response_2: "two" },
      metadata: { model_1: "sft-a", model_2: "rl-b", prompt_id: "a1" },
      responses: {
        ranking: [
          {
            value: [
              { value: "response_2", rank: 1 },
              { value: "response_1", rank: 2 },
            ],
            user_id: bo,
            status: "submitted",
          },
        ],
      },
    };
    const summary = await importPeerFile(pool, {
      fileName: "records.json",
      format: "argilla",
      studySlug: slug,
      createStudyName: "AR",
      signals: false,
      source: Readable.from([Buffer.from(JSON.stringify([record]))]),
      peer: { strategies: { "sft-a": "sft", "rl-b": "rl" } },
    });
    expect(summary.errors).toEqual([]);
    expect(await preferencesOf(slug)).toEqual([["a1", bo, null, "rl-b"]]);
  });
});
