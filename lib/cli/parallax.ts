// `npm run parallax -- <command>`: the command line for admins and eval pipelines.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDatabase, type Database } from "../db/connect";
import { EmbeddedPostgresError } from "../db/embedded";
import { createMigration } from "../db/new-migration";
import { EXPORT_USAGE, exportCommand } from "../export/export-command";
import { importResponses, ImportRequestError, type ImportSummary } from "../import/pipeline";
import type { ImportFormat } from "../import/read-records";
import { closeDb, createPool } from "../db/client";
import { listStudiesWithCounts } from "../study/queries";

const USAGE = `Usage: npm run parallax -- <command> [options]

Commands:
  import FILE --study SLUG [--create "Study name"] [--format jsonl|csv]
                       Import responses (JSONL or CSV). All-or-nothing; re-importing adds nothing twice.
  studies              List studies with response counts per training strategy.
  ${EXPORT_USAGE}
                       Export labels (one row per label) or responses (one row per response with
                       aggregated labels) as CSV or JSON Lines, to a file or stdout.
  migrate              Apply pending database migrations (also done on every start).
  migration:new NAME   Write a migration for the changes made to prisma/schema.prisma.

The database is DATABASE_URL when set, otherwise the embedded PostgreSQL in .parallax/db.`;

const number = new Intl.NumberFormat("en-US");

function printSummary(summary: ImportSummary, fileName: string) {
  if (summary.status === "succeeded") {
    console.log(`Imported ${fileName} into study "${summary.studySlug}" in ${summary.seconds.toFixed(1)} s (job ${summary.jobId}).`);
    console.log(`  rows read        ${number.format(summary.rowsRead)}`);
    console.log(`  inserted         ${number.format(summary.inserted)}`);
    console.log(`  already present  ${number.format(summary.alreadyPresent)}`);
    console.log(`  rejected         0`);
    console.log(`  new checkpoints  ${number.format(summary.checkpointsCreated)}, new prompts ${number.format(summary.promptsCreated)}`);
    return;
  }
  console.error(`Rejected ${fileName}: ${number.format(summary.rejected)} problem(s) found; nothing was imported (job ${summary.jobId}).`);
  for (const error of summary.errors) {
    const where = error.line > 0 ? `line ${error.line}` : "file";
    console.error(`  ${where}${error.field ? `, ${error.field}` : ""}: ${error.message}`);
  }
  if (summary.errorsTruncated) console.error(`  … and ${number.format(summary.rejected - summary.errors.length)} more.`);
}

async function withDatabase<T>(work: (pool: pg.Pool, db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ log: (line) => console.error(line) });
  process.env.DATABASE_URL = db.url;
  const pool = createPool(db.url, 4);
  try {
    return await work(pool, db);
  } finally {
    await pool.end();
    await closeDb();
    await db.close();
  }
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { study: { type: "string" }, create: { type: "string" }, format: { type: "string" } },
  });
  const file = positionals[0];
  if (!file || !values.study) {
    console.error('Usage: npm run parallax -- import FILE --study SLUG [--create "Study name"] [--format jsonl|csv]');
    return 2;
  }
  if (values.format && values.format !== "jsonl" && values.format !== "csv") {
    console.error(`--format must be jsonl or csv, not "${values.format}".`);
    return 2;
  }
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    console.error(`Cannot read ${file}: no such file.`);
    return 2;
  }
  return withDatabase(async (pool) => {
    const summary = await importResponses(pool, {
      studySlug: values.study!,
      createStudyName: values.create,
      fileName: path.basename(file),
      format: values.format as ImportFormat | undefined,
      source: createReadStream(file, { highWaterMark: 1 << 20 }),
      onProgress: process.stderr.isTTY
        ? ({ rowsRead, bytesRead }) =>
            process.stderr.write(`\r  ${number.format(rowsRead)} rows, ${((bytesRead / info.size) * 100).toFixed(0)}% of the file…`)
        : undefined,
    });
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    printSummary(summary, path.basename(file));
    return summary.status === "succeeded" ? 0 : 1;
  });
}

async function studiesCommand(): Promise<number> {
  return withDatabase(async () => {
    const studies = await listStudiesWithCounts();
    if (studies.length === 0) {
      console.log('No studies yet. Import one: npm run parallax -- import FILE --study SLUG --create "Study name"');
      return 0;
    }
    const rows = studies.map((s) => [
      s.slug, s.name, String(s.totals.prompts), String(s.totals.responses),
      ...(["SFT", "RL", "HYBRID", "BASE"] as const).map((strategy) => String(s.byStrategy[strategy].responses)),
      String(s.totals.labels),
    ]);
    const header = ["slug", "name", "prompts", "responses", "sft", "rl", "hybrid", "base", "labels"];
    console.log("Responses per training strategy:");
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    return 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "import":
      return importCommand(rest);
    case "studies":
      return studiesCommand();
    case "export":
      return withDatabase((pool) => exportCommand(pool, rest));
    case "migrate":
      return withDatabase(async () => {
        console.log("The database schema is up to date.");
        return 0;
      });
    case "migration:new": {
      const name = rest[0];
      if (!name) {
        console.error("Usage: npm run db:migration:new -- NAME");
        return 2;
      }
      return withDatabase(async (_pool, db) => {
        const folder = await createMigration(db.url, name);
        console.log(folder ? `Wrote ${folder}/migration.sql — read it, then commit it with the schema change.` : "prisma/schema.prisma has no changes since the last migration.");
        return 0;
      });
    }
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return command ? 0 : 2;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

function reportPeakMemory() {
  // For `npm run bench`: the process's peak resident memory (maxRSS is in kilobytes).
  if (process.env.PARALLAX_REPORT_PEAK_MEMORY) console.error(`peak memory: ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`);
}

main(process.argv.slice(2)).then(
  (code) => {
    reportPeakMemory();
    process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ImportRequestError || error instanceof EmbeddedPostgresError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
