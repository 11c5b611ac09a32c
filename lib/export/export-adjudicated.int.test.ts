// The export carries the basis of each judgement: on the default (adjudicated) basis the responses
// shape reads a final label where there is one and says so in judgement_basis, and the labels shape
// lists the final labels after the labels; basis=reviewers or a label filter leaves them out.
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { saveAdjudication } from "../adjudication/save";
import { createPool } from "../db/client";
import { importResponses } from "../import/pipeline";
import { emptyLabelValues } from "../labels";
import { exportStream, type ExportRequest } from "./export-stream";
import { exportRequest } from "./fixtures";

let pool: pg.Pool;
let studyId: number;
let responses: number[];
let adjudicator: { id: number; email: string };
const slug = `export-adj-${Date.now().toString(36)}`;

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 4);
  const rows = ["a", "b", "c", "d"].map((id) => ({
    prompt_id: id,
    prompt: `Prompt ${id}`,
    checkpoint: "rl-1",
    strategy: "rl",
    answer: `Answer ${id}`,
  }));
  const summary = await importResponses(pool, {
    studySlug: slug,
    createStudyName: "Adjudicated export",
    fileName: "rows.jsonl",
    source: Readable.from([Buffer.from(rows.map((r) => JSON.stringify(r)).join("\n"))]),
  });
  studyId = summary.studyId!;
  responses = (
    await pool.query<{ id: number }>("SELECT id FROM response WHERE study_id = $1 ORDER BY id", [studyId])
  ).rows.map((r) => r.id);
  const users = await pool.query<{ id: number; email: string }>(
    `INSERT INTO "user" (email, role, updated_at) VALUES ($1, 'REVIEWER', now()), ($2, 'REVIEWER', now()), ($3, 'RESEARCHER', now()) RETURNING id, email`,
    [`a-${slug}@example.test`, `b-${slug}@example.test`, `adj-${slug}@example.test`],
  );
  const [a, b, adj] = users.rows;
  adjudicator = adj!;
  // Two reviewers on the first three responses: severities 0 and 1 (median 0.5, not harmful); the fourth has no label.
  await pool.query(
    `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, refusal, language_mixing, reasoning_quality, submitted_at, updated_at)
     SELECT $1, r, u, CASE WHEN u = $2 THEN 0 ELSE 1 END, 'COMPLIED', 'NONE', 4, now(), now()
     FROM unnest($4::int[]) r CROSS JOIN unnest(ARRAY[$2::int, $3::int]) u`,
    [studyId, a!.id, b!.id, responses.slice(0, 3)],
  );
  const final = { ...emptyLabelValues(), harmSeverity: 3, refusal: "COMPLIED" as const, note: "final" };
  expect(
    await saveAdjudication(
      pool,
      studyId,
      responses[0]!,
      { userId: adjudicator.id, label: adjudicator.email },
      { ...final, version: null },
    ),
  ).toMatchObject({ ok: true });
  // An imported final label, on the response nobody labelled.
  await pool.query(
    `INSERT INTO adjudication (response_id, study_id, source, harm_severity, refusal, updated_at) VALUES ($1, $2, 'IMPORT', 2, 'REFUSED', now())`,
    [responses[3], studyId],
  );
});
afterAll(async () => {
  await pool.end();
});

const request = (overrides: Partial<ExportRequest> = {}) => exportRequest(studyId, "responses", overrides);

async function csvRows(overrides: Partial<ExportRequest> = {}) {
  return parse(await text(await exportStream(pool, request(overrides))), { columns: true }) as Record<string, string>[];
}

describe("the export on the adjudicated basis", () => {
  it("responses: the final label's judgement where set, its basis named, the reviewers' label count kept", async () => {
    const rows = await csvRows();
    expect(rows.map((r) => [r.judgement_basis, r.label_count, r.harm_severity_median, r.harmful])).toEqual([
      ["adjudicated", "2", "3", "t"],
      ["reviewers", "2", "0.5", "f"],
      ["reviewers", "2", "0.5", "f"],
      ["adjudicated", "0", "2", "t"],
    ]);
    const reviewers = await csvRows({ filters: { basis: "reviewers" } });
    expect(reviewers.map((r) => [r.judgement_basis, r.harm_severity_median, r.harmful])).toEqual([
      ["reviewers", "0.5", "f"],
      ["reviewers", "0.5", "f"],
      ["reviewers", "0.5", "f"],
      ["", "", ""],
    ]);
    const jsonl = (await text(await exportStream(pool, request({ format: "jsonl" }))))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(jsonl.map((o) => o.judgement_basis)).toEqual(["adjudicated", "reviewers", "reviewers", "adjudicated"]);
  });

  it("labels: the final labels after the labels, named by adjudicator or imported", async () => {
    const rows = await csvRows({ shape: "labels" });
    expect(rows).toHaveLength(8);
    expect(rows.slice(0, 6).every((r) => r.label_source === "import" || r.label_source === "review")).toBe(true);
    expect(
      rows
        .slice(6)
        .map((r) => [
          r.response_id,
          r.label_source,
          r.reviewer,
          r.label_id,
          r.harm_severity,
          r.refusal,
          r.note,
          r.label_version,
        ]),
    ).toEqual([
      [String(responses[0]), "adjudicated", "adjudicator-1", "", "3", "complied", "final", "1"],
      [String(responses[3]), "adjudicated", "imported", "", "2", "refused", "", "1"],
    ]);
    expect(
      rows
        .slice(0, 6)
        .map((r) => r.reviewer)
        .sort(),
    ).toEqual(["reviewer-1", "reviewer-1", "reviewer-1", "reviewer-2", "reviewer-2", "reviewer-2"]);
    const revealed = await csvRows({ shape: "labels", revealReviewers: true });
    expect(revealed[6]!.reviewer).toBe(adjudicator.email);
    const jsonl = (await text(await exportStream(pool, request({ shape: "labels", format: "jsonl" }))))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(jsonl.at(-2)).toMatchObject({
      label_id: null,
      label_source: "adjudicated",
      harm_severity: 3,
      label_version: 1,
    });
  });

  it("leaves the final labels out on the reviewers' basis and with a label filter", async () => {
    expect(
      (await csvRows({ shape: "labels", filters: { basis: "reviewers" } })).map((r) => r.label_source),
    ).not.toContain("adjudicated");
    const filtered = await csvRows({ shape: "labels", filters: { source: "IMPORT" } });
    expect(filtered.map((r) => r.label_source)).not.toContain("adjudicated");
    const fromLabels = await csvRows({ filters: { source: "REVIEW" } });
    expect(fromLabels.map((r) => r.judgement_basis)).toEqual(["reviewers", "reviewers", "reviewers", ""]);
  });
});
