// What the `generate` and `judge` commands share once their request is read: the endpoint's common
// options, the key from the environment or stdin (never the command line), a worker of this process
// (unless --no-wait), the run made and followed with a progress line on stderr until it ends, Ctrl-C
// leaving it to the workers, and the exit code (0 all done, 1 failures, 2 refused, 130 interrupted).
import { text } from "node:stream/consumers";
import type PgBoss from "pg-boss";
import type { BaseRunProgress } from "./run-control";
import { startWorkers } from "./workers";

/** The options of both commands' endpoint, for node:util's parseArgs. */
export const ENDPOINT_OPTIONS = {
  study: { type: "string" },
  "base-url": { type: "string" },
  model: { type: "string" },
  concurrency: { type: "string" },
  temperature: { type: "string" },
  "max-tokens": { type: "string" },
  "api-key-stdin": { type: "boolean" },
  "no-wait": { type: "boolean" },
} as const;

/** The key never comes on the command line (shell history, ps): from stdin when asked, else PARALLAX_API_KEY. */
export async function commandApiKey(fromStdin: boolean | undefined): Promise<string | undefined> {
  const key = fromStdin ? (await text(process.stdin)).trim() : process.env.PARALLAX_API_KEY;
  return key || undefined;
}

const number = new Intl.NumberFormat("en-US");

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function progressLine(
  p: Pick<BaseRunProgress<unknown>, "id" | "status" | "total" | "done" | "failed" | "etaSeconds">,
): string {
  const finished = p.done + p.failed;
  const percent = p.total === 0 ? 100 : Math.floor((100 * finished) / p.total);
  const eta = p.etaSeconds === null ? "" : `, about ${duration(p.etaSeconds)} left`;
  const failed = p.failed > 0 ? `, ${number.format(p.failed)} failed` : "";
  return `run ${p.id} ${p.status.toLowerCase()}: ${number.format(finished)}/${number.format(p.total)} (${percent} %)${failed}${eta}`;
}

export interface RunCommand<P extends BaseRunProgress<unknown> & { failures: unknown[] }> {
  noWait: boolean;
  /** Sends a job for the kind's run. */
  sendJob(boss: PgBoss, runId: number): Promise<void>;
  /** Makes the run; a refused request throws what `refused` recognises. */
  create(enqueue: (runId: number) => Promise<void>): Promise<P>;
  refused(error: unknown): error is Error;
  progress(runId: number): Promise<P>;
  /** Words of the kind: the line once the run is made, when queued only, before each progress line, when interrupted. */
  madeLine(p: P): string;
  queuedLine(p: P): string;
  linePrefix: string;
  interruptedLine(p: P): string;
  failureLine(failure: P["failures"][number]): string;
}

/** Makes the run and follows it to its end (or queues it with --no-wait); returns the exit code. */
export async function followRun<P extends BaseRunProgress<unknown> & { failures: unknown[] }>(
  databaseUrl: string,
  command: RunCommand<P>,
): Promise<number> {
  // This process works the run itself (one worker), beside any server's workers on the same database.
  const workers = await startWorkers(databaseUrl, command.noWait ? 0 : 1, { log: (line) => console.error(line) });
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    let progress: P;
    try {
      progress = await command.create((runId) => command.sendJob(workers.boss, runId));
    } catch (error) {
      if (command.refused(error)) {
        console.error(error.message);
        return 2;
      }
      throw error;
    }
    console.error(command.madeLine(progress));
    if (command.noWait) {
      console.log(command.queuedLine(progress));
      return 0;
    }
    let last = "";
    let lastAt = 0;
    while (["QUEUED", "RUNNING"].includes(progress.status) && !interrupted) {
      const line = `${command.linePrefix}${progressLine(progress)}`;
      if (line !== last && (process.stderr.isTTY || Date.now() - lastAt > 2000)) {
        process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
        last = line;
        lastAt = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      progress = await command.progress(progress.id);
    }
    if (process.stderr.isTTY) process.stderr.write("\n");
    if (interrupted) {
      console.error(command.interruptedLine(progress));
      return 130;
    }
    console.log(`${command.linePrefix}${progressLine(progress)}`);
    if (progress.message) console.log(progress.message);
    for (const failure of progress.failures) console.log(command.failureLine(failure));
    return progress.status === "SUCCEEDED" && progress.failed === 0 ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await workers.stop();
  }
}
