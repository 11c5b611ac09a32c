// Judges as researchers see them: a judge of a study (endpoint, key encrypted, rubric and the study's
// own instructions), making a judge run (one item per response without this judge's label under the
// rubric version in force, job queued), pausing, resuming, cancelling, and its progress. The work
// itself: run-worker.ts. Design: lib/judges/README.md.
import type pg from "pg";
import type { Actor } from "../audit/record";
import {
  type BaseRunProgress,
  baseProgress,
  controlLeasedRun,
  keyCipherOf,
  makeLeasedRun,
  RUN_PROGRESS_COLUMNS,
  type RunAction,
  type RunProgressRow,
  refusalMessage,
} from "../jobs/run-control";
import { CURRENT_RUBRIC_SQL } from "./rubric-version";
import {
  type JudgeRequest,
  nextInstructions,
  rubricById,
  rubricLabel,
  type StoredJudgeEndpoint,
  storedJudgeEndpoint,
} from "./judge-settings";

/** A request that cannot be carried out as asked: 4xx, not 500. */
export class JudgeRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface JudgeRunProgress extends BaseRunProgress<StoredJudgeEndpoint & { instructions: string | null }> {
  judge: string;
  /** The rubric version its labels carry. */
  rubric: string;
  /** The first responses that failed for good (up to five), with the last error. */
  failures: { responseId: number; error: string }[];
}

export interface JudgeSummary {
  name: string;
  rubricId: string;
  /** The rubric version its next labels carry. */
  rubric: string;
  instructions: string | null;
  endpoint: StoredJudgeEndpoint;
  /** Whether an API key is stored (never the key). */
  hasKey: boolean;
  /** Its labels under the current rubric version. */
  labels: number;
}

export type EnqueueJudgeRun = (runId: number) => Promise<void>;

/**
 * Records the judge (created when new; endpoint, key, rubric and instructions updated), makes the
 * run with one item per response of the study that has no label of this judge under the rubric
 * version in force, then queues it. Refused while the judge has a run that is not finished. One
 * transaction; the job is sent after the commit (the workers' sweep sends any that was not).
 */
export async function createJudgeRun(
  pool: pg.Pool,
  studySlug: string,
  request: JudgeRequest,
  options: { createdById: number | null; enqueue: EnqueueJudgeRun; secret?: string },
): Promise<JudgeRunProgress> {
  const rubric = rubricById(request.rubric);
  if (!rubric) throw new JudgeRequestError(`rubric: no rubric "${request.rubric}".`);
  const runId = await makeLeasedRun(
    pool,
    {
      table: "judge_run",
      studySlug,
      notFound: () => new JudgeRequestError(`No study "${studySlug}".`, 404),
      nothingLeft:
        "Every response of the study already has this judge's label under this rubric version: nothing to judge.",
      enqueue: options.enqueue,
      rethrow: (error) =>
        (error as { code?: string }).code === "23505"
          ? new JudgeRequestError(`Judge "${request.name}" was just changed by someone else: try again.`, 409)
          : error,
    },
    async (client, studyId) => {
      const endpoint = storedJudgeEndpoint(request);
      const keyCipher = keyCipherOf(request.apiKey, options.secret);
      const existing = await client.query<{
        id: number;
        rubric_id: string;
        instructions: string | null;
        prompt_edits: number;
      }>("SELECT id, rubric_id, instructions, prompt_edits FROM judge WHERE study_id = $1 AND name = $2 FOR UPDATE", [
        studyId,
        request.name,
      ]);
      let judge: { id: number; instructions: string | null; promptEdits: number };
      const found = existing.rows[0];
      if (found) {
        const sameRubric = found.rubric_id === rubric.id;
        const next = nextInstructions(rubric, sameRubric ? found.instructions : null, request.instructions);
        const edits = next.changed && next.instructions !== null ? found.prompt_edits + 1 : found.prompt_edits;
        const active = await client.query<{ id: number; status: string }>(
          "SELECT id, status FROM judge_run WHERE judge_id = $1 AND status IN ('QUEUED', 'RUNNING', 'PAUSED') ORDER BY id LIMIT 1",
          [found.id],
        );
        if (active.rows[0]) {
          throw new JudgeRequestError(
            `Judge "${request.name}" has run ${active.rows[0].id} ${active.rows[0].status.toLowerCase()}: cancel it (or let it finish) before starting another.`,
            409,
          );
        }
        await client.query(
          `UPDATE judge SET endpoint = $2::jsonb, endpoint_key = coalesce($3, endpoint_key), rubric_id = $4, rubric_version = $5,
                  instructions = $6, prompt_edits = $7, updated_at = now() WHERE id = $1`,
          [found.id, JSON.stringify(endpoint), keyCipher, rubric.id, rubric.version, next.instructions, edits],
        );
        judge = { id: found.id, instructions: next.instructions, promptEdits: edits };
      } else {
        const next = nextInstructions(rubric, null, request.instructions);
        const created = await client.query<{ id: number }>(
          `INSERT INTO judge (study_id, name, endpoint, endpoint_key, rubric_id, rubric_version, instructions, prompt_edits)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8) RETURNING id`,
          [
            studyId,
            request.name,
            JSON.stringify(endpoint),
            keyCipher,
            rubric.id,
            rubric.version,
            next.instructions,
            next.instructions === null ? 0 : 1,
          ],
        );
        judge = { id: created.rows[0]!.id, instructions: next.instructions, promptEdits: next.instructions ? 1 : 0 };
      }
      const label = rubricLabel(rubric.id, rubric.version, judge.promptEdits, judge.instructions !== null);
      const run = await client.query<{ id: number }>(
        `INSERT INTO judge_run (study_id, judge_id, created_by_id, rubric, settings, concurrency)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`,
        [
          studyId,
          judge.id,
          options.createdById,
          label,
          JSON.stringify({ ...endpoint, instructions: judge.instructions }),
          request.concurrency,
        ],
      );
      const runId = run.rows[0]!.id;
      const items = await client.query(
        `INSERT INTO judge_item (run_id, response_id)
         SELECT $1, r.id FROM response r
          WHERE r.study_id = $2
            AND NOT EXISTS (SELECT 1 FROM judge_label jl WHERE jl.judge_id = $3 AND jl.response_id = r.id AND jl.rubric = $4)`,
        [runId, studyId, judge.id, label],
      );
      return { runId, total: items.rowCount ?? 0 };
    },
  );
  return (await judgeRunProgress(pool, runId))!;
}

export type JudgeRunAction = RunAction;

/** Pauses, resumes or cancels a judge run of the study; audited (`judge-run.pause`, …) under `actor`. */
export async function controlJudgeRun(
  pool: pg.Pool,
  studySlug: string,
  runId: number,
  action: JudgeRunAction,
  enqueue: EnqueueJudgeRun,
  actor: Actor,
): Promise<JudgeRunProgress> {
  const changed = await controlLeasedRun(pool, "judge_run", studySlug, runId, action, actor);
  const progress = await judgeRunProgress(pool, runId);
  if (!progress || progress.studySlug !== studySlug)
    throw new JudgeRequestError(`No judge run ${runId} in this study.`, 404);
  if (!changed) throw new JudgeRequestError(refusalMessage("judge run", progress.status, action), 409);
  if (action === "resume") await enqueue(runId);
  return progress;
}

type RunRow = RunProgressRow<JudgeRunProgress["settings"]> & { judge: string; rubric: string };

const RUN_COLUMNS = `${RUN_PROGRESS_COLUMNS}, j.name AS judge, g.rubric`;
const RUN_FROM = "judge_run g JOIN study s ON s.id = g.study_id JOIN judge j ON j.id = g.judge_id";

function progressOf(row: RunRow, failures: JudgeRunProgress["failures"]): JudgeRunProgress {
  const { id, studySlug, ...rest } = baseProgress(row);
  return { id, studySlug, judge: row.judge, rubric: row.rubric, ...rest, failures };
}

export async function judgeRunProgress(db: pg.Pool | pg.PoolClient, runId: number): Promise<JudgeRunProgress | null> {
  const result = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE g.id = $1`, [runId]);
  const row = result.rows[0];
  if (!row) return null;
  const failures = await db.query<{ responseId: number; error: string }>(
    `SELECT i.response_id AS "responseId", coalesce(i.error, '') AS error FROM judge_item i
      WHERE i.run_id = $1 AND i.status = 'FAILED' ORDER BY i.finished_at, i.response_id LIMIT 5`,
    [runId],
  );
  return progressOf(row, failures.rows);
}

/** The study's judge runs, newest first, each with its first failures. */
export async function studyJudgeRuns(db: pg.Pool, studySlug: string, limit = 20): Promise<JudgeRunProgress[]> {
  const result = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE s.slug = $1 ORDER BY g.id DESC LIMIT $2`,
    [studySlug, limit],
  );
  const runs: JudgeRunProgress[] = [];
  for (const row of result.rows) {
    const failures =
      row.failed === 0
        ? []
        : (
            await db.query<{ responseId: number; error: string }>(
              `SELECT i.response_id AS "responseId", coalesce(i.error, '') AS error FROM judge_item i
                WHERE i.run_id = $1 AND i.status = 'FAILED' ORDER BY i.finished_at, i.response_id LIMIT 5`,
              [row.id],
            )
          ).rows;
    runs.push(progressOf(row, failures));
  }
  return runs;
}

/** The study's judges (never their keys), by name, with their labels under the current rubric version. */
export async function studyJudges(db: pg.Pool, studySlug: string): Promise<JudgeSummary[]> {
  const result = await db.query<{
    name: string;
    rubric_id: string;
    rubric_version: number;
    instructions: string | null;
    prompt_edits: number;
    endpoint: StoredJudgeEndpoint;
    has_key: boolean;
    labels: number;
  }>(
    `SELECT j.name, j.rubric_id, j.rubric_version, j.instructions, j.prompt_edits, j.endpoint,
            j.endpoint_key IS NOT NULL AS has_key, count(jl.id)::int AS labels
       FROM judge j JOIN study s ON s.id = j.study_id
       LEFT JOIN judge_label jl ON jl.judge_id = j.id
        AND jl.rubric = ${CURRENT_RUBRIC_SQL}
      WHERE s.slug = $1 GROUP BY j.id ORDER BY j.name`,
    [studySlug],
  );
  return result.rows.map((r) => ({
    name: r.name,
    rubricId: r.rubric_id,
    rubric: rubricLabel(r.rubric_id, r.rubric_version, r.prompt_edits, r.instructions !== null),
    instructions: r.instructions,
    endpoint: r.endpoint,
    hasKey: r.has_key,
    labels: r.labels,
  }));
}
