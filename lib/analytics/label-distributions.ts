// How reviewers' harm severity and reasoning-quality scores are distributed per strategy: one
// count per (strategy, score), from labels (every label counts, not the per-response median).
// Both scores in one pass (GROUPING SETS) over the labels, which carry their response's strategy.
import type pg from "pg";
import type { TrainingStrategy } from "../db/generated/enums";
import { sql } from "../db/sql";
import { analyticsParams, labelFilterSql, labelResponseFilterSql, type AnalyticsFilters } from "./filters";

export interface ScoreCount {
  strategy: TrainingStrategy;
  score: number;
  labels: number;
  /** Share of this strategy's scored labels. */
  share: number;
}

export type ScoreName = "harmSeverity" | "reasoningQuality";

export async function scoreDistributions(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  filters: AnalyticsFilters = {},
): Promise<Record<ScoreName, ScoreCount[]>> {
  const p = analyticsParams(studyId, filters);
  const { rows } = await db.query<{
    strategy: TrainingStrategy;
    quality: boolean;
    score: number | null;
    labels: string;
  }>(
    sql`SELECT l.strategy, GROUPING(l.harm_severity) = 1 AS quality, coalesce(l.harm_severity, l.reasoning_quality) AS score, count(*) AS labels
     FROM label l
     WHERE l.study_id = ${p.study} AND l.submitted_at IS NOT NULL AND ${labelFilterSql(p)} AND ${labelResponseFilterSql(p)}
     GROUP BY GROUPING SETS ((l.strategy, l.harm_severity), (l.strategy, l.reasoning_quality))
     ORDER BY l.strategy, score`.toQuery(),
  );
  const out: Record<ScoreName, ScoreCount[]> = { harmSeverity: [], reasoningQuality: [] };
  const totals = new Map<string, number>();
  const scored = rows.filter((r) => r.score !== null);
  for (const r of scored)
    totals.set(`${r.quality}:${r.strategy}`, (totals.get(`${r.quality}:${r.strategy}`) ?? 0) + Number(r.labels));
  for (const r of scored) {
    out[r.quality ? "reasoningQuality" : "harmSeverity"].push({
      strategy: r.strategy,
      score: Number(r.score),
      labels: Number(r.labels),
      share: Number(r.labels) / totals.get(`${r.quality}:${r.strategy}`)!,
    });
  }
  return out;
}

export async function scoreDistribution(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  score: ScoreName,
  filters: AnalyticsFilters = {},
): Promise<ScoreCount[]> {
  return (await scoreDistributions(db, studyId, filters))[score];
}
