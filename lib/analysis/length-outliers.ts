// Hints that need a checkpoint's norm, so they are computed in SQL over a whole study rather than
// per row at import: a length far outside the checkpoint's usual length (robust z-score of the log
// length), and a missing <think> where the checkpoint nearly always reasons.
import type pg from "pg";

/** |robust z| at or above this is "far outside the norm" (Iglewicz and Hoaglin's cut-off). */
export const LENGTH_OUTLIER_Z = 3.5;
/** A checkpoint needs this many analysed responses before its norm means anything. */
export const MIN_RESPONSES_FOR_NORM = 20;
/**
 * Floor of the spread (median absolute deviation of log length, about ±10 %): a checkpoint whose
 * responses are all nearly the same length must not flag a response for being 5 % longer.
 */
export const MIN_LOG_SPREAD = 0.1;
/** Share of a checkpoint's responses with reasoning above which a response without any is flagged. */
export const REASONING_NORM = 0.9;

/**
 * Recomputes the `length_outlier` and `missing_think` hints of every analysed response of the study
 * (responses whose signals are null are left alone), or only of these checkpoints' responses (an
 * import recomputes the checkpoints it added to: their norms moved). One statement; rows whose
 * hints do not change are not written. Returns the number of responses updated.
 */
export async function updateLengthOutliers(
  client: pg.Pool | pg.PoolClient | pg.Client,
  studyId: number,
  checkpointIds: readonly number[] | null = null,
  /** The import calling: the responses it wrote carry no norm hints yet, so theirs are not read. */
  importJobId: number | null = null,
): Promise<number> {
  if (checkpointIds !== null && checkpointIds.length === 0) return 0;
  const result = await client.query(lengthOutliersStatement(studyId, checkpointIds, importJobId));
  return result.rowCount ?? 0;
}

/** updateLengthOutliers' one statement (exported so its plan can be checked). */
export function lengthOutliersStatement(
  studyId: number,
  checkpointIds: readonly number[] | null,
  importJobId: number | null,
): { text: string; values: unknown[] } {
  return {
    text:
      // One scan of the responses: the length from the signals (version 2; the texts for older ones),
      // its hints, and whether it has norm hints now; only responses whose hints change are joined
      // again, by the UPDATE. (Joining the scan back to the table by id inside the CTEs left the
      // planner free to pick a nested loop over a CTE scan when the study's rows are new to its
      // statistics, as an import's are: minutes for 40,000 rows on PostgreSQL 18.) The per-checkpoint
      // norms and spreads are MATERIALIZED: referenced once, spreads was inlined, and when the planner
      // took the study for one row (its rows are new to the statistics, as an import's are) it put
      // spreads' whole aggregate over every response on the inner side of a nested loop, computing it
      // again for each response (over ten minutes for 40,000 responses; seen in EXPLAIN with the
      // study's rows missing from the statistics). Materialised, each is computed once, a row per checkpoint.
      `WITH lengths AS (
       SELECT id, checkpoint_id, no_reasoning, chars, ln(1 + chars) AS x, had, old_hints
         FROM (SELECT id, checkpoint_id, reasoning IS NULL AS no_reasoning, signals -> 'hints' AS old_hints,
                      coalesce((signals ->> 'chars')::int, length(coalesce(reasoning, '')) + length(answer)) AS chars,
                      import_job_id IS DISTINCT FROM $7
                        AND (signals -> 'hints' @> '[{"kind": "length_outlier"}]' OR signals -> 'hints' @> '[{"kind": "missing_think"}]') AS had
                 FROM response
                WHERE study_id = $1 AND signals IS NOT NULL AND ($6::int[] IS NULL OR checkpoint_id = ANY($6::int[]))) AS r
     ), norms AS MATERIALIZED (
       SELECT checkpoint_id, count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS median,
              avg(CASE WHEN no_reasoning THEN 0 ELSE 1 END) AS reasoning_share
         FROM lengths GROUP BY checkpoint_id
     ), spreads AS MATERIALIZED (
       SELECT l.checkpoint_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(l.x - n.median)) AS mad
         FROM lengths l JOIN norms n USING (checkpoint_id) GROUP BY l.checkpoint_id
     ), scored AS (
       SELECT l.id, l.chars, l.no_reasoning, l.had, l.old_hints, n.n, n.reasoning_share,
              (l.x - n.median) / (1.4826 * greatest(s.mad, $5)) AS z
         FROM lengths l JOIN norms n USING (checkpoint_id) JOIN spreads s USING (checkpoint_id)
     ), wanted AS (
       SELECT id, had, old_hints,
              CASE WHEN n >= $3 AND abs(z) >= $2
                   THEN jsonb_build_array(jsonb_build_object('kind', 'length_outlier', 'z', round(z::numeric, 2), 'chars', chars))
                   ELSE '[]'::jsonb END
              || CASE WHEN n >= $3 AND no_reasoning AND reasoning_share >= $4
                   THEN '[{"kind": "missing_think"}]'::jsonb ELSE '[]'::jsonb END AS hints
         FROM scored
     ), merged AS (
       SELECT w.id, coalesce((
                SELECT jsonb_agg(h ORDER BY o) FROM jsonb_array_elements(w.old_hints) WITH ORDINALITY AS e(h, o)
                 WHERE h ->> 'kind' NOT IN ('length_outlier', 'missing_think')), '[]'::jsonb) || w.hints AS hints
         FROM wanted w
        WHERE w.hints <> '[]'::jsonb OR w.had
     )
     UPDATE response r SET signals = jsonb_set(r.signals, '{hints}', m.hints)
       FROM merged m
      WHERE r.id = m.id AND r.signals -> 'hints' IS DISTINCT FROM m.hints`,
    values: [
      studyId,
      LENGTH_OUTLIER_Z,
      MIN_RESPONSES_FOR_NORM,
      REASONING_NORM,
      MIN_LOG_SPREAD,
      checkpointIds,
      importJobId,
    ],
  };
}
