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
import type { SignalsInput } from "../analysis/signals";
import { SignalsPool, defaultSignalsThreads } from "../analysis/signals-pool";
import type { StoredSignals } from "../analysis/stored-signals";
import { failDeadImports, HEARTBEAT_INTERVAL_MS, importBackendName } from "./import-jobs";
import { compileLabelValueMap, type LabelValueMap } from "./label-values";
import { LabelWriter } from "./label-writer";
import { RepairTally, repairNotes, type FieldRepairs } from "./lone-surrogates";
import { normalizeRecord, type NormalizeOptions } from "./normalize-record";
import { PreferenceWriter } from "./preference-writer";
import { formatFromFileName, readRecords, type ImportFormat } from "./read-records";
import { ResponseWriter } from "./response-writer";
import type { LabelsOnlyRow, NormalizedRow, RowError } from "./types";

export const DEFAULT_MAX_ERRORS = 100;
const BATCH_ROWS = 2000;
const BATCH_BYTES = 4 * 1024 * 1024;
/** Bytes read after which the signals threads are started (a smaller file is analysed in this thread). */
const SIGNALS_THREADS_AFTER_BYTES = 1024 * 1024;

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
}

export interface ImportSummary {
  status: "succeeded" | "rejected";
  jobId: number;
  studyId: number | null;
  studySlug: string;
  rowsRead: number;
  inserted: number;
  alreadyPresent: number;
  /** Number of rows (or file-level problems) that were refused. */
  rejected: number;
  checkpointsCreated: number;
  promptsCreated: number;
  labelsInserted: number;
  /** Labels identical to one already stored (or given earlier in the file) for the same response and reviewer. */
  labelsAlreadyPresent: number;
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

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Serialises merges into one study across processes; the study id is the second key. */
/** Advisory lock (namespace, study id) held by an import for its whole transaction; a study delete tries it. */
export const IMPORT_LOCK_NAMESPACE = 0x5041_5258; // "PARX"

export async function importResponses(pool: pg.Pool, options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
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
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  const normalizeOptions: NormalizeOptions = {};
  if (options.labelValueMap !== undefined) {
    const compiled = compileLabelValueMap(options.labelValueMap);
    if (!compiled.ok) throw new ImportRequestError(compiled.problems.join("\n"));
    normalizeOptions.labelValueMap = compiled.map;
  }

  const existing = await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = $1", [options.studySlug]);
  let studyId: number | null = existing.rows[0]?.id ?? null;
  if (studyId === null && !options.createStudyName) {
    throw new ImportRequestError(
      `There is no study "${options.studySlug}". Check the slug, or create it with --create "Study name".`,
    );
  }

  // A dead import of this study (its process killed) must not leave the study looking busy, nor keep
  // its lock: it is marked FAILED (and its backend ended) before this one starts.
  await failDeadImports(pool, options.studySlug);
  const job = await pool.query<{ id: number }>(
    "INSERT INTO import_job (study_id, study_slug, created_by_id, file_name, format) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [studyId, options.studySlug, options.createdById ?? null, options.fileName.slice(0, 500), format],
  );
  const jobId = job.rows[0]!.id;

  const errors: RowError[] = [];
  let errorCount = 0;
  const addError = (error: RowError) => {
    errorCount += 1;
    if (errors.length < maxErrors) errors.push(error);
  };

  let rowsRead = 0;
  let bytesRead = 0;
  const repairs = new RepairTally();
  let lastProgress = 0;
  const reportProgress = (force = false) => {
    const now = Date.now();
    if (!force && now - lastProgress < 1000) return;
    lastProgress = now;
    options.onProgress?.({ rowsRead, bytesRead });
    void pool
      .query("UPDATE import_job SET rows_read = $2, bytes_read = $3, heartbeat_at = now() WHERE id = $1", [
        jobId,
        rowsRead,
        bytesRead,
      ])
      .catch(() => {});
  };

  // The heartbeat (import-jobs.ts): on the pool, never on the transaction's connection, so that the
  // job row stays readable and unlocked. A beat that finds the job no longer RUNNING means a reader
  // declared this import dead (its heartbeat went stale, e.g. the machine froze): it then stops, as
  // its job already tells the user that nothing of it was written.
  let declaredDead = false;
  let beating = false;
  const heartbeat = setInterval(() => {
    if (beating) return;
    beating = true;
    pool
      .query(
        "UPDATE import_job SET heartbeat_at = now(), rows_read = $2, bytes_read = $3 WHERE id = $1 AND status = 'RUNNING'",
        [jobId, rowsRead, bytesRead],
      )
      .then((result) => {
        if (result.rowCount === 0) declaredDead = true;
      })
      .catch(() => {}) // the database away for a moment: the import itself will fail or go on
      .finally(() => (beating = false));
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  const declaredDeadError = () =>
    new Error(
      `Import job ${jobId} was declared stopped (no heartbeat for too long) while it ran; it was rolled back and nothing of it was written.`,
    );

  const withSignals = options.signals ?? true;
  let signalsPool: SignalsPool | undefined;
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    clearInterval(heartbeat);
    await pool
      .query("UPDATE import_job SET status = 'FAILED', message = $2, finished_at = now() WHERE id = $1", [
        jobId,
        (error as Error).message.slice(0, 2000),
      ])
      .catch(() => {});
    throw error;
  }
  // A checked-out client has no listener of the pool: a connection that ends while the import waits
  // for its source (the server stopped, the backend was ended) would be an uncaught exception. The
  // next statement of the import fails with it and is handled below.
  const onClientError = () => {};
  client.on("error", onClientError);
  let summary: Omit<ImportSummary, "seconds">;
  try {
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

    // After a bad row, later rows are still written (the transaction is rolled back anyway) so that
    // the checks against the database report them too — until the list of errors is full.
    const errorListFull = () => errors.length >= maxErrors;
    const writer = new ResponseWriter(client, studyId, jobId, addError, errorListFull);
    const labelWriter = new LabelWriter(client, studyId, addError, errorListFull);
    const preferenceWriter = new PreferenceWriter(client, studyId, labelWriter, addError, errorListFull);
    const writeBatch = async (
      rows: NormalizedRow[],
      labelled: NormalizedRow[],
      labelsOnly: LabelsOnlyRow[],
      signals: Promise<StoredSignals> | null,
    ) => {
      if (rows.length > 0) await writer.writeBatch(rows, signals);
      const withLabels = labelled.filter((r) => r.labels !== undefined);
      if (withLabels.length > 0 || labelsOnly.length > 0) await labelWriter.writeBatch(withLabels, labelsOnly);
      const preferred = [...labelled, ...labelsOnly].filter((r) => r.preferences !== undefined);
      if (preferred.length > 0 && !errorListFull()) await preferenceWriter.stage(preferred);
    };
    // One batch is written while the next one is parsed.
    let inFlight: Promise<void> = Promise.resolve();
    let batch: NormalizedRow[] = [];
    let labelled: NormalizedRow[] = [];
    let labelsOnly: LabelsOnlyRow[] = [];
    let labelsOnlyRows = 0;
    let batchBytes = 0;
    /** `last`: the end of the file, so no batch follows this one. */
    const send = async (last = false) => {
      const rows = batch;
      const withLabels = labelled;
      const onlyLabels = labelsOnly;
      batch = [];
      labelled = [];
      labelsOnly = [];
      batchBytes = 0;
      let signals: Promise<StoredSignals> | null = null;
      if (withSignals && rows.length > 0 && !errorListFull()) {
        // Threads only for a file of more than one batch (or over a megabyte); a small one is done here
        // before they could start.
        signalsPool ??= new SignalsPool(last ? 0 : (options.signalsThreads ?? defaultSignalsThreads()));
        signals = signalsPool.compute(rows.map(signalsInput));
        signals.catch(() => {}); // observed by the batch's writer
      }
      await inFlight;
      inFlight = errorListFull() ? Promise.resolve() : writeBatch(rows, withLabels, onlyLabels, signals);
      // Keep the rejection observed until the next await picks it up.
      inFlight.catch(() => {});
    };

    for await (const item of readRecords(options.source, format, (n) => (bytesRead += n))) {
      if (item.kind === "error") {
        addError(item.error);
        continue;
      }
      rowsRead += 1;
      const result = normalizeRecord(item.record, item.line, normalizeOptions);
      if (result.ok) repairs.add(item.line, (result.row ?? result.labelsOnly).surrogatesReplaced);
      if (!result.ok) {
        for (const error of result.errors) addError(error);
      } else if (result.labelsOnly !== undefined) {
        labelsOnlyRows += 1;
        if (!errorListFull()) {
          labelsOnly.push(result.labelsOnly);
          if (batch.length + labelsOnly.length >= BATCH_ROWS) await send();
        }
      } else if (!errorListFull()) {
        batch.push(result.row);
        if (result.row.labels !== undefined || result.row.preferences !== undefined) labelled.push(result.row);
        batchBytes += result.row.answer.length + (result.row.reasoning?.length ?? 0) + result.row.promptText.length;
        if (batch.length + labelsOnly.length >= BATCH_ROWS || batchBytes >= BATCH_BYTES) await send();
      }
      if (withSignals && signalsPool === undefined && bytesRead > SIGNALS_THREADS_AFTER_BYTES) {
        // A file this large likely has more than one batch: the threads start while the first is read.
        signalsPool = new SignalsPool(options.signalsThreads ?? defaultSignalsThreads());
      }
      if (declaredDead) throw declaredDeadError();
      if ((rowsRead & 255) === 0) {
        // Let the database's replies for the batch in flight be read while parsing goes on.
        await new Promise((resolve) => setImmediate(resolve));
        if ((rowsRead & 1023) === 0) reportProgress();
      }
    }
    if ((batch.length > 0 || labelsOnly.length > 0) && !errorListFull()) await send(true);
    await inFlight;
    // Every response is written: the preferences can be resolved and checked.
    if (!errorListFull()) await preferenceWriter.finish(maxErrors);
    reportProgress(true);
    // The norms of the checkpoints that got responses moved: their length hints, in SQL.
    if (withSignals && errorCount === 0)
      await updateLengthOutliers(client, studyId, [...writer.checkpointsWritten], jobId);

    if (rowsRead === 0 && errorCount === 0) {
      addError({
        line: 0,
        field: null,
        message: format === "csv" ? "the file has no rows under its header (or is empty)" : "the file is empty",
      });
    }

    if (errorCount > 0) {
      await client.query("ROLLBACK");
      // Written by the import's own backend, which stays alive until then: no reader can take the
      // job for dead in between.
      await client.query(
        `UPDATE import_job SET status = 'REJECTED', rows_read = $2, inserted = 0, already_present = 0, rejected = $3, bytes_read = $4,
           errors = $5, message = $6, finished_at = now() WHERE id = $1`,
        [
          jobId,
          rowsRead,
          errorCount,
          bytesRead,
          JSON.stringify(errors.slice().sort((a, b) => a.line - b.line)),
          `${errorCount} problem(s); nothing was imported`,
        ],
      );
      summary = {
        status: "rejected",
        jobId,
        studyId: existing.rows[0]?.id ?? null,
        studySlug: options.studySlug,
        rowsRead,
        inserted: 0,
        alreadyPresent: 0,
        rejected: errorCount,
        checkpointsCreated: 0,
        promptsCreated: 0,
        labelsInserted: 0,
        labelsAlreadyPresent: 0,
        placeholderReviewersCreated: 0,
        preferencesInserted: 0,
        preferencesCompleted: 0,
        preferencesAlreadyPresent: 0,
        preferencesPartial: 0,
        errors: errors.sort((a, b) => a.line - b.line),
        errorsTruncated: errorCount > errors.length,
        bytesRead,
        signalsComputed: false,
        surrogatesReplaced: [],
      };
    } else {
      summary = {
        status: "succeeded",
        jobId,
        studyId,
        studySlug: options.studySlug,
        rowsRead,
        inserted: writer.inserted,
        alreadyPresent: rowsRead - labelsOnlyRows - writer.inserted,
        rejected: 0,
        checkpointsCreated: writer.checkpointsCreated,
        promptsCreated: writer.promptsCreated,
        labelsInserted: labelWriter.inserted,
        labelsAlreadyPresent: labelWriter.alreadyPresent,
        placeholderReviewersCreated: labelWriter.placeholdersCreated,
        preferencesInserted: preferenceWriter.inserted,
        preferencesCompleted: preferenceWriter.completed,
        preferencesAlreadyPresent: preferenceWriter.alreadyPresent,
        preferencesPartial: preferenceWriter.partial,
        errors: [],
        errorsTruncated: false,
        bytesRead,
        signalsComputed: withSignals,
        surrogatesReplaced: repairs.list(),
      };
      // The job turns SUCCEEDED in the import's own transaction, and only if it is still RUNNING: the
      // data and "imported" commit together, and an import a reader already declared dead (its
      // job says nothing was written) rolls back instead of committing behind that message.
      const finished = await client.query(
        `UPDATE import_job SET study_id = $8, status = 'SUCCEEDED', rows_read = $2, inserted = $3, already_present = $4, rejected = 0,
           bytes_read = $5, errors = $6, message = $7, finished_at = now(), heartbeat_at = now() WHERE id = $1 AND status = 'RUNNING'`,
        [
          jobId,
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
  } catch (error) {
    clearInterval(heartbeat);
    const failed = [
      "UPDATE import_job SET status = 'FAILED', message = $2, rows_read = $3, bytes_read = $4, finished_at = now() WHERE id = $1",
      [jobId, (error as Error).message.slice(0, 2000), rowsRead, bytesRead],
    ] as const;
    // On the import's own connection while it works (so the job is never seen RUNNING without its
    // backend, and no second connection is needed); through the pool once it is dropped otherwise.
    let recorded = false;
    try {
      await client.query("ROLLBACK");
      await client.query(failed[0], [...failed[1]]);
      recorded = true;
      await client.query("RESET application_name");
      client.removeListener("error", onClientError);
      client.release();
    } catch {
      client.removeListener("error", onClientError);
      client.release(true);
      if (!recorded) await pool.query(failed[0], [...failed[1]]).catch(() => {});
    }
    throw error;
  } finally {
    clearInterval(heartbeat);
    await signalsPool?.close();
  }
  client.removeListener("error", onClientError);
  await client.query("RESET application_name").then(
    () => client.release(),
    (error: Error) => client.release(error),
  );
  return { ...summary, seconds: (Date.now() - started) / 1000 };
}

/** The import log's note about labels and preferences, or null. */
function successMessage(summary: Omit<ImportSummary, "seconds">): string | null {
  const parts: string[] = [];
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

function signalsInput(row: NormalizedRow): SignalsInput {
  return {
    reasoning: row.reasoning,
    answer: row.answer,
    promptText: row.promptText,
    promptLanguage: row.language,
    expectedBehavior: row.expectedBehavior,
    formatIssues: row.formatIssues,
  };
}
