// How reviewers' harm severity and reasoning-quality scores are distributed per strategy: one
// count per (strategy, score), from labels (every label counts, not the per-response median).
import type pg from "pg";
import type { TrainingStrategy } from "../db/generated/enums";
import { filterParams, labelFilterSql, responseFilterSql, type AnalyticsFilters } from "./filters";

export interface ScoreCount {
  strategy: TrainingStrategy;
  score: number;
  labels: number;
  /** Share of this strategy's scored labels. */
  share: number;
}

const SCORE_COLUMNS = { harmSeverity: "l.harm_severity", reasoningQuality: "l.reasoning_quality" } as const;

export async function scoreDistribution(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  score: keyof typeof SCORE_COLUMNS,
  filters: AnalyticsFilters = {},
): Promise<ScoreCount[]> {
  const column = SCORE_COLUMNS[score];
  const { rows } = await db.query<{ strategy: TrainingStrategy; score: number; labels: string; share: string }>(
    `SELECT c.strategy, ${column} AS score, count(*) AS labels,
            count(*)::float8 / sum(count(*)) OVER (PARTITION BY c.strategy) AS share
     FROM label l
     JOIN response r ON r.id = l.response_id
     JOIN checkpoint c ON c.id = r.checkpoint_id
     JOIN prompt p ON p.id = r.prompt_id
     WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL AND ${column} IS NOT NULL
       AND ${labelFilterSql(2)} AND ${responseFilterSql(6)}
     GROUP BY c.strategy, ${column}
     ORDER BY c.strategy, score`,
    [studyId, ...filterParams(filters)],
  );
  return rows.map((r) => ({ strategy: r.strategy, score: Number(r.score), labels: Number(r.labels), share: Number(r.share) }));
}
