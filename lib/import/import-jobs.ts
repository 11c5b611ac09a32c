// The recent imports of a study (import_job), for the import page and its progress poll.
import type pg from "pg";
import type { RowError } from "./types";

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

export async function recentImportJobs(db: pg.Pool, studySlug: string, limit = 10): Promise<ImportJobView[]> {
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
