// Export round trip: export a study, parse the CSV with a CSV library, compare with the database —
// quotes, newlines, emoji and formula cells included; JSONL parses line by line.
import { Readable } from "node:stream";
import { buffer, text } from "node:stream/consumers";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FORMULA_CASES, SAFE_CASES } from "../csv/formula-cases.fixture";
import { startsLikeFormula } from "../csv/formula-cells";
import { createPool } from "../db/client";
import { importResponses } from "../import/pipeline";
import { exportColumns } from "./export-query";
import { exportStream, type ExportRequest } from "./export-stream";
import { exportRequest } from "./fixtures";

let pool: pg.Pool;
let studyId: number;
const slug = `export-${Date.now().toString(36)}`;

const tricky = [
  {
    prompt_id: "q1",
    prompt: 'He said "hi", then left',
    checkpoint: "sft-1",
    strategy: "sft",
    reasoning: "line one\nline two\r\nline three",
    answer: "Plain, with a comma",
  },
  {
    prompt_id: "q2",
    prompt: '=HYPERLINK("http://evil","click")',
    checkpoint: "sft-1",
    strategy: "sft",
    answer: "+SUM(A1:A9)",
  },
  {
    prompt_id: "q3",
    prompt: "Emoji 🤖 and 中文 text",
    checkpoint: "rl-1",
    strategy: "rl",
    reasoning: "我们需要 think 🧠",
    answer: "@mention\tand -minus",
  },
  {
    prompt_id: "q4",
    prompt: "\ttab first",
    checkpoint: "rl-1",
    strategy: "rl",
    answer: "-1 is not a formula here? It is neutralised anyway.",
  },
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
    `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, harm_categories, language_mixing, reasoning_quality, refusal, note, submitted_at, updated_at)
     SELECT r.study_id, r.id, u.reviewer, 2 + (u.reviewer % 2), CASE WHEN u.reviewer = $1 THEN ARRAY['violence', 'cyber'] ELSE ARRAY[]::text[] END,
            'NONE', 3, 'COMPLIED', $3, now(), now()
     FROM response r CROSS JOIN (VALUES ($1::int), ($2::int)) AS u(reviewer) WHERE r.study_id = $4`,
    [a, b, '=cmd|" /C calc"!A0 and "quotes"', studyId],
  );
});
afterAll(async () => {
  await pool.end();
});

const request = (overrides: Partial<ExportRequest> = {}) => exportRequest(studyId, "labels", overrides);

const neutralised = (value: string) => (startsLikeFormula(value) ? `'${value}` : value);

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
    const hidden = parse(await text(await exportStream(pool, request())), { columns: true }) as Record<
      string,
      string
    >[];
    expect(new Set(hidden.map((r) => r.reviewer))).toEqual(new Set(["reviewer-1", "reviewer-2"]));
    const shown = parse(await text(await exportStream(pool, request({ revealReviewers: true }))), {
      columns: true,
    }) as Record<string, string>[];
    expect(shown.every((r) => r.reviewer!.endsWith("@example.test"))).toBe(true);
  });

  it("starts with a byte-order mark when asked", async () => {
    const bytes = await buffer(await exportStream(pool, request({ bom: true })));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("exports one row per response with aggregated labels, and applies filters", async () => {
    const rows = parse(await text(await exportStream(pool, request({ shape: "responses" }))), {
      columns: true,
    }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.label_count).toBe("2");
      expect(row.harm_severity_median).toBe("2.5"); // 2 and 3
      expect(row.harmful).toBe("t");
      expect(row.language_mixing).toBe("f");
    }
    const rlOnly = parse(
      await text(await exportStream(pool, request({ shape: "responses", filters: { strategies: ["RL"] } }))),
      { columns: true },
    ) as Record<string, string>[];
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

  it("writes JSON Lines that keep every character of the server's texts: control characters, backslashes, quotes", async () => {
    // Every character PostgreSQL's text can hold from U+0001 to U+007F, then backslash and quote
    // combinations that text COPY escapes: \v is an escape of COPY's and not of JSON's, alone in
    // the second response's row.
    const all = Array.from({ length: 0x7f }, (_, i) => String.fromCharCode(i + 1)).join("") + "é中🤖\u2028";
    const changed = [
      { reasoning: all, answer: "plain", prompt: `${[...all].reverse().join("")}\u0007`, note: '\u001f"\\' },
      { reasoning: "\v", answer: '\\v \v \\\v "\\" ends in \\', prompt: "\v\\", note: '\v"\\' },
    ];
    type Texts = (typeof changed)[number];
    const originals = (
      await pool.query<Texts & { id: number; prompt_id: number }>(
        `SELECT r.id, r.prompt_id, r.reasoning, r.answer, p.text AS prompt, (SELECT min(note) FROM label WHERE response_id = r.id) AS note
         FROM response r JOIN prompt p ON p.id = r.prompt_id WHERE r.study_id = $1 ORDER BY r.id LIMIT 2`,
        [studyId],
      )
    ).rows;
    const write = async (i: number, t: Texts) => {
      const { id, prompt_id } = originals[i]!;
      await pool.query("UPDATE response SET reasoning = $1, answer = $2 WHERE id = $3", [t.reasoning, t.answer, id]);
      await pool.query("UPDATE prompt SET text = $1 WHERE id = $2", [t.prompt, prompt_id]);
      await pool.query("UPDATE label SET note = $1 WHERE response_id = $2", [t.note, id]);
    };
    try {
      for (const [i, t] of changed.entries()) await write(i, t);
      for (const shape of ["labels", "responses"] as const) {
        const lines = (await text(await exportStream(pool, request({ shape, format: "jsonl" })))).trimEnd().split("\n");
        const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
        for (const [i, t] of changed.entries()) {
          const row = objects.find((o) => o.response_id === originals[i]!.id)!;
          expect([row.reasoning, row.answer, row.prompt]).toEqual([t.reasoning, t.answer, t.prompt]);
          if (shape === "labels") expect(row.note).toBe(t.note);
        }
        // The rows around them are untouched.
        expect(objects.find((o) => o.prompt_id === "q3")!.prompt).toBe("Emoji 🤖 and 中文 text");
      }
    } finally {
      for (const [i, t] of originals.entries()) await write(i, t);
    }
  });

  it("writes JSON Lines a Hugging Face datasets JSON loader reads: flat objects, one JSON type per column, lists as arrays", async () => {
    for (const shape of ["labels", "responses"] as const) {
      const lines = (await text(await exportStream(pool, request({ shape, format: "jsonl" })))).trimEnd().split("\n");
      const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const kind = (v: unknown) => (v === null ? null : Array.isArray(v) ? "array" : typeof v);
      const kinds = new Map<string, Set<string>>();
      for (const object of objects) {
        expect(Object.keys(object)).toEqual(exportColumns(shape));
        for (const [key, value] of Object.entries(object)) {
          const k = kind(value);
          // Flat: no nested objects; arrays hold strings only.
          expect(k).not.toBe("object");
          if (Array.isArray(value)) for (const item of value) expect(item).toBeTypeOf("string");
          if (k !== null) kinds.set(key, (kinds.get(key) ?? new Set()).add(k));
        }
      }
      for (const [key, set] of kinds) expect([key, [...set]]).toEqual([key, [...set].slice(0, 1)]);
      expect(kinds.get("format_issues")).toEqual(new Set(["array"]));
      expect(kinds.get("response_id")).toEqual(new Set(["number"]));
      if (shape === "labels") {
        expect(kinds.get("harm_categories")).toEqual(new Set(["array"]));
        expect(objects.map((o) => o.harm_categories)).toContainEqual(["violence", "cyber"]);
        expect(kinds.get("flag_unfaithful")).toEqual(new Set(["boolean"]));
      } else {
        expect(kinds.get("harmful")).toEqual(new Set(["boolean"]));
        expect(kinds.get("harm_severity_median")).toEqual(new Set(["number"]));
        // Whole medians keep their decimal point, so a type-inferring loader reads a float column.
        expect(lines[0]).toContain('"harm_severity_median":2.5');
        expect(lines[0]).toContain('"reasoning_quality_median":3.0');
      }
    }
  });

  it("aggregates only the selected labels in the responses shape when a label filter is set", async () => {
    const all = parse(await text(await exportStream(pool, request({ shape: "responses" }))), {
      columns: true,
    }) as Record<string, string>[];
    // A filter that keeps every label gives the same file as none (judgements recomputed from labels).
    const everything = parse(
      await text(
        await exportStream(pool, request({ shape: "responses", filters: { from: new Date("2000-01-01T00:00:00Z") } })),
      ),
      { columns: true },
    );
    expect(everything).toEqual(all);
    const reviewer = (
      await pool.query<{ id: number }>("SELECT min(reviewer_id) AS id FROM label WHERE study_id = $1", [studyId])
    ).rows[0]!.id;
    const one = parse(
      await text(await exportStream(pool, request({ shape: "responses", filters: { reviewerIds: [reviewer] } }))),
      { columns: true },
    ) as Record<string, string>[];
    expect(one).toHaveLength(4);
    for (const row of one) {
      expect(row.label_count).toBe("1");
      expect(row.harm_severity_median).toBe(String(2 + (reviewer % 2)));
    }
    // Nothing selected: every response is still there, without a judgement.
    const none = parse(
      await text(
        await exportStream(pool, request({ shape: "responses", filters: { from: new Date("2999-01-01T00:00:00Z") } })),
      ),
      { columns: true },
    ) as Record<string, string>[];
    expect(none.map((r) => [r.label_count, r.harm_severity_median, r.language_mixing_votes])).toEqual(
      Array(4).fill(["0", "", ""]),
    );
  });
});

describe("export: formula cells", () => {
  it("neutralises every case of the list in prompts, answers, notes and checkpoint names, and leaves safe cells as they are", async () => {
    // Its own study, written straight into the tables so no importer rule (trimming, think blocks)
    // stands between the cases and the export.
    const cases = [
      ...FORMULA_CASES.map(([name, cell]) => ({ name, cell, formula: true })),
      ...SAFE_CASES.map(([name, cell]) => ({ name, cell, formula: false })),
    ];
    const own = `${slug}-formulas`;
    const study = (
      await pool.query<{ id: number }>(
        "INSERT INTO study (slug, name, updated_at) VALUES ($1, $1, now()) RETURNING id",
        [own],
      )
    ).rows[0]!.id;
    const reviewer = (
      await pool.query<{ id: number }>(
        `INSERT INTO "user" (email, role, updated_at) VALUES ($1, 'REVIEWER', now()) RETURNING id`,
        [`f-${own}@example.test`],
      )
    ).rows[0]!.id;
    for (const [i, c] of cases.entries()) {
      const checkpoint = (
        await pool.query<{ id: number }>(
          "INSERT INTO checkpoint (study_id, name, strategy) VALUES ($1, $2, 'SFT') RETURNING id",
          [study, `${c.cell}#${i}`],
        )
      ).rows[0]!.id;
      const prompt = (
        await pool.query<{ id: number }>("INSERT INTO prompt (study_id, key, text) VALUES ($1, $2, $3) RETURNING id", [
          study,
          `k${i}`,
          c.cell,
        ])
      ).rows[0]!.id;
      const response = (
        await pool.query<{ id: number }>(
          "INSERT INTO response (study_id, prompt_id, checkpoint_id, answer, source_shape) VALUES ($1, $2, $3, $4, 'answer') RETURNING id",
          [study, prompt, checkpoint, c.cell],
        )
      ).rows[0]!.id;
      await pool.query(
        "INSERT INTO label (study_id, response_id, reviewer_id, note, submitted_at, updated_at) VALUES ($1, $2, $3, $4, now(), now())",
        [study, response, reviewer, c.cell],
      );
    }
    const rows = parse(await text(await exportStream(pool, request({ studyId: study }))), {
      columns: true,
      relax_quotes: false,
    }) as Record<string, string>[];
    expect(rows).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      const row = rows[i]!;
      const expected = c.formula ? `'${c.cell}` : c.cell;
      expect({ name: c.name, prompt: row.prompt, answer: row.answer, note: row.note }).toEqual({
        name: c.name,
        prompt: expected,
        answer: expected,
        note: expected,
      });
      expect(row.checkpoint, c.name).toBe(c.formula ? `'${c.cell}#${i}` : `${c.cell}#${i}`);
    }
  });
});
