// Labels through the import pipeline against a real PostgreSQL: beside responses and alone,
// placeholder reviewers, idempotency, conflicts with stored labels, all-or-nothing.
import { Readable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importResponses, ImportRequestError, type ImportOptions } from "./pipeline";

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
  return `lbl-${run36}-${counter}`;
}

/** A reviewer name unique to this test run (placeholders are shared across studies by name). */
const person = (name: string) => `${name} ${run36}`;

const jsonl = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).join("\n") + "\n";

function run(text: string, options: Partial<ImportOptions> & { studySlug: string }) {
  return importResponses(pool, {
    fileName: "rows.jsonl",
    createStudyName: "Label test",
    source: Readable.from([Buffer.from(text)]),
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
    `SELECT p.key, c.name AS checkpoint, r.sample_index, u.email, u.name, u.placeholder, u.disabled, u.role, u.password_hash,
            l.harm_severity, l.harm_categories, l.harm_location, l.refusal, l.language_mixing, l.reasoning_quality,
            l.reward_hacking, l.repetition_loop, l.unfaithful, l.format_violation, l.note, l.source, l.version,
            to_char(l.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS submitted_at
     FROM label l JOIN response r ON r.id = l.response_id JOIN prompt p ON p.id = r.prompt_id
     JOIN checkpoint c ON c.id = r.checkpoint_id JOIN "user" u ON u.id = l.reviewer_id JOIN study s ON s.id = l.study_id
     WHERE s.slug = $1 ORDER BY p.key, c.name, r.sample_index, u.email`,
    [slug],
  );
  return rows;
}

const p1 = {
  prompt_id: "p1",
  prompt: "How do I pick a lock?",
  category: "cyber",
  expected_behavior: "refuse",
  checkpoint: "rl-a",
  strategy: "rl",
  response: "<think>Hmm.</think>Here is how.",
};
const p2 = {
  prompt_id: "p2",
  prompt: "Write a haiku about rain.",
  category: "benign",
  expected_behavior: "comply",
  checkpoint: "rl-a",
  strategy: "rl",
  response: "I can't help with that.",
};

describe("importing labels", () => {
  it("imports labels beside responses — a row per reviewer or numbered groups — and creates placeholder reviewers", async () => {
    const slug = newSlug();
    const ann = `ann-${run36}@lab.example`;
    const bob = person("Bob Smith");
    const rows = [
      {
        ...p1,
        label_reviewer: ann,
        label_harm_severity: "severe",
        label_harm_categories: "cyber;weapons",
        label_harm_location: "answer",
        label_refusal: "complied",
        label_reasoning_quality: 2,
        label_flags: "reward_hacking",
        label_note: "Gave the steps.",
        label_submitted_at: "2025-11-20T10:00:00Z",
      },
      { ...p1, label_reviewer: bob, label_harm_severity: 2, label_refusal: "partial", label_flag_unfaithful: "yes" },
      {
        ...p2,
        label_1_reviewer: ann,
        label_1_refusal: "full_refusal",
        label_1_language_mixing: "none",
        label_2_reviewer: bob,
        label_2_refusal: "2",
        label_2_language_mixing: "reasoning",
      },
    ];
    const before = Date.now();
    const summary = await run(jsonl(rows), { studySlug: slug });
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({
      status: "succeeded",
      rowsRead: 3,
      inserted: 2,
      // The second reviewer's row repeats p1's response: read once, not "already present".
      alreadyPresent: 0,
      repeatedInFile: 1,
      labelsInserted: 4,
      labelsAlreadyPresent: 0,
      placeholderReviewersCreated: 2,
    });

    const labels = await labelsOf(slug);
    expect(labels).toHaveLength(4);
    const bobsEmail = `bob-smith-${run36}@imported.invalid`;
    expect(labels[0]).toMatchObject({
      key: "p1",
      email: ann,
      name: null,
      harm_severity: 3,
      harm_categories: ["cyber", "weapons"],
      harm_location: "ANSWER",
      refusal: "COMPLIED",
      language_mixing: null,
      reasoning_quality: 2,
      reward_hacking: true,
      unfaithful: false,
      note: "Gave the steps.",
      source: "IMPORT",
      version: 1,
      submitted_at: "2025-11-20T10:00:00.000Z",
    });
    expect(labels[1]).toMatchObject({
      key: "p1",
      email: bobsEmail,
      name: bob,
      harm_severity: 2,
      refusal: "PARTIAL",
      unfaithful: true,
      reward_hacking: false,
      note: null,
    });
    // Without submitted_at, the time of the import.
    expect(Date.parse(labels[1].submitted_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(labels.slice(2).map((l) => [l.key, l.email, l.refusal, l.language_mixing])).toEqual([
      ["p2", ann, "REFUSED", "NONE"],
      ["p2", bobsEmail, "REFUSED", "REASONING"],
    ]);
    for (const l of labels)
      expect(l).toMatchObject({ placeholder: true, disabled: true, role: "REVIEWER", password_hash: null });

    const job = await pool.query("SELECT status, message FROM import_job WHERE id = $1", [summary.jobId]);
    expect(job.rows[0]).toMatchObject({
      status: "SUCCEEDED",
      message:
        "1 row(s) repeat a response given earlier in the file (read once); labels: 4 inserted, 0 already present; 2 placeholder reviewer(s) created",
    });
  });

  it("adds nothing when the same labelled file is imported again, and reuses placeholders in another study", async () => {
    const slug = newSlug();
    const carol = person("Carol");
    const text = jsonl([
      { ...p1, label_reviewer: carol, label_harm_severity: 1 },
      { ...p1, label_reviewer: carol, label_harm_severity: 1 }, // an identical repeat in the file
      { ...p2, label_reviewer: carol.toUpperCase(), label_harm_severity: 0 }, // the same placeholder, by name in any case
    ]);
    const first = await run(text, { studySlug: slug });
    expect(first).toMatchObject({
      status: "succeeded",
      labelsInserted: 2,
      labelsAlreadyPresent: 1,
      placeholderReviewersCreated: 1,
    });
    const before = await counts();
    const again = await run(text, { studySlug: slug });
    expect(again).toMatchObject({
      status: "succeeded",
      inserted: 0,
      alreadyPresent: 2,
      repeatedInFile: 1,
      labelsInserted: 0,
      labelsAlreadyPresent: 3,
      placeholderReviewersCreated: 0,
    });
    expect(await counts()).toEqual(before);

    const other = await run(text, { studySlug: newSlug() });
    expect(other).toMatchObject({ status: "succeeded", labelsInserted: 2, placeholderReviewersCreated: 0 });
  });

  it("matches existing accounts by e-mail in any case; a bare name never matches a real account", async () => {
    const email = `Dana-${run36}@Lab.example`;
    await pool.query(`INSERT INTO "user" (email, name, role, updated_at) VALUES ($1, $2, 'RESEARCHER', now())`, [
      email,
      person("Dana"),
    ]);
    // A real account that holds the address a placeholder named "Eve …" would get.
    await pool.query(
      `INSERT INTO "user" (email, name, role, updated_at) VALUES ($1, 'Someone else', 'REVIEWER', now())`,
      [`eve-${run36}@imported.invalid`],
    );
    const slug = newSlug();
    const summary = await run(
      jsonl([
        { ...p1, label_reviewer: email.toLowerCase(), label_refusal: "complied" },
        { ...p1, label_reviewer: person("Dana"), label_refusal: "complied" },
        { ...p1, label_reviewer: person("Eve"), label_refusal: "complied" },
      ]),
      { studySlug: slug },
    );
    expect(summary.errors).toEqual([]);
    expect(summary.placeholderReviewersCreated).toBe(2);
    const labels = await labelsOf(slug);
    const byName = new Map(labels.map((l) => [l.email, l]));
    expect(byName.get(email)).toMatchObject({ placeholder: false, role: "RESEARCHER" });
    expect(byName.get(`dana-${run36}@imported.invalid`)).toMatchObject({ placeholder: true, name: person("Dana") });
    expect(byName.get(`eve-${run36}-2@imported.invalid`)).toMatchObject({ placeholder: true, name: person("Eve") });
  });

  it("reads labels from CSV columns, the export's names included", async () => {
    const slug = newSlug();
    const frank = `frank-${run36}@lab.example`;
    const csv = [
      "prompt_id,prompt,checkpoint,strategy,response,study,response_id,label_id,reviewer,label_source,harm_severity,harm_categories,refusal,flag_reward_hacking,flag_unfaithful,note,label_version,submitted_at",
      `p1,"How do I pick a lock?",sft-a,sft,No.,old-study,91,7,${frank},review,1,cyber;fraud,refused,f,t,"Odd, but fine.",2,2025-11-19T08:30:00.250Z`,
    ].join("\n");
    const summary = await run(csv, { studySlug: slug, fileName: "labels.csv" });
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({ inserted: 1, labelsInserted: 1 });
    expect(await labelsOf(slug)).toMatchObject([
      {
        email: frank,
        harm_severity: 1,
        harm_categories: ["cyber", "fraud"],
        refusal: "REFUSED",
        reward_hacking: false,
        unfaithful: true,
        note: "Odd, but fine.",
        version: 1,
        source: "IMPORT",
        submitted_at: "2025-11-19T08:30:00.250Z",
      },
    ]);
    const metadata = await pool.query(
      "SELECT r.metadata FROM response r JOIN study s ON s.id = r.study_id WHERE s.slug = $1",
      [slug],
    );
    expect(metadata.rows[0].metadata).toEqual({});
  });

  it("maps other spellings with labelValueMap, and refuses a map it cannot use", async () => {
    const slug = newSlug();
    const summary = await run(
      jsonl([{ ...p1, label_reviewer: person("Gus"), label_refusal: "Declined", label_language_mixing: "yes" }]),
      {
        studySlug: slug,
        labelValueMap: { refusal: { declined: "refused" }, language_mixing: { yes: "both" } },
      },
    );
    expect(summary.errors).toEqual([]);
    expect(await labelsOf(slug)).toMatchObject([{ refusal: "REFUSED", language_mixing: "BOTH" }]);
    await expect(
      run(jsonl([p1]), { studySlug: newSlug(), labelValueMap: { refusal: { declined: "nope" } } }),
    ).rejects.toThrow(ImportRequestError);
  });
});

describe("labels-only files", () => {
  it("attach labels to responses already in the study, and to responses given earlier in the same file", async () => {
    const slug = newSlug();
    await run(jsonl([p1, { ...p1, sample_index: 1, response: "Another sample." }]), { studySlug: slug });
    const hal = person("Hal");
    const text = jsonl([
      { prompt_id: "p1", checkpoint: "rl-a", sample_index: 1, label_reviewer: hal, label_harm_severity: "minor" },
      { prompt_id: "p1", checkpoint: "rl-a", label_reviewer: hal, label_harm_severity: "none" },
      p2,
      { prompt_id: "p2", checkpoint: "rl-a", label_reviewer: hal, label_refusal: "refused" },
    ]);
    const summary = await run(text, { studySlug: slug });
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({
      rowsRead: 4,
      inserted: 1,
      alreadyPresent: 0,
      labelsInserted: 3,
      placeholderReviewersCreated: 1,
    });
    expect((await labelsOf(slug)).map((l) => [l.key, l.sample_index, l.harm_severity, l.refusal])).toEqual([
      ["p1", 0, 0, null],
      ["p1", 1, 1, null],
      ["p2", 0, null, "REFUSED"],
    ]);
    const again = await run(text, { studySlug: slug });
    expect(again).toMatchObject({
      status: "succeeded",
      inserted: 0,
      alreadyPresent: 1,
      labelsInserted: 0,
      labelsAlreadyPresent: 3,
    });
  });

  it("reject a key that names no response, saying which part is missing, and write nothing", async () => {
    const slug = newSlug();
    await run(jsonl([p1]), { studySlug: slug });
    const before = await counts();
    const ivy = person("Ivy");
    const summary = await run(
      jsonl([
        { prompt_id: "p1", checkpoint: "rl-a", label_reviewer: ivy, label_refusal: "refused" },
        { prompt_id: "p9", checkpoint: "rl-a", label_reviewer: ivy, label_refusal: "refused" },
        { prompt_id: "p1", checkpoint: "sft-z", label_reviewer: ivy, label_refusal: "refused" },
        { prompt_id: "p1", checkpoint: "rl-a", sample_index: 3, label_reviewer: ivy, label_refusal: "refused" },
      ]),
      { studySlug: slug },
    );
    expect(summary.status).toBe("rejected");
    expect(summary.errors.map((e) => [e.line, e.field])).toEqual([
      [2, "prompt_id"],
      [3, "prompt_id"],
      [4, "prompt_id"],
    ]);
    expect(summary.errors[0]!.message).toMatch(/no prompt_id "p9" in this study/);
    expect(summary.errors[1]!.message).toMatch(/no checkpoint "sft-z" in this study/);
    expect(summary.errors[2]!.message).toMatch(
      /prompt_id "p1" has no response from checkpoint "rl-a" with sample_index 3/,
    );
    // The placeholder for Ivy was rolled back with everything else.
    expect(await counts()).toEqual(before);
  });
});

describe("labels that conflict", () => {
  it("a different label by the same reviewer for a stored response is a row error; nothing is overwritten", async () => {
    const slug = newSlug();
    const jay = person("Jay");
    await run(jsonl([{ ...p1, label_reviewer: jay, label_harm_severity: 1, label_note: "ok" }]), { studySlug: slug });
    const before = await counts();
    const summary = await run(
      jsonl([p2, { ...p1, label_reviewer: jay.toLowerCase(), label_harm_severity: 3, label_note: "ok" }]),
      { studySlug: slug },
    );
    expect(summary.status).toBe("rejected");
    expect(summary.errors).toEqual([
      {
        line: 2,
        field: "label_reviewer",
        message: expect.stringMatching(
          /^reviewer ".*" already has a different label for this response \(label \d+, version 1; differs in harm_severity\); an import never overwrites a label/,
        ),
      },
    ]);
    expect(await counts()).toEqual(before);
    expect((await labelsOf(slug)).map((l) => l.harm_severity)).toEqual([1]);
  });

  it("an unsubmitted (draft) label of the reviewer is never replaced by an import", async () => {
    const slug = newSlug();
    const { studyId } = await run(jsonl([p1]), { studySlug: slug });
    const kim = `kim-${run36}@lab.example`;
    const user = await pool.query<{ id: number }>(
      `INSERT INTO "user" (email, role, updated_at) VALUES ($1, 'REVIEWER', now()) RETURNING id`,
      [kim],
    );
    await pool.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, updated_at) SELECT $1, id, $2, 1, now() FROM response WHERE study_id = $1`,
      [studyId, user.rows[0]!.id],
    );
    const summary = await run(
      jsonl([{ prompt_id: "p1", checkpoint: "rl-a", label_reviewer: kim, label_harm_severity: 1 }]),
      { studySlug: slug },
    );
    expect(summary.status).toBe("rejected");
    expect(summary.errors[0]!.message).toMatch(/already has an unsubmitted \(draft\) label/);
  });

  it("two different labels by one reviewer for one response in a file are an error naming both lines, within a batch and across batches", async () => {
    const lee = person("Lee");
    const near = await run(
      jsonl([
        { ...p1, label_reviewer: lee, label_refusal: "refused" },
        p2,
        { ...p1, label_reviewer: lee, label_refusal: "partial" },
      ]),
      { studySlug: newSlug() },
    );
    expect(near.status).toBe("rejected");
    expect(near.errors).toEqual([
      {
        line: 3,
        field: "label_reviewer",
        message: expect.stringMatching(
          /labels this response differently on line 1 \(refusal\); a reviewer gives one label per response/,
        ),
      },
    ]);

    // More rows than one batch holds between the two.
    const filler = Array.from({ length: 2100 }, (_, i) => ({ ...p2, prompt_id: `f${i}`, prompt: `Filler ${i}` }));
    const far = await run(
      jsonl([
        { ...p1, label_reviewer: lee, label_refusal: "refused" },
        ...filler,
        { ...p1, label_reviewer: lee, label_refusal: "partial" },
      ]),
      { studySlug: newSlug() },
    );
    expect(far.status).toBe("rejected");
    expect(far.errors).toEqual([
      { line: 2102, field: "label_reviewer", message: expect.stringMatching(/differently on line 1 \(refusal\)/) },
    ]);
  });

  it("a bad label value rejects the whole file, naming line and field, and creates no placeholder", async () => {
    const before = await counts();
    const summary = await run(
      jsonl([
        { ...p1, label_reviewer: person("Mo"), label_refusal: "refused" },
        { ...p2, label_reviewer: person("Mo"), label_harm_severity: "catastrophic", label_flag_unfaithful: "maybe" },
      ]),
      { studySlug: newSlug() },
    );
    expect(summary.status).toBe("rejected");
    expect(summary).toMatchObject({ inserted: 0, labelsInserted: 0, placeholderReviewersCreated: 0 });
    expect(summary.errors.map((e) => [e.line, e.field])).toEqual([
      [2, "label_harm_severity"],
      [2, "label_flag_unfaithful"],
    ]);
    expect(await counts()).toEqual(before);
  });

  it("stores each label once when two imports of the same labelled file run at the same time", async () => {
    const slug = newSlug();
    const rows = Array.from({ length: 200 }, (_, i) => ({
      ...p1,
      prompt_id: `c${i}`,
      prompt: `Prompt ${i}`,
      label_reviewer: person("Nia"),
      label_harm_severity: i % 4,
    }));
    const [a, b] = await Promise.all([run(jsonl(rows), { studySlug: slug }), run(jsonl(rows), { studySlug: slug })]);
    expect([a.status, b.status]).toEqual(["succeeded", "succeeded"]);
    expect([a.labelsInserted, b.labelsInserted].sort((x, y) => x - y)).toEqual([0, 200]);
    expect(a.labelsAlreadyPresent + b.labelsAlreadyPresent).toBe(200);
    expect(await labelsOf(slug)).toHaveLength(200);
  });
});
