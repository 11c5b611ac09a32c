// The review queue (the choice itself is the SQL function review_next in the review_queue
// migration). "Next" gives a reviewer a prompt of the study that they have not completed and
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
//
// A study whose review order is "disagreement-first" takes its untouched prompts by
// prompt_review_state.priority (highest first), then in import order: the priority counts the rules
// its responses meet where judges, signals and humans disagree or a judge is unsure (function
// review_refresh_priority of the review_priority migration, which also replaces review_next;
// docs/reviewing.md#disagreement-first).
import {
  inTransaction,
  NOW,
  prep,
  ReviewInputError,
  reviewStudy,
  STUDY_COLUMNS,
  studyOf,
  type Db,
  type StudyRow,
} from "./db";
import { buildItem } from "./item";
import type { ReviewItem } from "./types";

/** A skipped prompt is not served to that reviewer again for this long (a sign-in session). */
export const SKIP_HIDE_HOURS = 12;
/** Partly reviewed prompts looked at before untouched ones are taken. */
export const IN_PROGRESS_WINDOW = 100;

/**
 * The next prompt for this reviewer, leased to them (or the one they hold); null when nothing is
 * left for them. The study and the choice come in one round trip: the choice itself runs in
 * PostgreSQL (function review_next of the review_queue migration) instead of eight statements from
 * here, which is what keeps "next" fast with many reviewers at once; the item is a second one.
 */
export async function nextItem(
  db: Db,
  studySlug: string,
  reviewerId: number,
  leaseSeconds: number,
): Promise<ReviewItem | null> {
  const { rows } = await db.query<StudyRow & { prompt_id: number | null }>(
    prep(
      `SELECT *, CASE WHEN reviewer_ok THEN review_next(id, $2, GREATEST(overlap, 1), $3, $4, $5) END AS prompt_id
       FROM (SELECT ${STUDY_COLUMNS} FROM study s WHERE s.slug = $1) study`,
      [studySlug, reviewerId, Math.round(leaseSeconds), IN_PROGRESS_WINDOW, SKIP_HIDE_HOURS],
    ),
  );
  const study = studyOf(rows[0]);
  const promptId = rows[0]?.prompt_id ?? null;
  if (!study || promptId === null) return null;
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
    await tx.query("DELETE FROM review_lease WHERE prompt_id = $1 AND reviewer_id = $2 AND study_id = $3", [
      promptId,
      reviewerId,
      study.id,
    ]);
    await tx.query(
      `UPDATE review_item SET skipped_at = ${NOW} WHERE prompt_id = $1 AND reviewer_id = $2 AND study_id = $3`,
      [promptId, reviewerId, study.id],
    );
  });
}
