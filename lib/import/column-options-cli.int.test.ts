// The command line's column options as a user meets them: --help lists them, a gzip file is read,
// a bad option stops before anything is read (exit 2), and a rename of a column the file lacks
// rejects the file naming it (exit 1).
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { runParallax } from "../testing/run-cli";

const run36 = Date.now().toString(36);
let pool: pg.Pool;
beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 2);
});
afterAll(async () => {
  await pool.end();
});
const parallax = (args: string[]) => runParallax(args, inject("databaseUrl"));

describe("import's column options on the command line", () => {
  it("documents every option in import --help", async () => {
    const out = await parallax(["import", "--help"]);
    expect(out.code).toBe(0);
    for (const option of ["--set FIELD=VALUE", "--rename SOURCE=FIELD", "--derive RULE", "--map", "--format", ".gz"])
      expect(out.stdout).toContain(option);
  });

  it("reads a gzip file as a stream, with the harness's column names and a value rule", async () => {
    const file = path.join(tmpdir(), `per-model-${run36}.jsonl.gz`);
    const lines = [
      { question: "Q1", output: "  first\n", model_name: "m1", kind: "contrast_x" },
      { question: "Q2", output: "second", model_name: "m1", kind: "plain" },
    ];
    writeFileSync(file, gzipSync(lines.map((l) => JSON.stringify(l)).join("\n")));
    const slug = `cli-gz-${run36}`;
    const out = await parallax([
      "import",
      file,
      "--study",
      slug,
      "--create",
      "Gzip",
      "--set",
      "strategy=sft",
      "--derive",
      "split=unsafe if kind startswith contrast_ else safe",
      "--no-search",
    ]);
    expect(out.stderr).not.toMatch(/Rejected/);
    expect(out.code).toBe(0);
    const rows = await pool.query(
      `SELECT p.text, p.split, c.name, r.answer, r.metadata FROM response r JOIN prompt p ON p.id = r.prompt_id
       JOIN checkpoint c ON c.id = r.checkpoint_id JOIN study s ON s.id = r.study_id WHERE s.slug = $1 ORDER BY p.text`,
      [slug],
    );
    expect(rows.rows).toEqual([
      { text: "Q1", split: "unsafe", name: "m1", answer: "  first\n", metadata: { kind: "contrast_x" } },
      { text: "Q2", split: "safe", name: "m1", answer: "second", metadata: { kind: "plain" } },
    ]);
  });

  it("stops on a bad option (exit 2) and rejects a rename of a column the file lacks (exit 1)", async () => {
    const file = path.join(tmpdir(), `per-model-${run36}.csv`);
    writeFileSync(file, "prompt,completion\nP,A\n");
    const bad = await parallax(["import", file, "--study", "x", "--set", "checkpont=a"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set checkpont=a: "checkpont" is not a field Parallax reads/);
    const missing = await parallax([
      "import",
      file,
      "--study",
      `cli-missing-${run36}`,
      "--create",
      "Missing",
      "--set",
      "checkpoint=a",
      "--set",
      "strategy=rl",
      "--rename",
      "id=prompt_id",
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /file, id: --rename id=prompt_id: the file has no column "id" \(its columns: prompt, completion\)/,
    );
  });
});
