// The column options of a study's last successful import from the import page, per format and set
// of columns (import_mapping): a later file of the same harness gets them pre-filled.
//
// Decisions:
// - Keyed by the columns' names as the importer matches them (normalised, sorted, deduplicated): a
//   file whose columns come in another order, or in another case, is the same harness's file. A
//   file with one more column is another layout and starts from the built-in names.
// - Only a real import that succeeded is remembered, with the options it ran with (a check or a
//   rejected file leaves the remembered mapping as it was); the newest one wins.
// - The options are kept as their option strings (`checkpoint=gpt4`, `id=prompt_id`, a rule's text),
//   the form the command line and the query string take, and parsed again when used.
import type pg from "pg";
import { normalizeName } from "./column-mapping";

export interface RememberedMapping {
  set: string[];
  rename: string[];
  derive: string[];
  savedAt: Date;
  savedBy: string | null;
}

/** The key of a set of columns: their normalised names, sorted, joined with a tab. */
export function columnKey(columns: readonly string[]): string {
  return [...new Set(columns.map(normalizeName))].sort().join("\t");
}

export async function rememberedMapping(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  format: string,
  columns: readonly string[],
): Promise<RememberedMapping | null> {
  const { rows } = await db.query<{
    set: string[] | null;
    rename: string[] | null;
    derive: string[] | null;
    saved_at: Date;
    email: string | null;
  }>(
    `SELECT m.set, m.rename, m.derive, m.saved_at, u.email
       FROM import_mapping m LEFT JOIN "user" u ON u.id = m.saved_by_id
      WHERE m.study_id = $1 AND m.format = $2 AND m.column_key = $3`,
    [studyId, format, columnKey(columns)],
  );
  const row = rows[0];
  return row
    ? {
        set: row.set ?? [],
        rename: row.rename ?? [],
        derive: row.derive ?? [],
        savedAt: row.saved_at,
        savedBy: row.email,
      }
    : null;
}

export async function rememberMapping(
  db: pg.Pool | pg.PoolClient,
  input: {
    studyId: number;
    format: string;
    columns: readonly string[];
    set: readonly string[];
    rename: readonly string[];
    derive: readonly string[];
    userId: number | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO import_mapping (study_id, format, column_key, set, rename, derive, saved_by_id, saved_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (study_id, format, column_key)
     DO UPDATE SET set = EXCLUDED.set, rename = EXCLUDED.rename, derive = EXCLUDED.derive,
                   saved_by_id = EXCLUDED.saved_by_id, saved_at = EXCLUDED.saved_at`,
    [input.studyId, input.format, columnKey(input.columns), input.set, input.rename, input.derive, input.userId],
  );
}

/** Forgets the remembered mapping of these columns; true when there was one. */
export async function forgetMapping(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  format: string,
  columns: readonly string[],
): Promise<boolean> {
  const { rowCount } = await db.query(
    "DELETE FROM import_mapping WHERE study_id = $1 AND format = $2 AND column_key = $3",
    [studyId, format, columnKey(columns)],
  );
  return (rowCount ?? 0) > 0;
}
