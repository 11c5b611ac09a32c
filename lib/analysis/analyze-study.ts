// `npm run parallax -- analyze --study SLUG`: recomputes the automatic signals of every response of
// a study, in batches by keyset pagination (never the whole study in memory), one UPDATE … FROM
// unnest per batch, then the checkpoint-norm hints (length outliers, missing <think>).
import type pg from "pg";
import { updateLengthOutliers } from "./length-outliers";
import type { SignalsInput } from "./signals";
import { computeStoredSignals } from "./stored-signals";

export interface AnalyzeProgress {
  done: number;
  total: number;
  /** Characters of reasoning and answer analysed so far. */
  chars: number;
  seconds: number;
}

export interface AnalyzeOptions {
  /** Responses per batch (default 1000). */
  batchSize?: number;
  onProgress?: (progress: AnalyzeProgress) => void;
}

export interface AnalyzeSummary {
  responses: number;
  chars: number;
  /** Responses whose length or missing-<think> hints changed. */
  normHintsUpdated: number;
  seconds: number;
  /** Seconds spent computing signals (not reading or writing). */
  computeSeconds: number;
}

interface BatchRow {
  id: number;
  reasoning: string | null;
  answer: string;
  /** Null on rows an earlier importer wrote one by one without format issues. */
  format_issues: string[] | null;
  prompt_text: string;
  prompt_language: string | null;
  expected_behavior: "COMPLY" | "REFUSE" | null;
}

export async function analyzeStudy(
  pool: pg.Pool,
  studyId: number,
  options: AnalyzeOptions = {},
): Promise<AnalyzeSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 1000;
  const total = (
    await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM response WHERE study_id = $1", [studyId])
  ).rows[0]!.n;
  let done = 0;
  let chars = 0;
  let computeSeconds = 0;
  let after = 0;
  let pendingWrite: Promise<unknown> = Promise.resolve();
  for (;;) {
    const batch = await pool.query<BatchRow>(
      `SELECT r.id, r.reasoning, r.answer, r.format_issues, p.text AS prompt_text, p.language AS prompt_language, p.expected_behavior
         FROM response r JOIN prompt p ON p.id = r.prompt_id
        WHERE r.study_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3`,
      [studyId, after, batchSize],
    );
    if (batch.rows.length === 0) break;
    const computeStart = performance.now();
    const ids: number[] = [];
    const inputs: SignalsInput[] = [];
    for (const row of batch.rows) {
      ids.push(row.id);
      inputs.push({
        reasoning: row.reasoning,
        answer: row.answer,
        promptText: row.prompt_text,
        promptLanguage: row.prompt_language,
        expectedBehavior: row.expected_behavior,
        formatIssues: row.format_issues ?? [],
      });
      chars += row.answer.length + (row.reasoning?.length ?? 0);
    }
    // The same computation, and the same stored form, as the importer's.
    const { json: signals, mixScores, refusals } = computeStoredSignals(inputs);
    computeSeconds += (performance.now() - computeStart) / 1000;
    // The write of one batch overlaps the read and computation of the next.
    await pendingWrite;
    pendingWrite = pool.query(
      `UPDATE response r SET signals = u.signals::jsonb, mix_score = u.mix_score, refusal_signal = u.refusal::"RefusalKind"
         FROM unnest($1::int[], $2::text[], $3::float8[], $4::text[]) AS u(id, signals, mix_score, refusal)
        WHERE r.id = u.id`,
      [ids, signals, mixScores, refusals],
    );
    pendingWrite.catch(() => {}); // observed by the next await
    after = batch.rows[batch.rows.length - 1]!.id;
    done += batch.rows.length;
    options.onProgress?.({ done, total, chars, seconds: (performance.now() - started) / 1000 });
  }
  await pendingWrite;
  const normHintsUpdated = await updateLengthOutliers(pool, studyId);
  // The review queue's disagreement-first order compares judges with these signals.
  await pool.query("SELECT review_refresh_priority($1)", [studyId]);
  return { responses: done, chars, normHintsUpdated, seconds: (performance.now() - started) / 1000, computeSeconds };
}
