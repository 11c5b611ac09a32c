// "My labels": the prompts a reviewer has labelled in a study (imported labels under their account
// included), newest prompt first, in pages keyed by prompt id.
import { iso, reviewStudy, type Db } from "./db";
import type { MyLabelsPage } from "./types";

export const EXCERPT_CHARS = 160;
export const MY_LABELS_PAGE_MAX = 200;

export async function myLabels(
  db: Db,
  studySlug: string,
  reviewerId: number,
  page: { after?: number; limit: number },
): Promise<MyLabelsPage> {
  const study = await reviewStudy(db, studySlug, reviewerId);
  if (!study) return { items: [], nextAfter: null };
  const limit = Math.min(Math.max(1, Math.floor(page.limit) || 1), MY_LABELS_PAGE_MAX);
  const after = page.after !== undefined && Number.isInteger(page.after) ? page.after : null;
  const { rows } = await db.query<{ prompt_id: number; excerpt: string; labelled: string; updated_at: string }>(
    `SELECT mine.prompt_id, left(p.text, ${EXCERPT_CHARS}) AS excerpt, mine.labelled, ${iso("mine.updated_at")} AS updated_at
       FROM (SELECT r.prompt_id, count(*) AS labelled, max(l.updated_at) AS updated_at
               FROM label l JOIN response r ON r.id = l.response_id
              WHERE l.study_id = $1 AND l.reviewer_id = $2 AND l.submitted_at IS NOT NULL AND ($3::int IS NULL OR r.prompt_id < $3)
              GROUP BY r.prompt_id
              ORDER BY r.prompt_id DESC
              LIMIT $4) mine
       JOIN prompt p ON p.id = mine.prompt_id
      ORDER BY mine.prompt_id DESC`,
    [study.id, reviewerId, after, limit + 1],
  );
  const items = rows.slice(0, limit).map((r) => ({
    promptId: r.prompt_id,
    promptExcerpt: r.excerpt,
    labelled: Number(r.labelled),
    updatedAt: r.updated_at,
  }));
  return { items, nextAfter: rows.length > limit ? items.at(-1)!.promptId : null };
}
