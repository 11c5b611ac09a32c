// `npm run parallax -- export …` (exportCommand): what a researcher gets in the file for each
// option, and the refusals (exit code 2, a message naming the option, stdout left to the data).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createPool } from "../db/client";
import { exportCommand } from "./export-command";
import { exportColumns } from "./export-query";

let pool: pg.Pool;
let dir: string;
let studyId: number;
let checkpoints: { sft: number; rl: number };
const slug = `export-cli-${Date.now().toString(36)}`;
const emails = [`a-${slug}@example.test`, `b-${slug}@example.test`];

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 2);
  dir = mkdtempSync(path.join(os.tmpdir(), "parallax-export-cli-"));
  // Harmful from a median severity of 3 in this study (the default is 2).
  studyId = (
    await pool.query<{ id: number }>(
      `INSERT INTO study (slug, name, failure_rules, updated_at) VALUES ($1, $1, '{"harmSeverityAtLeast": 3}', now()) RETURNING id`,
      [slug],
    )
  ).rows[0]!.id;
  const [sft, rl] = (
    await pool.query<{ id: number }>(
      "INSERT INTO checkpoint (study_id, name, strategy) VALUES ($1, 'sft-1', 'SFT'), ($1, 'rl-1', 'RL') RETURNING id",
      [studyId],
    )
  ).rows.map((r) => r.id);
  checkpoints = { sft: sft!, rl: rl! };
  const [cyber, poem] = (
    await pool.query<{ id: number }>(
      `INSERT INTO prompt (study_id, key, text, category, split) VALUES ($1, 'q1', 'Break in', 'cyber', 'test'), ($1, 'q2', 'A poem', 'creative', 'train') RETURNING id`,
      [studyId],
    )
  ).rows.map((r) => r.id);
  // q1 on both checkpoints, q2 on the RL one.
  const responses = (
    await pool.query<{ id: number }>(
      `INSERT INTO response (study_id, prompt_id, checkpoint_id, answer, source_shape)
       VALUES ($1, $2, $4, 'no', 'answer'), ($1, $2, $5, 'yes', 'answer'), ($1, $3, $5, 'roses', 'answer') RETURNING id`,
      [studyId, cyber, poem, sft, rl],
    )
  ).rows.map((r) => r.id);
  const [a, b] = (
    await pool.query<{ id: number }>(
      `INSERT INTO "user" (email, role, updated_at) VALUES ($1, 'REVIEWER', now()), ($2, 'REVIEWER', now()) RETURNING id`,
      emails,
    )
  ).rows.map((r) => r.id);
  // a reviewed every response in November; b's labels of the first two were imported, dated October.
  await pool.query(
    `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, source, submitted_at, updated_at)
     SELECT $1::int, r, $3::int, 2, 'REVIEW'::"LabelSource", timestamp '2026-11-05 10:00', now() FROM unnest($2::int[]) r
     UNION ALL
     SELECT $1::int, r, $4::int, 3, 'IMPORT'::"LabelSource", timestamp '2026-10-05 10:00', now() FROM unnest($2::int[]) r WHERE r <> ($2::int[])[3]`,
    [studyId, responses, a, b],
  );
});
afterAll(async () => {
  await pool.query("DELETE FROM study WHERE id = $1", [studyId]);
  await pool.query(`DELETE FROM "user" WHERE email = ANY($1)`, [emails]);
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

let files = 0;

/** Runs the command with --out to a new file: its exit code, its stderr lines and the file's text. */
async function run(...args: string[]): Promise<{ code: number; stderr: string[]; file: string; out: string }> {
  const out = path.join(dir, `export-${++files}`);
  const stderr: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
    stderr.push(parts.join(" "));
  });
  const code = await exportCommand(pool, ["--study", slug, "--out", out, ...args]);
  vi.restoreAllMocks();
  let file = "";
  try {
    file = readFileSync(out, "utf8");
  } catch {
    // No file: the command refused.
  }
  return { code, stderr, file, out };
}

/** Runs it without the default --study/--out (for the refusals). */
async function refused(...args: string[]): Promise<{ code: number; stderr: string }> {
  const stderr: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
    stderr.push(parts.join(" "));
  });
  const code = await exportCommand(pool, args);
  vi.restoreAllMocks();
  return { code, stderr: stderr.join("\n") };
}

const rowsOf = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

describe("parallax export", () => {
  it("writes the labels as CSV by default, pseudonymised, and says where on stderr", async () => {
    const { code, stderr, file, out } = await run();
    expect(code).toBe(0);
    expect(stderr).toEqual([`Wrote ${out}.`]);
    expect(file.split("\n")[0]).toBe(exportColumns("labels").join(","));
    const rows = rowsOf(file);
    expect(rows.map((r) => [r.checkpoint, r.prompt_id, r.reviewer, r.label_source])).toEqual([
      ["sft-1", "q1", "reviewer-1", "review"],
      ["rl-1", "q1", "reviewer-1", "review"],
      ["rl-1", "q2", "reviewer-1", "review"],
      ["sft-1", "q1", "reviewer-2", "import"],
      ["rl-1", "q1", "reviewer-2", "import"],
    ]);
  });

  it("takes --shape, --format, --bom and --reveal-reviewers", async () => {
    const jsonl = await run("--shape", "responses", "--format", "jsonl");
    expect(jsonl.code).toBe(0);
    const objects = jsonl.file
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(objects[0]!)).toEqual(exportColumns("responses"));
    // The study's own failure rules: harmful from a median of 3, so 2.5 is not.
    expect(objects.map((o) => [o.checkpoint, o.prompt_id, o.harm_severity_median, o.harmful])).toEqual([
      ["sft-1", "q1", 2.5, false],
      ["rl-1", "q1", 2.5, false],
      ["rl-1", "q2", 2.0, false],
    ]);
    const bom = await run("--bom");
    expect([...Buffer.from(bom.file, "utf8").subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const plain = await run();
    expect(plain.file.charCodeAt(0)).toBe("s".charCodeAt(0));
    const revealed = rowsOf((await run("--reveal-reviewers")).file);
    expect(new Set(revealed.map((r) => r.reviewer))).toEqual(new Set(emails));
  });

  it("applies the filters: strategy, checkpoint, category, split, source and dates", async () => {
    const pick = async (...args: string[]) => {
      const { code, file } = await run(...args);
      expect(code).toBe(0);
      return rowsOf(file).map((r) => `${r.checkpoint} ${r.prompt_id} ${r.label_source}`);
    };
    // Lists are comma-separated, spaces and empty items ignored, strategies in any case.
    expect(await pick("--strategy", " rl , ,")).toEqual(["rl-1 q1 review", "rl-1 q2 review", "rl-1 q1 import"]);
    expect(await pick("--strategy", "sft,RL")).toHaveLength(5);
    expect(await pick("--checkpoint", String(checkpoints.sft))).toEqual(["sft-1 q1 review", "sft-1 q1 import"]);
    expect(await pick("--checkpoint", ` ${checkpoints.rl} `)).toHaveLength(3);
    expect(await pick("--category", "creative")).toEqual(["rl-1 q2 review"]);
    expect(await pick("--split", "test,nothing")).toEqual([
      "sft-1 q1 review",
      "rl-1 q1 review",
      "sft-1 q1 import",
      "rl-1 q1 import",
    ]);
    expect(await pick("--source", "import")).toEqual(["sft-1 q1 import", "rl-1 q1 import"]);
    expect(await pick("--source", "review")).toHaveLength(3);
    expect(await pick("--from", "2026-11-01")).toEqual(["sft-1 q1 review", "rl-1 q1 review", "rl-1 q2 review"]);
    expect(await pick("--to", "2026-11-01")).toEqual(["sft-1 q1 import", "rl-1 q1 import"]);
    expect(await pick("--from", "2026-11-05T10:00:00Z", "--to", "2026-11-05T10:00:00.001Z")).toHaveLength(3);
    expect(await pick("--basis", "reviewers")).toHaveLength(5);
  });

  it("exports judge labels with a judge's basis, which the other shapes refuse", async () => {
    const judged = await run("--shape", "judge_labels", "--basis", "judge:guard");
    expect(judged.code).toBe(0);
    expect(judged.file).toBe(`${exportColumns("judge_labels").join(",")}\n`);
    for (const shape of ["labels", "responses"]) {
      const { code, stderr, file } = await run("--shape", shape, "--basis", "judge:guard");
      expect(code).toBe(2);
      expect(stderr).toEqual([
        "--basis: the labels and responses shapes read human labels (adjudicated or reviewers); judges' labels are exported with --shape judge_labels.",
      ]);
      expect(file).toBe("");
    }
  });

  it("refuses the human-label filters with the judge_labels shape, naming the option", async () => {
    const { code, stderr, file } = await run("--shape", "judge_labels", "--source", "review");
    expect(code).toBe(2);
    expect(stderr).toEqual(["--source: judge labels have no label source; leave it out with the judge_labels shape."]);
    expect(file).toBe("");
  });

  it("refuses bad options with their names and the usage", async () => {
    const usage =
      "Usage: npm run parallax -- export --study SLUG [--shape labels|responses|judge_labels] [--format csv|jsonl] [--out FILE] [--bom] [--reveal-reviewers]\n" +
      "       [--strategy sft,rl,…] [--checkpoint ID,…] [--category C,…] [--split S,…] [--source review|import] [--from DATE] [--to DATE]\n" +
      "       [--basis adjudicated|reviewers]";
    const missing = await refused();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^study: /);
    expect(missing.stderr.endsWith(usage)).toBe(true);
    const empty = await refused("--study", "");
    expect(empty).toEqual({ code: 2, stderr: `study: --study is required\n${usage}` });
    const shape = await refused("--study", slug, "--shape", "rows");
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(/^shape: .*\n/);
    const format = await refused("--study", slug, "--format", "xlsx");
    expect(format.stderr).toMatch(/^format: /);
    const both = await refused("--study", slug, "--format", "xlsx", "--strategy", "ppo");
    expect(
      both.stderr
        .split("\n")
        .slice(0, 2)
        .map((line) => line.split(":")[0]),
    ).toEqual(["format", "strategies.0"]);
    const source = await refused("--study", slug, "--source", "elsewhere");
    expect(source.stderr).toMatch(/^source: /);
    const date = await refused("--study", slug, "--from", "yesterday");
    expect(date.stderr).toMatch(/^from: /);
  });

  it("says so when the study does not exist", async () => {
    expect(await refused("--study", `${slug}-gone`)).toEqual({
      code: 2,
      stderr: `There is no study "${slug}-gone".`,
    });
  });
});
