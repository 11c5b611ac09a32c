// The one lookup of a study by the slug in a URL or a command's --study: what every route and
// command needs before it calls the domain function (its id, slug, name and failure rules).
import type pg from "pg";
import { pool } from "../db/client";
import { failureRulesOf, type FailureRules } from "./failure-rules";

export interface StudyRef {
  id: number;
  slug: string;
  name: string;
  rules: FailureRules;
}

/** The study with this slug; null when there is none. */
export async function studyBySlug(slug: string, db: pg.Pool | pg.PoolClient = pool()): Promise<StudyRef | null> {
  const { rows } = await db.query<{ id: number; slug: string; name: string; failure_rules: unknown }>(
    "SELECT id, slug, name, failure_rules FROM study WHERE slug = $1",
    [slug],
  );
  const row = rows[0];
  return row ? { id: row.id, slug: row.slug, name: row.name, rules: failureRulesOf(row.failure_rules) } : null;
}
