// Who may see which study: the rules behind the one lookup (lib/study/study-by-slug.ts) that every study-scoped page, server action and API route
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

/** A study as its viewer may see it (lib/study/study-by-slug.ts). */
export type { StudyRef as VisibleStudy } from "./study-by-slug";

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

export { studyBySlug } from "./study-by-slug";

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
