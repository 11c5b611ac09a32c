// `npm run parallax -- export --study SLUG …`: the export on the command line, to a file or stdout.
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import type pg from "pg";
import { z } from "zod";
import { analyticsFiltersSchema } from "../analytics/filters";
import { COMMAND_LINE_VIEWER } from "../study/access";
import { studyBySlug } from "../study/study-by-slug";
import { exportStream } from "./export-stream";
import { EXPORT_SHAPES, judgeShapeFilterErrors } from "./export-query";

export const EXPORT_USAGE =
  "export --study SLUG [--shape labels|responses|judge_labels] [--format csv|jsonl] [--out FILE] [--bom] [--reveal-reviewers]\n" +
  "       [--strategy sft,rl,…] [--checkpoint ID,…] [--category C,…] [--split S,…] [--source review|import] [--from DATE] [--to DATE]\n" +
  "       [--basis adjudicated|reviewers]";

const csvList = (value: string | undefined) =>
  value
    ? value
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean)
    : undefined;

const optionsSchema = z.object({
  study: z.string().min(1, "--study is required"),
  shape: z.enum(EXPORT_SHAPES).default("labels"),
  format: z.enum(["csv", "jsonl"]).default("csv"),
});

/** Returns the exit code; messages go to stderr so that stdout carries only the data. */
export async function exportCommand(pool: pg.Pool, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      study: { type: "string" },
      shape: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      bom: { type: "boolean", default: false },
      "reveal-reviewers": { type: "boolean", default: false },
      strategy: { type: "string" },
      checkpoint: { type: "string" },
      category: { type: "string" },
      split: { type: "string" },
      source: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      basis: { type: "string" },
    },
  });
  const options = optionsSchema.safeParse(values);
  const filters = analyticsFiltersSchema.safeParse({
    strategies: csvList(values.strategy)?.map((s) => s.toUpperCase()),
    checkpointIds: csvList(values.checkpoint)?.map(Number),
    categories: csvList(values.category),
    splits: csvList(values.split),
    source: values.source?.toUpperCase(),
    from: values.from ? new Date(values.from) : undefined,
    to: values.to ? new Date(values.to) : undefined,
    basis: values.basis,
  });
  if (options.success && filters.success && options.data.shape === "judge_labels") {
    const errors = judgeShapeFilterErrors(filters.data, (name) => `--${name}`);
    if (errors.length > 0) {
      console.error(errors.join("\n"));
      return 2;
    }
  } else if (filters.success && filters.data.basis?.startsWith("judge:")) {
    console.error(
      "--basis: the labels and responses shapes read human labels (adjudicated or reviewers); judges' labels are exported with --shape judge_labels.",
    );
    return 2;
  }
  if (!options.success || !filters.success) {
    const issues = [...(options.error?.issues ?? []), ...(filters.error?.issues ?? [])];
    console.error(issues.map((i) => `${i.path.join(".") || "option"}: ${i.message}`).join("\n"));
    console.error(`Usage: npm run parallax -- ${EXPORT_USAGE}`);
    return 2;
  }
  const study = await studyBySlug(options.data.study, COMMAND_LINE_VIEWER, pool);
  if (!study) {
    console.error(`There is no study "${options.data.study}".`);
    return 2;
  }
  const stream = await exportStream(pool, {
    studyId: study.id,
    shape: options.data.shape,
    format: options.data.format,
    bom: values.bom,
    revealReviewers: values["reveal-reviewers"] ?? false,
    filters: filters.data,
    rules: study.rules,
  });
  await pipeline(stream, values.out ? createWriteStream(values.out) : process.stdout);
  if (values.out) console.error(`Wrote ${values.out}.`);
  return 0;
}
