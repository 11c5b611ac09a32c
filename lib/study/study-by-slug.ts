// The one lookup of a study by the slug in a URL or a command's --study, and the one place where
// who may see a study is decided: admins every study, researchers and reviewers only the studies
// they are members of (study_member). A study the viewer may not see is, to them, a study that
// does not exist: null, which the guard (lib/auth/guard.ts requireStudyAccess, studyApiRoute)
// answers with 404. The command line passes COMMAND_LINE_VIEWER (lib/study/access.ts).
import type pg from "pg";
import { pool } from "../db/client";
import type { StudyRole } from "../db/generated/enums";
import { roleInStudy, type StudyViewer } from "./access";
import { failureRulesOf, type FailureRules } from "./failure-rules";

export interface StudyRef {
  id: number;
  slug: string;
  name: string;
  rules: FailureRules;
  archivedAt: Date | null;
  /** The viewer's role in this study; null for an admin who is not a member. */
  studyRole: StudyRole | null;
  /** What the viewer may do here: their account's role, narrowed by their role in the study. */
  role: "ADMIN" | "RESEARCHER" | "REVIEWER";
}

const SLUG_SHAPE = /^[a-z0-9][a-z0-9-]{0,99}$/;

/**
 * The study with this slug as `viewer` may see it; null when there is none or they are not a
 * member (the two are told apart nowhere, so that study names do not leak). Archived studies are
 * found (their pages say so); lists and the review queue leave them out.
 */
export async function studyBySlug(
  slug: unknown,
  viewer: StudyViewer,
  db: pg.Pool | pg.PoolClient = pool(),
): Promise<StudyRef | null> {
  if (typeof slug !== "string" || !SLUG_SHAPE.test(slug)) return null;
  const { rows } = await db.query<{
    id: number;
    slug: string;
    name: string;
    failure_rules: unknown;
    archived_at: Date | null;
    study_role: StudyRole | null;
  }>(
    `SELECT s.id, s.slug, s.name, s.failure_rules, s.archived_at, m.role::text AS study_role
       FROM study s LEFT JOIN study_member m ON m.study_id = s.id AND m.user_id = $2
      WHERE s.slug = $1`,
    [slug, viewer.id],
  );
  const row = rows[0];
  if (!row) return null;
  const role = roleInStudy(viewer.role, row.study_role);
  if (role === null) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    rules: failureRulesOf(row.failure_rules),
    archivedAt: row.archived_at,
    studyRole: row.study_role,
    role,
  };
}
