// Imports over HTTP against a real PostgreSQL: a JSON array, JSON Lines and CSV body go through the
// pipeline (201 with the summary), a bad row rejects all (422 naming line and field), and bodies
// over the limit, of an unknown format or not an array are refused with nothing written.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importUpload, type UploadRequest } from "./http-upload";
import type { ImportSummary } from "./pipeline";

let pool: pg.Pool;
let userId: number;
const slug = `upload-${Date.now().toString(36)}`;

const row = (i: number, extra: Record<string, unknown> = {}) => ({
  prompt_id: `u${i}`,
  prompt: `Prompt ${i}`,
  checkpoint: "sft-up",
  strategy: "sft",
  response: `<think>Reasoning ${i}</think>Answer ${i}`,
  ...extra,
});

async function* chunked(text: string, size = 7) {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
}

function upload(body: string, overrides: Partial<UploadRequest> = {}) {
  return importUpload(pool, {
    studySlug: slug,
    userId,
    body: chunked(body),
    contentType: "application/x-ndjson",
    contentLength: String(Buffer.byteLength(body)),
    format: null,
    fileName: null,
    ...overrides,
  });
}

const responses = async () =>
  Number(
    (await pool.query("SELECT count(*) FROM response r JOIN study s ON s.id = r.study_id WHERE s.slug = $1", [slug]))
      .rows[0].count,
  );

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 4);
  await pool.query("INSERT INTO study (slug, name, updated_at) VALUES ($1, 'Upload test', now())", [slug]);
  userId = (
    await pool.query<{ id: number }>(
      `INSERT INTO "user" (email, role, updated_at) VALUES ($1, 'RESEARCHER', now()) RETURNING id`,
      [`${slug}@example.test`],
    )
  ).rows[0]!.id;
});
afterAll(async () => {
  await pool.end();
});

describe("importing over HTTP", () => {
  it("creates the study when asked to (?create=)", async () => {
    const answer = await upload(JSON.stringify(row(1)), {
      studySlug: `${slug}-new`,
      createStudyName: "Made by upload",
    });
    expect(answer.status).toBe(201);
    expect((await pool.query("SELECT name FROM study WHERE slug = $1", [`${slug}-new`])).rows).toEqual([
      { name: "Made by upload" },
    ]);
  });

  it("takes a pretty-printed JSON array, one response per element, and logs who sent it", async () => {
    const answer = await upload(
      JSON.stringify([row(1), row(2, { reasoning: "Zeile\nzwei", answer: "中文 🤖", response: undefined })], null, 2),
      { contentType: "application/json" },
    );
    expect(answer.status).toBe(201);
    const summary = answer.body as ImportSummary & { message: string };
    expect(summary).toMatchObject({ status: "succeeded", inserted: 2, alreadyPresent: 0, rowsRead: 2 });
    expect(summary.message).toBe("Imported: 2 new, 0 already present.");
    const stored = await pool.query("SELECT reasoning, answer FROM response WHERE import_job_id = $1 ORDER BY id", [
      summary.jobId,
    ]);
    expect(stored.rows).toEqual([
      { reasoning: "Reasoning 1", answer: "Answer 1" },
      { reasoning: "Zeile\nzwei", answer: "中文 🤖" },
    ]);
    const job = await pool.query("SELECT created_by_id, status, file_name, format FROM import_job WHERE id = $1", [
      summary.jobId,
    ]);
    expect(job.rows[0]).toEqual({
      created_by_id: userId,
      status: "SUCCEEDED",
      file_name: "upload.jsonl",
      format: "jsonl",
    });
  });

  it("says per field, in the JSON answer and the import log, that lone surrogates were replaced with U+FFFD", async () => {
    // A JSON "\ud800" escape is half a surrogate pair: PostgreSQL's text cannot hold it.
    const lines = [
      JSON.stringify(row(40)),
      String.raw`{"prompt_id":"u41","prompt":"Prompt 41","checkpoint":"sft-up","strategy":"sft","response":"broken \ud800 text"}`,
      String.raw`{"prompt_id":"u42","prompt":"Prompt 42","checkpoint":"sft-up","strategy":"sft","response":"\udc00 and \ud83d","source":"x\ud800"}`,
    ].join("\n");
    // Its own study, so the counts of the other tests stay as they are.
    const answer = await upload(lines, { studySlug: `${slug}-surrogates`, createStudyName: "Surrogates" });
    expect(answer.status).toBe(201);
    const summary = answer.body as ImportSummary & { message: string };
    expect(summary.surrogatesReplaced).toEqual([
      { field: "response", count: 3, rows: 2, lines: [2, 3] },
      { field: "source", count: 1, rows: 1, lines: [3] },
    ]);
    expect(summary.message).toContain("Changed text: replaced 3 lone surrogates with U+FFFD in response (lines 2, 3).");
    expect(summary.message).toContain("Changed text: replaced 1 lone surrogate with U+FFFD in source (line 3).");
    const stored = await pool.query("SELECT answer, metadata FROM response WHERE import_job_id = $1 ORDER BY id", [
      summary.jobId,
    ]);
    expect(stored.rows).toEqual([
      { answer: "Answer 40", metadata: {} },
      { answer: "broken \uFFFD text", metadata: {} },
      { answer: "\uFFFD and \uFFFD", metadata: { source: "x\uFFFD" } },
    ]);
    const job = await pool.query("SELECT message FROM import_job WHERE id = $1", [summary.jobId]);
    expect(job.rows[0].message).toBe(
      "replaced 3 lone surrogates with U+FFFD in response (lines 2, 3); replaced 1 lone surrogate with U+FFFD in source (line 3)",
    );
  });

  it("says nothing of surrogates when none were replaced", async () => {
    const answer = await upload(JSON.stringify(row(43, { response: "emoji 🤖 pair" })), {
      studySlug: `${slug}-surrogates`,
      createStudyName: "Surrogates",
    });
    expect((answer.body as ImportSummary).surrogatesReplaced).toEqual([]);
    expect((answer.body as { message: string }).message).not.toMatch(/surrogate/);
  });

  it("takes JSON Lines and CSV, and adds nothing twice", async () => {
    const lines = [row(1), row(3)].map((r) => JSON.stringify(r)).join("\n");
    const first = await upload(lines, { fileName: "batch.jsonl", contentType: null });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ inserted: 1, alreadyPresent: 1 });
    const csv =
      'prompt_id,prompt,checkpoint,strategy,response\nu4,"Quoted, with ""quotes""",sft-up,sft,"<think>r</think>multi\nline"\n';
    const second = await upload(csv, { contentType: "text/csv" });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ inserted: 1 });
    expect(await responses()).toBe(4);
  });

  it("rejects the whole body for one bad row, naming its line (the array's element) and field", async () => {
    const answer = await upload(JSON.stringify([row(5), row(6, { strategy: "ppo", checkpoint: "new-ckpt" }), row(7)]), {
      contentType: "application/json",
    });
    expect(answer.status).toBe(422);
    const summary = answer.body as ImportSummary & { message: string };
    expect(summary.status).toBe("rejected");
    expect(summary.errors).toEqual([expect.objectContaining({ line: 2, field: "strategy" })]);
    expect(summary.message).toMatch(/line N is the array's N-th element/);
    expect(await responses()).toBe(4);
  });

  it("refuses bodies over the limit, whether declared or found while reading, writing nothing", async () => {
    const body = [row(8), row(9)].map((r) => JSON.stringify(r)).join("\n");
    const declared = await upload(body, { maxBytes: 50 });
    expect(declared.status).toBe(413);
    expect(declared.body.message).toMatch(/larger than the limit of 50 bytes/);
    const streamed = await upload(body, { maxBytes: 100, contentLength: null });
    expect(streamed.status).toBe(413);
    expect(await responses()).toBe(4);
    const job = await pool.query(
      "SELECT status, message FROM import_job WHERE study_slug = $1 ORDER BY id DESC LIMIT 1",
      [slug],
    );
    expect(job.rows[0].status).toBe("FAILED");
  });

  it("says what it needs for an unknown format, a body that is not an array, and an unknown study", async () => {
    expect((await upload("<xml/>", { contentType: "application/xml" })).status).toBe(415);
    const notArray = await upload(JSON.stringify(row(10)), { contentType: "application/json" });
    expect(notArray.status).toBe(400);
    expect(notArray.body.message).toMatch(/needs a JSON array/);
    const missing = await upload(JSON.stringify(row(11)), { studySlug: "no-such-study-here" });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/There is no study "no-such-study-here"/);
    expect(await responses()).toBe(4);
  });

  it("recognises a Label Studio export (JSON array) and Argilla records (JSON Lines) and imports them as the command line does", async () => {
    const examples = path.join(import.meta.dirname, "peers", "examples");
    const run36 = Date.now().toString(36);
    const map = [
      `reviewer:label-studio-user-1=http-ann-${run36}@lab.example`,
      `reviewer:bo.chen@lab.example=http-bo-${run36}@lab.example`,
    ];
    const studio = await upload(readFileSync(path.join(examples, "label-studio-pairwise.json"), "utf8"), {
      studySlug: `${slug}-ls`,
      createStudyName: "From Label Studio",
      contentType: "application/json",
      fileName: "project-3.json",
      map,
    });
    expect(studio.status).toBe(201);
    expect(studio.body).toMatchObject({
      status: "succeeded",
      inserted: 6,
      labelsInserted: 8,
      preferencesInserted: 4,
      peer: { format: "label-studio", records: 3, cancelledAnnotations: 1 },
    });
    expect(studio.body.message).toBe(
      "Imported: 6 new, 0 already present, 8 labels, 4 preferences. From Label Studio: 3 tasks, 6 responses, 8 labels.",
    );
    const job = await pool.query("SELECT format, file_name FROM import_job WHERE id = $1", [
      (studio.body as ImportSummary).jobId,
    ]);
    expect(job.rows[0]).toEqual({ format: "label-studio", file_name: "project-3.json" });

    const argilla = await upload(readFileSync(path.join(examples, "argilla-records.jsonl"), "utf8"), {
      studySlug: `${slug}-ar`,
      createStudyName: "From Argilla",
    });
    expect(argilla.status).toBe(201);
    expect(argilla.body).toMatchObject({ status: "succeeded", peer: { format: "argilla" } });
  });

  it("takes ?format= and the peer options, refusing bad ones and options for a canonical body", async () => {
    const task = { id: 5, data: { prompt: "p", answer1: "a", answer2: "b" }, annotations: [] };
    const named = await upload(JSON.stringify([task]), {
      studySlug: `${slug}-opt`,
      createStudyName: "Options",
      format: "label-studio",
      contentType: null,
      checkpoints: "http-a:sft,http-b:rl",
    });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ inserted: 2, checkpointsCreated: 2 });
    const bad = await upload(JSON.stringify([task]), {
      format: "label-studio",
      checkpoints: "a:sft:x",
      questions: ["refusal=politeness"],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(
      /^checkpoints "a:sft:x": write the names in the order of the responses.*\nquestion "refusal=politeness": write it as NAME=FIELD/s,
    );
    const canonical = await upload(JSON.stringify(row(12)), { checkpoints: "a,b" });
    expect(canonical.status).toBe(400);
    expect(canonical.body.message).toMatch(/apply to Label Studio and Argilla exports/);
    const unmapped = await upload(
      JSON.stringify([
        {
          ...task,
          annotations: [
            {
              completed_by: 1,
              result: [{ from_name: "fluency", to_name: "answer1", type: "choices", value: { choices: ["x"] } }],
            },
          ],
        },
      ]),
      {
        format: "label-studio",
        checkpoints: "http-a,http-b",
      },
    );
    expect(unmapped.status).toBe(422);
    expect((unmapped.body as ImportSummary).errors[0]!.message).toMatch(
      /^task 5: annotation 1 by label-studio-user-1: the question "fluency" maps to no Parallax label field/,
    );
    expect(await responses()).toBe(4);
  });

  it("takes ?set=, ?rename= and ?derive= as the command line's options, and a gzip body", async () => {
    const csv = "id,type,question,completion\r\nx1,contrast_a,Q one, answer one \r\nx2,homonyms,Q two,answer two\r\n";
    const gzipped = gzipSync(Buffer.from(csv, "utf8"));
    const gzSlug = `${slug}-gz`;
    const answer = await importUpload(pool, {
      studySlug: gzSlug,
      createStudyName: "Gzip upload",
      userId,
      body: (async function* () {
        yield new Uint8Array(gzipped);
      })(),
      contentType: "text/csv",
      contentEncoding: "gzip",
      contentLength: String(gzipped.length),
      format: null,
      fileName: "per-model.csv",
      set: ["checkpoint=gpt4", "strategy=rl"],
      rename: ["id=prompt_id", "type=category"],
      derive: ["split=unsafe if type startswith contrast_ else safe"],
    });
    expect(answer.body).toMatchObject({ status: "succeeded", inserted: 2 });
    const rows = await pool.query(
      `SELECT p.external_id, p.category, p.split, p.text, c.name, c.strategy, r.answer FROM response r
       JOIN prompt p ON p.id = r.prompt_id JOIN checkpoint c ON c.id = r.checkpoint_id JOIN study s ON s.id = r.study_id
       WHERE s.slug = $1 ORDER BY p.external_id`,
      [gzSlug],
    );
    expect(rows.rows).toEqual([
      {
        external_id: "x1",
        category: "contrast_a",
        split: "unsafe",
        text: "Q one",
        name: "gpt4",
        strategy: "RL",
        answer: " answer one ",
      },
      {
        external_id: "x2",
        category: "homonyms",
        split: "safe",
        text: "Q two",
        name: "gpt4",
        strategy: "RL",
        answer: "answer two",
      },
    ]);

    const badOption = await upload(JSON.stringify(row(20)), { set: ["chekpoint=x"], rename: ["nope"] });
    expect(badOption.status).toBe(400);
    expect(badOption.body.message).toMatch(
      /^set chekpoint=x: "chekpoint" is not a field Parallax reads.*\nrename "nope": write SOURCE=FIELD/s,
    );
    const missingColumn = await upload(JSON.stringify(row(21)), { rename: ["completion=response"] });
    expect(missingColumn.status).toBe(422);
    expect((missingColumn.body as ImportSummary).errors[0]!.message).toMatch(
      /^rename completion=response: the file has no column "completion"/,
    );
    const notGzip = await upload(JSON.stringify(row(22)), { contentEncoding: "gzip" });
    expect([notGzip.status, (notGzip.body as { error: string }).error]).toEqual([400, "bad_gzip"]);
    const brotli = await upload(JSON.stringify(row(23)), { contentEncoding: "br" });
    expect(brotli.status).toBe(415);
    expect(await responses()).toBe(4);
  });

  it("checks a body with ?dryRun=true: the counts it would import, nothing written, no log entry", async () => {
    const jobsBefore = await pool.query("SELECT count(*)::int AS n FROM import_job WHERE study_slug = $1", [slug]);
    const before = await responses();
    const check = await upload([row(30), row(31)].map((r) => JSON.stringify(r)).join("\n"), { dryRun: true });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ status: "succeeded", dryRun: true, inserted: 2 });
    expect(check.body.message).toMatch(/^Checked, nothing written; it would import: 2 new/);
    const bad = await upload(JSON.stringify(row(32, { strategy: "ppo" })), { dryRun: true });
    expect(bad.status).toBe(422);
    expect(await responses()).toBe(before);
    const jobsAfter = await pool.query("SELECT count(*)::int AS n FROM import_job WHERE study_slug = $1", [slug]);
    expect(jobsAfter.rows[0].n).toBe(jobsBefore.rows[0].n);
  });
});
