// What researchers do to a leased run of either kind (pause, resume, cancel) and what they see of it
// (status, counts, ETA, whether a worker holds it): the transitions, the progress columns and the
// ETA are the same for generation runs (lib/generate/runs.ts) and judge runs (lib/judges/judges.ts).
import type pg from "pg";
import { type Actor, recordAudit } from "../audit/record";
import type { GenerationStatus } from "../db/generated/enums";
import { encryptApiKey, serverSecret } from "../generate/key-cipher";

export type RunAction = "pause" | "resume" | "cancel";

/** The stored (encrypted) form of a key from a request; null when none was given (the stored one is kept). */
export function keyCipherOf(apiKey: string | undefined, secret: string | undefined): string | null {
  return apiKey === undefined || apiKey === "" ? null : encryptApiKey(apiKey, secret ?? serverSecret());
}

/**
 * Makes a run in one transaction: the study found by slug (else `notFound`), then `write` records
 * what the kind records, inserts the run and its items and says how many; a run with no item is
 * SUCCEEDED at once with `nothingLeft`, else its total is set. The job is sent after the commit (a
 * run whose job was never sent is picked up by the workers' sweep). `rethrow` may turn a database
 * error into the kind's own. Returns the run's id.
 */
export async function makeLeasedRun(
  pool: pg.Pool,
  options: {
    table: "generation_run" | "judge_run";
    studySlug: string;
    notFound: () => Error;
    nothingLeft: string;
    enqueue: (runId: number) => Promise<void>;
    rethrow?: (error: unknown) => unknown;
  },
  write: (client: pg.PoolClient, studyId: number) => Promise<{ runId: number; total: number }>,
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const study = await client.query<{ id: number }>("SELECT id FROM study WHERE slug = $1", [options.studySlug]);
    const studyId = study.rows[0]?.id;
    if (studyId === undefined) throw options.notFound();
    const { runId, total } = await write(client, studyId);
    if (total === 0) {
      await client.query(
        `UPDATE ${options.table} SET status = 'SUCCEEDED', finished_at = now(), message = $2 WHERE id = $1`,
        [runId, options.nothingLeft],
      );
    } else {
      await client.query(`UPDATE ${options.table} SET total = $2 WHERE id = $1`, [runId, total]);
    }
    await client.query("COMMIT");
    if (total > 0) await options.enqueue(runId);
    return runId;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw options.rethrow ? options.rethrow(error) : error;
  } finally {
    client.release();
  }
}

/** From which states each action moves a run, and to which. */
export const RUN_TRANSITIONS: Record<RunAction, { from: GenerationStatus[]; to: GenerationStatus }> = {
  pause: { from: ["QUEUED", "RUNNING"], to: "PAUSED" },
  resume: { from: ["PAUSED"], to: "QUEUED" },
  cancel: { from: ["QUEUED", "RUNNING", "PAUSED"], to: "CANCELLED" },
};

const PAST: Record<RunAction, string> = { pause: "paused", resume: "resumed", cancel: "cancelled" };

/** Why `action` was refused for a run in `status` ("The run is succeeded: it cannot be paused."). */
export function refusalMessage(label: string, status: GenerationStatus, action: RunAction): string {
  return `The ${label} is ${status.toLowerCase()}: it cannot be ${PAST[action]}.`;
}

/** The action applies to a run in this status. */
export function canApply(status: GenerationStatus, action: RunAction): boolean {
  return RUN_TRANSITIONS[action].from.includes(status);
}

/**
 * Moves the run of the study (`table`: generation_run or judge_run) as `action` says, when its status
 * allows; returns the study's id when it moved, null when the run is not in that state (or not in
 * the study). Inside the caller's transaction, so that an audit row goes with it.
 */
export async function applyRunAction(
  client: pg.PoolClient,
  table: "generation_run" | "judge_run",
  studySlug: string,
  runId: number,
  action: RunAction,
): Promise<{ studyId: number; from: GenerationStatus } | null> {
  const { from, to } = RUN_TRANSITIONS[action];
  const current = await client.query<{ study_id: number; status: GenerationStatus }>(
    `SELECT g.study_id, g.status FROM ${table} g JOIN study s ON s.id = g.study_id WHERE g.id = $1 AND s.slug = $2 FOR UPDATE OF g`,
    [runId, studySlug],
  );
  const run = current.rows[0];
  if (!run || !from.includes(run.status)) return null;
  await client.query(
    `UPDATE ${table} g SET status = $2::"GenerationStatus", updated_at = now(),
            finished_at = CASE WHEN $2::"GenerationStatus" = 'CANCELLED' THEN now() ELSE g.finished_at END
      WHERE g.id = $1`,
    [runId, to],
  );
  return { studyId: run.study_id, from: run.status };
}

const AUDIT_PREFIX = { generation_run: "generation-run", judge_run: "judge-run" } as const;
const RUN_NAME = { generation_run: "generation run", judge_run: "judge run" } as const;

/**
 * Applies the action and writes its audit row (`generation-run.pause`, `judge-run.cancel`, …) in one
 * transaction; true when the run moved. A refused action changes nothing and writes nothing.
 */
export async function controlLeasedRun(
  pool: pg.Pool,
  table: "generation_run" | "judge_run",
  studySlug: string,
  runId: number,
  action: RunAction,
  actor: Actor,
): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const moved = await applyRunAction(client, table, studySlug, runId, action);
    if (moved) {
      await recordAudit(client, actor, {
        studyId: moved.studyId,
        studySlug,
        action: `${AUDIT_PREFIX[table]}.${action}`,
        detail: {
          run: `${RUN_NAME[table]} ${runId}`,
          status: { from: moved.from.toLowerCase(), to: RUN_TRANSITIONS[action].to.toLowerCase() },
        },
      });
    }
    await client.query("COMMIT");
    return moved !== null;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The progress columns every run table has (its alias `g`), beside each kind's own. */
export const RUN_PROGRESS_COLUMNS = `g.id, s.slug AS study_slug, g.status, g.settings, g.concurrency, g.total, g.done, g.failed,
  g.message, g.created_at AT TIME ZONE 'UTC' AS created_at, g.started_at AT TIME ZONE 'UTC' AS started_at,
  g.finished_at AT TIME ZONE 'UTC' AS finished_at,
  extract(epoch FROM (coalesce(g.finished_at, now() AT TIME ZONE 'UTC') - g.started_at))::float8 AS elapsed,
  (g.lease_owner IS NOT NULL AND g.lease_until > now() AT TIME ZONE 'UTC') AS held`;

export interface RunProgressRow<Settings> {
  id: number;
  study_slug: string;
  status: GenerationStatus;
  settings: Settings;
  concurrency: number;
  total: number;
  done: number;
  failed: number;
  message: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  elapsed: number | null;
  held: boolean;
}

export interface BaseRunProgress<Settings> {
  id: number;
  studySlug: string;
  status: GenerationStatus;
  settings: Settings;
  concurrency: number;
  total: number;
  done: number;
  failed: number;
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** A worker holds the run right now (a paused run still held is finishing its requests in flight). */
  held: boolean;
  /** Seconds left at the pace since the run started, or null before there is a pace. */
  etaSeconds: number | null;
}

/** Seconds left at the pace so far: only while running and once an item has ended. */
export function etaSeconds(run: {
  status: GenerationStatus;
  total: number;
  done: number;
  failed: number;
  elapsed: number | null;
}): number | null {
  const finished = run.done + run.failed;
  if (run.status !== "RUNNING" || run.elapsed === null || finished <= 0) return null;
  return Math.round(((run.total - finished) * run.elapsed) / finished);
}

export function baseProgress<Settings>(row: RunProgressRow<Settings>): BaseRunProgress<Settings> {
  return {
    id: row.id,
    studySlug: row.study_slug,
    status: row.status,
    settings: row.settings,
    concurrency: row.concurrency,
    total: row.total,
    done: row.done,
    failed: row.failed,
    message: row.message,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    held: row.held,
    etaSeconds: etaSeconds(row),
  };
}
