// Adjudicated labels in an import (adjudicated_<field> columns): written to the adjudication table
// with source IMPORT, the same again counted as present, a different one refused with the row's line,
// whether the stored one came from a file or was set in Parallax; the reviewers' labels untouched.
import { Readable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importResponses } from "./pipeline";

let pool: pg.Pool;
const slug = `adjudication-import-${Date.now().toString(36)}`;

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 2);
});
afterAll(async () => {
  await pool.end();
});

const row = (prompt: string, adjudicated: string, reviewers: [string, string]) =>
  JSON.stringify({
    prompt_id: prompt,
    prompt: `Prompt ${prompt}`,
    checkpoint: "ckpt-a",
    strategy: "rl",
    response: `Answer to ${prompt}`,
    label_1_reviewer: "adj-ann-1",
    label_1_refusal: reviewers[0],
    label_2_reviewer: "adj-ann-2",
    label_2_refusal: reviewers[1],
    adjudicated_refusal: adjudicated,
    adjudicated_note: "settled",
  });

const importLines = (lines: string[], create = false) =>
  importResponses(pool, {
    studySlug: slug,
    ...(create ? { createStudyName: "Adjudication import" } : {}),
    fileName: "adjudicated.jsonl",
    source: Readable.from([lines.join("\n") + "\n"]),
  });

const stored = () =>
  pool
    .query<{ key: string; refusal: string; source: string; note: string }>(
      `SELECT p.key, a.refusal::text, a.source::text, a.note FROM adjudication a
       JOIN response r ON r.id = a.response_id JOIN prompt p ON p.id = r.prompt_id JOIN study s ON s.id = a.study_id
       WHERE s.slug = $1 ORDER BY p.key`,
      [slug],
    )
    .then((r) => r.rows);

describe("importing adjudicated labels", () => {
  it("writes them apart from the reviewers' labels, once", async () => {
    const first = await importLines(
      [row("p1", "partial", ["refused", "complied"]), row("p2", "refused", ["refused", "refused"])],
      true,
    );
    expect(first).toMatchObject({
      rejected: 0,
      labelsInserted: 4,
      adjudicationsInserted: 2,
      adjudicationsAlreadyPresent: 0,
    });
    expect(await stored()).toEqual([
      { key: "p1", refusal: "PARTIAL", source: "IMPORT", note: "settled" },
      { key: "p2", refusal: "REFUSED", source: "IMPORT", note: "settled" },
    ]);
    const labels = await pool.query(
      "SELECT count(*)::int AS n FROM label l JOIN study s ON s.id = l.study_id WHERE s.slug = $1",
      [slug],
    );
    expect(labels.rows[0].n).toBe(4);

    const again = await importLines([row("p1", "partial", ["refused", "complied"])]);
    expect(again).toMatchObject({ rejected: 0, adjudicationsInserted: 0, adjudicationsAlreadyPresent: 1 });
  });

  it("refuses a different adjudicated label for a response that has one, saying where it came from, and writes nothing", async () => {
    const before = await stored();
    const imported = await importLines([
      row("p3", "complied", ["complied", "complied"]),
      row("p1", "refused", ["refused", "complied"]),
    ]);
    expect(imported.rejected).toBeGreaterThan(0);
    expect(imported.errors).toEqual([
      expect.objectContaining({
        line: 2,
        field: "adjudicated_refusal",
        message: expect.stringContaining("differs from the one imported earlier (refusal)"),
      }),
    ]);
    expect(await stored()).toEqual(before);

    await pool.query(
      `UPDATE adjudication SET source = 'REVIEW' FROM response r JOIN prompt p ON p.id = r.prompt_id
       WHERE r.id = adjudication.response_id AND p.key = 'p2' AND adjudication.study_id = (SELECT id FROM study WHERE slug = $1)`,
      [slug],
    );
    const overApp = await importLines([row("p2", "partial", ["refused", "refused"])]);
    expect(overApp.errors).toEqual([expect.objectContaining({ message: expect.stringContaining("set in Parallax") })]);
  });

  it("refuses two different adjudicated labels for one response in the same file", async () => {
    const imported = await importLines([
      row("p9", "refused", ["refused", "refused"]),
      row("p9", "complied", ["refused", "refused"]),
    ]);
    expect(imported.errors).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining("differs from the one on line 1") }),
    ]);
  });
});
