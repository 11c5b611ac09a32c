// The durable job queue: pg-boss, in the app's own PostgreSQL (schema `pgboss`), so jobs survive a
// restart of the app or of the database and any process on the same database can work them. Why
// pg-boss and how a long job survives a crash: lib/jobs/README.md.
import PgBoss from "pg-boss";

export const JOB_SCHEMA = "pgboss";

/** The queues; each job's data is { runId } (a generation run's or a judge run's). */
export const QUEUES = { generate: "generate-run", judge: "judge-run" } as const;

export type JobLog = (line: string) => void;

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number of at least ${min}, not "${raw}".`);
  return value;
}

/**
 * Workers of this process: PARALLAX_WORKERS (default 2; 0 runs none, for a deployment whose workers
 * run elsewhere with `npm run parallax -- worker`). Each works one job (one generation run) at a time.
 */
export function workerCount(): number {
  return envNumber("PARALLAX_WORKERS", 2, 0);
}

/**
 * How long a run stays held by a worker that stopped renewing it (PARALLAX_JOB_LEASE_SECONDS, default
 * 30): after a crash, another worker continues the run this long after the last renewal.
 */
export function leaseSeconds(): number {
  return envNumber("PARALLAX_JOB_LEASE_SECONDS", 30, 2);
}

/** Longest a job works before handing the rest of its run to a fresh job (so no job runs for hours). */
export function sliceSeconds(): number {
  return envNumber("PARALLAX_JOB_SLICE_SECONDS", 300, 1);
}

/** Options of every job sent: retried on a throw (the database went away) and when its process died. */
export function jobOptions(): PgBoss.SendOptions {
  return {
    // A job's process that died is noticed by the run's lease (the sweeper sends a new job); pg-boss's
    // own expiry is the backstop for a job stuck past its slice.
    expireInSeconds: sliceSeconds() + 10 * leaseSeconds(),
    retryLimit: 100,
    retryDelay: 5,
    retryBackoff: false,
  };
}

/**
 * pg-boss 10 records a job's end (complete/fail) without awaiting it, so when the database is away at
 * that moment the rejection is unhandled and Node would end the process (the launcher with it). Such
 * a job stays "active" until it expires, which loses nothing: its run's lease lapses and the sweep
 * sends a new job (lib/jobs/README.md). This logs those and keeps Node's behaviour for any other
 * unhandled rejection (print it, exit 1). pg-boss 11+ (Node 22) awaits them.
 */
function survivePgBossBookkeeping(log: JobLog): void {
  const marker = globalThis as unknown as { parallaxPgBossGuard?: boolean };
  if (marker.parallaxPgBossGuard) return;
  marker.parallaxPgBossGuard = true;
  process.on("unhandledRejection", (reason: unknown) => {
    const stack = reason instanceof Error ? (reason.stack ?? "") : "";
    if (/node_modules[\\/]pg-boss[\\/]/.test(stack)) {
      log(
        `job queue: could not record a job's end (${(reason as Error).message}); its run continues when its lease lapses`,
      );
      return;
    }
    console.error(reason);
    process.exit(1);
  });
}

/** Opens the queue (creating or upgrading its tables) with a small pool of its own. */
export async function openJobQueue(
  connectionString: string,
  log: JobLog,
  options: { supervise?: boolean } = {},
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: JOB_SCHEMA,
    max: 3,
    application_name: "parallax jobs",
    supervise: options.supervise ?? true,
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, leaseSeconds())),
    archiveCompletedAfterSeconds: 7 * 24 * 3600,
    deleteAfterDays: 30,
  });
  // The queue's own connection errors (the database restarting) are reported and retried by pg-boss:
  // one line each, never an uncaught exception.
  boss.on("error", (error: Error) => log(`job queue: ${error.message}`));
  // Only where jobs are worked (not in the web server, which only sends them and keeps Next's own handling).
  if (options.supervise ?? true) survivePgBossBookkeeping(log);
  await boss.start();
  // "short": at most one waiting job per run (sending again while one waits is a no-op).
  await boss.createQueue(QUEUES.generate, { name: QUEUES.generate, policy: "short" });
  await boss.createQueue(QUEUES.judge, { name: QUEUES.judge, policy: "short" });
  return boss;
}
