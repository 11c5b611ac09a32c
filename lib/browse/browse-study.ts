// What the browse, detail and import pages need to know about a study: its id, rules and the
// values its filters offer.
import { pool } from "../db/client";
import type { TrainingStrategy } from "../db/generated/enums";
import { failureRulesOf, type FailureRules } from "../study/failure-rules";

export interface BrowseStudy {
  id: number;
  slug: string;
  name: string;
  rules: FailureRules;
  categories: string[];
  splits: string[];
  checkpoints: { id: number; name: string; strategy: TrainingStrategy }[];
}

export async function browseStudy(slug: string): Promise<BrowseStudy | null> {
  const result = await pool().query<{
    id: number;
    slug: string;
    name: string;
    failure_rules: unknown;
    categories: string[] | null;
    splits: string[] | null;
    checkpoints: BrowseStudy["checkpoints"] | null;
  }>(
    `SELECT s.id, s.slug, s.name, s.failure_rules,
       (SELECT array_agg(DISTINCT category ORDER BY category) FROM prompt WHERE study_id = s.id AND category IS NOT NULL) AS categories,
       (SELECT array_agg(DISTINCT split ORDER BY split) FROM prompt WHERE study_id = s.id AND split IS NOT NULL) AS splits,
       (SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'strategy', c.strategy) ORDER BY c.strategy, c.training_step NULLS FIRST, c.name)
          FROM checkpoint c WHERE c.study_id = s.id) AS checkpoints
     FROM study s WHERE s.slug = $1`,
    [slug],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    rules: failureRulesOf(row.failure_rules),
    categories: row.categories ?? [],
    splits: row.splits ?? [],
    checkpoints: row.checkpoints ?? [],
  };
}
