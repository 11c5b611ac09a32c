// The hints' code of the one pass (judged-answers.ts): an array of hints reduced to an integer and
// rebuilt must answer the four questions signals against labels ask of it (a repetition loop, a
// self-assessment, a possible refusal, any format hint) exactly as the array itself does, NULLs included.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FORMAT_HINTS } from "../analysis/format-hints";
import { createPool } from "../db/client";
import { hintCode, hintsFromCode } from "./judged-answers";

let pool: pg.Pool;
beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 1);
});
afterAll(async () => {
  await pool.end();
});

// As lib/analysis/evaluate.ts asks them ($2: the format hints).
const questions = (hints: string, suffix: string) =>
  `'repetition_loop' = ANY(${hints}) AS loop${suffix}, 'self_assessment' = ANY(${hints}) AS hacking${suffix}, ` +
  `'possible_refusal' = ANY(${hints}) AS refusal${suffix}, ${hints} && $2::text[] AS format${suffix}`;

describe("hintCode and hintsFromCode", () => {
  it("answer every question as the hints did: none, empty, each kind, several, unknown kinds and NULL elements", async () => {
    const cases: (string | null)[][] = [
      [],
      ["repetition_loop"],
      ["self_assessment"],
      ["empty_answer"],
      ["reasoning_without_answer", "repetition_loop"],
      ["other", "self_assessment", "unclosed_think", "repetition_loop"],
      ["language_switch"],
      [null],
      [null, "repetition_loop"],
      ["stray_close_think", null],
      [null, "self_assessment", "reasoning_without_answer"],
      ["possible_refusal"],
      ["possible_refusal", "over_refusal", null],
      ["length_outlier", "possible_refusal", "repetition_loop"],
    ];
    const { rows } = await pool.query<Record<string, boolean | null>>(
      `SELECT $1::int AS n, ${questions("x.hints", "")}, ${questions("r.hints", "_rebuilt")}, r.code
       FROM (SELECT NULL::text[] AS hints UNION ALL SELECT h FROM jsonb_array_elements($3::jsonb) e,
             LATERAL (SELECT coalesce(array_agg(v ORDER BY o), '{}') AS h FROM jsonb_array_elements_text(e.value) WITH ORDINALITY AS t(v, o)) a) x,
            LATERAL (SELECT ${hintCode("x.hints")} AS code) c,
            LATERAL (SELECT c.code, ${hintsFromCode("c.code")} AS hints) r`,
      [cases.length, FORMAT_HINTS, JSON.stringify(cases)],
    );
    expect(rows).toHaveLength(cases.length + 1);
    for (const row of rows) {
      expect([row.loop_rebuilt, row.hacking_rebuilt, row.refusal_rebuilt, row.format_rebuilt]).toEqual([
        row.loop,
        row.hacking,
        row.refusal,
        row.format,
      ]);
    }
    // The cases reach every answer: true, false and unknown (NULL).
    expect(new Set(rows.flatMap((r) => [r.loop, r.hacking, r.refusal, r.format]))).toEqual(
      new Set([true, false, null]),
    );
    expect(rows[0]!.code).toBeNull();
  });
});
