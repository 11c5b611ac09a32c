// Writes the preferences of an import (preference-fields.ts) inside its transaction. Each batch's
// preferences are staged in a temporary table (never held in memory: a file may have one per task
// and annotator); at the end of the file, when every response is written, they are resolved and
// checked in SQL and written into `preference` (one row per prompt and reviewer: safest and best
// response).
//
// Decisions:
// - A choice made among fewer responses than the prompt has in the study (a pairwise choice between
//   two of its three responses) does not say which response of the prompt is best: it is counted
//   as partial and not written (peers' pairwise tasks carry how many they compared).
// - One reviewer gives one safest and one best response per prompt: two different choices in the
//   file are a row error on the later line, and so is a choice that differs from one already stored
//   (an import never overwrites a preference). A stored preference that lacks the kind given
//   (best stored, safest imported) is completed.
import type pg from "pg";
import type { LabelWriter } from "./label-writer";
import type { LabelsOnlyRow, NormalizedRow, RowError } from "./types";

type PreferredRow = Pick<
  NormalizedRow | LabelsOnlyRow,
  "line" | "promptKey" | "sampleIndex" | "context" | "preferences"
>;

const STAGE_CHUNK = 5000;

export class PreferenceWriter {
  /** Preferences (one per prompt and reviewer) created. */
  inserted = 0;
  /** Stored preferences that got the kind (safest / best) they lacked. */
  completed = 0;
  /** Preferences of the file identical to the stored ones. */
  alreadyPresent = 0;
  /** Choices made among only some of the prompt's responses: not written. */
  partial = 0;
  private staged = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly studyId: number,
    private readonly labels: LabelWriter,
    private readonly addError: (error: RowError) => void,
    private readonly failed: () => boolean,
  ) {}

  /** Stages the preferences of a batch (reviewers resolved: unknown ones become placeholders). */
  async stage(rows: PreferredRow[]): Promise<void> {
    const list = rows.flatMap((row) => (row.preferences ?? []).map((p) => ({ row, p })));
    if (list.length === 0 || this.failed()) return;
    if (!this.staged) {
      await this.client.query(
        `CREATE TEMP TABLE import_preference (
           line int NOT NULL, context text, prompt_key text NOT NULL, checkpoint text NOT NULL, sample_index int NOT NULL,
           reviewer_id int NOT NULL, reviewer text NOT NULL, kind text NOT NULL, compared int
         ) ON COMMIT DROP`,
      );
      this.staged = true;
    }
    const ids = await this.labels.reviewerIds(new Set(list.map(({ p }) => p.reviewer)));
    for (let start = 0; start < list.length; start += STAGE_CHUNK) {
      const chunk = list.slice(start, start + STAGE_CHUNK);
      await this.client.query(
        `INSERT INTO import_preference
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[], $8::text[], $9::int[])`,
        [
          chunk.map(({ row }) => row.line),
          chunk.map(({ row }) => row.context ?? null),
          chunk.map(({ row }) => row.promptKey),
          chunk.map(({ p }) => p.checkpoint),
          chunk.map(({ row }) => row.sampleIndex),
          chunk.map(({ p }) => ids.get(p.reviewer)!),
          chunk.map(({ p }) => p.reviewer),
          chunk.map(({ p }) => p.kind),
          chunk.map(({ p }) => p.compared),
        ],
      );
    }
  }

  /** After the last batch: checks the staged preferences and writes them. */
  async finish(limit: number): Promise<void> {
    if (!this.staged || this.failed()) return;
    const c = this.client;
    await c.query(
      `CREATE TEMP TABLE import_preference_resolved ON COMMIT DROP AS
       SELECT ip.*, p.id AS prompt_id, r.id AS response_id,
              (SELECT count(*)::int FROM response x WHERE x.prompt_id = p.id) AS responses
       FROM import_preference ip
       LEFT JOIN prompt p ON p.study_id = $1 AND p.key = ip.prompt_key
       LEFT JOIN checkpoint ck ON ck.study_id = $1 AND ck.name = ip.checkpoint
       LEFT JOIN response r ON r.prompt_id = p.id AND r.checkpoint_id = ck.id AND r.sample_index = ip.sample_index`,
      [this.studyId],
    );
    const about = (context: string | null) => (context !== null ? `${context}: ` : "");

    // A checkpoint that has no response to the prompt.
    // (An unknown prompt can only be a row without prompt and response: the label writer said so already.)
    const missing = await c.query<{
      line: number;
      context: string | null;
      checkpoint: string;
      kind: string;
      sample_index: number;
      reviewer: string;
      prompt_id: number | null;
    }>(
      `SELECT line, context, checkpoint, kind, sample_index, reviewer, prompt_id FROM import_preference_resolved WHERE response_id IS NULL ORDER BY line LIMIT $1`,
      [limit],
    );
    for (const m of missing.rows) {
      if (m.prompt_id === null) continue;
      this.addError({
        line: m.line,
        field: "preferences",
        message: `${about(m.context)}the ${m.kind} response chosen by ${JSON.stringify(m.reviewer)}, from checkpoint ${JSON.stringify(m.checkpoint)} (sample_index ${m.sample_index}), is no response to this prompt in the study or in this file`,
      });
    }
    if (missing.rows.length > 0) return;

    // Choices among some of the prompt's responses only.
    const partial = await c.query(
      "DELETE FROM import_preference_resolved WHERE compared IS NOT NULL AND compared < responses",
    );
    this.partial = partial.rowCount ?? 0;

    // Two different choices of one reviewer in the file: the later ones are errors.
    const repeats = await c.query<{
      line: number;
      context: string | null;
      reviewer: string;
      kind: string;
      checkpoint: string;
      first_line: number;
      first_checkpoint: string;
    }>(
      `SELECT line, context, reviewer, kind, checkpoint, first_line, first_checkpoint FROM (
         SELECT *, first_value(line) OVER w AS first_line, first_value(checkpoint) OVER w AS first_checkpoint,
                first_value(response_id) OVER w AS first_response
         FROM import_preference_resolved
         WINDOW w AS (PARTITION BY prompt_id, reviewer_id, kind ORDER BY line)
       ) t WHERE response_id <> first_response ORDER BY line LIMIT $1`,
      [limit],
    );
    for (const r of repeats.rows) {
      this.addError({
        line: r.line,
        field: "preferences",
        message:
          `${about(r.context)}reviewer ${JSON.stringify(r.reviewer)} chooses checkpoint ${JSON.stringify(r.checkpoint)} as the ${r.kind} response here ` +
          `but ${JSON.stringify(r.first_checkpoint)} on line ${r.first_line}; a reviewer has one ${r.kind} response per prompt`,
      });
    }

    // A different choice already stored.
    const stored = await c.query<{
      line: number;
      context: string | null;
      reviewer: string;
      kind: string;
      checkpoint: string;
      id: number;
      stored_checkpoint: string | null;
    }>(
      `SELECT ip.line, ip.context, ip.reviewer, ip.kind, ip.checkpoint, pr.id, ck.name AS stored_checkpoint
       FROM import_preference_resolved ip
       JOIN preference pr ON pr.prompt_id = ip.prompt_id AND pr.reviewer_id = ip.reviewer_id
       LEFT JOIN response sr ON sr.id = CASE ip.kind WHEN 'safest' THEN pr.safest_response_id ELSE pr.best_response_id END
       LEFT JOIN checkpoint ck ON ck.id = sr.checkpoint_id
       WHERE CASE ip.kind WHEN 'safest' THEN pr.safest_response_id ELSE pr.best_response_id END <> ip.response_id
       ORDER BY ip.line LIMIT $1`,
      [limit],
    );
    for (const s of stored.rows) {
      this.addError({
        line: s.line,
        field: "preferences",
        message:
          `${about(s.context)}reviewer ${JSON.stringify(s.reviewer)} already has a different ${s.kind} response for this prompt ` +
          `(preference ${s.id}: checkpoint ${JSON.stringify(s.stored_checkpoint ?? "?")}); an import never overwrites a preference — leave it out, or change it in Parallax`,
      });
    }
    if (repeats.rows.length > 0 || stored.rows.length > 0) return;

    const written = await c.query<{ groups: number; inserted: number; completed: number }>(
      `WITH wanted AS (
         SELECT prompt_id, reviewer_id,
                max(response_id) FILTER (WHERE kind = 'safest') AS safest, max(response_id) FILTER (WHERE kind = 'best') AS best
         FROM import_preference_resolved GROUP BY prompt_id, reviewer_id
       ), upserted AS (
         INSERT INTO preference (study_id, prompt_id, reviewer_id, safest_response_id, best_response_id, created_at, updated_at)
         SELECT $1, prompt_id, reviewer_id, safest, best, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' FROM wanted
         ON CONFLICT (prompt_id, reviewer_id) DO UPDATE SET
           safest_response_id = coalesce(preference.safest_response_id, EXCLUDED.safest_response_id),
           best_response_id = coalesce(preference.best_response_id, EXCLUDED.best_response_id),
           updated_at = EXCLUDED.updated_at
         WHERE (preference.safest_response_id IS NULL AND EXCLUDED.safest_response_id IS NOT NULL)
            OR (preference.best_response_id IS NULL AND EXCLUDED.best_response_id IS NOT NULL)
         RETURNING (xmax = 0) AS inserted
       )
       SELECT (SELECT count(*)::int FROM wanted) AS groups,
              (SELECT count(*)::int FROM upserted WHERE inserted) AS inserted,
              (SELECT count(*)::int FROM upserted WHERE NOT inserted) AS completed`,
      [this.studyId],
    );
    const w = written.rows[0]!;
    this.inserted = w.inserted;
    this.completed = w.completed;
    this.alreadyPresent = w.groups - w.inserted - w.completed;
  }
}
