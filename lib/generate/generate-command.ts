// `npm run parallax -- generate …` (collect a checkpoint's responses for a study's prompts, with
// progress on stderr) and `npm run parallax -- worker` (run the job queue's workers on this machine).
import { text } from "node:stream/consumers";
import { parseArgs } from "node:util";
import type pg from "pg";
import { leaseSeconds, workerCount } from "../jobs/queue";
import { sendRunJob, startWorkers } from "../jobs/workers";
import { firstIssue, generationRequestSchema } from "./run-settings";
import { createRun, GenerationRequestError, type RunProgress, runProgress } from "./runs";

export const GENERATE_USAGE = `generate --study SLUG --checkpoint NAME --strategy sft|rl|hybrid|base --base-url URL --model MODEL
              [--samples N] [--concurrency C] [--temperature T] [--top-p P] [--max-tokens N] [--seed S]
              [--system-prompt TEXT] [--no-stream] [--api-key-stdin] [--no-wait]`;
export const WORKER_USAGE = "worker [--workers N]";

const number = new Intl.NumberFormat("en-US");

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function progressLine(
  p: Pick<RunProgress, "id" | "status" | "total" | "done" | "failed" | "etaSeconds">,
): string {
  const finished = p.done + p.failed;
  const percent = p.total === 0 ? 100 : Math.floor((100 * finished) / p.total);
  const eta = p.etaSeconds === null ? "" : `, about ${duration(p.etaSeconds)} left`;
  const failed = p.failed > 0 ? `, ${number.format(p.failed)} failed` : "";
  return `run ${p.id} ${p.status.toLowerCase()}: ${number.format(finished)}/${number.format(p.total)} (${percent} %)${failed}${eta}`;
}

export async function generateCommand(pool: pg.Pool, databaseUrl: string, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      study: { type: "string" },
      checkpoint: { type: "string" },
      strategy: { type: "string" },
      "base-url": { type: "string" },
      model: { type: "string" },
      samples: { type: "string" },
      concurrency: { type: "string" },
      temperature: { type: "string" },
      "top-p": { type: "string" },
      "max-tokens": { type: "string" },
      seed: { type: "string" },
      "system-prompt": { type: "string" },
      "no-stream": { type: "boolean" },
      "api-key-stdin": { type: "boolean" },
      "no-wait": { type: "boolean" },
    },
  });
  if (!values.study) {
    console.error(`--study is required.\n\nUsage: npm run parallax -- ${GENERATE_USAGE}`);
    return 2;
  }
  // The key never comes on the command line (shell history, ps): from the environment or stdin.
  const apiKey = values["api-key-stdin"] ? (await text(process.stdin)).trim() : process.env.PARALLAX_API_KEY;
  const parsed = generationRequestSchema.safeParse({
    checkpoint: values.checkpoint ?? "",
    strategy: values.strategy,
    baseUrl: values["base-url"] ?? "",
    model: values.model ?? "",
    apiKey: apiKey || undefined,
    systemPrompt: values["system-prompt"],
    temperature: values.temperature,
    topP: values["top-p"],
    maxTokens: values["max-tokens"],
    seed: values.seed,
    samples: values.samples,
    concurrency: values.concurrency,
    stream: !values["no-stream"],
  });
  if (!parsed.success) {
    console.error(`${firstIssue(parsed.error)}\n\nUsage: npm run parallax -- ${GENERATE_USAGE}`);
    return 2;
  }

  // This process works the run itself (one worker), beside any server's workers on the same database.
  const workers = await startWorkers(databaseUrl, values["no-wait"] ? 0 : 1, { log: (line) => console.error(line) });
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    let progress: RunProgress;
    try {
      progress = await createRun(pool, values.study, parsed.data, {
        createdById: null,
        enqueue: (runId) => sendRunJob(workers.boss, runId),
      });
    } catch (error) {
      if (error instanceof GenerationRequestError) {
        console.error(error.message);
        return 2;
      }
      throw error;
    }
    console.error(
      `Run ${progress.id}: ${number.format(progress.total)} prompt sample(s) to collect for checkpoint "${parsed.data.checkpoint}" from ${parsed.data.baseUrl} (${parsed.data.model}).`,
    );
    if (values["no-wait"]) {
      console.log(
        `Queued run ${progress.id}; the workers of \`npm start\` or \`npm run parallax -- worker\` collect it.`,
      );
      return 0;
    }
    let last = "";
    let lastAt = 0;
    while (["QUEUED", "RUNNING"].includes(progress.status) && !interrupted) {
      const line = progressLine(progress);
      if (line !== last && (process.stderr.isTTY || Date.now() - lastAt > 2000)) {
        process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
        last = line;
        lastAt = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      progress = (await runProgress(pool, progress.id))!;
    }
    if (process.stderr.isTTY) process.stderr.write("\n");
    if (interrupted) {
      console.error(
        `Stopped here; run ${progress.id} continues where it is when a worker runs (\`npm start\`, \`npm run parallax -- worker\`), without collecting anything twice.`,
      );
      return 130;
    }
    console.log(progressLine(progress));
    if (progress.message) console.log(progress.message);
    for (const failure of progress.failures) {
      console.log(`  prompt ${failure.promptKey} sample ${failure.sampleIndex}: ${failure.error}`);
    }
    return progress.status === "SUCCEEDED" && progress.failed === 0 ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await workers.stop();
  }
}

/** Runs the queue's workers until SIGINT/SIGTERM, then hands unfinished runs over and exits. */
export async function workerCommand(databaseUrl: string, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { workers: { type: "string" } } });
  const count = values.workers === undefined ? workerCount() || 2 : Number(values.workers);
  if (!Number.isInteger(count) || count < 1) {
    console.error(`--workers must be a whole number of at least 1, not "${values.workers}".`);
    return 2;
  }
  const log = (line: string) => console.error(`[parallax worker] ${line}`);
  const workers = await startWorkers(databaseUrl, count, { log });
  log(
    `${count} worker(s) running (a crashed worker's run is taken over after ${leaseSeconds()} s). Ctrl-C stops them.`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  log("Stopping: finishing the requests in flight…");
  await workers.stop();
  log("Stopped.");
  return 0;
}
