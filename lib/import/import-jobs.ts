// The recent imports of a study (import_job), for the import page and its progress poll, and the rule
// that tells a running import from one whose process died.
//
// An import is one transaction (pipeline.ts), so a process that dies mid-way writes nothing, but its
// job row, written outside that transaction, would say RUNNING forever. The running import therefore
// beats a heartbeat on that row (heartbeat_at, every HEARTBEAT_INTERVAL_MS, on a pooled connection
// that is not the transaction's) and records which PostgreSQL backend runs its transaction
// (backend_pid, with the application_name `parallax import <job id>` on that backend so that a pid
// reused by an unrelated connection is never taken for it). A RUNNING job is dead when
//   - its heartbeat is older than STALE_AFTER_SECONDS (the process is gone, frozen or cut off), or
//   - its backend is no longer in pg_stat_activity (the process or its connection is gone; PostgreSQL
//     ends a backend whose client went away, which also rolls its transaction back).
// Both are judged by the database's own clock, so clocks of different machines never disagree.
// The first reader (or the next import of the study) turns such a job FAILED with one conditional
// UPDATE: concurrent readers serialise on the row and the later ones find it no longer RUNNING.
import type pg from "pg";
import type { RowError } from "./types";

/** How often a running import writes its heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/**
 * A heartbeat older than this means the import's process stopped. Six missed beats: generous enough
 * for a loaded machine (a beat is one tiny UPDATE), short enough that a user soon sees the truth.
 */
export const STALE_AFTER_SECONDS = 30;

/** The application_name of the import transaction's backend, which names the job it belongs to. */
export function importBackendName(jobId: number): string {
  return `parallax import ${jobId}`;
}

export interface ImportJobView {
  id: number;
  fileName: string;
  format: string;
  status: "RUNNING" | "SUCCEEDED" | "REJECTED" | "FAILED";
  rowsRead: number;
  bytesRead: number;
  inserted: number;
  alreadyPresent: number;
  rejected: number;
  message: string | null;
  errors: RowError[];
  startedAt: Date;
  finishedAt: Date | null;
  createdBy: string | null;
}

/** The pure form of the rule, for the documentation and its tests; the SQL below applies the same. */
export function importJobIsDead(job: {
  status: string;
  heartbeatAgeSeconds: number;
  backendPid: number | null;
  backendAlive: boolean;
}): boolean {
  if (job.status !== "RUNNING") return false;
  if (job.heartbeatAgeSeconds > STALE_AFTER_SECONDS) return true;
  // Before the transaction's backend is recorded, only the heartbeat can tell.
  return job.backendPid !== null && !job.backendAlive;
}

/** The message a dead import is left with. */
export function deadImportMessage(rowsRead: number): string {
  return `The import process stopped at row ${rowsRead}; nothing of it was written.`;
}

const BACKEND_ALIVE = `EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = j.backend_pid AND a.application_name = 'parallax import ' || j.id)`;

/**
 * Marks the study's dead RUNNING imports FAILED (see the rule above) and returns their ids. A dead
 * job whose backend still runs (the heartbeat went stale while a long statement kept the backend
 * busy) has that backend ended: it holds the study's import lock, and its transaction must not
 * commit under a job that says "nothing was written" (the pipeline also refuses to).
 */
export async function failDeadImports(db: pg.Pool | pg.PoolClient, studySlug: string): Promise<number[]> {
  const result = await db.query<{ id: number; backend_pid: number | null }>(
    `UPDATE import_job j SET status = 'FAILED', finished_at = now(),
       message = 'The import process stopped at row ' || j.rows_read || '; nothing of it was written.'
     WHERE j.study_slug = $1 AND j.status = 'RUNNING'
       AND (j.heartbeat_at < now() - make_interval(secs => $2) OR (j.backend_pid IS NOT NULL AND NOT ${BACKEND_ALIVE}))
     RETURNING j.id, j.backend_pid`,
    [studySlug, STALE_AFTER_SECONDS],
  );
  const stillRunning = result.rows.filter((row) => row.backend_pid !== null);
  if (stillRunning.length > 0) {
    await db
      .query(
        `SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a
         WHERE a.pid = ANY($1::int[]) AND a.application_name = ANY($2::text[])`,
        [stillRunning.map((row) => row.backend_pid), stillRunning.map((row) => importBackendName(row.id))],
      )
      .catch(() => {}); // best effort: without the right to end it, the backend still cannot commit
  }
  return result.rows.map((row) => row.id);
}

export async function recentImportJobs(db: pg.Pool, studySlug: string, limit = 10): Promise<ImportJobView[]> {
  // Readers see the truth: an import whose process died is shown FAILED, not running forever.
  await failDeadImports(db, studySlug);
  const result = await db.query<ImportJobView>(
    `SELECT j.id, j.file_name AS "fileName", j.format, j.status::text AS status, j.rows_read AS "rowsRead", j.bytes_read::float8 AS "bytesRead",
       j.inserted, j.already_present AS "alreadyPresent", j.rejected, j.message, j.errors, j.started_at AS "startedAt",
       j.finished_at AS "finishedAt", u.email AS "createdBy"
     FROM import_job j LEFT JOIN "user" u ON u.id = j.created_by_id
     WHERE j.study_slug = $1 ORDER BY j.started_at DESC, j.id DESC LIMIT $2`,
    [studySlug, limit],
  );
  return result.rows;
}
