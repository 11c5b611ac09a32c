// `npm run parallax -- judge …`: run a judge (an OpenAI-compatible endpoint + a rubric) over a
// study's responses, with progress on stderr, worked by this process (or by the workers elsewhere
// with --no-wait: lib/jobs/run-command.ts). The same request as the API's and the study page's
// (judge-settings.ts).
import { parseArgs } from "node:util";
import type pg from "pg";
import { firstIssue } from "../jobs/endpoint-request";
import { commandApiKey, ENDPOINT_OPTIONS, followRun } from "../jobs/run-command";
import { sendJudgeRunJob } from "../jobs/workers";
import { judgeRequestSchema, RUBRIC_IDS } from "./judge-settings";
import { createJudgeRun, JudgeRequestError, type JudgeRunProgress, judgeRunProgress } from "./judges";

export const JUDGE_USAGE = `judge --study SLUG --name NAME --rubric ${RUBRIC_IDS.join("|")} --base-url URL --model MODEL
              [--concurrency C] [--temperature T] [--max-tokens N] [--instructions-file PATH]
              [--stream] [--api-key-stdin] [--no-wait]`;

export async function judgeCommand(pool: pg.Pool, databaseUrl: string, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...ENDPOINT_OPTIONS,
      name: { type: "string" },
      rubric: { type: "string" },
      "instructions-file": { type: "string" },
      stream: { type: "boolean" },
    },
  });
  const study = values.study;
  if (!study) {
    console.error(`--study is required.\n\nUsage: npm run parallax -- ${JUDGE_USAGE}`);
    return 2;
  }
  const apiKey = await commandApiKey(values["api-key-stdin"]);
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
    apiKey,
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
  const request = parsed.data;
  return followRun<JudgeRunProgress>(databaseUrl, {
    noWait: values["no-wait"] ?? false,
    sendJob: sendJudgeRunJob,
    create: (enqueue) => createJudgeRun(pool, study, request, { createdById: null, enqueue }),
    refused: (error) => error instanceof JudgeRequestError,
    progress: async (id) => (await judgeRunProgress(pool, id))!,
    madeLine: (p) =>
      `Judge run ${p.id}: ${p.total} response(s) to judge by "${p.judge}" (${p.rubric}) at ${request.baseUrl} (${request.model}).`,
    queuedLine: (p) =>
      `Queued judge run ${p.id}; the workers of \`npm start\` or \`npm run parallax -- worker\` work it.`,
    linePrefix: "judge ",
    interruptedLine: (p) =>
      `Stopped here; judge run ${p.id} continues where it is when a worker runs (\`npm start\`, \`npm run parallax -- worker\`), without judging anything twice.`,
    failureLine: (f) => `  response ${f.responseId}: ${f.error}`,
  });
}
