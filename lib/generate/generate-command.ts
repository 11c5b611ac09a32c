// `npm run parallax -- generate …` (collect a checkpoint's responses for a study's prompts, with
// progress on stderr: lib/jobs/run-command.ts) and `npm run parallax -- worker` (run the job queue's
// workers on this machine).
import { parseArgs } from "node:util";
import type pg from "pg";
import { leaseSeconds, workerCount } from "../jobs/queue";
import { commandApiKey, ENDPOINT_OPTIONS, followRun } from "../jobs/run-command";
import { sendRunJob, startWorkers } from "../jobs/workers";
import { firstIssue, generationRequestSchema } from "./run-settings";
import { createRun, GenerationRequestError, type RunProgress, runProgress } from "./runs";

export const GENERATE_USAGE = `generate --study SLUG --checkpoint NAME --strategy sft|rl|hybrid|base --base-url URL --model MODEL
              [--samples N] [--concurrency C] [--temperature T] [--top-p P] [--max-tokens N] [--seed S]
              [--system-prompt TEXT] [--no-stream] [--api-key-stdin] [--no-wait]`;
export const WORKER_USAGE = "worker [--workers N]";

const number = new Intl.NumberFormat("en-US");

export async function generateCommand(pool: pg.Pool, databaseUrl: string, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...ENDPOINT_OPTIONS,
      checkpoint: { type: "string" },
      strategy: { type: "string" },
      samples: { type: "string" },
      "top-p": { type: "string" },
      seed: { type: "string" },
      "system-prompt": { type: "string" },
      "no-stream": { type: "boolean" },
    },
  });
  const study = values.study;
  if (!study) {
    console.error(`--study is required.\n\nUsage: npm run parallax -- ${GENERATE_USAGE}`);
    return 2;
  }
  const parsed = generationRequestSchema.safeParse({
    checkpoint: values.checkpoint ?? "",
    strategy: values.strategy,
    baseUrl: values["base-url"] ?? "",
    model: values.model ?? "",
    apiKey: await commandApiKey(values["api-key-stdin"]),
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
  const request = parsed.data;
  return followRun<RunProgress>(databaseUrl, {
    noWait: values["no-wait"] ?? false,
    sendJob: sendRunJob,
    create: (enqueue) => createRun(pool, study, request, { createdById: null, enqueue }),
    refused: (error) => error instanceof GenerationRequestError,
    progress: async (id) => (await runProgress(pool, id))!,
    madeLine: (p) =>
      `Run ${p.id}: ${number.format(p.total)} prompt sample(s) to collect for checkpoint "${request.checkpoint}" from ${request.baseUrl} (${request.model}).`,
    queuedLine: (p) => `Queued run ${p.id}; the workers of \`npm start\` or \`npm run parallax -- worker\` collect it.`,
    linePrefix: "",
    interruptedLine: (p) =>
      `Stopped here; run ${p.id} continues where it is when a worker runs (\`npm start\`, \`npm run parallax -- worker\`), without collecting anything twice.`,
    failureLine: (f) => `  prompt ${f.promptKey} sample ${f.sampleIndex}: ${f.error}`,
  });
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
