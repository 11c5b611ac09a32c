// `npm run parallax -- audit …`: the audit log on the command line, with the audit page's filters,
// as CSV (default) or JSON Lines to stdout or a file. Only someone with the database's address can
// run it, as for every command.
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import type pg from "pg";
import { auditExportStream } from "./export";
import { auditFiltersSchema } from "./filters";

export const AUDIT_USAGE =
  "audit [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--actor TEXT] [--action ACTION] [--study SLUG] [--target TEXT]\n" +
  "       [--format csv|jsonl] [--out FILE]";

/** Returns the exit code; messages go to stderr so that stdout carries only the data. */
export async function auditCommand(pool: pg.Pool, args: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        since: { type: "string" },
        until: { type: "string" },
        actor: { type: "string" },
        action: { type: "string" },
        study: { type: "string" },
        target: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run parallax -- ${AUDIT_USAGE}`);
    return 2;
  }
  const format = values.format ?? "csv";
  const filters = auditFiltersSchema.safeParse({
    actor: values.actor,
    action: values.action,
    study: values.study,
    from: values.since,
    to: values.until,
    q: values.target,
  });
  const problems: string[] = [];
  if (format !== "csv" && format !== "jsonl") problems.push(`--format: csv or jsonl, not "${format}".`);
  if (!filters.success)
    problems.push(
      ...filters.error.issues.map((i) =>
        i.message
          .replace(/^from:/, "--since:")
          .replace(/^to:/, "--until:")
          .replace(/^q:/, "--target:"),
      ),
    );
  if (problems.length > 0 || !filters.success) {
    console.error(`${problems.join("\n")}\nUsage: npm run parallax -- ${AUDIT_USAGE}`);
    return 2;
  }
  await pipeline(
    auditExportStream(pool, filters.data, format === "csv" ? "csv" : "jsonl"),
    values.out ? createWriteStream(values.out) : process.stdout,
  );
  if (values.out) console.error(`Wrote ${values.out}.`);
  return 0;
}
