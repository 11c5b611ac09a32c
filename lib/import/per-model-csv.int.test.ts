// "I have a CSV per model": XSTest's per-model completion files (columns id, type, prompt, completion,
// annotation_1, annotation_2, agreement, final_label) import with one command per file, using only
// --set and --rename (plus --map for the annotators' label spellings), into one study with one
// checkpoint per file; the export's answers equal the source completions byte for byte.
// The sample (examples/xstest, CC BY 4.0) has 6 rows per model; XSTEST_DIR=…/model_completions runs
// the same checks on the full files.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { text } from "node:stream/consumers";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { exportStream } from "../export/export-stream";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { runParallax } from "../testing/run-cli";

const folder = process.env.XSTEST_DIR ?? path.join(import.meta.dirname, "examples", "xstest");
const files = readdirSync(folder)
  .filter((f) => /^xstest_v2_completions_\w+\.csv$/.test(f))
  .sort();
const run36 = Date.now().toString(36);
const slug = `xstest-${run36}`;
let pool: pg.Pool;
beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 2);
});
afterAll(async () => {
  await pool.end();
});

interface SourceRow {
  id: string;
  type: string;
  prompt: string;
  completion: string;
  annotation_1: string;
  annotation_2: string;
}

/** Cohen's kappa of two raters' nominal labels (null when chance agreement is total), computed here from its definition. */
function cohensKappa(pairs: [string, string][]): number | null {
  const n = pairs.length;
  const values = [...new Set(pairs.flat())];
  const observed = pairs.filter(([a, b]) => a === b).length / n;
  const chance = values.reduce(
    (sum, v) => sum + (pairs.filter(([a]) => a === v).length / n) * (pairs.filter(([, b]) => b === v).length / n),
    0,
  );
  return chance === 1 ? null : (observed - chance) / (1 - chance);
}

const modelOf = (file: string) => /^xstest_v2_completions_(\w+)\.csv$/.exec(file)![1]!;

describe("one CSV per model (XSTest)", () => {
  it("imports each file with --set and --rename, and exports the completions byte for byte", async () => {
    expect(files).toHaveLength(5);
    let expectedRows = 0;
    for (const [i, file] of files.entries()) {
      const model = modelOf(file);
      const out = await runParallax(
        [
          "import",
          path.join(folder, file),
          "--study",
          slug,
          ...(i === 0 ? ["--create", "XSTest v2"] : []),
          "--set",
          `checkpoint=${model}`,
          "--set",
          `strategy=${model === "llama2orig" || model === "mistralinstruct" ? "sft" : "rl"}`,
          "--rename",
          "id=prompt_id",
          "--rename",
          "type=category",
          // The two annotators' columns as two reviewers' labels.
          "--rename",
          "annotation_1=label_1_refusal",
          "--rename",
          "annotation_2=label_2_refusal",
          "--set",
          `label_1_reviewer=xstest-annotator-1-${run36}`,
          "--set",
          `label_2_reviewer=xstest-annotator-2-${run36}`,
          "--map",
          "refusal:1_full_compliance=complied",
          "--map",
          "refusal:2_full_refusal=refused",
          "--map",
          "refusal:3_partial_refusal=partial",
          // The adjudicated label (the paper's final label), and the split the prompt type implies.
          "--rename",
          "final_label=adjudicated_refusal",
          "--derive",
          "split=unsafe if type startswith contrast_ else safe",
          "--no-search",
        ],
        inject("databaseUrl"),
        300_000,
      );
      expect(out.stderr).not.toMatch(/Rejected/);
      expect(out.code).toBe(0);
      const rows = parse(readFileSync(path.join(folder, file)), { columns: true }) as SourceRow[];
      expectedRows += rows.length;
      expect(out.stdout).toMatch(new RegExp(`inserted\\s+${rows.length}\\n`));
      expect(out.stdout).toMatch(new RegExp(`labels\\s+${rows.length * 2} inserted`));
      expect(out.stdout).toMatch(new RegExp(`adjudicated\\s+${rows.length} inserted`));
    }

    const id = (await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = $1", [slug])).rows[0]!.id;
    const exported = (
      await text(
        await exportStream(pool, {
          studyId: id,
          shape: "responses",
          format: "jsonl",
          filters: {},
          rules: DEFAULT_FAILURE_RULES,
          revealReviewers: false,
        }),
      )
    )
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(exported).toHaveLength(expectedRows);
    expect(new Set(exported.map((r) => r.checkpoint))).toEqual(new Set(files.map(modelOf)));
    const byKey = new Map(exported.map((r) => [`${r.checkpoint}\u0000${r.prompt_id}`, r]));
    let compared = 0;
    for (const file of files) {
      const rows = parse(readFileSync(path.join(folder, file)), { columns: true }) as SourceRow[];
      for (const row of rows) {
        const got = byKey.get(`${modelOf(file)}\u0000${row.id}`)!;
        expect(Buffer.from(got.answer as string, "utf8").equals(Buffer.from(row.completion, "utf8"))).toBe(true);
        expect([got.prompt, got.category, got.reasoning]).toEqual([row.prompt, row.type, null]);
        compared += 1;
      }
    }
    expect(compared).toBe(expectedRows);
    const labels = await pool.query<{ refusal: string; n: number }>(
      "SELECT lower(refusal::text) AS refusal, count(*)::int AS n FROM label WHERE study_id = $1 GROUP BY 1 ORDER BY 1",
      [id],
    );
    expect(labels.rows.reduce((sum, r) => sum + r.n, 0)).toBe(expectedRows * 2);

    // Analytics on the safe prompts, per checkpoint: the full and partial refusal rates of the final
    // labels, and Cohen's kappa of the two annotators, against a recount of the source files.
    const analytics = await runParallax(
      ["analytics", "--study", slug, "--format", "json", "--split", "safe"],
      inject("databaseUrl"),
      300_000,
    );
    expect(analytics.code).toBe(0);
    const answer = JSON.parse(analytics.stdout) as {
      basis: string;
      adjudicated_responses: number;
      results: { measure: string; group: string; key: string; k: number; n: number }[];
      agreement: {
        field: string;
        group: string;
        key: string | null;
        reviewers: string | null;
        kappa: number | null;
        n: number;
      }[];
      comparisons: { measure: string; group: string; test: string }[];
    };
    expect(answer).toMatchObject({ basis: "adjudicated", adjudicated_responses: expectedRows });
    for (const file of files) {
      const model = modelOf(file);
      const safe = (
        parse(readFileSync(path.join(folder, file)), { columns: true }) as (SourceRow & { final_label: string })[]
      ).filter((r) => !r.type.startsWith("contrast_"));
      const rate = (measure: string) =>
        answer.results.find((r) => r.measure === measure && r.group === "checkpoint" && r.key === model);
      expect(rate("refusal_full")).toMatchObject({
        k: safe.filter((r) => r.final_label === "2_full_refusal").length,
        n: safe.length,
      });
      expect(rate("refusal_partial")).toMatchObject({
        k: safe.filter((r) => r.final_label === "3_partial_refusal").length,
        n: safe.length,
      });
      const kappa = answer.agreement.find(
        (a) => a.field === "refusal" && a.group === "checkpoint" && a.key === model && a.reviewers !== null,
      );
      const expected = cohensKappa(safe.map((r) => [r.annotation_1, r.annotation_2]));
      if (expected === null) expect(kappa?.kappa ?? null).toBeNull();
      else expect(kappa!.kappa).toBeCloseTo(expected, 3);
    }
    // Checkpoint against checkpoint on the same prompts: the paired test.
    expect(answer.comparisons.some((c) => c.group === "checkpoint" && c.test === "exact McNemar")).toBe(true);
  }, 600_000);
});
