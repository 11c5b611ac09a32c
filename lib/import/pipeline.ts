// The one import pipeline behind the command line, the browser upload and the HTTP API.
// Records stream from the file, are validated one by one, and are written in batches (responses
// with COPY) inside one transaction; any bad row anywhere rolls the whole import back. Labels given
// beside the responses (or alone, for responses already in the study) are written after each
// batch's responses, in the same transaction (label-writer.ts). The automatic signals of each
// batch (lib/analysis) are computed in worker threads while the batch before is written, stored with
// the responses, and the checkpoint-norm hints (length outliers) are computed in SQL at the end.
import { recordStudyCreated } from "../study/members";
import type { Readable } from "node:stream";
import type pg from "pg";
import { updateLengthOutliers } from "../analysis/length-outliers";
import { allowLongWork } from "../db/pool";
import { BatchWriter } from "./batch-writer";
import { ColumnMapper } from "./column-mapper";
import { type ColumnMapping, EMPTY_MAPPING, normalizeName } from "./column-mapping";
import { failDeadImports, HEARTBEAT_INTERVAL_MS, importBackendName } from "./import-jobs";
import { compileLabelValueMap, type LabelValueMap } from "./label-values";
import { RepairTally, repairNotes, type FieldRepairs } from "./lone-surrogates";
import { normalizeRecord, type NormalizeOptions } from "./normalize-record";
import { checkpointFromFileName, formatFromFileName, type ImportFormat, importFormat, readRecords } from "./formats";
import type { RowError } from "./types";

export const DEFAULT_MAX_ERRORS = 100;

export interface ImportOptions {
  studySlug: string;
  /** Create the study with this name when it does not exist yet. */
  createStudyName?: string;
  fileName: string;
  /** Inferred from the file name when absent. */
  format?: ImportFormat;
  source: Readable | AsyncIterable<Buffer | string>;
  createdById?: number;
  /** How many row errors to list (all are counted). */
  maxErrors?: number;
  onProgress?: (progress: { rowsRead: number; bytesRead: number }) => void;
  /** Per label field: spellings found in the file → canonical values (the CLI's --map). */
  labelValueMap?: LabelValueMap;
  /** Compute the automatic signals of the responses while importing (default true; the CLI's --no-signals). */
  signals?: boolean;
  /** Worker threads for the signals (default: the cores but one, 1–4; 0 computes them in this thread). */
  signalsThreads?: number;
  /** Run every check (in the transaction, against the study) and write nothing: the CLI's --dry-run. */
  dryRun?: boolean;
  /** --set / --rename / --derive (column-mapping.ts), applied to every record of any format. */
  columnMapping?: ColumnMapping;
  /** Read the harnesses' column names (completion → response…); default: as the format's table row says. */
  builtInNames?: boolean;
  /** How options are named in messages: "--" (command line, the default) or "" (query parameters). */
  optionPrefix?: string;
}

export interface ImportSummary {
  status: "succeeded" | "rejected";
  /** A dry run: the counts say what the import would do; nothing was written. */
  dryRun?: true;
  jobId: number;
  studyId: number | null;
  studySlug: string;
  rowsRead: number;
  inserted: number;
  /** Responses the study had before this import (the file gave them again). */
  alreadyPresent: number;
  /** Rows repeating a response given earlier in this file (e.g. one row per reviewer): read once, not a problem. */
  repeatedInFile: number;
  /** Rows with a prompt and no response (a prompts-only file), and how many of their prompts were new. */
  promptRows: number;
  promptRowsCreated: number;
  /** Number of rows (or file-level problems) that were refused. */
  rejected: number;
  checkpointsCreated: number;
  promptsCreated: number;
  labelsInserted: number;
  /** Labels identical to one already stored (or given earlier in the file) for the same response and reviewer. */
  labelsAlreadyPresent: number;
  /** Adjudicated labels (`adjudicated_<field>` columns) written, and those the response had already, the same. */
  adjudicationsInserted: number;
  adjudicationsAlreadyPresent: number;
  /** Reviewers unknown to Parallax, created as accounts that cannot sign in. */
  placeholderReviewersCreated: number;
  /** Preferences (safest / best response per prompt and reviewer) created. */
  preferencesInserted: number;
  /** Stored preferences that got the safest or best response they lacked. */
  preferencesCompleted: number;
  /** Preferences identical to the stored ones. */
  preferencesAlreadyPresent: number;
  /** Choices made among only some of a prompt's responses (a pairwise task of two of three): not written. */
  preferencesPartial: number;
  errors: RowError[];
  /** True when more errors exist than are listed. */
  errorsTruncated: boolean;
  /** True when the automatic signals were computed and stored with the responses. */
  signalsComputed: boolean;
  /** Lone surrogates replaced by U+FFFD in the imported text, per field (empty when none, or nothing was imported). */
  surrogatesReplaced: FieldRepairs[];
  bytesRead: number;
  seconds: number;
}

/** A problem with the request itself (unknown study, unknown format): nothing was read. */
export class ImportRequestError extends Error {}

const FOREIGN_KEY_VIOLATION = "23503";

function studyDeletedError(slug: string): ImportRequestError {
  return new ImportRequestError(
    `The study "${slug}" was deleted while this import was starting; nothing was imported.`,
  );
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Serialises merges into one study across processes; the study id is the second key. */
/** Advisory lock (namespace, study id) held by an import for its whole transaction; a study delete tries it. */
export const IMPORT_LOCK_NAMESPACE = 0x5041_5258; // "PARX"

/** The checked settings of an import (format, column mapping, value map), before anything is read. */
function importSettings(options: ImportOptions) {
  const format = options.format ?? formatFromFileName(options.fileName);
  if (!format)
    throw new ImportRequestError(
      `Cannot tell the format of "${options.fileName}": name it .jsonl or .csv, or give the format.`,
    );
  if (!SLUG.test(options.studySlug)) {
    throw new ImportRequestError(
      `"${options.studySlug}" is not a valid study slug: use lower-case letters, digits and dashes (at most 63).`,
    );
  }
  const spec = importFormat(format);
  const prefix = options.optionPrefix ?? "--";
  let columnMapping = options.columnMapping ?? EMPTY_MAPPING;
  if (spec.checkpoint !== undefined && !mappingGives(columnMapping, "checkpoint")) {
    if (spec.checkpoint === "option")
      throw new ImportRequestError(
        `A ${format} file does not name its model: give the checkpoint with ${prefix}set checkpoint=NAME (and ${prefix}set strategy=… for a new one).`,
      );
    columnMapping = {
      ...columnMapping,
      set: [...columnMapping.set, { field: "checkpoint", value: checkpointFromFileName(options.fileName) }],
    };
  }
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  const normalizeOptions: NormalizeOptions = {};
  if (options.labelValueMap !== undefined) {
    const compiled = compileLabelValueMap(options.labelValueMap);
    if (!compiled.ok) throw new ImportRequestError(compiled.problems.join("\n"));
    normalizeOptions.labelValueMap = compiled.map;
  }
  return {
    format,
    columnMapping,
    prefix,
    maxErrors,
    normalizeOptions,
    builtInNames: options.builtInNames ?? spec.builtInNames,
  };
}

/**
 * The heartbeat of a running import: on the pool, never on the transaction's connection, so that the
 * job row stays readable and unlocked. A beat that finds the job no longer RUNNING means a reader
 * declared this import dead (its heartbeat went stale, e.g. the machine froze): the import then stops,
 * as its job already tells the user that nothing of it was written.
 */
function startHeartbeat(pool: pg.Pool, jobId: number, progress: () => [rowsRead: number, bytesRead: number]) {
  let dead = false;
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    pool
      .query(
        "UPDATE import_job SET heartbeat_at = now(), rows_read = $2, bytes_read = $3 WHERE id = $1 AND status = 'RUNNING'",
        [jobId, ...progress()],
      )
      .then((result) => {
        if (result.rowCount === 0) dead = true;
      })
      .catch(() => {}) // the database away for a moment: the import itself will fail or go on
      .finally(() => (beating = false));
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), declaredDead: () => dead };
}

/**
 * Marks a failed import FAILED and hands its connection back: on the import's own connection while it
 * works (so the job is never seen RUNNING without its backend, and no second connection is needed);
 * through the pool once that connection is lost.
 */
async function recordFailure(
  pool: pg.Pool,
  client: pg.PoolClient,
  onClientError: () => void,
  jobId: number,
  error: Error,
  rowsRead: number,
  bytesRead: number,
): Promise<void> {
  const sql =
    "UPDATE import_job SET status = 'FAILED', message = $2, rows_read = $3, bytes_read = $4, finished_at = now() WHERE id = $1";
  const params = [jobId, error.message.slice(0, 2000), rowsRead, bytesRead];
  let recorded = false;
  try {
    await client.query("ROLLBACK");
    await client.query(sql, params);
    recorded = true;
    await client.query("RESET application_name");
    client.removeListener("error", onClientError);
    client.release();
  } catch {
    client.removeListener("error", onClientError);
    client.release(true);
    if (!recorded) await pool.query(sql, params).catch(() => {});
  }
}

export async function importResponses(pool: pg.Pool, options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const settings = importSettings(options);
  const { existingStudyId, jobId } = await startJob(pool, options, settings.format);
  const tally = new ImportTally(settings.maxErrors);
  const reportProgress = progressReporter(pool, jobId, tally, options.onProgress);
  // The heartbeat (import-jobs.ts), and what a reader that declared this import dead makes it say.
  const heartbeat = startHeartbeat(pool, jobId, () => [tally.rowsRead, tally.bytesRead]);
  const declaredDeadError = () =>
    new Error(
      `Import job ${jobId} was declared stopped (no heartbeat for too long) while it ran; it was rolled back and nothing of it was written.`,
    );

  const withSignals = options.signals ?? true;
  let batches: BatchWriter | undefined;
  const client = await connectForImport(pool, jobId, heartbeat);
  // A checked-out client has no listener of the pool: a connection that ends while the import waits
  // for its source (the server stopped, the backend was ended) would be an uncaught exception. The
  // next statement of the import fails with it and is handled below.
  const onClientError = () => {};
  client.on("error", onClientError);
  let summary: Omit<ImportSummary, "seconds">;
  try {
    const studyId = await beginImport(client, jobId, options, existingStudyId);
    batches = new BatchWriter(client, studyId, jobId, tally.addError, tally.errorListFull, {
      enabled: withSignals,
      threads: options.signalsThreads,
    });
    await writeRecords(
      options,
      settings,
      tally,
      batches,
      () => {
        if (heartbeat.declaredDead()) throw declaredDeadError();
      },
      reportProgress,
    );
    // The norms of the checkpoints that got responses moved: their length hints, in SQL.
    if (withSignals && tally.errorCount === 0)
      await updateLengthOutliers(client, studyId, [...batches.writer.checkpointsWritten], jobId);
    if (tally.rowsRead === 0 && tally.errorCount === 0) {
      tally.addError({
        line: 0,
        field: null,
        message:
          settings.format === "csv" ? "the file has no rows under its header (or is empty)" : "the file is empty",
      });
    }

    const read = { jobId, studySlug: options.studySlug, rowsRead: tally.rowsRead, bytesRead: tally.bytesRead };
    if (tally.errorCount > 0) {
      summary = await rejectImport(client, options, tally, { ...read, studyId: existingStudyId });
    } else {
      summary = succeededSummary({ ...read, studyId, surrogatesReplaced: tally.repairs.list() }, batches, withSignals);
      if (options.dryRun) {
        // Every check ran, in the transaction; nothing is kept, not even the log entry.
        await client.query("ROLLBACK");
        await client.query("DELETE FROM import_job WHERE id = $1", [jobId]);
        summary = { ...summary, studyId: existingStudyId, dryRun: true };
      } else {
        await commitImport(client, summary, studyId, declaredDeadError);
      }
    }
  } catch (error) {
    heartbeat.stop();
    await recordFailure(pool, client, onClientError, jobId, error as Error, tally.rowsRead, tally.bytesRead);
    throw error;
  } finally {
    heartbeat.stop();
    await batches?.close();
  }
  client.removeListener("error", onClientError);
  await client.query("RESET application_name").then(
    () => client.release(),
    (error: Error) => client.release(error),
  );
  return { ...summary, seconds: (Date.now() - started) / 1000 };
}

/** What an import counts while it reads: rows, bytes, repairs and problems (all counted, the first maxErrors listed). */
class ImportTally {
  readonly errors: RowError[] = [];
  errorCount = 0;
  rowsRead = 0;
  bytesRead = 0;
  readonly repairs = new RepairTally();

  constructor(private readonly maxErrors: number) {}

  readonly addError = (error: RowError) => {
    this.errorCount += 1;
    if (this.errors.length < this.maxErrors) this.errors.push(error);
  };

  /**
   * After a bad row, later rows are still written (the transaction is rolled back anyway) so that
   * the checks against the database report them too — until the list of errors is full.
   */
  readonly errorListFull = () => this.errors.length >= this.maxErrors;
}

/**
 * The study (null when this import is to create it) and the import's job row. A dead import of this
 * study (its process killed) must not leave the study looking busy, nor keep its lock: it is marked
 * FAILED (and its backend ended) before this one starts.
 */
async function startJob(
  pool: pg.Pool,
  options: ImportOptions,
  format: ImportFormat,
): Promise<{ existingStudyId: number | null; jobId: number }> {
  const existing = await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = $1", [options.studySlug]);
  const existingStudyId = existing.rows[0]?.id ?? null;
  if (existingStudyId === null && !options.createStudyName) {
    throw new ImportRequestError(
      `There is no study "${options.studySlug}". Check the slug, or create it with --create "Study name".`,
    );
  }
  await failDeadImports(pool, options.studySlug);
  // A study being deleted holds its row: this insert waits for the delete, then finds the study gone.
  const job = await pool
    .query<{ id: number }>(
      "INSERT INTO import_job (study_id, study_slug, created_by_id, file_name, format) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [existingStudyId, options.studySlug, options.createdById ?? null, options.fileName.slice(0, 500), format],
    )
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw studyDeletedError(options.studySlug);
      throw error;
    });
  return { existingStudyId, jobId: job.rows[0]!.id };
}

/** Progress for the caller and the job row, at most once a second unless forced (never awaited). */
function progressReporter(
  pool: pg.Pool,
  jobId: number,
  tally: ImportTally,
  onProgress: ImportOptions["onProgress"],
): (force?: boolean) => void {
  let lastProgress = 0;
  return (force = false) => {
    const now = Date.now();
    if (!force && now - lastProgress < 1000) return;
    lastProgress = now;
    const { rowsRead, bytesRead } = tally;
    onProgress?.({ rowsRead, bytesRead });
    void pool
      .query("UPDATE import_job SET rows_read = $2, bytes_read = $3, heartbeat_at = now() WHERE id = $1", [
        jobId,
        rowsRead,
        bytesRead,
      ])
      .catch(() => {});
  };
}

/** The import's own connection; when none can be had, the job is FAILED with the reason. */
async function connectForImport(pool: pg.Pool, jobId: number, heartbeat: { stop(): void }): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    heartbeat.stop();
    await pool
      .query("UPDATE import_job SET status = 'FAILED', message = $2, finished_at = now() WHERE id = $1", [
        jobId,
        (error as Error).message.slice(0, 2000),
      ])
      .catch(() => {});
    throw error;
  }
}

/**
 * The import's transaction opened on its backend, named after the job; the study created in it when
 * asked; the study's import lock taken. Returns the study's id.
 */
async function beginImport(
  client: pg.PoolClient,
  jobId: number,
  options: ImportOptions,
  existingStudyId: number | null,
): Promise<number> {
  // Names this backend after the job and records its pid: readers see the import die with its
  // backend (import-jobs.ts). Outside the transaction, so the name shows at once and stays set.
  const backend = await client.query<{ pid: number }>(
    "SELECT pg_backend_pid() AS pid, set_config('application_name', $1, false)",
    [importBackendName(jobId)],
  );
  // On this connection, not the pool: a caller may hold all but one of a small pool's connections
  // (the demo seed holds one of two), and the import must never wait for a second one.
  await client.query("UPDATE import_job SET backend_pid = $2, heartbeat_at = now() WHERE id = $1", [
    jobId,
    backend.rows[0]!.pid,
  ]);
  await client.query("BEGIN");
  let studyId = existingStudyId;
  if (studyId === null) {
    // Created inside the transaction: a rejected import leaves no empty study behind.
    const created = await client.query<{ id: number; created: boolean }>(
      `INSERT INTO study (slug, name, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id, (xmax = 0) AS created`,
      [options.studySlug, options.createStudyName!.slice(0, 200)],
    );
    studyId = created.rows[0]!.id;
    // Whoever creates a study is its first researcher (lib/study/README.md), and it is logged.
    if (created.rows[0]!.created && options.createdById !== undefined)
      await recordStudyCreated(client, studyId, options.studySlug, options.createdById);
  }
  // Imports into one study run one at a time, so "already present" is exact under concurrency.
  await client.query("SELECT pg_advisory_xact_lock($1, $2)", [IMPORT_LOCK_NAMESPACE, studyId]);
  // A study delete holds the same lock: an import that waited for one finds no study after it.
  const stillThere = await client.query("SELECT 1 FROM study WHERE id = $1 FOR KEY SHARE", [studyId]);
  if (stillThere.rowCount === 0) throw studyDeletedError(options.studySlug);
  // From here on the import's statements grow with the file and the study, not with a request
  // (lib/db/pool.ts); waiting for the lock above kept the interactive bound.
  await allowLongWork(client);
  return studyId;
}

/**
 * Every record of the file read, mapped, checked and handed to the batches; then the batches
 * flushed and the preferences resolved. `checkAlive` throws when the import was declared dead.
 */
async function writeRecords(
  options: ImportOptions,
  settings: ReturnType<typeof importSettings>,
  tally: ImportTally,
  batches: BatchWriter,
  checkAlive: () => void,
  reportProgress: (force?: boolean) => void,
): Promise<void> {
  const { format, columnMapping, builtInNames, prefix, normalizeOptions, maxErrors } = settings;
  const mapper = new ColumnMapper(columnMapping, builtInNames, prefix);
  for await (const item of readRecords(options.source, format, (n) => (tally.bytesRead += n))) {
    if (item.kind === "error") {
      tally.addError(item.error);
      continue;
    }
    tally.rowsRead += 1;
    const mapped = mapper.map(item.record, item.line);
    if (!mapped.ok) {
      // A problem of the file's columns is listed once, with the first record that has them.
      for (const error of mapped.errors) tally.addError(error);
      continue;
    }
    const result = normalizeRecord(mapped.record, item.line, normalizeOptions);
    if (!result.ok) for (const error of result.errors) tally.addError(error);
    else {
      tally.repairs.add(item.line, (result.row ?? result.labelsOnly ?? result.promptOnly).surrogatesReplaced);
      await batches.add(result);
    }
    batches.startThreadsFor(tally.bytesRead);
    checkAlive();
    if ((tally.rowsRead & 255) === 0) {
      // Let the database's replies for the batch in flight be read while parsing goes on.
      await new Promise((resolve) => setImmediate(resolve));
      if ((tally.rowsRead & 1023) === 0) reportProgress();
    }
  }
  for (const error of mapper.finish()) tally.addError(error);
  await batches.flush();
  // Every response is written: the preferences can be resolved and checked.
  if (!tally.errorListFull()) await batches.preferenceWriter.finish(maxErrors);
  reportProgress(true);
}

/**
 * A rejected import rolled back and its job REJECTED with the problems — written by the import's own
 * backend, which stays alive until then: no reader can take the job for dead in between. A dry run
 * leaves no log entry.
 */
async function rejectImport(
  client: pg.PoolClient,
  options: ImportOptions,
  tally: ImportTally,
  read: Pick<ImportSummary, "jobId" | "studyId" | "studySlug" | "rowsRead" | "bytesRead">,
): Promise<Omit<ImportSummary, "seconds">> {
  await client.query("ROLLBACK");
  if (options.dryRun) await client.query("DELETE FROM import_job WHERE id = $1", [read.jobId]);
  else
    await client.query(
      `UPDATE import_job SET status = 'REJECTED', rows_read = $2, inserted = 0, already_present = 0, rejected = $3, bytes_read = $4,
       errors = $5, message = $6, finished_at = now() WHERE id = $1`,
      [
        read.jobId,
        read.rowsRead,
        tally.errorCount,
        read.bytesRead,
        JSON.stringify(tally.errors.slice().sort((a, b) => a.line - b.line)),
        `${tally.errorCount} problem(s); nothing was imported`,
      ],
    );
  return rejectedSummary({ ...read, rejected: tally.errorCount, errors: tally.errors.sort((a, b) => a.line - b.line) });
}

/**
 * The job turns SUCCEEDED in the import's own transaction, and only if it is still RUNNING: the data
 * and "imported" commit together, and an import a reader already declared dead (its job says nothing
 * was written) rolls back instead of committing behind that message.
 */
async function commitImport(
  client: pg.PoolClient,
  summary: Omit<ImportSummary, "seconds">,
  studyId: number,
  declaredDeadError: () => Error,
): Promise<void> {
  const finished = await client.query(
    `UPDATE import_job SET study_id = $8, status = 'SUCCEEDED', rows_read = $2, inserted = $3, already_present = $4, rejected = 0,
     bytes_read = $5, errors = $6, message = $7, finished_at = now(), heartbeat_at = now() WHERE id = $1 AND status = 'RUNNING'`,
    [
      summary.jobId,
      summary.rowsRead,
      summary.inserted,
      summary.alreadyPresent,
      summary.bytesRead,
      "[]",
      successMessage(summary),
      studyId,
    ],
  );
  if (finished.rowCount !== 1) throw declaredDeadError();
  await client.query("COMMIT");
}

const NOTHING_WRITTEN = {
  inserted: 0,
  alreadyPresent: 0,
  repeatedInFile: 0,
  promptRows: 0,
  promptRowsCreated: 0,
  checkpointsCreated: 0,
  promptsCreated: 0,
  labelsInserted: 0,
  labelsAlreadyPresent: 0,
  adjudicationsInserted: 0,
  adjudicationsAlreadyPresent: 0,
  placeholderReviewersCreated: 0,
  preferencesInserted: 0,
  preferencesCompleted: 0,
  preferencesAlreadyPresent: 0,
  preferencesPartial: 0,
  signalsComputed: false,
  surrogatesReplaced: [],
} as const satisfies Partial<ImportSummary>;

/** The summary of a rejected import: what was read and every listed problem; nothing written. */
function rejectedSummary(
  read: Pick<ImportSummary, "jobId" | "studyId" | "studySlug" | "rowsRead" | "bytesRead" | "rejected" | "errors">,
): Omit<ImportSummary, "seconds"> {
  return {
    status: "rejected",
    ...NOTHING_WRITTEN,
    surrogatesReplaced: [],
    ...read,
    errorsTruncated: read.rejected > read.errors.length,
  };
}

/** The summary of an import that succeeded, from what its writers counted. */
function succeededSummary(
  read: Pick<ImportSummary, "jobId" | "studyId" | "studySlug" | "rowsRead" | "bytesRead" | "surrogatesReplaced">,
  { writer, labelWriter, preferenceWriter, labelsOnlyRows, promptRows }: BatchWriter,
  withSignals: boolean,
): Omit<ImportSummary, "seconds"> {
  return {
    status: "succeeded",
    ...read,
    inserted: writer.inserted,
    alreadyPresent: read.rowsRead - labelsOnlyRows - promptRows - writer.inserted - writer.repeatedInFile,
    repeatedInFile: writer.repeatedInFile,
    promptRows,
    promptRowsCreated: writer.promptRowsCreated,
    rejected: 0,
    checkpointsCreated: writer.checkpointsCreated,
    promptsCreated: writer.promptsCreated,
    labelsInserted: labelWriter.inserted,
    labelsAlreadyPresent: labelWriter.alreadyPresent,
    adjudicationsInserted: labelWriter.adjudicationsInserted,
    adjudicationsAlreadyPresent: labelWriter.adjudicationsPresent,
    placeholderReviewersCreated: labelWriter.placeholdersCreated,
    preferencesInserted: preferenceWriter.inserted,
    preferencesCompleted: preferenceWriter.completed,
    preferencesAlreadyPresent: preferenceWriter.alreadyPresent,
    preferencesPartial: preferenceWriter.partial,
    errors: [],
    errorsTruncated: false,
    // Only said when there were new responses to compute them for.
    signalsComputed: withSignals && writer.inserted > 0,
  };
}

/** True when an option gives the field (then a file or its name need not). */
function mappingGives(mapping: ColumnMapping, field: string): boolean {
  return (
    mapping.set.some((s) => normalizeName(s.field) === field) ||
    mapping.rename.some((r) => normalizeName(r.field) === field) ||
    mapping.derive.some((d) => normalizeName(d.field) === field)
  );
}

/** The import log's note about labels and preferences, or null. */
function successMessage(summary: Omit<ImportSummary, "seconds">): string | null {
  const parts: string[] = [];
  if (summary.repeatedInFile > 0)
    parts.push(`${summary.repeatedInFile} row(s) repeat a response given earlier in the file (read once)`);
  if (summary.promptRows > 0)
    parts.push(`${summary.promptRows} row(s) without a response: ${summary.promptRowsCreated} new prompt(s)`);
  if (summary.labelsInserted + summary.labelsAlreadyPresent > 0) {
    parts.push(
      `labels: ${summary.labelsInserted} inserted, ${summary.labelsAlreadyPresent} already present; ${summary.placeholderReviewersCreated} placeholder reviewer(s) created`,
    );
  }
  if (
    summary.preferencesInserted +
      summary.preferencesCompleted +
      summary.preferencesAlreadyPresent +
      summary.preferencesPartial >
    0
  ) {
    parts.push(
      `preferences: ${summary.preferencesInserted} inserted, ${summary.preferencesCompleted} completed, ${summary.preferencesAlreadyPresent} already present` +
        (summary.preferencesPartial > 0 ? `, ${summary.preferencesPartial} among only some responses not written` : ""),
    );
  }
  parts.push(...repairNotes(summary.surrogatesReplaced));
  return parts.length > 0 ? parts.join("; ") : null;
}
