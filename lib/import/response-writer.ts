// Writes batches of normalised rows into one study inside the import's transaction: checkpoints
// and prompts are resolved (and created) per batch, responses go straight into their table with
// COPY. Every check that spans rows (a checkpoint's strategy, a prompt id's text, a response given
// twice) is made here, so the caller only has to roll back when any error was reported.
import { createHash } from "node:crypto";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { TrainingStrategy } from "../db/generated/enums";
import type { StoredSignals } from "../analysis/stored-signals";
import {
  RESPONSE_COPY_COLUMNS,
  RESPONSE_COPY_COLUMNS_WITH_SIGNALS,
  responseCopyLine,
  type RowSignals,
} from "./copy-format";
import type { NormalizedRow, PromptRow, RowError } from "./types";

interface KnownCheckpoint {
  id: number;
  strategy: TrainingStrategy;
  trainingStep: number | null;
  /** Line of this file where it was first named, or null when it existed before the import. */
  firstLine: number | null;
}

const UNIQUE_VIOLATION = "23505";
/** Prompts remembered across batches (bounded, so memory stays flat on any file). */
const PROMPT_CACHE_LIMIT = 200_000;

interface KnownPrompt {
  id: number;
  textHash: string;
  /** Created by this import: then no earlier response can exist for it. */
  createdHere: boolean;
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

function contentHash(row: NormalizedRow): string {
  return md5(`${row.reasoning ?? ""}\u0001${row.answer}`);
}

interface Fresh {
  row: NormalizedRow;
  promptId: number;
  checkpointId: number;
  /** Its place in the batch, where its signals are. */
  index: number;
}

export class ResponseWriter {
  inserted = 0;
  checkpointsCreated = 0;
  promptsCreated = 0;
  /** Rows that repeat a response given earlier in this file (e.g. one row per reviewer): not "already present". */
  repeatedInFile = 0;
  /** Prompts created by rows without a response. */
  promptRowsCreated = 0;
  private readonly checkpoints = new Map<string, KnownCheckpoint | null>();
  private readonly prompts = new Map<string, KnownPrompt>();
  /** Checkpoints that got new responses: their length norms are recomputed at the end. */
  readonly checkpointsWritten = new Set<number>();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly studyId: number,
    private readonly jobId: number,
    private readonly addError: (error: RowError) => void,
    /** True once no more errors can be listed: then checking and writing stop. */
    private readonly failed: () => boolean,
  ) {}

  /**
   * `signals`, when given, resolves to the automatic signals of `rows` in their order (computed
   * beside this, while prompts and checkpoints are resolved); they are stored with the responses.
   */
  async writeBatch(rows: NormalizedRow[], signals: Promise<StoredSignals> | null = null): Promise<void> {
    const checkpointIds: (number | null)[] = [];
    for (const row of rows) checkpointIds.push(await this.checkpointFor(row));
    const promptIds = await this.promptsFor(rows);
    if (this.failed()) return;

    // One response per (prompt, checkpoint, sample) in the batch; a repeat must be identical.
    const seen = new Map<string, NormalizedRow>();
    const fresh: Fresh[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const promptId = promptIds.get(row.promptKey)!.id;
      const checkpointId = checkpointIds[i];
      if (checkpointId === null || checkpointId === undefined) continue; // already reported
      const key = `${promptId}:${checkpointId}:${row.sampleIndex}`;
      const earlier = seen.get(key);
      if (earlier) {
        if (contentHash(earlier) !== contentHash(row)) this.duplicateError(row, earlier.line);
        else this.repeatedInFile += 1;
        continue;
      }
      seen.set(key, row);
      fresh.push({ row, promptId, checkpointId, index: i });
    }
    if (this.failed()) return;

    const existedBefore = fresh.filter((f) => !promptIds.get(f.row.promptKey)!.createdHere).map((f) => f.promptId);
    const existing = await this.existingResponses(existedBefore);
    let toWrite = fresh;
    if (existing.size > 0) {
      toWrite = [];
      for (const f of fresh) {
        const writtenBy = existing.get(`${f.promptId}:${f.checkpointId}:${f.row.sampleIndex}`);
        if (writtenBy === undefined) toWrite.push(f);
        else if (writtenBy === this.jobId) this.repeatedInFile += 1;
      }
    }
    if (toWrite.length === 0) return;
    const computed = signals === null ? null : await signals;
    for (const item of toWrite) this.checkpointsWritten.add(item.checkpointId);

    // A repeat of a row from an earlier batch of this file shows up as a unique violation: then
    // this batch is written row by row with ON CONFLICT, and repeats are compared.
    await this.client.query("SAVEPOINT import_batch");
    try {
      await this.copyResponses(toWrite, computed);
      await this.client.query("RELEASE SAVEPOINT import_batch");
      this.inserted += toWrite.length;
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await this.client.query("ROLLBACK TO SAVEPOINT import_batch");
      await this.insertComparingRepeats(toWrite, computed);
    }
  }

  /** The prompts of a prompts-only file's rows (no response): created when new, checked when named. */
  async writePrompts(rows: PromptRow[]): Promise<void> {
    const before = this.promptsCreated;
    await this.promptsFor(rows);
    this.promptRowsCreated += this.promptsCreated - before;
  }

  private async checkpointFor(row: NormalizedRow): Promise<number | null> {
    let known = this.checkpoints.get(row.checkpoint);
    if (known === undefined) {
      const found = await this.client.query<{ id: number; strategy: TrainingStrategy; training_step: number | null }>(
        "SELECT id, strategy, training_step FROM checkpoint WHERE study_id = $1 AND name = $2",
        [this.studyId, row.checkpoint],
      );
      const existing = found.rows[0];
      if (existing) {
        known = { id: existing.id, strategy: existing.strategy, trainingStep: existing.training_step, firstLine: null };
      } else if (row.strategy === null) {
        this.addError({
          line: row.line,
          field: "strategy",
          message: `missing: checkpoint "${row.checkpoint}" is new to this study, so its strategy (sft, rl, hybrid or base) is required on its first row`,
        });
        known = null;
      } else {
        const created = await this.client.query<{ id: number }>(
          `INSERT INTO checkpoint (study_id, name, strategy, training_step, base_model, compute_gpu_hours)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [this.studyId, row.checkpoint, row.strategy, row.trainingStep, row.baseModel, row.computeGpuHours],
        );
        this.checkpointsCreated += 1;
        known = {
          id: created.rows[0]!.id,
          strategy: row.strategy,
          trainingStep: row.trainingStep,
          firstLine: row.line,
        };
      }
      this.checkpoints.set(row.checkpoint, known);
    }
    if (known === null) return null;

    if (row.strategy !== null && row.strategy !== known.strategy) {
      this.addError({
        line: row.line,
        field: "strategy",
        message:
          known.firstLine === null
            ? `checkpoint "${row.checkpoint}" already exists in this study with strategy ${known.strategy.toLowerCase()}, not ${row.strategy.toLowerCase()}`
            : `checkpoint "${row.checkpoint}" has strategy ${known.strategy.toLowerCase()} on line ${known.firstLine}, so it cannot be ${row.strategy.toLowerCase()} here; a checkpoint has one training strategy`,
      });
    }
    if (row.trainingStep !== null && known.trainingStep !== null && row.trainingStep !== known.trainingStep) {
      this.addError({
        line: row.line,
        field: "training_step",
        message: `checkpoint "${row.checkpoint}" is at training step ${known.trainingStep}${known.firstLine === null ? " in this study" : ` (line ${known.firstLine})`}, not ${row.trainingStep}; give each step its own checkpoint name`,
      });
    }
    return known.id;
  }

  /** Creates the batch's new prompts and returns every prompt key of the batch with its id. */
  private async promptsFor(rows: PromptRow[]): Promise<Map<string, KnownPrompt>> {
    const resolved = new Map<string, KnownPrompt>();
    const first = new Map<string, PromptRow>();
    for (const row of rows) {
      const earlier = first.get(row.promptKey);
      if (earlier) {
        // Only named prompts can disagree: a text-derived key is the text (trimmed, LF line ends), and
        // the first text as given is the one stored.
        if (row.promptExternalId !== null && earlier.promptText !== row.promptText) this.promptTextError(row);
        continue;
      }
      first.set(row.promptKey, row);
      const known = this.prompts.get(row.promptKey);
      if (known) {
        resolved.set(row.promptKey, known);
        // Only named prompts can disagree: a text-derived key is the text.
        if (row.promptExternalId !== null && known.textHash !== md5(row.promptText)) this.promptTextError(row);
      }
    }
    const batch = [...first.values()].filter((row) => !resolved.has(row.promptKey));
    if (batch.length === 0) return resolved;

    const created = await this.client.query<{ id: number; key: string }>(
      `INSERT INTO prompt (study_id, key, external_id, text, category, split, language, expected_behavior)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::"ExpectedBehavior"[])
       ON CONFLICT (study_id, key) DO NOTHING RETURNING id, key`,
      [
        this.studyId,
        batch.map((r) => r.promptKey),
        batch.map((r) => r.promptExternalId),
        batch.map((r) => r.promptText),
        batch.map((r) => r.category),
        batch.map((r) => r.split),
        batch.map((r) => r.language),
        batch.map((r) => r.expectedBehavior),
      ],
    );
    this.promptsCreated += created.rowCount ?? 0;
    const createdIds = new Map(created.rows.map((r) => [r.key, r.id]));
    const missing = batch.filter((r) => !createdIds.has(r.promptKey));
    const stored = new Map<string, { id: number; hash: string }>();
    if (missing.length > 0) {
      const found = await this.client.query<{ id: number; key: string; hash: string }>(
        "SELECT id, key, md5(text) AS hash FROM prompt WHERE study_id = $1 AND key = ANY($2::text[])",
        [this.studyId, missing.map((r) => r.promptKey)],
      );
      for (const r of found.rows) stored.set(r.key, r);
    }
    if (this.prompts.size + batch.length > PROMPT_CACHE_LIMIT) this.prompts.clear();
    for (const row of batch) {
      const createdId = createdIds.get(row.promptKey);
      let known: KnownPrompt;
      if (createdId !== undefined) {
        known = { id: createdId, textHash: md5(row.promptText), createdHere: true };
      } else {
        const existing = stored.get(row.promptKey)!;
        known = { id: existing.id, textHash: existing.hash, createdHere: false };
        if (row.promptExternalId !== null && existing.hash !== md5(row.promptText)) this.promptTextError(row);
      }
      resolved.set(row.promptKey, known);
      this.prompts.set(row.promptKey, known);
    }
    return resolved;
  }

  private promptTextError(row: PromptRow) {
    this.addError({
      line: row.line,
      field: "prompt",
      message: `prompt_id "${row.promptExternalId ?? row.promptKey}" already names a different prompt text (in this study or earlier in this file); a prompt id names one text`,
    });
  }

  private duplicateError(row: NormalizedRow, earlierLine: number | null) {
    this.addError({
      line: row.line,
      field: "sample_index",
      message: `a different response for the same prompt, checkpoint "${row.checkpoint}" and sample_index ${row.sampleIndex} is ${earlierLine ? `on line ${earlierLine}` : "earlier in this file"}; give each sample its own sample_index`,
    });
  }

  /**
   * Keys of responses already stored for these prompts (only prompts that existed before), with the
   * import that wrote each: this one (an earlier row of the file) or another.
   */
  private async existingResponses(promptIds: number[]): Promise<Map<string, number | null>> {
    const unique = [...new Set(promptIds)];
    if (unique.length === 0) return new Map();
    const result = await this.client.query<{
      prompt_id: number;
      checkpoint_id: number;
      sample_index: number;
      import_job_id: number | null;
    }>("SELECT prompt_id, checkpoint_id, sample_index, import_job_id FROM response WHERE prompt_id = ANY($1::int[])", [
      unique,
    ]);
    return new Map(
      result.rows.map((r) => [`${r.prompt_id}:${r.checkpoint_id}:${r.sample_index}`, r.import_job_id ?? null]),
    );
  }

  private async copyResponses(items: Fresh[], signals: StoredSignals | null) {
    const columns = signals === null ? RESPONSE_COPY_COLUMNS : RESPONSE_COPY_COLUMNS_WITH_SIGNALS;
    const stream = this.client.query(copyFrom(`COPY response (${columns}) FROM STDIN`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on("finish", resolve);
      stream.on("error", reject);
    });
    let chunk = "";
    for (const { row, promptId, checkpointId, index } of items) {
      const ids = { studyId: this.studyId, promptId, checkpointId, jobId: this.jobId };
      chunk += responseCopyLine(row, ids, signals === null ? undefined : signalsAt(signals, index));
      if (chunk.length > 1 << 20) {
        if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
        chunk = "";
      }
    }
    stream.end(chunk);
    await done;
  }

  private async insertComparingRepeats(items: Fresh[], signals: StoredSignals | null) {
    const result = await this.client.query<{ prompt_id: number; checkpoint_id: number; sample_index: number }>(
      `INSERT INTO response (study_id, prompt_id, checkpoint_id, sample_index, reasoning, answer, source_shape, format_issues, metadata, import_job_id,
                             signals, mix_score, refusal_signal)
       SELECT $1, u.prompt_id, u.checkpoint_id, u.sample_index, u.reasoning, u.answer, u.source_shape, coalesce(string_to_array(u.issues, ','), '{}'), u.metadata::jsonb, $2,
              u.signals::jsonb, u.mix_score, u.refusal::"RefusalKind"
       FROM unnest($3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::float8[], $13::text[])
         AS u(prompt_id, checkpoint_id, sample_index, reasoning, answer, source_shape, issues, metadata, signals, mix_score, refusal)
       ON CONFLICT (prompt_id, checkpoint_id, sample_index) DO NOTHING
       RETURNING prompt_id, checkpoint_id, sample_index`,
      [
        this.studyId,
        this.jobId,
        items.map((i) => i.promptId),
        items.map((i) => i.checkpointId),
        items.map((i) => i.row.sampleIndex),
        items.map((i) => i.row.reasoning),
        items.map((i) => i.row.answer),
        items.map((i) => i.row.sourceShape),
        items.map((i) => (i.row.formatIssues.length ? i.row.formatIssues.join(",") : null)),
        items.map((i) => JSON.stringify(i.row.metadata)),
        items.map((i) => signals?.json[i.index] ?? null),
        items.map((i) => signals?.mixScores[i.index] ?? null),
        items.map((i) => signals?.refusals[i.index] ?? null),
      ],
    );
    this.inserted += result.rowCount ?? 0;
    const written = new Set(result.rows.map((r) => `${r.prompt_id}:${r.checkpoint_id}:${r.sample_index}`));
    const repeats = items.filter((i) => !written.has(`${i.promptId}:${i.checkpointId}:${i.row.sampleIndex}`));
    if (repeats.length === 0) return;
    // Repeats of rows written earlier by this same import must carry the same response.
    const stored = await this.client.query<{
      prompt_id: number;
      checkpoint_id: number;
      sample_index: number;
      hash: string;
    }>(
      `SELECT r.prompt_id, r.checkpoint_id, r.sample_index, md5(coalesce(r.reasoning, '') || chr(1) || r.answer) AS hash
       FROM response r JOIN unnest($1::int[], $2::int[], $3::int[]) AS k(prompt_id, checkpoint_id, sample_index)
         USING (prompt_id, checkpoint_id, sample_index)
       WHERE r.import_job_id = $4`,
      [
        repeats.map((i) => i.promptId),
        repeats.map((i) => i.checkpointId),
        repeats.map((i) => i.row.sampleIndex),
        this.jobId,
      ],
    );
    const hashes = new Map(stored.rows.map((r) => [`${r.prompt_id}:${r.checkpoint_id}:${r.sample_index}`, r.hash]));
    for (const item of repeats) {
      const hash = hashes.get(`${item.promptId}:${item.checkpointId}:${item.row.sampleIndex}`);
      if (hash === undefined) continue; // stored by an earlier import: already present
      if (hash !== contentHash(item.row)) this.duplicateError(item.row, null);
      else this.repeatedInFile += 1;
    }
  }
}

function signalsAt(signals: StoredSignals, index: number): RowSignals {
  return { json: signals.json[index]!, mixScore: signals.mixScores[index]!, refusal: signals.refusals[index]! };
}
