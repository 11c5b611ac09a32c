// The review queue. "Next" gives a reviewer a prompt of the study that they have not completed and
// that still needs reviewers: completed reviewers (prompt_review_state, kept by triggers) plus
// unexpired leases held by others below the study's overlap. The prompt is leased to them until the
// lease expires; an abandoned lease simply stops counting. Concurrency: a candidate's state row is
// locked with FOR UPDATE SKIP LOCKED (concurrent "next" calls pass each other instead of waiting),
// then re-checked by a new statement, whose snapshot in READ COMMITTED sees every lease committed by
// whoever held that lock before — so two reviewers never both take the last free place.
//
// Order: with overlap > 1, first prompts that are partly reviewed (most reviewers first, so that
// prompts become complete early and agreement can be measured), looking at a bounded window of
// them; then untouched prompts in import order; then, only when those are exhausted, every partly
// reviewed prompt. The window keeps "next" an index scan even when the partly reviewed prompts at
// the head are all ones this reviewer has done (fewer active reviewers than the overlap).
import { prep, doneBy, inTransaction, NOW, ReviewInputError, reviewStudy, type Db, type Tx } from "./db";
import { buildItem } from "./item";
import type { ReviewItem } from "./types";

/** A skipped prompt is not served to that reviewer again for this long (a sign-in session). */
export const SKIP_HIDE_HOURS = 12;
/** Partly reviewed prompts looked at before untouched ones are taken. */
export const IN_PROGRESS_WINDOW = 100;
/** Candidates tried before giving up when each was taken between the scan and the re-check. */
const ATTEMPTS = 25;

// Each check is a per-row lookup by primary key (scalar subqueries, and OFFSET 0 keeps the EXISTS a
// subplan): the planner must not turn them into joins that read all of a reviewer's items or labels.
const eligible = (s: string) => `
      coalesce((SELECT i.skipped_at FROM review_item i WHERE i.prompt_id = ${s}.prompt_id AND i.reviewer_id = $2), '-infinity')
        <= ${NOW} - make_interval(hours => ${SKIP_HIDE_HOURS})
  AND ${s}.completed_reviewers + (SELECT count(*) FROM review_lease l WHERE l.prompt_id = ${s}.prompt_id AND l.reviewer_id <> $2 AND l.expires_at > ${NOW}) < $3
  AND EXISTS (SELECT 1 FROM response r WHERE r.prompt_id = ${s}.prompt_id
               AND NOT EXISTS (SELECT 1 FROM label lb WHERE lb.response_id = r.id AND lb.reviewer_id = $2 AND lb.submitted_at IS NOT NULL)
              OFFSET 0)
  AND ${s}.prompt_id <> ALL ($4::int[])`;

/**
 * Untouched prompts, in import order. Parameters: $1 study, $2 reviewer, $3 overlap, $4 excluded ids.
 * The lower bound (the first untouched prompt, from the queue index) lets whichever index the
 * planner picks start at the head of the queue instead of walking past the prompts already done.
 */
export const UNTOUCHED_SQL = `
  SELECT s.prompt_id FROM prompt_review_state s
   WHERE s.study_id = $1 AND s.completed_reviewers = 0
     AND s.prompt_id >= (SELECT min(h.prompt_id) FROM prompt_review_state h WHERE h.study_id = $1 AND h.completed_reviewers = 0)
     AND ${eligible("s")}
   ORDER BY s.prompt_id
   LIMIT 1 FOR UPDATE OF s SKIP LOCKED`;

/** Partly reviewed prompts, most reviewers first; $5 bounds how many are looked at (NULL: all). */
export const IN_PROGRESS_SQL = `
  SELECT s.prompt_id FROM (
           SELECT w.prompt_id FROM prompt_review_state w
            WHERE w.study_id = $1 AND w.completed_reviewers BETWEEN 1 AND $3 - 1
            ORDER BY w.completed_reviewers DESC, w.prompt_id DESC
            LIMIT $5) head
    JOIN prompt_review_state s ON s.prompt_id = head.prompt_id
   WHERE s.completed_reviewers BETWEEN 1 AND $3 - 1 AND ${eligible("s")}
   ORDER BY s.completed_reviewers DESC, s.prompt_id DESC
   LIMIT 1 FOR UPDATE OF s SKIP LOCKED`;

/** After the lock: is there still room for this reviewer? (A new statement, so a fresh snapshot.) */
const STILL_FREE = `
  SELECT (s.completed_reviewers + (SELECT count(*) FROM review_lease l WHERE l.prompt_id = s.prompt_id AND l.reviewer_id <> $2 AND l.expires_at > ${NOW}) < $3
          AND NOT ${doneBy("s.prompt_id", "$2")}) AS free
    FROM prompt_review_state s WHERE s.prompt_id = $1`;

async function candidate(tx: Tx, studyId: number, reviewerId: number, overlap: number, excluded: number[]): Promise<number | null> {
  const base = [studyId, reviewerId, overlap, excluded];
  if (overlap > 1) {
    const windowed = await tx.query<{ prompt_id: number }>(prep(IN_PROGRESS_SQL, [...base, IN_PROGRESS_WINDOW]));
    if (windowed.rows[0]) return windowed.rows[0].prompt_id;
  }
  const untouched = await tx.query<{ prompt_id: number }>(prep(UNTOUCHED_SQL, base));
  if (untouched.rows[0]) return untouched.rows[0].prompt_id;
  if (overlap > 1) {
    const all = await tx.query<{ prompt_id: number }>(prep(IN_PROGRESS_SQL, [...base, null]));
    if (all.rows[0]) return all.rows[0].prompt_id;
  }
  return null;
}

/** Leases a prompt to the reviewer (or returns the one they hold); null when nothing is left for them. */
export async function leaseNext(db: Db, studyId: number, reviewerId: number, overlap: number, leaseSeconds: number): Promise<number | null> {
  // A lease is worth nothing after a crash (it expires anyway): no need to wait for the disk.
  return inTransaction(db, async (tx) => {
    // One "next" at a time per reviewer and study (two tabs must not take two prompts).
    await tx.query(prep("SELECT pg_advisory_xact_lock(hashtextextended('review-next:' || $1::text || ':' || $2::text, 0))", [studyId, reviewerId]));
    const held = await tx.query<{ prompt_id: number }>(prep(
      `SELECT l.prompt_id FROM review_lease l
        WHERE l.study_id = $1 AND l.reviewer_id = $2 AND l.expires_at > ${NOW} AND NOT ${doneBy("l.prompt_id", "$2")}
        ORDER BY l.leased_at DESC LIMIT 1`,
      [studyId, reviewerId]));
    let promptId = held.rows[0]?.prompt_id ?? null;
    if (promptId === null) {
      const excluded: number[] = [];
      for (let attempt = 0; attempt < ATTEMPTS && promptId === null; attempt++) {
        const found = await candidate(tx, studyId, reviewerId, overlap, excluded);
        if (found === null) break;
        const check = await tx.query<{ free: boolean }>(prep(STILL_FREE, [found, reviewerId, overlap]));
        if (check.rows[0]?.free) promptId = found;
        else excluded.push(found);
      }
      if (promptId === null) return null;
    }
    // The lease (other leases of this reviewer in the study ran out or were finished: dropped), and
    // the first opening for the time per item.
    await tx.query(prep(
      `WITH dropped AS (DELETE FROM review_lease WHERE study_id = $3 AND reviewer_id = $2 AND prompt_id <> $1),
            opened AS (INSERT INTO review_item (prompt_id, reviewer_id, study_id, first_opened_at) VALUES ($1, $2, $3, ${NOW})
                       ON CONFLICT (prompt_id, reviewer_id) DO NOTHING)
       INSERT INTO review_lease (prompt_id, reviewer_id, study_id, leased_at, expires_at)
       VALUES ($1, $2, $3, ${NOW}, ${NOW} + make_interval(secs => $4))
       ON CONFLICT (prompt_id, reviewer_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
      [promptId, reviewerId, studyId, leaseSeconds]));
    return promptId;
  }, { durable: false });
}

export async function nextItem(db: Db, studySlug: string, reviewerId: number, leaseSeconds: number): Promise<ReviewItem | null> {
  const study = await reviewStudy(db, studySlug, reviewerId);
  if (!study) return null;
  const promptId = await leaseNext(db, study.id, reviewerId, study.overlap, leaseSeconds);
  if (promptId === null) return null;
  return buildItem(db, study, reviewerId, promptId);
}

/**
 * Gives the prompt back to the queue and hides it from this reviewer for SKIP_HIDE_HOURS (their
 * draft, if any, is kept). Skipping a prompt not served to them does nothing.
 */
export async function skipItem(db: Db, studySlug: string, reviewerId: number, promptId: number): Promise<void> {
  const study = await reviewStudy(db, studySlug, reviewerId);
  if (!study) throw new ReviewInputError("No such study.");
  await inTransaction(db, async (tx) => {
    await tx.query("DELETE FROM review_lease WHERE prompt_id = $1 AND reviewer_id = $2 AND study_id = $3", [promptId, reviewerId, study.id]);
    await tx.query(`UPDATE review_item SET skipped_at = ${NOW} WHERE prompt_id = $1 AND reviewer_id = $2 AND study_id = $3`, [promptId, reviewerId, study.id]);
  });
}
