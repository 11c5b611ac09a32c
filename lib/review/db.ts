// Shared pieces of the review queries: the study as the workspace needs it, transactions, and
// timestamps (columns hold UTC wall time; read back as ISO 8601 text so that no time zone of the
// Node process can shift them).
import { type MixingThreshold, mixingThresholdOf } from "../analysis/mixing-threshold";
import { createHash } from "node:crypto";
import type pg from "pg";
import { studyVisibleSql } from "../study/access";

export type Db = pg.Pool;

/**
 * A named (prepared) statement: parsed and planned once per connection instead of on every call.
 * The name is derived from the text, so the same text always gets the same name.
 */
export function prep(text: string, values: unknown[]): pg.QueryConfig {
  return { name: `review_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`, text, values };
}
export type Tx = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient;

/** Now as the timestamp columns store it (UTC wall time), whatever the session's time zone. */
export const NOW = `(now() AT TIME ZONE 'UTC')`;

/** A timestamp column as ISO 8601 UTC text. */
export const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A caller error the screen can show as it is (too large a draft, a prompt not served to you …). */
export class ReviewInputError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ReviewInputError";
  }
}

export interface ReviewStudy {
  id: number;
  slug: string;
  name: string;
  blind: boolean;
  overlap: number;
  showSignals: boolean;
  /** When a response counts as mixing languages (lib/analysis/mixing-threshold.ts). */
  mixingThreshold: MixingThreshold;
  harmCategories: string[];
  salt: string;
}

/**
 * The study by slug (reviewStudy), for an active, signed-in-able account that may see it (a member,
 * or an admin: lib/study/access.ts) while it is not archived; null for an unknown study, an archived
 * one, or an account that may not review it (not a member, disabled, or a placeholder from
 * imported labels). The guard has already answered 404 to non-members; this keeps the queue and
 * every review write to member studies even if called from elsewhere.
 */
export const STUDY_COLUMNS = `s.id, s.slug, s.name, s.blind, s.overlap, s.show_signals, s.mixing_threshold, s.harm_categories, s.review_salt::text AS salt,
  (s.archived_at IS NULL AND ${studyVisibleSql("s", "$2")}) AS reviewer_ok`;

export interface StudyRow {
  id: number;
  slug: string;
  name: string;
  blind: boolean;
  overlap: number;
  show_signals: boolean;
  mixing_threshold: string;
  harm_categories: string[];
  salt: string;
  reviewer_ok: boolean;
}

export function studyOf(row: StudyRow | undefined): ReviewStudy | null {
  if (!row?.reviewer_ok) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    blind: row.blind,
    overlap: Math.max(1, row.overlap),
    showSignals: row.show_signals,
    mixingThreshold: mixingThresholdOf(row.mixing_threshold),
    harmCategories: row.harm_categories,
    salt: row.salt,
  };
}

export async function reviewStudy(db: Queryable, slug: string, reviewerId: number): Promise<ReviewStudy | null> {
  const { rows } = await db.query<StudyRow>(
    prep(`SELECT ${STUDY_COLUMNS} FROM study s WHERE s.slug = $1`, [slug, reviewerId]),
  );
  return studyOf(rows[0]);
}

/**
 * The study (as reviewStudy) with one of its prompts for this reviewer, in one round trip: the
 * prompt's response ids in checkpoint order (empty when the prompt is not in the study), whether
 * the prompt was served to them, and how many labels (any state) they have on it.
 */
export async function reviewStudyWithPrompt(
  db: Queryable,
  slug: string,
  reviewerId: number,
  promptId: number | null,
): Promise<{ study: ReviewStudy; responseIds: number[]; served: boolean; myLabels: number } | null> {
  const { rows } = await db.query<StudyRow & { response_ids: number[] | null; served: boolean; my_labels: number }>(
    prep(
      `SELECT ${STUDY_COLUMNS},
            (SELECT array_agg(r.id ORDER BY r.checkpoint_id, r.sample_index, r.id) FROM response r WHERE r.prompt_id = $3 AND r.study_id = s.id) AS response_ids,
            ${servedTo("$3::int", "$2::int")} AS served,
            (SELECT count(*)::int FROM response r JOIN label l ON l.response_id = r.id AND l.reviewer_id = $2 WHERE r.prompt_id = $3) AS my_labels
       FROM study s WHERE s.slug = $1`,
      [slug, reviewerId, promptId],
    ),
  );
  const study = studyOf(rows[0]);
  return study
    ? { study, responseIds: rows[0]!.response_ids ?? [], served: rows[0]!.served, myLabels: rows[0]!.my_labels }
    : null;
}

/** Runs `work` in a transaction; `durable: false` skips waiting for the disk at commit (leases). */
export async function inTransaction<T>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
  options: { durable: boolean } = { durable: true },
): Promise<T> {
  const tx = await db.connect();
  try {
    await tx.query(options.durable ? "BEGIN" : "BEGIN; SET LOCAL synchronous_commit TO off");
    const result = await work(tx);
    await tx.query("COMMIT");
    return result;
  } catch (error) {
    await tx.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
}

/**
 * SQL: the reviewer may open, draft and submit this prompt — the queue served it to them (an item
 * row exists) or they have a label on one of its responses. Crafted prompt ids get nothing.
 */
export const servedTo = (promptColumn: string, reviewerParam: string) =>
  `(EXISTS (SELECT 1 FROM review_item i_s WHERE i_s.prompt_id = ${promptColumn} AND i_s.reviewer_id = ${reviewerParam})
    OR EXISTS (SELECT 1 FROM response r_s JOIN label l_s ON l_s.response_id = r_s.id AND l_s.reviewer_id = ${reviewerParam} WHERE r_s.prompt_id = ${promptColumn}))`;
