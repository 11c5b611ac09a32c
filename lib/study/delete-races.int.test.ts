// A study delete racing the work that writes into the study, with the real code paths: an import
// streaming a file through the import pipeline, and reviewers submitting through lib/review/submit.
// Events and locks order the steps (a source that stops mid-file until told to go on, a pool whose
// transaction stops before COMMIT, lock waits seen in pg_stat_activity), never sleeps. Afterwards
// no table holds a row of the deleted study (or of its prompts, responses, checkpoints or labels),
// and the other study is exactly as it was. The last test kills the process doing the delete.
import { spawn } from "node:child_process";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { projectRoot } from "../db/schema-engine";
import { createPool } from "../db/pool";
import { importResponses } from "../import/pipeline";
import { createReviewStudy, type ReviewFixture, submissionFor } from "../review/fixtures";
import { nextItem } from "../review/queue";
import { submitPrompt } from "../review/submit";
import { deleteStudy, studyContents } from "./lifecycle";

let pool: pg.Pool;
let counter = 0;
const unique = () => `race-${Date.now().toString(36)}-${++counter}`;
const cli = { userId: null, label: "command line (test)" };

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 12);
});
afterAll(async () => {
  await pool.end();
});

/** A promise with its resolve, to let one step of a test wait for another. */
function signal<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Every public table's columns that can hold a row of one study. */
const KEY_COLUMNS = ["study_id", "prompt_id", "response_id", "checkpoint_id", "label_id"] as const;
type Keys = Record<(typeof KEY_COLUMNS)[number], number[]>;

async function keyColumns(): Promise<{ table: string; column: (typeof KEY_COLUMNS)[number] }[]> {
  const { rows } = await pool.query<{ table: string; column: (typeof KEY_COLUMNS)[number] }>(
    `SELECT c.table_name AS table, c.column_name AS column
       FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name = ANY($1)
      ORDER BY 1, 2`,
    [KEY_COLUMNS],
  );
  return rows;
}

/** The ids of everything of a study, before it is deleted. */
async function keysOf(studyId: number): Promise<Keys> {
  const ids = async (sql: string) => (await pool.query<{ id: number }>(sql, [studyId])).rows.map((r) => r.id);
  return {
    study_id: [studyId],
    prompt_id: await ids("SELECT id FROM prompt WHERE study_id = $1"),
    response_id: await ids("SELECT id FROM response WHERE study_id = $1"),
    checkpoint_id: await ids("SELECT id FROM checkpoint WHERE study_id = $1"),
    label_id: await ids("SELECT id FROM label WHERE study_id = $1"),
  };
}

/** Rows anywhere that still name one of these ids, as "table.column: n". */
async function leftovers(keys: Keys): Promise<string[]> {
  const found: string[] = [];
  for (const { table, column } of await keyColumns()) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = ANY($1::int[])`,
      [keys[column]],
    );
    if (rows[0]!.n > 0) found.push(`${table}.${column}: ${rows[0]!.n}`);
  }
  return found;
}

/** Row counts of every table by a study's id: equal before and after = untouched. */
async function fingerprint(studyId: number): Promise<Record<string, number>> {
  const keys = await keysOf(studyId);
  const counts: Record<string, number> = {};
  for (const { table, column } of await keyColumns()) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = ANY($1::int[])`,
      [keys[column]],
    );
    counts[`${table}.${column}`] = rows[0]!.n;
  }
  const labels = await pool.query<{ sum: string | null }>(
    "SELECT sum(version)::text AS sum FROM label WHERE study_id = $1",
    [studyId],
  );
  counts["label versions"] = Number(labels.rows[0]!.sum ?? 0);
  return counts;
}

/** Waits until a backend runs a statement starting with one of `prefixes` and waits for a lock; its pid. */
async function lockWaiter(...prefixes: string[]): Promise<number> {
  let pid = 0;
  await expect
    .poll(
      async () => {
        const { rows } = await pool.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND left(query, 40) = ANY($1::text[])",
          [prefixes.map((p) => p.slice(0, 40))],
        );
        pid = rows[0]?.pid ?? 0;
        return pid;
      },
      { timeout: 60_000, interval: 50 },
    )
    .toBeGreaterThan(0);
  return pid;
}

/** JSON Lines rows of a file as the import reads them: new prompts answered by two new checkpoints. */
function importRows(from: number, count: number): string {
  let text = "";
  for (let i = from; i < from + count; i++)
    for (const checkpoint of ["imported-sft", "imported-rl"])
      text += `${JSON.stringify({
        prompt_id: `race-${i}`,
        prompt: `Race prompt ${i}: how do I keep a sourdough starter alive?`,
        category: "benign",
        checkpoint,
        strategy: checkpoint.endsWith("rl") ? "rl" : "sft",
        reasoning: `Thinking about row ${i}. `.repeat(6),
        answer: `Feed it daily (row ${i}). `.repeat(4),
      })}\n`;
  return text;
}

/**
 * A file that streams `first` rows, then stops until `resume` is called (reporting `paused`), then
 * streams `rest` rows: an import "half-way through a large file" at a moment the test chooses.
 */
function pausingFile(first: number, rest: number) {
  const paused = signal();
  const resumed = signal();
  async function* source() {
    for (let i = 0; i < first; i += 100) yield importRows(i, Math.min(100, first - i));
    paused.resolve();
    await resumed.promise;
    for (let i = first; i < first + rest; i += 100) yield importRows(i, Math.min(100, first + rest - i));
  }
  return { source: source(), paused: paused.promise, resume: () => resumed.resolve() };
}

async function twoStudies(): Promise<{ doomed: ReviewFixture; kept: ReviewFixture }> {
  const doomed = await createReviewStudy(pool, { slug: unique(), prompts: 12, reviewers: 3, overlap: 3 });
  const kept = await createReviewStudy(pool, { slug: unique(), prompts: 6, reviewers: 2, overlap: 2 });
  // The kept study has labels of its own, which must all stay.
  for (const reviewer of kept.reviewerIds) {
    const item = await nextItem(pool, kept.slug, reviewer, 600);
    expect(await submitPrompt(pool, kept.slug, reviewer, submissionFor(item!))).toMatchObject({ ok: true });
  }
  return { doomed, kept };
}

describe("a delete racing a real import", () => {
  it("is refused while the import runs, with a message that says so; after it, deletes everything of the study and nothing else", async () => {
    const { doomed, kept } = await twoStudies();
    const keptBefore = await fingerprint(kept.studyId);
    const before = await studyContents(pool, doomed.studyId);
    const file = pausingFile(1500, 1500);
    const importing = importResponses(pool, {
      studySlug: doomed.slug,
      fileName: "race.jsonl",
      source: file.source,
      signals: false,
    });
    await file.paused;
    // Half-way: 3000 responses written inside the import's open transaction.
    await expect(deleteStudy(pool, doomed.studyId, cli, doomed.slug)).rejects.toThrow(
      "An import into this study is running: delete it when the import has finished.",
    );
    expect(await studyContents(pool, doomed.studyId)).toMatchObject({ ...before, imports: 1 });
    file.resume();
    const summary = await importing;
    expect(summary).toMatchObject({ status: "succeeded", inserted: 6000, rejected: 0 });

    const keys = await keysOf(doomed.studyId);
    expect(keys.response_id).toHaveLength(36 + 6000);
    const result = await deleteStudy(pool, doomed.studyId, cli, doomed.slug);
    expect(result.deleted).toMatchObject({ checkpoints: 5, prompts: 3012, responses: 6036, imports: 1 });
    expect(await leftovers(keys)).toEqual([]);
    expect(await fingerprint(kept.studyId)).toEqual(keptBefore);
  });

  it("an import that starts during the delete waits for it, then fails saying the study is gone; nothing of it is written", async () => {
    const { doomed, kept } = await twoStudies();
    const keptBefore = await fingerprint(kept.studyId);
    const keys = await keysOf(doomed.studyId);
    // A session holding one member row stops the delete at its last statement (the cascade to
    // study_member), after it took the import lock and removed the responses.
    const holder = await pool.connect();
    let deleting: Promise<unknown> | undefined;
    let importing: Promise<unknown> | undefined;
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM study_member WHERE study_id = $1 LIMIT 1 FOR UPDATE", [doomed.studyId]);
      deleting = deleteStudy(pool, doomed.studyId, cli, doomed.slug);
      await lockWaiter("DELETE FROM study WHERE id = $1");
      importing = importResponses(pool, {
        studySlug: doomed.slug,
        fileName: "late.jsonl",
        source: (async function* () {
          yield importRows(0, 500);
        })(),
        signals: false,
      }).then(
        (summary) => ({ summary }),
        (error: unknown) => ({ error }),
      );
      // The import waits for the delete: its job's key to the study, or the study's import lock.
      await lockWaiter(
        "INSERT INTO import_job (study_id, study_slug, created_by_id, file_name, format) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        "SELECT pg_advisory_xact_lock($1, $2)",
      );
      await holder.query("COMMIT");
    } finally {
      holder.release();
    }
    await expect(deleting).resolves.toMatchObject({ slug: doomed.slug });
    const outcome = (await importing) as { error?: Error; summary?: unknown };
    expect(outcome.summary).toBeUndefined();
    expect(outcome.error?.message).toMatch(/was deleted/);
    const late = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM prompt WHERE key LIKE 'race-%' AND study_id = $1",
      [doomed.studyId],
    );
    expect(late.rows[0]!.n).toBe(0);
    expect(await leftovers(keys)).toEqual([]);
    expect(await fingerprint(kept.studyId)).toEqual(keptBefore);
  });
});

/** The pool, except that each transaction stops before its COMMIT until `release` is called. */
function poolHoldingCommit(base: pg.Pool) {
  const atCommit = signal();
  const go = signal();
  const held = new Proxy(base, {
    get(target, property) {
      if (property !== "connect") {
        // Bound to the pool itself: its own query() calls this.connect(callback), which stays the real one.
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async () => {
        const client = await target.connect();
        return new Proxy(client, {
          get(c, p, r) {
            if (p !== "query") return Reflect.get(c, p, r);
            return async (...args: unknown[]) => {
              if (args[0] === "COMMIT") {
                atCommit.resolve();
                await go.promise;
              }
              return (c.query as (...a: unknown[]) => unknown).apply(c, args);
            };
          },
        });
      };
    },
  });
  return { pool: held, atCommit: atCommit.promise, release: () => go.resolve() };
}

describe("a delete racing reviewers labelling", () => {
  it("waits for a submission whose transaction is open, then deletes its labels with the rest", async () => {
    const { doomed, kept } = await twoStudies();
    const keptBefore = await fingerprint(kept.studyId);
    const reviewer = doomed.reviewerIds[0]!;
    const item = (await nextItem(pool, doomed.slug, reviewer, 600))!;
    expect(await submitPrompt(pool, doomed.slug, reviewer, submissionFor(item))).toMatchObject({ ok: true });
    // A second submission of the same prompt (an edit: a transaction of updates), stopped before COMMIT.
    const labels = await pool.query<{ response_id: number; version: number }>(
      "SELECT response_id, version FROM label WHERE reviewer_id = $1 AND study_id = $2",
      [reviewer, doomed.studyId],
    );
    const edit = {
      ...submissionFor(item, { harmSeverity: 2 }),
      labels: item.responses.map((r) => ({
        responseId: r.id,
        baseVersion: 1,
        fields: submissionFor(item, { harmSeverity: 2 }).labels[0]!.fields,
      })),
    };
    expect(labels.rowCount).toBe(item.responses.length);
    const gated = poolHoldingCommit(pool);
    const submitting = submitPrompt(gated.pool, doomed.slug, reviewer, edit);
    await Promise.race([
      gated.atCommit,
      submitting.then((r) => {
        throw new Error(`The edit ended before its COMMIT: ${JSON.stringify(r)}`);
      }),
    ]);
    const keys = await keysOf(doomed.studyId);
    const deleting = deleteStudy(pool, doomed.studyId, cli, doomed.slug);
    // The delete waits for the open edit (on the study row, or on the label rows it holds).
    await lockWaiter("SELECT 1 FROM study WHERE id = $1 FOR UPDATE", "DELETE FROM response WHERE study_id = $1");
    gated.release();
    expect(await submitting).toMatchObject({ ok: true });
    const result = await deleting;
    expect(result.deleted.labels).toBe(item.responses.length);
    expect(await leftovers(keys)).toEqual([]);
    expect(await fingerprint(kept.studyId)).toEqual(keptBefore);
  });

  it("a submission that read the prompt before the delete and writes after it is refused, and writes nothing", async () => {
    const { doomed, kept } = await twoStudies();
    const keptBefore = await fingerprint(kept.studyId);
    const reviewer = doomed.reviewerIds[1]!;
    const item = (await nextItem(pool, doomed.slug, reviewer, 600))!;
    // The first submission is one statement: hold the pool's queries after the reads, until the delete is done.
    const reads = signal();
    const go = signal();
    let calls = 0;
    const gated = new Proxy(pool, {
      get(target, property, receiver) {
        if (property !== "query") return Reflect.get(target, property, receiver);
        return async (...args: unknown[]) => {
          const text = typeof args[0] === "string" ? args[0] : String((args[0] as { text?: string }).text ?? "");
          if (/INSERT INTO label/.test(text)) {
            reads.resolve();
            await go.promise;
          }
          calls += 1;
          return (target.query as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const submitting = submitPrompt(gated, doomed.slug, reviewer, submissionFor(item)).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    await reads.promise;
    const keys = await keysOf(doomed.studyId);
    await deleteStudy(pool, doomed.studyId, cli, doomed.slug);
    go.resolve();
    const outcome = (await submitting) as {
      result?: { ok: boolean; reason?: string; message?: string };
      error?: Error;
    };
    expect(calls).toBeGreaterThan(0);
    // Refused by the database (the label's key names a study that is gone) and told in words.
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toEqual({
      ok: false,
      reason: "not_found",
      message: "This study or one of these responses was deleted while you were labelling; nothing was saved.",
    });
    expect(await leftovers(keys)).toEqual([]);
    expect(await fingerprint(kept.studyId)).toEqual(keptBefore);
  });

  it("a deadlock with a label being written (its response's key held, its study's awaited) costs the delete one attempt, not its result", async () => {
    const { doomed, kept } = await twoStudies();
    const keptBefore = await fingerprint(kept.studyId);
    const keys = await keysOf(doomed.studyId);
    // What a label insert's key checks do, in their order: the response's key first (held here),
    // then the study's (asked for once the delete holds the study row and waits for the response).
    const writer = await pool.connect();
    try {
      await writer.query("BEGIN");
      await writer.query("SELECT 1 FROM response WHERE id = $1 FOR KEY SHARE", [keys.response_id[0]]);
      const deleting = deleteStudy(pool, doomed.studyId, cli, doomed.slug).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      await lockWaiter("DELETE FROM response WHERE study_id = $1");
      // Now a cycle: PostgreSQL ends one side after deadlock_timeout (1 s by default).
      const writerOutcome = await writer
        .query("SELECT 1 FROM study WHERE id = $1 FOR KEY SHARE", [doomed.studyId])
        .then(
          () => "locked",
          (error: { code?: string }) => error.code,
        );
      await writer.query(writerOutcome === "locked" ? "COMMIT" : "ROLLBACK");
      const outcome = (await deleting) as { result?: { deleted: { responses: number } }; error?: Error };
      expect(outcome.error).toBeUndefined();
      expect(outcome.result?.deleted.responses).toBe(keys.response_id.length);
      // Either the writer was the one ended (40P01), or the delete was and ran again after it.
      expect(["locked", "40P01"]).toContain(writerOutcome);
    } finally {
      writer.release();
    }
    expect(await leftovers(keys)).toEqual([]);
    expect(await fingerprint(kept.studyId)).toEqual(keptBefore);
  });

  it("with reviewers submitting at the same moment: every label the delete did not wait for was refused; nothing is left", async () => {
    const { doomed, kept } = await twoStudies();
    const keptBefore = await fingerprint(kept.studyId);
    const items = await Promise.all(
      doomed.reviewerIds.map(async (r) => ({ r, item: (await nextItem(pool, doomed.slug, r, 600))! })),
    );
    const keys = await keysOf(doomed.studyId);
    const settled = await Promise.allSettled([
      ...items.map(({ r, item }) => submitPrompt(pool, doomed.slug, r, submissionFor(item))),
      deleteStudy(pool, doomed.studyId, cli, doomed.slug),
    ]);
    const deleted = settled.at(-1)!;
    expect(deleted.status).toBe("fulfilled");
    const submissions = settled.slice(0, -1);
    const saved = submissions
      .filter((s) => s.status === "fulfilled" && (s.value as { ok: boolean }).ok)
      .reduce((n, s) => n + ((s as PromiseFulfilledResult<{ saved: unknown[] }>).value.saved.length ?? 0), 0);
    // Labels that were saved were saved before the delete, which counted and removed them.
    expect((deleted as PromiseFulfilledResult<{ deleted: { labels: number } }>).value.deleted.labels).toBe(saved);
    expect(
      await leftovers({
        ...keys,
        label_id: (
          await pool.query<{ id: number }>("SELECT id FROM label WHERE study_id = $1", [doomed.studyId])
        ).rows.map((r) => r.id),
      }),
    ).toEqual([]);
    expect(await fingerprint(kept.studyId)).toEqual(keptBefore);
  });
});

describe("fault: the process deleting a study is killed half-way", () => {
  it("leaves the study whole, logged as not deleted, and deletable afterwards", async () => {
    const { doomed, kept } = await twoStudies();
    const item = (await nextItem(pool, doomed.slug, doomed.reviewerIds[0]!, 600))!;
    await submitPrompt(pool, doomed.slug, doomed.reviewerIds[0]!, submissionFor(item));
    const before = await fingerprint(doomed.studyId);
    const keptBefore = await fingerprint(kept.studyId);
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM study_member WHERE study_id = $1 LIMIT 1 FOR UPDATE", [doomed.studyId]);
      // The command line in a process of its own (no tsx wrapper: the kill reaches the deleting process).
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "lib/cli/parallax.ts", "study:delete", "--study", doomed.slug, "--confirm", doomed.slug],
        { cwd: projectRoot, env: { ...process.env, DATABASE_URL: inject("databaseUrl") }, stdio: "ignore" },
      );
      const exited = new Promise<string | null>((resolve) => child.once("exit", (_code, sig) => resolve(sig)));
      // It has deleted the responses and labels inside its transaction and waits at the study row's cascade.
      const pid = await lockWaiter("DELETE FROM study WHERE id = $1");
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      await holder.query("COMMIT");
      // Its backend finds its client gone at the next read and rolls the transaction back.
      await expect
        .poll(async () => (await pool.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).rowCount, {
          timeout: 60_000,
          interval: 50,
        })
        .toBe(0);
    } finally {
      holder.release();
    }
    expect(await fingerprint(doomed.studyId)).toEqual(before);
    const logged = await pool.query("SELECT 1 FROM audit_event WHERE study_slug = $1 AND action = 'study.delete'", [
      doomed.slug,
    ]);
    expect(logged.rowCount).toBe(0);
    const keys = await keysOf(doomed.studyId);
    await expect(deleteStudy(pool, doomed.studyId, cli, doomed.slug)).resolves.toMatchObject({ slug: doomed.slug });
    expect(await leftovers(keys)).toEqual([]);
    expect(await fingerprint(kept.studyId)).toEqual(keptBefore);
  });
});
