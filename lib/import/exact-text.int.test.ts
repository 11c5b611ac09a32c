// Model output is kept exactly: texts with leading and trailing whitespace, tabs, CRLF, quotes,
// right-to-left marks and emoji go in through a JSON Lines and a CSV file and come back out of the
// export byte for byte (prompt, reasoning, answer). Lone surrogates are the one change, and the
// summary says so per field.
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { exportStream } from "../export/export-stream";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { importResponses } from "./pipeline";

let pool: pg.Pool;
const run36 = Date.now().toString(36);

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 4);
});
afterAll(async () => {
  await pool.end();
});

/** Texts a model writes and a trimming importer would change. */
const TEXTS = [
  "  leading spaces",
  "trailing spaces   ",
  "\n\nleading and trailing newlines\n\n",
  "\ttabs\tinside\tand around\t",
  "Windows line ends:\r\nline two\r\n",
  'quotes "double" and \'single\', a comma, and a ""doubled"" quote',
  "\u200Fمرحبا\u200F with RTL marks \u202Bembedded\u202C",
  "emoji 🙂👩🏽‍🔬🏳️‍🌈 and a flag 🇺🇦",
  " \u00A0no-break space around\u00A0 ",
  "",
];

/** RFC 4180 with every field quoted and CRLF line ends (as Excel writes it). */
function csvOf(rows: Record<string, string>[]): string {
  const cell = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const header = Object.keys(rows[0]!);
  return [header, ...rows.map((r) => header.map((k) => r[k]!))].map((f) => f.map(cell).join(",")).join("\r\n") + "\r\n";
}

async function exportedResponses(slug: string): Promise<Record<string, unknown>[]> {
  const id = (await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = $1", [slug])).rows[0]!.id;
  const jsonl = await text(
    await exportStream(pool, {
      studyId: id,
      shape: "responses",
      format: "jsonl",
      filters: {},
      rules: DEFAULT_FAILURE_RULES,
      revealReviewers: false,
    }),
  );
  return jsonl
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function importText(slug: string, fileName: string, body: string, format: "jsonl" | "csv") {
  return importResponses(pool, {
    studySlug: slug,
    createStudyName: "Exact text",
    fileName,
    format,
    source: Readable.from([Buffer.from(body, "utf8")]),
    signals: false,
  });
}

describe("model text is kept exactly", () => {
  const rows = TEXTS.map((t, i) => ({
    prompt_id: `p${i}`,
    prompt: `  prompt ${i}: ${t || "(empty answer)"}\n`,
    checkpoint: "exact-sft",
    strategy: "sft",
    reasoning: i % 2 === 0 ? `\n reasoning of ${i}: ${t} ` : "",
    response: t,
  }));

  for (const format of ["jsonl", "csv"] as const) {
    it(`imports a ${format} file and exports every text byte for byte`, async () => {
      const slug = `exact-${format}-${run36}`;
      const body = format === "jsonl" ? rows.map((r) => JSON.stringify(r)).join("\n") + "\n" : csvOf(rows);
      const summary = await importText(slug, `exact.${format}`, body, format);
      expect(summary.errors).toEqual([]);
      expect(summary.inserted).toBe(TEXTS.length);
      expect(summary.surrogatesReplaced).toEqual([]);

      const out = await exportedResponses(slug);
      const byId = new Map(out.map((r) => [r.prompt_id, r]));
      for (const row of rows) {
        const got = byId.get(row.prompt_id)!;
        expect(got.prompt).toBe(row.prompt);
        expect(got.answer).toBe(row.response);
        expect(got.reasoning).toBe(row.reasoning === "" ? null : row.reasoning);
        expect(Buffer.from(got.answer as string, "utf8").equals(Buffer.from(row.response, "utf8"))).toBe(true);
      }
    });
  }

  it("identifies a prompt by its text trimmed and with LF line ends, and keeps the first text as given", async () => {
    const slug = `exact-dedup-${run36}`;
    const body = [
      { prompt: " Same prompt\r\n", checkpoint: "a", strategy: "sft", response: " one " },
      { prompt: "Same prompt\n", checkpoint: "b", strategy: "rl", response: "two\n" },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const summary = await importText(slug, "dedup.jsonl", body, "jsonl");
    expect(summary.errors).toEqual([]);
    expect(summary.promptsCreated).toBe(1);
    const out = await exportedResponses(slug);
    expect(out.map((r) => [r.prompt, r.checkpoint, r.answer])).toEqual([
      [" Same prompt\r\n", "a", " one "],
      [" Same prompt\r\n", "b", "two\n"],
    ]);
  });

  it("in one file, reads a repeat that differs only in whitespace as a different response", async () => {
    const slug = `exact-repeat-${run36}`;
    const first = JSON.stringify({ prompt_id: "p", prompt: "P", checkpoint: "a", strategy: "sft", response: "yes" });
    await importText(slug, "a.jsonl", first, "jsonl");
    const again = await importText(slug, "b.jsonl", first, "jsonl");
    expect([again.status, again.alreadyPresent]).toEqual(["succeeded", 1]);
    const changed = JSON.stringify({ prompt_id: "p", prompt: "P", checkpoint: "a", response: "yes " });
    const twice = await importText(slug, "c.jsonl", `${first}\n${changed}\n`, "jsonl");
    expect(twice.status).toBe("rejected");
    expect(twice.errors[0]!.message).toMatch(/a different response for the same prompt/);
  });

  it("replaces a lone surrogate with U+FFFD and says so for the field", async () => {
    const slug = `exact-surrogate-${run36}`;
    const body = '{"prompt": "P", "checkpoint": "a", "strategy": "sft", "response": " x\\ud800y "}\n';
    const summary = await importText(slug, "s.jsonl", body, "jsonl");
    expect(summary.surrogatesReplaced).toEqual([{ field: "response", count: 1, rows: 1, lines: [1] }]);
    const out = await exportedResponses(slug);
    expect(out[0]!.answer).toBe(" x\uFFFDy ");
  });
});
