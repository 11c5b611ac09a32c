// Progress for the workspace header: the reviewer's own and the study's, and time per item.
import { reviewStudy, type Db } from "./db";
import type { ReviewerProgress } from "./types";

export async function reviewerProgress(
  db: Db,
  studySlug: string,
  reviewerId: number,
): Promise<ReviewerProgress | null> {
  const study = await reviewStudy(db, studySlug, reviewerId);
  if (!study) return null;
  const { rows } = await db.query<{
    done: string;
    open_for_me: string;
    complete: string;
    prompts: string;
    median_seconds: number | null;
  }>(
    `WITH mine AS (
       SELECT r.prompt_id
         FROM label l JOIN response r ON r.id = l.response_id
        WHERE l.study_id = $1 AND l.reviewer_id = $2 AND l.submitted_at IS NOT NULL
        GROUP BY r.prompt_id
       HAVING count(*) = (SELECT count(*) FROM response r2 WHERE r2.prompt_id = r.prompt_id))
     SELECT (SELECT count(*) FROM mine) AS done,
            (SELECT count(*) FROM prompt_review_state s
              WHERE s.study_id = $1 AND s.completed_reviewers < $3 AND s.prompt_id NOT IN (SELECT prompt_id FROM mine)) AS open_for_me,
            (SELECT count(*) FROM prompt_review_state s WHERE s.study_id = $1 AND s.completed_reviewers >= $3) AS complete,
            (SELECT count(*) FROM prompt_review_state s WHERE s.study_id = $1) AS prompts,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY i.elapsed_ms) / 1000.0
               FROM review_item i WHERE i.study_id = $1 AND i.reviewer_id = $2 AND i.elapsed_ms IS NOT NULL) AS median_seconds`,
    [study.id, reviewerId, study.overlap],
  );
  const row = rows[0]!;
  const done = Number(row.done);
  return {
    promptsDone: done,
    promptsTotalForYou: done + Number(row.open_for_me),
    studyPromptsComplete: Number(row.complete),
    studyPrompts: Number(row.prompts),
    medianSecondsPerItem: row.median_seconds === null ? null : Math.round(Number(row.median_seconds) * 10) / 10,
  };
}
