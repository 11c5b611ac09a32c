// Generation runs as researchers see them: making one (checkpoint endpoint recorded, items written,
// job queued), pausing, resuming, cancelling, and its progress. The work itself: run-worker.ts.
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
import { type GenerationRequest, type StoredEndpointSettings, storedSettings } from "./run-settings";

/** A request that cannot be carried out as asked (unknown study, strategy conflict…): 4xx, not 500. */
export class GenerationRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface RunProgress extends BaseRunProgress<StoredEndpointSettings> {
  checkpoint: string;
  /** The first items that failed for good (up to five), with the endpoint's last error. */
  failures: { promptKey: string; sampleIndex: number; error: string }[];
}

/** Sends a job for the run (lib/jobs); given by the caller so this module needs no queue. */
export type EnqueueRun = (runId: number) => Promise<void>;

/**
 * Records the endpoint on the checkpoint (created when new), makes the run and one item per prompt
 * of the study × sample that has no response of this checkpoint yet (so running the same request
 * again writes nothing twice), then queues it. One transaction; the job is sent after the commit
 * (a run whose job was never sent is picked up by the workers' sweep).
 */
export async function createRun(
  pool: pg.Pool,
  studySlug: string,
  request: GenerationRequest,
  options: { createdById: number | null; enqueue: EnqueueRun; secret?: string },
): Promise<RunProgress> {
  const runId = await makeLeasedRun(
    pool,
    {
      table: "generation_run",
      studySlug,
      notFound: () => new GenerationRequestError(`No study "${studySlug}".`, 404),
      nothingLeft: "Every prompt of the study already has this checkpoint's responses: nothing to collect.",
      enqueue: options.enqueue,
    },
    async (client, studyId) => {
      const settings = storedSettings(request);
      const keyCipher = keyCipherOf(request.apiKey, options.secret);
      const existing = await client.query<{ id: number; strategy: string }>(
        "SELECT id, strategy FROM checkpoint WHERE study_id = $1 AND name = $2 FOR UPDATE",
        [studyId, request.checkpoint],
      );
      let checkpointId: number;
      if (existing.rows[0]) {
        const found = existing.rows[0];
        if (request.strategy !== null && request.strategy !== found.strategy) {
          throw new GenerationRequestError(
            `strategy: checkpoint "${request.checkpoint}" already exists in this study with strategy ${found.strategy.toLowerCase()}, not ${request.strategy.toLowerCase()}.`,
          );
        }
        checkpointId = found.id;
        await client.query(
          "UPDATE checkpoint SET endpoint = $2::jsonb, endpoint_key = coalesce($3, endpoint_key) WHERE id = $1",
          [checkpointId, JSON.stringify(settings), keyCipher],
        );
      } else {
        if (request.strategy === null) {
          throw new GenerationRequestError(
            `strategy: checkpoint "${request.checkpoint}" is new to this study, so its strategy (sft, rl, hybrid or base) is required.`,
          );
        }
        const created = await client.query<{ id: number }>(
          `INSERT INTO checkpoint (study_id, name, strategy, base_model, endpoint, endpoint_key)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`,
          [studyId, request.checkpoint, request.strategy, request.model, JSON.stringify(settings), keyCipher],
        );
        checkpointId = created.rows[0]!.id;
      }

      const run = await client.query<{ id: number }>(
        `INSERT INTO generation_run (study_id, checkpoint_id, created_by_id, settings, concurrency)
         VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING id`,
        [studyId, checkpointId, options.createdById, JSON.stringify(settings), request.concurrency],
      );
      const runId = run.rows[0]!.id;
      const items = await client.query(
        `INSERT INTO generation_item (run_id, prompt_id, sample_index)
         SELECT $1, p.id, s FROM prompt p CROSS JOIN generate_series(0, $4 - 1) AS s
          WHERE p.study_id = $2
            AND NOT EXISTS (SELECT 1 FROM response r WHERE r.prompt_id = p.id AND r.checkpoint_id = $3 AND r.sample_index = s)`,
        [runId, studyId, checkpointId, request.samples],
      );
      return { runId: run.rows[0]!.id, total: items.rowCount ?? 0 };
    },
  );
  return (await runProgress(pool, runId))!;
}

export type { RunAction } from "../jobs/run-control";

/**
 * Pauses (workers finish the requests in flight, then stop), resumes or cancels a run of the study;
 * the change is in the audit log (`generation-run.pause`, …) under `actor`.
 */
export async function controlRun(
  pool: pg.Pool,
  studySlug: string,
  runId: number,
  action: RunAction,
  enqueue: EnqueueRun,
  actor: Actor,
): Promise<RunProgress> {
  const changed = await controlLeasedRun(pool, "generation_run", studySlug, runId, action, actor);
  const progress = await runProgress(pool, runId);
  if (!progress || progress.studySlug !== studySlug)
    throw new GenerationRequestError(`No run ${runId} in this study.`, 404);
  if (!changed) throw new GenerationRequestError(refusalMessage("run", progress.status, action), 409);
  if (action === "resume") await enqueue(runId);
  return progress;
}

type RunRow = RunProgressRow<StoredEndpointSettings> & { checkpoint: string };

const RUN_COLUMNS = `${RUN_PROGRESS_COLUMNS}, c.name AS checkpoint`;

function progressOf(row: RunRow, failures: RunProgress["failures"]): RunProgress {
  const { id, studySlug, ...rest } = baseProgress(row);
  return { id, studySlug, checkpoint: row.checkpoint, ...rest, failures };
}

export async function runProgress(db: pg.Pool | pg.PoolClient, runId: number): Promise<RunProgress | null> {
  const result = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM generation_run g JOIN study s ON s.id = g.study_id JOIN checkpoint c ON c.id = g.checkpoint_id WHERE g.id = $1`,
    [runId],
  );
  const row = result.rows[0];
  if (!row) return null;
  const failures = await db.query<{ promptKey: string; sampleIndex: number; error: string }>(
    `SELECT p.key AS "promptKey", i.sample_index AS "sampleIndex", coalesce(i.error, '') AS error
       FROM generation_item i JOIN prompt p ON p.id = i.prompt_id
      WHERE i.run_id = $1 AND i.status = 'FAILED' ORDER BY i.finished_at, i.prompt_id LIMIT 5`,
    [runId],
  );
  return progressOf(row, failures.rows);
}

/** The study's runs, newest first, each with its first failures. */
export async function studyRuns(db: pg.Pool, studySlug: string, limit = 20): Promise<RunProgress[]> {
  const result = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM generation_run g JOIN study s ON s.id = g.study_id JOIN checkpoint c ON c.id = g.checkpoint_id
      WHERE s.slug = $1 ORDER BY g.id DESC LIMIT $2`,
    [studySlug, limit],
  );
  const ids = result.rows.filter((r) => r.failed > 0).map((r) => r.id);
  const failures = new Map<number, RunProgress["failures"]>();
  if (ids.length > 0) {
    const rows = await db.query<{ runId: number; promptKey: string; sampleIndex: number; error: string }>(
      `SELECT f."runId", f."promptKey", f."sampleIndex", f.error FROM (
         SELECT i.run_id AS "runId", p.key AS "promptKey", i.sample_index AS "sampleIndex", coalesce(i.error, '') AS error,
                row_number() OVER (PARTITION BY i.run_id ORDER BY i.finished_at, i.prompt_id) AS n
           FROM generation_item i JOIN prompt p ON p.id = i.prompt_id
          WHERE i.run_id = ANY($1::int[]) AND i.status = 'FAILED') f
        WHERE f.n <= 5 ORDER BY f."runId", f.n`,
      [ids],
    );
    for (const { runId, ...failure } of rows.rows) {
      const list = failures.get(runId) ?? [];
      list.push(failure);
      failures.set(runId, list);
    }
  }
  return result.rows.map((row) => progressOf(row, failures.get(row.id) ?? []));
}
