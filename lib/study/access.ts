// Who may see which study: the one lookup that every study-scoped page, server action and API route
// goes through (via lib/auth/guard.ts: requireStudyAccess, studyApiRoute). Admins see every study;
// researchers and reviewers only the studies they are members of (study_member). A study someone
// may not see is, to them, a study that does not exist: the lookup answers null, and the guard 404.
// Design and decisions: lib/study/README.md.
import type pg from "pg";
import { pool } from "../db/client";
import type { Role, StudyRole } from "../db/generated/enums";

export const STUDY_ROLES = ["RESEARCHER", "REVIEWER"] as const satisfies readonly StudyRole[];

/** Who is asking: an account (from the sign-in cookie or an API token's owner). */
export interface StudyViewer {
  id: number;
  role: Role;
}

export interface VisibleStudy {
  id: number;
  slug: string;
  name: string;
  archivedAt: Date | null;
  /** The viewer's role in this study; null for an admin who is not a member. */
  studyRole: StudyRole | null;
  /** What the viewer may do here: their account's role, narrowed by their role in the study. */
  role: Role;
}

/**
 * The role that counts inside a study. A role in a study never raises an account above its own
 * role (a reviewer account stays a reviewer), it may lower it (a researcher who only labels one
 * study is that study's reviewer: blind, no analytics). Admins are admins everywhere.
 */
export function roleInStudy(accountRole: Role, studyRole: StudyRole | null): Role | null {
  if (accountRole === "ADMIN") return "ADMIN";
  if (studyRole === null) return null;
  if (accountRole === "RESEARCHER" && studyRole === "RESEARCHER") return "RESEARCHER";
  return "REVIEWER";
}

/**
 * The SQL condition "account `userParam` may see study `studyAlias`" for queries that list or open
 * studies by themselves (the studies list, the review queue): an active account that is an admin
 * or a member. Keep it the same rule as roleInStudy.
 */
export function studyVisibleSql(studyAlias: string, userParam: string): string {
  return `EXISTS (SELECT 1 FROM "user" vu WHERE vu.id = ${userParam} AND NOT vu.disabled AND NOT vu.placeholder
    AND (vu.role = 'ADMIN' OR EXISTS (SELECT 1 FROM study_member vm WHERE vm.study_id = ${studyAlias}.id AND vm.user_id = vu.id)))`;
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
): Promise<VisibleStudy | null> {
  if (typeof slug !== "string" || !SLUG_SHAPE.test(slug)) return null;
  const { rows } = await db.query<{
    id: number;
    slug: string;
    name: string;
    archived_at: Date | null;
    study_role: StudyRole | null;
  }>(
    `SELECT s.id, s.slug, s.name, s.archived_at, m.role::text AS study_role
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
    archivedAt: row.archived_at,
    studyRole: row.study_role,
    role,
  };
}

/** Ids of the studies the viewer may see (admins: null, meaning every study). */
export async function visibleStudyIds(
  viewer: StudyViewer,
  db: pg.Pool | pg.PoolClient = pool(),
): Promise<number[] | null> {
  if (viewer.role === "ADMIN") return null;
  const { rows } = await db.query<{ study_id: number }>("SELECT study_id FROM study_member WHERE user_id = $1", [
    viewer.id,
  ]);
  return rows.map((r) => r.study_id);
}

/** Whether any study has this slug, visible to anyone or not (only for creating one). */
export async function slugTaken(slug: string, db: pg.Pool | pg.PoolClient = pool()): Promise<boolean> {
  const { rowCount } = await db.query("SELECT 1 FROM study WHERE slug = $1", [slug]);
  return (rowCount ?? 0) > 0;
}

/**
 * The command line: whoever can run it holds the database's credentials, so it sees every study,
 * as an admin does.
 */
export const COMMAND_LINE_VIEWER: StudyViewer = { id: 0, role: "ADMIN" };
