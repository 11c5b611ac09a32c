// `npm run parallax -- <command>`: the command line for admins and eval pipelines.
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type pg from "pg";
import { openDatabase, type Database } from "../db/connect";
import { EmbeddedPostgresError } from "../db/embedded";
import { createMigration } from "../db/new-migration";
import {
  ANALYZE_USAGE,
  analyzeCommand,
  evaluateSignalsCommand,
  evaluateTestsetCommand,
} from "../analysis/analysis-commands";
import { ANALYTICS_USAGE, analyticsCommand } from "../analytics/analytics-command";
import { STUDY_SET_USAGE, studySetCommand } from "../study/settings-command";
import {
  CHECKPOINT_COMMANDS_USAGE,
  checkpointCommand,
  STUDY_COMMANDS_USAGE,
  studyCommand,
} from "../study/study-commands";
import { EXPORT_USAGE, exportCommand } from "../export/export-command";
import { indexStudySearch, searchCoverage } from "../browse/search-index";
import { parseColumnMapping } from "../import/column-mapping";
import { IMPORT_SYNOPSIS, IMPORT_USAGE } from "../import/import-usage";
import { labelValueMapFromArguments } from "../import/label-values";
import { repairNotes } from "../import/lone-surrogates";
import { importResponses, ImportRequestError, type ImportSummary } from "../import/pipeline";
import {
  detectFormat,
  formatFromFileName,
  IMPORT_FORMAT_NAMES,
  type ImportFormat,
  isImportFormat,
} from "../import/formats";
import type { Readable } from "node:stream";
import {
  importPeerFile,
  isPeerFormat,
  parseCheckpointList,
  parseQuestions,
  parseStrategies,
  type PeerOptions,
  type PeerStats,
} from "../import/peers";
import { closeDb, createPool } from "../db/pool";
import { commandLineActor } from "../audit/record";
import { AUDIT_USAGE, auditCommand } from "../audit/audit-command";
import { GENERATE_USAGE, generateCommand, WORKER_USAGE, workerCommand } from "../generate/generate-command";
import { JUDGE_USAGE, judgeCommand } from "../judges/judge-command";
import { PasswordEntryError, readPassword } from "./read-password";

const USAGE = `Usage: npm run parallax -- <command> [options]

Commands:
  ${IMPORT_SYNOPSIS}
              [--checkpoints NAME[:STRATEGY],…] [--strategy CHECKPOINT=STRATEGY …] [--question NAME=FIELD …]
                       Import responses and labels (JSONL or CSV, or a Label Studio / Argilla export,
                       recognised from its content). All-or-nothing; re-importing adds nothing twice.
                       --set / --rename / --derive map the file's columns (import --help tells how).
                       --map (repeatable) reads another spelling of a label value. For peers' exports:
                       --checkpoints names the compared responses' checkpoints in order, --strategy
                       gives a checkpoint's strategy, --question maps a question to a label field.
                       The automatic signals are computed during the import unless --no-signals
                       is given (then run analyze later). After a successful import the new
                       responses' search documents are written (progress on stderr) unless
                       --no-search is given (then the browse page writes them when opened).
  studies              List studies with response counts per training strategy.
  ${STUDY_SET_USAGE}
                       Change a study's settings (as on its settings page); the change is logged.
  ${STUDY_COMMANDS_USAGE}
                       Create, archive, restore or delete a study (delete needs its slug repeated), and
                       list, add or remove its members (as on its Members page); each change is logged.
  ${CHECKPOINT_COMMANDS_USAGE}
                       Rename a checkpoint or change its strategy, step or compute (analytics follow),
                       delete one with its responses and labels, or merge two (refused when both
                       answered the same prompt and sample); each change is logged.
  user:create --email EMAIL --role admin|researcher|reviewer [--name NAME] [--password-stdin]
                       Create an account. Without --password-stdin a strong password is generated
                       and printed once; with it, the password is read from stdin (asked for on a terminal).
  ${EXPORT_USAGE}
                       Export labels (one row per label) or responses (one row per response with
                       aggregated labels) as CSV or JSON Lines, to a file or stdout.
  ${AUDIT_USAGE}
                       The audit log (who changed what, when), newest first, as CSV or JSON Lines,
                       with the audit page's filters (dates in UTC, both ends included).
  ${ANALYTICS_USAGE}
                       The analytics page's numbers: failure rates per strategy, checkpoint, category and
                       split with 95% intervals, reviewer agreement, and the strategy / checkpoint
                       comparisons, as JSON (every table) or CSV (one table), filters as on the page.
  ${ANALYZE_USAGE}
  ${GENERATE_USAGE}
                       Collect a checkpoint's responses for every prompt of the study from an
                       OpenAI-compatible endpoint (progress on stderr). The API key comes from
                       PARALLAX_API_KEY or stdin (--api-key-stdin) and is stored encrypted. Resumable:
                       the same command again collects only what is missing.
  ${JUDGE_USAGE}
                       Pre-label the study's responses with a judge model and a built-in rubric
                       (key as for generate). Judge labels stay apart from the human labels; read
                       them in analytics with --basis judge:NAME.
  ${WORKER_USAGE}
                       Run the job queue's workers here (generation and judge runs), e.g. beside a server
                       started with PARALLAX_WORKERS=0.
  migrate              Apply pending database migrations (also done on every start).
  migration:new NAME   Write a migration for the changes made to prisma/schema.prisma.

The database is DATABASE_URL when set, otherwise the embedded PostgreSQL in .parallax/db.`;

const number = new Intl.NumberFormat("en-US");

function printSummary(summary: ImportSummary, fileName: string) {
  if (summary.status === "succeeded") {
    console.log(
      summary.dryRun
        ? `Checked ${fileName} against study "${summary.studySlug}" in ${summary.seconds.toFixed(1)} s: it would import as below; nothing was written (--dry-run).`
        : `Imported ${fileName} into study "${summary.studySlug}" in ${summary.seconds.toFixed(1)} s (job ${summary.jobId}).`,
    );
    console.log(`  rows read        ${number.format(summary.rowsRead)}`);
    console.log(`  inserted         ${number.format(summary.inserted)}`);
    console.log(`  already present  ${number.format(summary.alreadyPresent)}`);
    console.log(`  rejected         0`);
    console.log(
      `  new checkpoints  ${number.format(summary.checkpointsCreated)}, new prompts ${number.format(summary.promptsCreated)}`,
    );
    if (summary.repeatedInFile > 0)
      console.log(
        `  repeated         ${number.format(summary.repeatedInFile)} row(s) repeat a response given earlier in the file (e.g. one row per reviewer): read once`,
      );
    if (summary.promptRows > 0)
      console.log(
        `  prompts only     ${number.format(summary.promptRows)} row(s) without a response: ${number.format(summary.promptRowsCreated)} new prompt(s), the rest already in the study`,
      );
    // Said only when there were new responses to compute them for.
    if (summary.inserted > 0)
      console.log(
        `  signals          ${summary.signalsComputed ? "computed for the new responses" : "not computed (--no-signals): run analyze --study to add them"}`,
      );
    if (summary.labelsInserted + summary.labelsAlreadyPresent > 0) {
      console.log(
        `  labels           ${number.format(summary.labelsInserted)} inserted, ${number.format(summary.labelsAlreadyPresent)} already present`,
      );
      console.log(
        `  new reviewers    ${number.format(summary.placeholderReviewersCreated)} (placeholder accounts for imported labels; they cannot sign in)`,
      );
    }
    if (summary.adjudicationsInserted + summary.adjudicationsAlreadyPresent > 0) {
      console.log(
        `  adjudicated      ${number.format(summary.adjudicationsInserted)} inserted, ${number.format(summary.adjudicationsAlreadyPresent)} already present`,
      );
    }
    if (
      summary.preferencesInserted +
        summary.preferencesCompleted +
        summary.preferencesAlreadyPresent +
        summary.preferencesPartial >
      0
    ) {
      const partial =
        summary.preferencesPartial > 0
          ? `; ${number.format(summary.preferencesPartial)} choice(s) among only some of a prompt's responses not written`
          : "";
      console.log(
        `  preferences      ${number.format(summary.preferencesInserted)} inserted, ${number.format(summary.preferencesCompleted)} completed, ` +
          `${number.format(summary.preferencesAlreadyPresent)} already present${partial}`,
      );
    }
    // Text the database could not hold as given, and how it was changed: said, never silent.
    for (const note of repairNotes(summary.surrogatesReplaced)) console.log(`  changed text     ${note}`);
    return;
  }
  console.error(
    `Rejected ${fileName}: ${number.format(summary.rejected)} problem(s) found; nothing was imported (job ${summary.jobId}).`,
  );
  for (const error of summary.errors) {
    const where = error.line > 0 ? `line ${error.line}` : "file";
    console.error(`  ${where}${error.field ? `, ${error.field}` : ""}: ${error.message}`);
  }
  if (summary.errorsTruncated)
    console.error(`  … and ${number.format(summary.rejected - summary.errors.length)} more.`);
}

/** What the peer reader read and skipped, after the summary. */
function printPeerStats(stats: PeerStats, tool: string, succeeded: boolean) {
  const out = succeeded ? console.log : console.error;
  const noun = tool === "Label Studio" ? "tasks" : "records";
  out(
    `  from ${tool}${" ".repeat(Math.max(1, 12 - tool.length))}${number.format(stats.records)} ${noun}: ${number.format(stats.responses)} responses, ${number.format(stats.labels)} labels`,
  );
  const skipped: string[] = [];
  if (stats.cancelledAnnotations > 0)
    skipped.push(`${number.format(stats.cancelledAnnotations)} cancelled annotation(s)`);
  if (stats.draftResponses > 0) skipped.push(`${number.format(stats.draftResponses)} draft answer(s)`);
  if (stats.discardedResponses > 0) skipped.push(`${number.format(stats.discardedResponses)} discarded answer(s)`);
  if (stats.suggestionsIgnored > 0)
    skipped.push(`${number.format(stats.suggestionsIgnored)} model suggestion(s)/prediction(s)`);
  if (stats.preferencesNotImported > 0)
    skipped.push(
      `${number.format(stats.preferencesNotImported)} ranking(s) without a single first response (kept in metadata)`,
    );
  if (stats.answersIgnored > 0)
    skipped.push(`${number.format(stats.answersIgnored)} answer(s) to questions mapped to ignore`);
  if (skipped.length > 0) out(`  not imported     ${skipped.join(", ")}`);
  if (stats.statusMissing > 0) {
    out(
      `  note             ${number.format(stats.statusMissing)} answer(s) had no status and were read as submitted (Argilla's flat / Hugging Face export keeps the status)`,
    );
  }
}

/** A peer's or harness's format recognised from the first 256 KB of the file (decompressed), or null. */
async function detectFileFormat(openSource: () => Readable): Promise<ImportFormat | null> {
  const stream = openSource();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= 256 * 1024) break;
    }
  } finally {
    stream.destroy();
  }
  return detectFormat(Buffer.concat(chunks).subarray(0, 256 * 1024));
}

async function withDatabase<T>(work: (pool: pg.Pool, db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ log: (line) => console.error(line) });
  process.env.DATABASE_URL = db.url;
  // No statement timeout on the command line: an import, export or analysis of millions of rows runs
  // as long as it needs, watched by the person who started it (Ctrl-C ends it). The
  // idle-in-transaction and checkout bounds still hold.
  const pool = createPool(db.url, 4, { statementTimeoutMs: 0 });
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
    options: {
      study: { type: "string" },
      create: { type: "string" },
      format: { type: "string" },
      map: { type: "string", multiple: true },
      checkpoints: { type: "string" },
      strategy: { type: "string", multiple: true },
      question: { type: "string", multiple: true },
      "no-signals": { type: "boolean" },
      "no-search": { type: "boolean" },
      set: { type: "string", multiple: true },
      rename: { type: "string", multiple: true },
      derive: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
      "dry-run": { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(IMPORT_USAGE);
    return 0;
  }
  const file = positionals[0];
  if (!file || !values.study) {
    console.error(`Usage: npm run parallax -- ${IMPORT_SYNOPSIS}\n(npm run parallax -- import --help tells more)`);
    return 2;
  }
  const columns = parseColumnMapping({ set: values.set, rename: values.rename, derive: values.derive });
  if (!columns.ok) {
    for (const problem of columns.problems) console.error(problem);
    return 2;
  }
  const peer: Omit<PeerOptions, "labelValueMap"> = {};
  const peerProblems: string[] = [];
  if (values.checkpoints !== undefined) {
    const parsed = parseCheckpointList(values.checkpoints);
    if (parsed.ok) peer.checkpoints = parsed.value;
    else peerProblems.push(parsed.problem);
  }
  if (values.strategy !== undefined) {
    const parsed = parseStrategies(values.strategy);
    if (parsed.ok) peer.strategies = parsed.value;
    else peerProblems.push(parsed.problem);
  }
  if (values.question !== undefined) {
    const parsed = parseQuestions(values.question);
    if (parsed.ok) peer.questions = parsed.value;
    else peerProblems.push(parsed.problem);
  }
  if (peerProblems.length > 0) {
    for (const problem of peerProblems) console.error(problem);
    return 2;
  }
  const labelValueMap = labelValueMapFromArguments(values.map ?? []);
  if (!labelValueMap.ok) {
    for (const problem of labelValueMap.problems) console.error(problem);
    return 2;
  }
  if (values.format && !isImportFormat(values.format)) {
    console.error(`--format must be one of ${IMPORT_FORMAT_NAMES.join(", ")}, not "${values.format}".`);
    return 2;
  }
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    console.error(`Cannot read ${file}: no such file.`);
    return 2;
  }
  // A .gz file is read through gunzip as a stream; its name without .gz tells the format.
  const gzipped = /\.gz$/i.test(file);
  const fileName = path.basename(file);
  const innerName = gzipped ? fileName.slice(0, -3) : fileName;
  const openSource = () => {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    return gzipped ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  };
  // Without --format, a .json / .jsonl file is looked at: a peer's export or a harness's log is recognised by its start.
  let format = values.format as ImportFormat | undefined;
  if (format === undefined && /\.(json|jsonl|ndjson)$/i.test(innerName))
    format = (await detectFileFormat(openSource)) ?? undefined;
  if ((format === undefined || !isPeerFormat(format)) && Object.keys(peer).length > 0) {
    console.error(
      "--checkpoints, --strategy and --question apply to Label Studio and Argilla exports (--format label-studio|argilla).",
    );
    return 2;
  }
  return withDatabase(async (pool) => {
    const common = {
      studySlug: values.study!,
      createStudyName: values.create,
      fileName,
      labelValueMap: values.map ? labelValueMap.map : undefined,
      source: openSource(),
      signals: !values["no-signals"],
      columnMapping: columns.mapping,
      dryRun: values["dry-run"] ?? false,
      onProgress: process.stderr.isTTY
        ? ({ rowsRead, bytesRead }: { rowsRead: number; bytesRead: number }) =>
            process.stderr.write(
              `\r  ${number.format(rowsRead)} rows${gzipped ? "" : `, ${((bytesRead / info.size) * 100).toFixed(0)}% of the file`}…`,
            )
        : undefined,
    };
    let summary: ImportSummary;
    let peerStats: PeerStats | null = null;
    if (format !== undefined && isPeerFormat(format)) {
      const result = await importPeerFile(pool, { ...common, format, peer });
      summary = result;
      peerStats = result.peer;
    } else summary = await importResponses(pool, { ...common, format: format ?? formatFromFileName(innerName) });
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    printSummary(summary, path.basename(file));
    if (peerStats !== null)
      printPeerStats(peerStats, format === "label-studio" ? "Label Studio" : "Argilla", summary.status === "succeeded");
    if (summary.status === "succeeded" && !summary.dryRun && summary.studyId !== null && !values["no-search"])
      await writeSearchDocuments(pool, summary.studyId);
    return summary.status === "succeeded" ? 0 : 1;
  });
}

/**
 * The full-text documents of the study's responses not yet searchable (lib/browse/search-index.ts),
 * as the upload does after its answer: progress on stderr; a failure is reported but does not undo
 * or fail the import (the browse page writes what is missing when it is opened).
 */
async function writeSearchDocuments(pool: pg.Pool, studyId: number): Promise<void> {
  try {
    const coverage = await searchCoverage(pool, studyId);
    if (!coverage.pending) return;
    const pending = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM response WHERE study_id = $1 AND id > $2",
      [studyId, coverage.indexedThrough],
    );
    const total = pending.rows[0]!.n;
    const started = Date.now();
    let shown = 0;
    const written = await indexStudySearch(pool, studyId, (n) => {
      // A terminal gets one line rewritten; a log a line every 5 seconds at most.
      if (process.stderr.isTTY)
        process.stderr.write(`\r  search documents ${number.format(n)} of ${number.format(total)}…`);
      else if (Date.now() - shown >= 5000 && n < total) {
        shown = Date.now();
        process.stderr.write(`  search documents ${number.format(n)} of ${number.format(total)}\n`);
      }
    });
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    if (written === null)
      console.log("  search           being written by another process (the browse page shows when they are done)");
    else
      console.log(
        `  search           ${number.format(written)} documents written in ${((Date.now() - started) / 1000).toFixed(1)} s: the new responses are searchable`,
      );
  } catch (error) {
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    console.error(
      `  search documents not written (${(error as Error).message}); the study's browse page writes them when it is opened.`,
    );
  }
}

async function studiesCommand(): Promise<number> {
  return withDatabase(async () => {
    // Prisma's client is loaded only by the commands that use it (imports start faster without it).
    const { listStudiesWithCounts } = await import("../study/queries");
    const { COMMAND_LINE_VIEWER } = await import("../study/access");
    const studies = await listStudiesWithCounts(COMMAND_LINE_VIEWER);
    if (studies.length === 0) {
      console.log('No studies yet. Import one: npm run parallax -- import FILE --study SLUG --create "Study name"');
      return 0;
    }
    const rows = studies.map((s) => [
      s.slug,
      s.name,
      String(s.totals.prompts),
      String(s.totals.responses),
      ...(["SFT", "RL", "HYBRID", "BASE"] as const).map((strategy) => String(s.byStrategy[strategy].responses)),
      String(s.totals.labels),
    ]);
    const header = ["slug", "name", "prompts", "responses", "sft", "rl", "hybrid", "base", "labels"];
    console.log("Responses per training strategy:");
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    return 0;
  });
}

const USER_CREATE_USAGE =
  "Usage: npm run parallax -- user:create --email EMAIL --role admin|researcher|reviewer [--name NAME] [--password-stdin]";

async function userCreateCommand(args: string[]): Promise<number> {
  const [{ emailField, roleField }, { createUserWithPassword, UserRuleError }, { generatePassword, passwordProblem }] =
    await Promise.all([import("../admin/schemas"), import("../admin/users"), import("../auth/passwords")]);
  const { values } = parseArgs({
    args,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      "password-stdin": { type: "boolean", default: false },
    },
  });
  const email = emailField.safeParse(values.email ?? "");
  const role = roleField.safeParse((values.role ?? "").toUpperCase());
  if (!values.email || !values.role || !email.success || !role.success) {
    if (values.email && !email.success) console.error(`"${values.email}" is not an email address.`);
    if (values.role && !role.success)
      console.error(`--role must be admin, researcher or reviewer, not "${values.role}".`);
    console.error(USER_CREATE_USAGE);
    return 2;
  }
  const name = values.name?.trim() || null;
  let password: string;
  let generated = false;
  if (values["password-stdin"]) {
    password = await readPassword();
    const problem = passwordProblem(password, { email: email.data });
    if (problem) {
      console.error(`That password will not do: ${problem}`);
      return 2;
    }
  } else {
    password = generatePassword();
    generated = true;
  }
  return withDatabase(async () => {
    try {
      await createUserWithPassword({ email: email.data, name, role: role.data, password }, commandLineActor());
    } catch (error) {
      if (error instanceof UserRuleError) {
        console.error(`${error.message} Nothing was changed; manage existing accounts on /admin/users.`);
        return 1;
      }
      throw error;
    }
    console.log(`Created ${role.data.toLowerCase()} ${email.data}${name ? ` (${name})` : ""}.`);
    if (generated) {
      console.log(`Password (shown only now; Parallax keeps a bcrypt hash): ${password}`);
      console.log("To choose another one later, sign in and make yourself a new password link on the Users page.");
    }
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
    case "user:create":
      return userCreateCommand(rest);
    case "export":
      return withDatabase((pool) => exportCommand(pool, rest));
    case "audit":
      return withDatabase((pool) => auditCommand(pool, rest));
    case "study:set":
      return withDatabase((pool) => studySetCommand(pool, rest));
    case "study:create":
    case "study:archive":
    case "study:restore":
    case "study:delete":
    case "study:member":
      return withDatabase((pool) => studyCommand(pool, command, rest));
    case "checkpoint:set":
    case "checkpoint:delete":
    case "checkpoint:merge":
      return withDatabase((pool) => checkpointCommand(pool, command, rest));
    case "analytics":
      return withDatabase((pool) => analyticsCommand(pool, rest));
    case "analyze":
      return withDatabase((pool) => analyzeCommand(pool, rest));
    case "evaluate-signals":
      // The test sets need no database.
      if (rest.some((arg) => arg === "--testset" || arg.startsWith("--testset="))) return evaluateTestsetCommand(rest);
      return withDatabase((pool) => evaluateSignalsCommand(pool, rest));
    case "generate":
      return withDatabase((pool, db) => generateCommand(pool, db.url, rest));
    case "judge":
      return withDatabase((pool, db) => judgeCommand(pool, db.url, rest));
    case "worker":
      return withDatabase((_pool, db) => workerCommand(db.url, rest));
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
        console.log(
          folder
            ? `Wrote ${folder}/migration.sql — read it, then commit it with the schema change.`
            : "prisma/schema.prisma has no changes since the last migration.",
        );
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
  if (!process.env.PARALLAX_REPORT_PEAK_MEMORY) return;
  const usage = process.resourceUsage();
  console.error(
    `peak memory: ${(usage.maxRSS / 1024).toFixed(1)} MB, CPU: ${((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(2)} s`,
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    reportPeakMemory();
    process.exit(code);
  },
  (error: unknown) => {
    if (
      error instanceof ImportRequestError ||
      error instanceof EmbeddedPostgresError ||
      error instanceof PasswordEntryError
    ) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
