// The workers of one process (`npm start`, `npm run demo`, `npm run parallax -- worker`): pg-boss
// handlers for the generation and judge queues, plus a sweep that sends a job for every run that should be
// worked but is held by nobody (its job's process died, or its job was never sent).
import type PgBoss from "pg-boss";
import type pg from "pg";
import { createPool } from "../db/pool";
import { generationRuns, workRun } from "../generate/run-worker";
import { judgeRuns, workJudgeRun } from "../judges/run-worker";
import type { RunOutcome, RunWorkerOptions } from "./leased-run";
import type { RetryPolicy } from "./retry";
import { type JobLog, jobOptions, leaseSeconds, openJobQueue, QUEUES, sliceSeconds } from "./queue";

export interface Workers {
  boss: PgBoss;
  /** Finishes the requests in flight, hands unfinished runs to fresh jobs, closes the queue. */
  stop(): Promise<void>;
}

/** Each kind of leased run with its queue and the prefix of its jobs' singleton keys. */
interface RunQueue {
  table: string;
  work: (pool: pg.Pool, runId: number, options: RunWorkerOptions) => Promise<RunOutcome>;
  queue: string;
  key: string;
  name: string;
}
const RUN_QUEUES: readonly [RunQueue, RunQueue] = [
  { table: generationRuns.runTable, work: workRun, queue: QUEUES.generate, key: "run", name: "generation run" },
  { table: judgeRuns.runTable, work: workJudgeRun, queue: QUEUES.judge, key: "judge-run", name: "judge run" },
];

async function sendJob(boss: PgBoss, target: RunQueue, runId: number): Promise<void> {
  await boss.send(target.queue, { runId }, { ...jobOptions(), singletonKey: `${target.key}:${runId}` });
}

export function sendRunJob(boss: PgBoss, runId: number): Promise<void> {
  return sendJob(boss, RUN_QUEUES[0], runId);
}

export function sendJudgeRunJob(boss: PgBoss, runId: number): Promise<void> {
  return sendJob(boss, RUN_QUEUES[1], runId);
}

/** The runs of a table that should be worked and that nobody holds (lease lapsed or never taken). */
export const STALE_RUNS_SQL = (table: string) =>
  `SELECT id FROM ${table} WHERE status IN ('QUEUED', 'RUNNING') AND (lease_until IS NULL OR lease_until < now() AT TIME ZONE 'UTC')`;

/** Sends a job for each run (generation or judge) that should be worked and whose lease has lapsed; returns how many. */
export async function sweepRuns(pool: pg.Pool, boss: PgBoss): Promise<number> {
  let sent = 0;
  for (const target of RUN_QUEUES) {
    const stale = await pool.query<{ id: number }>(STALE_RUNS_SQL(target.table));
    for (const row of stale.rows) await sendJob(boss, target, row.id);
    sent += stale.rows.length;
  }
  return sent;
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
    // Each worker slot takes jobs of every kind of run.
    for (const target of RUN_QUEUES) {
      const handler = async (jobs: PgBoss.Job<{ runId: number }>[]) => {
        for (const job of jobs) {
          const runId = job.data.runId;
          const outcome = await target.work(
            pool,
            runId,
            runOptions((id) => sendJob(boss, target, id)),
          );
          if (outcome !== "not-mine" && outcome !== "handed-over") log(`${target.name} ${runId}: ${outcome}`);
        }
      };
      for (let i = 0; i < count; i++) {
        await boss.work(target.queue, { batchSize: 1, pollingIntervalSeconds: 1 }, handler);
      }
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
