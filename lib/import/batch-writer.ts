// The write side of an import: rows are gathered into batches, and one batch is written (responses
// with COPY, then their labels and preferences) while the next is parsed. The automatic signals of a
// batch are computed beside it, in worker threads for a file of more than one batch.
import type pg from "pg";
import type { SignalsInput } from "../analysis/signals";
import { SignalsPool, defaultSignalsThreads } from "../analysis/signals-pool";
import type { StoredSignals } from "../analysis/stored-signals";
import { LabelWriter } from "./label-writer";
import { PreferenceWriter } from "./preference-writer";
import { ResponseWriter } from "./response-writer";
import type { LabelsOnlyRow, NormalizedRow, PromptRow, RowError, RowResult } from "./types";

const BATCH_ROWS = 2000;
const BATCH_BYTES = 4 * 1024 * 1024;
/** Bytes read after which the signals threads are started (a smaller file is analysed in this thread). */
const SIGNALS_THREADS_AFTER_BYTES = 1024 * 1024;

export class BatchWriter {
  readonly writer: ResponseWriter;
  readonly labelWriter: LabelWriter;
  readonly preferenceWriter: PreferenceWriter;
  /** Rows that label responses already in the study, and rows that give a prompt only. */
  labelsOnlyRows = 0;
  promptRows = 0;

  private inFlight: Promise<void> = Promise.resolve();
  private batch: NormalizedRow[] = [];
  private labelled: NormalizedRow[] = [];
  private labelsOnly: LabelsOnlyRow[] = [];
  private prompts: PromptRow[] = [];
  private batchBytes = 0;
  private signalsPool: SignalsPool | undefined;

  constructor(
    client: pg.PoolClient,
    studyId: number,
    jobId: number,
    addError: (error: RowError) => void,
    /** After a bad row, later rows are still written (the transaction is rolled back anyway) so that
     *  the checks against the database report them too — until the list of errors is full. */
    private readonly errorListFull: () => boolean,
    private readonly signals: { enabled: boolean; threads?: number },
  ) {
    this.writer = new ResponseWriter(client, studyId, jobId, addError, errorListFull);
    this.labelWriter = new LabelWriter(client, studyId, addError, errorListFull);
    this.preferenceWriter = new PreferenceWriter(client, studyId, this.labelWriter, addError, errorListFull);
  }

  /** One normalised row; a full batch is sent. */
  async add(result: Exclude<RowResult, { ok: false }>): Promise<void> {
    if (result.promptOnly !== undefined) {
      this.promptRows += 1;
      if (this.errorListFull()) return;
      this.prompts.push(result.promptOnly);
      if (this.prompts.length >= BATCH_ROWS) await this.send();
    } else if (result.labelsOnly !== undefined) {
      this.labelsOnlyRows += 1;
      if (this.errorListFull()) return;
      this.labelsOnly.push(result.labelsOnly);
      if (this.batch.length + this.labelsOnly.length >= BATCH_ROWS) await this.send();
    } else if (!this.errorListFull()) {
      const row = result.row;
      this.batch.push(row);
      if (row.labels !== undefined || row.preferences !== undefined) this.labelled.push(row);
      this.batchBytes += row.answer.length + (row.reasoning?.length ?? 0) + row.promptText.length;
      if (this.batch.length + this.labelsOnly.length >= BATCH_ROWS || this.batchBytes >= BATCH_BYTES) await this.send();
    }
  }

  /** A file this large likely has more than one batch: the threads start while the first is read. */
  startThreadsFor(bytesRead: number): void {
    if (this.signals.enabled && this.signalsPool === undefined && bytesRead > SIGNALS_THREADS_AFTER_BYTES)
      this.signalsPool = new SignalsPool(this.signals.threads ?? defaultSignalsThreads());
  }

  /** The end of the file: the last batch is written and waited for. */
  async flush(): Promise<void> {
    const pending = this.batch.length + this.labelsOnly.length + this.prompts.length;
    if (pending > 0 && !this.errorListFull()) await this.send(true);
    await this.inFlight;
  }

  async close(): Promise<void> {
    await this.signalsPool?.close();
  }

  /** `last`: the end of the file, so no batch follows this one. */
  private async send(last = false): Promise<void> {
    const rows = this.batch;
    const labelled = this.labelled;
    const labelsOnly = this.labelsOnly;
    const prompts = this.prompts;
    this.batch = [];
    this.labelled = [];
    this.labelsOnly = [];
    this.prompts = [];
    this.batchBytes = 0;
    let signals: Promise<StoredSignals> | null = null;
    if (this.signals.enabled && rows.length > 0 && !this.errorListFull()) {
      // Threads only for a file of more than one batch (or over a megabyte); a small one is done here
      // before they could start.
      this.signalsPool ??= new SignalsPool(last ? 0 : (this.signals.threads ?? defaultSignalsThreads()));
      signals = this.signalsPool.compute(rows.map(signalsInput));
      signals.catch(() => {}); // observed by the batch's writer
    }
    await this.inFlight;
    this.inFlight = this.errorListFull() ? Promise.resolve() : this.write(rows, labelled, labelsOnly, prompts, signals);
    // Keep the rejection observed until the next await picks it up.
    this.inFlight.catch(() => {});
  }

  private async write(
    rows: NormalizedRow[],
    labelled: NormalizedRow[],
    labelsOnly: LabelsOnlyRow[],
    prompts: PromptRow[],
    signals: Promise<StoredSignals> | null,
  ): Promise<void> {
    if (prompts.length > 0) await this.writer.writePrompts(prompts);
    if (rows.length > 0) await this.writer.writeBatch(rows, signals);
    const withLabels = labelled.filter((r) => r.labels !== undefined);
    if (withLabels.length > 0 || labelsOnly.length > 0) await this.labelWriter.writeBatch(withLabels, labelsOnly);
    const preferred = [...labelled, ...labelsOnly].filter((r) => r.preferences !== undefined);
    if (preferred.length > 0 && !this.errorListFull()) await this.preferenceWriter.stage(preferred);
  }
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
