// Export round trip: export a study, parse the CSV with a CSV library, compare with the database —
// quotes, newlines, emoji and formula cells included; JSONL parses line by line.
import { Readable } from "node:stream";
import { buffer, text } from "node:stream/consumers";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importResponses } from "../import/pipeline";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { exportColumns } from "./export-query";
import { exportStream, type ExportRequest } from "./export-stream";

let pool: pg.Pool;
let studyId: number;
const slug = `export-${Date.now().toString(36)}`;

const tricky = [
  { prompt_id: "q1", prompt: 'He said "hi", then left', checkpoint: "sft-1", strategy: "sft", reasoning: "line one\nline two\r\nline three", answer: "Plain, with a comma" },
  { prompt_id: "q2", prompt: "=HYPERLINK(\"http://evil\",\"click\")", checkpoint: "sft-1", strategy: "sft", answer: "+SUM(A1:A9)" },
  { prompt_id: "q3", prompt: "Emoji 🤖 and 中文 text", checkpoint: "rl-1", strategy: "rl", reasoning: "我们需要 think 🧠", answer: "@mention\tand -minus" },
  { prompt_id: "q4", prompt: "\ttab first", checkpoint: "rl-1", strategy: "rl", answer: "-1 is not a formula here? It is neutralised anyway." },
];

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 4);
  const summary = await importResponses(pool, {
    studySlug: slug,
    createStudyName: "Export test",
    fileName: "tricky.jsonl",
    source: Readable.from([Buffer.from(tricky.map((r) => JSON.stringify(r)).join("\n"))]),
  });
  studyId = summary.studyId!;
  const users = await pool.query<{ id: number }>(
    `INSERT INTO "user" (email, role, updated_at) VALUES ($1, 'REVIEWER', now()), ($2, 'REVIEWER', now()) RETURNING id`,
    [`a-${slug}@example.test`, `b-${slug}@example.test`],
  );
  const [a, b] = users.rows.map((u) => u.id);
  await pool.query(
    `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, language_mixing, reasoning_quality, refusal, note, submitted_at, updated_at)
     SELECT r.study_id, r.id, u.reviewer, 2 + (u.reviewer % 2), 'NONE', 3, 'COMPLIED', $3, now(), now()
     FROM response r CROSS JOIN (VALUES ($1::int), ($2::int)) AS u(reviewer) WHERE r.study_id = $4`,
    [a, b, '=cmd|" /C calc"!A0 and "quotes"', studyId],
  );
});
afterAll(async () => {
  await pool.end();
});

function request(overrides: Partial<ExportRequest> = {}): ExportRequest {
  return { studyId, shape: "labels", format: "csv", filters: {}, rules: DEFAULT_FAILURE_RULES, revealReviewers: false, ...overrides };
}

const neutralised = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

describe("export", () => {
  it("round-trips labels through CSV: every label once, texts intact, formula cells neutralised", async () => {
    const csv = await text(await exportStream(pool, request()));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(exportColumns("labels"));
    const db = await pool.query<{ id: number; prompt: string; reasoning: string | null; answer: string; note: string }>(
      `SELECT l.id, p.text AS prompt, r.reasoning, r.answer, l.note FROM label l JOIN response r ON r.id = l.response_id
       JOIN prompt p ON p.id = r.prompt_id WHERE l.study_id = $1 ORDER BY l.id`,
      [studyId],
    );
    expect(rows.map((r) => Number(r.label_id))).toEqual(db.rows.map((r) => r.id));
    db.rows.forEach((label, i) => {
      expect(rows[i]!.prompt).toBe(neutralised(label.prompt));
      expect(rows[i]!.reasoning).toBe(label.reasoning === null ? "" : neutralised(label.reasoning));
      expect(rows[i]!.answer).toBe(neutralised(label.answer));
      expect(rows[i]!.note).toBe(`'${label.note}`);
    });
    expect(rows.find((r) => r.prompt_id === "q1")!.reasoning).toBe("line one\nline two\r\nline three");
    expect(rows.find((r) => r.prompt_id === "q3")!.prompt).toBe("Emoji 🤖 and 中文 text");
    expect(rows.find((r) => r.prompt_id === "q2")!.prompt).toBe(`'=HYPERLINK("http://evil","click")`);
  });

  it("pseudonymises reviewers unless asked to reveal them", async () => {
    const hidden = parse(await text(await exportStream(pool, request())), { columns: true }) as Record<string, string>[];
    expect(new Set(hidden.map((r) => r.reviewer))).toEqual(new Set(["reviewer-1", "reviewer-2"]));
    const shown = parse(await text(await exportStream(pool, request({ revealReviewers: true }))), { columns: true }) as Record<string, string>[];
    expect(shown.every((r) => r.reviewer!.endsWith("@example.test"))).toBe(true);
  });

  it("starts with a byte-order mark when asked", async () => {
    const bytes = await buffer(await exportStream(pool, request({ bom: true })));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("exports one row per response with aggregated labels, and applies filters", async () => {
    const rows = parse(await text(await exportStream(pool, request({ shape: "responses" }))), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.label_count).toBe("2");
      expect(row.harm_severity_median).toBe("2.5"); // 2 and 3
      expect(row.harmful).toBe("t");
      expect(row.language_mixing).toBe("f");
    }
    const rlOnly = parse(await text(await exportStream(pool, request({ shape: "responses", filters: { strategies: ["RL"] } }))), { columns: true }) as Record<string, string>[];
    expect(rlOnly.map((r) => r.strategy)).toEqual(["rl", "rl"]);
  });

  it("writes JSON Lines that parse back to the same texts, without neutralising them", async () => {
    const lines = (await text(await exportStream(pool, request({ format: "jsonl" })))).trimEnd().split("\n");
    expect(lines).toHaveLength(8);
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(objects[0]!)).toEqual(exportColumns("labels"));
    expect(objects.find((o) => o.prompt_id === "q1")!.reasoning).toBe("line one\nline two\r\nline three");
    expect(objects.find((o) => o.prompt_id === "q2")!.prompt).toBe('=HYPERLINK("http://evil","click")');
    expect(objects[0]!.harm_severity).toBeTypeOf("number");
  });
});
