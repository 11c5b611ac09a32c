// Checkpoints after import against PostgreSQL: a change reaches the analytics' copies of the
// strategy; a delete takes the checkpoint's responses and labels and nothing else; a merge moves
// responses and labels, or is refused, naming the clashes, when both answered the same prompt.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/pool";
import { runParallax } from "../testing/run-cli";
import { createReviewStudy } from "../review/fixtures";
import {
  changeCheckpoint,
  CheckpointError,
  checkpointContents,
  deleteCheckpoint,
  mergeCheckpoints,
} from "./checkpoints";

let pool: pg.Pool;
let counter = 0;
const unique = () => `ckpt-${Date.now().toString(36)}-${++counter}`;
const cli = { userId: null, label: "command line (test)" };

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 4);
});
afterAll(async () => {
  await pool.end();
});

async function labelAll(studyId: number, checkpointId: number, reviewerId: number): Promise<void> {
  await pool.query(
    `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, submitted_at, updated_at)
     SELECT $1, id, $3, 2, now(), now() FROM response WHERE checkpoint_id = $2`,
    [studyId, checkpointId, reviewerId],
  );
}

const count = async (sql: string, values: unknown[]) =>
  Number((await pool.query<{ n: string }>(sql, values)).rows[0]!.n);

describe("checkpoints", () => {
  it("change strategy, step and compute (the labels' copies follow), and refuse a name in use", async () => {
    const f = await createReviewStudy(pool, { slug: unique(), prompts: 5, reviewers: 1 });
    const [first, second] = f.checkpointIds as [number, number];
    await labelAll(f.studyId, first, f.reviewerIds[0]!);
    const changes = await changeCheckpoint(pool, f.studyId, first, cli, {
      name: "sft-final",
      strategy: "HYBRID",
      trainingStep: 8000,
      computeGpuHours: 12.5,
    });
    expect(changes).toEqual({
      name: { from: "ckpt-1", to: "sft-final" },
      strategy: { from: "SFT", to: "HYBRID" },
      trainingStep: { from: null, to: 8000 },
      computeGpuHours: { from: null, to: 12.5 },
    });
    expect(
      await count("SELECT count(*) AS n FROM label WHERE checkpoint_id = $1 AND strategy = 'HYBRID'", [first]),
    ).toBe(5);
    expect(
      await count("SELECT count(*) AS n FROM response_judgement WHERE checkpoint_id = $1 AND strategy = 'HYBRID'", [
        first,
      ]),
    ).toBe(5);
    await expect(changeCheckpoint(pool, f.studyId, second, cli, { name: "sft-final" })).rejects.toThrow(
      /merge them instead/,
    );
    await expect(changeCheckpoint(pool, f.studyId, second, cli, { strategy: "PPO" })).rejects.toThrow(CheckpointError);
    // Another study's checkpoint is not this study's.
    const other = await createReviewStudy(pool, { slug: unique(), prompts: 1, reviewers: 1 });
    await expect(changeCheckpoint(pool, f.studyId, other.checkpointIds[0]!, cli, { name: "x" })).rejects.toThrow(
      /has no checkpoint/,
    );
  });

  it("delete one with its responses and labels, once its name is typed", async () => {
    const f = await createReviewStudy(pool, { slug: unique(), prompts: 6, reviewers: 1 });
    const [first, second] = f.checkpointIds as [number, number];
    await labelAll(f.studyId, first, f.reviewerIds[0]!);
    expect(await checkpointContents(pool, first)).toEqual({ responses: 6, labels: 6 });
    await expect(deleteCheckpoint(pool, f.studyId, first, cli, "nope")).rejects.toThrow(/Type the checkpoint's name/);
    expect(await deleteCheckpoint(pool, f.studyId, first, cli, "ckpt-1")).toEqual({
      name: "ckpt-1",
      responses: 6,
      labels: 6,
    });
    expect(await count("SELECT count(*) AS n FROM label WHERE study_id = $1", [f.studyId])).toBe(0);
    expect(await count("SELECT count(*) AS n FROM response WHERE checkpoint_id = $1", [second])).toBe(6);
  });

  it("merge moves responses and labels into the other, or is refused naming the prompts both answered", async () => {
    const f = await createReviewStudy(pool, { slug: unique(), prompts: 4, reviewers: 1 });
    const [first, second] = f.checkpointIds as [number, number];
    await expect(mergeCheckpoints(pool, f.studyId, second, first, cli)).rejects.toThrow(
      /Both checkpoints answered 4 of the same prompts .* e\.g\. p1#0, p2#0, p3#0, p4#0/,
    );
    // The same model imported under another name, as second samples: no clash.
    const dup = (
      await pool.query<{ id: number }>(
        `INSERT INTO checkpoint (study_id, name, strategy) VALUES ($1, 'ckpt-1-copy', 'RL') RETURNING id`,
        [f.studyId],
      )
    ).rows[0]!.id;
    await pool.query(
      `INSERT INTO response (study_id, prompt_id, checkpoint_id, sample_index, answer, source_shape)
       SELECT $1, id, $2, 1, 'again', 'fields' FROM prompt WHERE study_id = $1`,
      [f.studyId, dup],
    );
    await labelAll(f.studyId, dup, f.reviewerIds[0]!);
    expect(await mergeCheckpoints(pool, f.studyId, dup, first, cli)).toEqual({
      from: "ckpt-1-copy",
      into: "ckpt-1",
      responses: 4,
    });
    expect(await count("SELECT count(*) AS n FROM response WHERE checkpoint_id = $1", [first])).toBe(8);
    expect(await count("SELECT count(*) AS n FROM label WHERE checkpoint_id = $1 AND strategy = 'SFT'", [first])).toBe(
      4,
    );
    expect(await count("SELECT count(*) AS n FROM checkpoint WHERE id = $1", [dup])).toBe(0);
    const audit = await pool.query("SELECT action, detail FROM audit_event WHERE study_id = $1 ORDER BY id", [
      f.studyId,
    ]);
    expect(audit.rows).toEqual([
      { action: "checkpoint.merge", detail: { from: "ckpt-1-copy", into: "ckpt-1", responses: 4 } },
    ]);
  });
});

describe("the command line", () => {
  it("changes, merges and deletes checkpoints by name", async () => {
    const url = inject("databaseUrl");
    const f = await createReviewStudy(pool, { slug: unique(), prompts: 2, reviewers: 1 });
    const set = await runParallax(
      ["checkpoint:set", "--study", f.slug, "--checkpoint", "ckpt-2", "--strategy", "hybrid", "--step", "500"],
      url,
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("strategy: RL → HYBRID");
    const clash = await runParallax(
      ["checkpoint:merge", "--study", f.slug, "--from", "ckpt-2", "--into", "ckpt-1"],
      url,
    );
    expect([clash.code, clash.stderr]).toEqual([
      1,
      expect.stringContaining("Both checkpoints answered 2 of the same prompts"),
    ]);
    const unconfirmed = await runParallax(["checkpoint:delete", "--study", f.slug, "--checkpoint", "ckpt-3"], url);
    expect([unconfirmed.code, unconfirmed.stderr]).toEqual([1, expect.stringContaining("removes 2 responses")]);
    const deleted = await runParallax(
      ["checkpoint:delete", "--study", f.slug, "--checkpoint", "ckpt-3", "--confirm", "ckpt-3"],
      url,
    );
    expect(deleted.stdout).toContain('Deleted "ckpt-3": 2 responses, 0 labels.');
  });
});
