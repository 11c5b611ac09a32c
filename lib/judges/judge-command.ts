// `npm run parallax -- judge …`: run a judge (an OpenAI-compatible endpoint + a rubric) over a
// study's responses, with progress on stderr, worked by this process (or by the workers elsewhere
// with --no-wait). The same request as the API's and the study page's (judge-settings.ts).
import { text } from "node:stream/consumers";
import { parseArgs } from "node:util";
import type pg from "pg";
import { sendJudgeRunJob, startWorkers } from "../jobs/workers";
import { firstIssue } from "../generate/run-settings";
import { progressLine } from "../generate/generate-command";
import { judgeRequestSchema, RUBRIC_IDS } from "./judge-settings";
import { createJudgeRun, JudgeRequestError, type JudgeRunProgress, judgeRunProgress } from "./judges";

export const JUDGE_USAGE = `judge --study SLUG --name NAME --rubric ${RUBRIC_IDS.join("|")} --base-url URL --model MODEL
              [--concurrency C] [--temperature T] [--max-tokens N] [--instructions-file PATH]
              [--stream] [--api-key-stdin] [--no-wait]`;

export async function judgeCommand(pool: pg.Pool, databaseUrl: string, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      study: { type: "string" },
      name: { type: "string" },
      rubric: { type: "string" },
      "base-url": { type: "string" },
      model: { type: "string" },
      concurrency: { type: "string" },
      temperature: { type: "string" },
      "max-tokens": { type: "string" },
      "instructions-file": { type: "string" },
      stream: { type: "boolean" },
      "api-key-stdin": { type: "boolean" },
      "no-wait": { type: "boolean" },
    },
  });
  if (!values.study) {
    console.error(`--study is required.\n\nUsage: npm run parallax -- ${JUDGE_USAGE}`);
    return 2;
  }
  // The key never comes on the command line (shell history, ps): from the environment or stdin.
  const apiKey = values["api-key-stdin"] ? (await text(process.stdin)).trim() : process.env.PARALLAX_API_KEY;
  let instructions: string | undefined;
  if (values["instructions-file"]) {
    const { readFile } = await import("node:fs/promises");
    try {
      instructions = await readFile(values["instructions-file"], "utf8");
    } catch (error) {
      console.error(`--instructions-file: cannot read ${values["instructions-file"]}: ${(error as Error).message}`);
      return 2;
    }
  }
  const parsed = judgeRequestSchema.safeParse({
    name: values.name ?? "",
    rubric: values.rubric ?? "",
    baseUrl: values["base-url"] ?? "",
    model: values.model ?? "",
    apiKey: apiKey || undefined,
    instructions,
    temperature: values.temperature,
    maxTokens: values["max-tokens"],
    concurrency: values.concurrency,
    stream: values.stream ?? false,
  });
  if (!parsed.success) {
    console.error(`${firstIssue(parsed.error)}\n\nUsage: npm run parallax -- ${JUDGE_USAGE}`);
    return 2;
  }

  const workers = await startWorkers(databaseUrl, values["no-wait"] ? 0 : 1, { log: (line) => console.error(line) });
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    let progress: JudgeRunProgress;
    try {
      progress = await createJudgeRun(pool, values.study, parsed.data, {
        createdById: null,
        enqueue: (runId) => sendJudgeRunJob(workers.boss, runId),
      });
    } catch (error) {
      if (error instanceof JudgeRequestError) {
        console.error(error.message);
        return 2;
      }
      throw error;
    }
    console.error(
      `Judge run ${progress.id}: ${progress.total} response(s) to judge by "${progress.judge}" (${progress.rubric}) at ${parsed.data.baseUrl} (${parsed.data.model}).`,
    );
    if (values["no-wait"]) {
      console.log(
        `Queued judge run ${progress.id}; the workers of \`npm start\` or \`npm run parallax -- worker\` work it.`,
      );
      return 0;
    }
    let last = "";
    let lastAt = 0;
    while (["QUEUED", "RUNNING"].includes(progress.status) && !interrupted) {
      const line = `judge ${progressLine(progress)}`;
      if (line !== last && (process.stderr.isTTY || Date.now() - lastAt > 2000)) {
        process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
        last = line;
        lastAt = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      progress = (await judgeRunProgress(pool, progress.id))!;
    }
    if (process.stderr.isTTY) process.stderr.write("\n");
    if (interrupted) {
      console.error(
        `Stopped here; judge run ${progress.id} continues where it is when a worker runs (\`npm start\`, \`npm run parallax -- worker\`), without judging anything twice.`,
      );
      return 130;
    }
    console.log(`judge ${progressLine(progress)}`);
    if (progress.message) console.log(progress.message);
    for (const failure of progress.failures) console.log(`  response ${failure.responseId}: ${failure.error}`);
    return progress.status === "SUCCEEDED" && progress.failed === 0 ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await workers.stop();
  }
}
