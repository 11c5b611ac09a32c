// The workers of one process (`npm start`, `npm run demo`, `npm run parallax -- worker`): pg-boss
// handlers for the generation and judge queues, plus a sweep that sends a job for every run that should be
// worked but is held by nobody (its job's process died, or its job was never sent).
import type PgBoss from "pg-boss";
import type pg from "pg";
import { createPool } from "../db/pool";
import { type RunWorkerOptions, workRun } from "../generate/run-worker";
import { workJudgeRun } from "../judges/run-worker";
import type { RetryPolicy } from "../generate/endpoint-client";
import { type JobLog, jobOptions, leaseSeconds, openJobQueue, QUEUES, sliceSeconds } from "./queue";

export interface Workers {
  boss: PgBoss;
  /** Finishes the requests in flight, hands unfinished runs to fresh jobs, closes the queue. */
  stop(): Promise<void>;
}

export async function sendRunJob(boss: PgBoss, runId: number): Promise<void> {
  await boss.send(QUEUES.generate, { runId }, { ...jobOptions(), singletonKey: `run:${runId}` });
}

export async function sendJudgeRunJob(boss: PgBoss, runId: number): Promise<void> {
  await boss.send(QUEUES.judge, { runId }, { ...jobOptions(), singletonKey: `judge-run:${runId}` });
}

/** Sends a job for each run (generation or judge) that should be worked and whose lease has lapsed; returns how many. */
export async function sweepRuns(pool: pg.Pool, boss: PgBoss): Promise<number> {
  const stale = (table: string) =>
    pool.query<{ id: number }>(
      `SELECT id FROM ${table} WHERE status IN ('QUEUED', 'RUNNING') AND (lease_until IS NULL OR lease_until < now() AT TIME ZONE 'UTC')`,
    );
  const generation = await stale("generation_run");
  for (const row of generation.rows) await sendRunJob(boss, row.id);
  const judging = await stale("judge_run");
  for (const row of judging.rows) await sendJudgeRunJob(boss, row.id);
  return generation.rows.length + judging.rows.length;
}

export interface WorkerOptions {
  log: JobLog;
  retry?: RetryPolicy;
  /** Server secret for endpoint keys (default: serverSecret()). */
  secret?: string;
}

/** Starts `count` workers (0: only the queue, for sending jobs) against the database at `url`. */
export async function startWorkers(url: string, count: number, options: WorkerOptions): Promise<Workers> {
  const { log } = options;
  const boss = await openJobQueue(url, log, { supervise: count > 0 });
  const pool = createPool(url, Math.max(2, count * 4), { statementTimeoutMs: 0 });
  let stopping = false;
  let sweep: NodeJS.Timeout | null = null;

  if (count > 0) {
    const runOptions = (continueRun: (id: number) => Promise<void>): RunWorkerOptions => ({
      leaseSeconds: leaseSeconds(),
      sliceSeconds: sliceSeconds(),
      stopping: () => stopping,
      continueRun,
      log,
      retry: options.retry,
      secret: options.secret,
    });
    const handler = async (jobs: PgBoss.Job<{ runId: number }>[]) => {
      for (const job of jobs) {
        const runId = job.data.runId;
        const outcome = await workRun(
          pool,
          runId,
          runOptions((id) => sendRunJob(boss, id)),
        );
        if (outcome !== "not-mine" && outcome !== "handed-over") log(`generation run ${runId}: ${outcome}`);
      }
    };
    const judgeHandler = async (jobs: PgBoss.Job<{ runId: number }>[]) => {
      for (const job of jobs) {
        const runId = job.data.runId;
        const outcome = await workJudgeRun(
          pool,
          runId,
          runOptions((id) => sendJudgeRunJob(boss, id)),
        );
        if (outcome !== "not-mine" && outcome !== "handed-over") log(`judge run ${runId}: ${outcome}`);
      }
    };
    // Each worker slot takes generation and judge jobs alike.
    for (let i = 0; i < count; i++) {
      await boss.work(QUEUES.generate, { batchSize: 1, pollingIntervalSeconds: 1 }, handler);
      await boss.work(QUEUES.judge, { batchSize: 1, pollingIntervalSeconds: 1 }, judgeHandler);
    }
    const runSweep = () => void sweepRuns(pool, boss).catch((error: Error) => log(`job sweep: ${error.message}`));
    runSweep();
    sweep = setInterval(runSweep, Math.max(1000, (leaseSeconds() * 1000) / 2));
  }

  return {
    boss,
    async stop() {
      stopping = true;
      if (sweep) clearInterval(sweep);
      // Handlers see `stopping`, finish their requests in flight and hand over; pg-boss waits for them.
      await boss.stop({ graceful: true, wait: true, timeout: 60_000 });
      await pool.end();
    },
  };
}
