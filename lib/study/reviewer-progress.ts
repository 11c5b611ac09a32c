// What reviewers may read about studies: size and labelling progress, their own and the team's.
// These queries never touch checkpoints or strategies, so nothing rendered from them (HTML, React's
// payload) can tell a reviewer which model wrote what, blind study or not.
import { Prisma } from "../db/generated/client";
import { prisma } from "../db/client";
import { studyVisibleSql } from "./access";

export interface ReviewerStudy {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  blind: boolean;
  /** Reviewers each prompt needs. */
  overlap: number;
  prompts: number;
  responses: number;
  /** Responses this reviewer has submitted a label for. */
  yourLabels: number;
  /** Responses with as many submitted labels as the study's overlap asks. */
  completeResponses: number;
}

type Count = bigint | number;

interface Row {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  blind: boolean;
  overlap: number;
  prompts: Count;
  responses: Count;
  your_labels: Count;
  complete_responses: Count;
}

const toStudy = (row: Row): ReviewerStudy => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  description: row.description,
  blind: row.blind,
  overlap: row.overlap,
  prompts: Number(row.prompts),
  responses: Number(row.responses),
  yourLabels: Number(row.your_labels),
  completeResponses: Number(row.complete_responses),
});

async function reviewerStudies(reviewerId: number, slug: string | null): Promise<ReviewerStudy[]> {
  const rows = await prisma().$queryRaw<Row[]>`
    SELECT s.id, s.slug, s.name, s.description, s.blind, s.overlap,
           (SELECT count(*) FROM prompt p WHERE p.study_id = s.id) AS prompts,
           (SELECT count(*) FROM response r WHERE r.study_id = s.id) AS responses,
           (SELECT count(*) FROM label l
             WHERE l.study_id = s.id AND l.reviewer_id = ${reviewerId} AND l.submitted_at IS NOT NULL) AS your_labels,
           (SELECT count(*) FROM (
              SELECT l.response_id FROM label l
               WHERE l.study_id = s.id AND l.submitted_at IS NOT NULL
               GROUP BY l.response_id HAVING count(*) >= s.overlap) complete) AS complete_responses
      FROM study s
     WHERE (${slug}::text IS NULL OR s.slug = ${slug})
       AND (${slug}::text IS NOT NULL OR s.archived_at IS NULL)
       AND ${Prisma.raw(studyVisibleSql("s", String(Math.trunc(reviewerId))))}
     ORDER BY s.created_at DESC, s.id DESC`;
  return rows.map(toStudy);
}

/** Every active study the reviewer is a member of, with their progress, newest first. */
export function studiesForReviewer(reviewerId: number): Promise<ReviewerStudy[]> {
  return reviewerStudies(reviewerId, null);
}

/** One study with the reviewer's progress; null for an unknown slug or a study they may not see. */
export async function studyForReviewer(slug: string, reviewerId: number): Promise<ReviewerStudy | null> {
  return (await reviewerStudies(reviewerId, slug))[0] ?? null;
}
