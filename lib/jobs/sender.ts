// The web app's handle on the job queue, for sending jobs only (its workers run in the launcher's
// process or elsewhere): opened on first use and kept for the life of the server process.
import type PgBoss from "pg-boss";
import { databaseUrl } from "../db/client";
import { openJobQueue } from "./queue";
import { sendJudgeRunJob, sendRunJob } from "./workers";

const holder = globalThis as unknown as { parallaxJobQueue?: Promise<PgBoss> };

function queue(): Promise<PgBoss> {
  holder.parallaxJobQueue ??= openJobQueue(databaseUrl(), (line) => console.error(`[parallax] ${line}`), {
    supervise: false,
  }).catch((error: unknown) => {
    holder.parallaxJobQueue = undefined;
    throw error;
  });
  return holder.parallaxJobQueue;
}

/**
 * Queues a job for the run. A failure here loses nothing: the run is already stored as QUEUED and the
 * workers' sweep sends its job (within half a lease).
 */
export async function enqueueRun(runId: number): Promise<void> {
  try {
    await sendRunJob(await queue(), runId);
  } catch (error) {
    console.error(
      `[parallax] run ${runId}: queued without a job (the workers' sweep will send it): ${(error as Error).message}`,
    );
  }
}

/** Queues a job for the judge run (a failure loses nothing, as for enqueueRun). */
export async function enqueueJudgeRun(runId: number): Promise<void> {
  try {
    await sendJudgeRunJob(await queue(), runId);
  } catch (error) {
    console.error(
      `[parallax] judge run ${runId}: queued without a job (the workers' sweep will send it): ${(error as Error).message}`,
    );
  }
}
