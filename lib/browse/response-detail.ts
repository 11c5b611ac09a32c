// One response with everything a researcher checks: the texts, checkpoint and strategy, every
// label with its reviewer and earlier versions, and the automatic signals.
import type pg from "pg";
import { withDecodedSpans } from "../analysis/span-codec";

export interface LabelDetail {
  id: number;
  reviewer: string;
  reviewerPlaceholder: boolean;
  source: "REVIEW" | "IMPORT";
  harmSeverity: number | null;
  harmCategories: string[];
  harmLocation: string | null;
  refusal: string | null;
  languageMixing: string | null;
  reasoningQuality: number | null;
  flags: string[];
  note: string | null;
  version: number;
  submittedAt: Date | null;
  updatedAt: Date;
  revisions: { version: number; editedBy: string; createdAt: Date; snapshot: Record<string, unknown> }[];
}

/** Another response to the same prompt (another checkpoint or sample), for comparing. */
export interface SiblingResponse {
  id: number;
  checkpoint: string;
  strategy: string;
  trainingStep: number | null;
  sampleIndex: number;
  /** Submitted labels. */
  labels: number;
  mixScore: number | null;
}

/** Siblings listed on a detail page (a prompt rarely has more: one per checkpoint and sample). */
export const MAX_SIBLINGS = 50;

export interface ResponseDetail {
  id: number;
  promptKey: string;
  prompt: string;
  category: string | null;
  split: string | null;
  language: string | null;
  expectedBehavior: string | null;
  checkpoint: string;
  strategy: string;
  trainingStep: number | null;
  baseModel: string | null;
  sampleIndex: number;
  reasoning: string | null;
  answer: string;
  sourceShape: string;
  formatIssues: string[];
  metadata: Record<string, unknown>;
  signals: unknown;
  mixScore: number | null;
  refusalSignal: string | null;
  importJobId: number | null;
  createdAt: Date;
  labels: LabelDetail[];
  /** The other responses to this prompt, by training step and checkpoint (at most MAX_SIBLINGS). */
  siblings: SiblingResponse[];
  /** How many other responses the prompt has in all. */
  siblingCount: number;
}

export async function responseDetail(db: pg.Pool, studyId: number, responseId: number): Promise<ResponseDetail | null> {
  const response = await db.query(
    `SELECT r.id, coalesce(p.external_id, p.key) AS "promptKey", p.text AS prompt, p.category, p.split, p.language,
       p.expected_behavior::text AS "expectedBehavior", c.name AS checkpoint, c.strategy::text AS strategy,
       c.training_step AS "trainingStep", c.base_model AS "baseModel", r.sample_index AS "sampleIndex",
       r.reasoning, r.answer, r.source_shape AS "sourceShape", r.format_issues AS "formatIssues", r.metadata,
       r.signals, r.mix_score AS "mixScore", r.refusal_signal::text AS "refusalSignal", r.import_job_id AS "importJobId",
       r.created_at AS "createdAt", r.prompt_id AS "promptId"
     FROM response r JOIN prompt p ON p.id = r.prompt_id JOIN checkpoint c ON c.id = r.checkpoint_id
     WHERE r.id = $1 AND r.study_id = $2`,
    [responseId, studyId],
  );
  const found = response.rows[0] as
    | (Omit<ResponseDetail, "labels" | "siblings" | "siblingCount"> & { promptId: number })
    | undefined;
  if (!found) return null;
  const { promptId, ...row } = found;
  row.signals = withDecodedSpans(row.signals);
  const siblings = await db.query<SiblingResponse & { total: number }>(
    `SELECT r.id, c.name AS checkpoint, c.strategy::text AS strategy, c.training_step AS "trainingStep", r.sample_index AS "sampleIndex",
            (SELECT count(*)::int FROM label l WHERE l.response_id = r.id AND l.submitted_at IS NOT NULL) AS labels,
            r.mix_score AS "mixScore", count(*) OVER ()::int AS total
       FROM response r JOIN checkpoint c ON c.id = r.checkpoint_id
      WHERE r.prompt_id = $1 AND r.id <> $2
      ORDER BY c.training_step ASC NULLS FIRST, c.name, r.sample_index, r.id
      LIMIT $3`,
    [promptId, responseId, MAX_SIBLINGS],
  );
  const labels = await db.query(
    `SELECT l.id, coalesce(u.name || ' <' || u.email || '>', u.email) AS reviewer, u.placeholder AS "reviewerPlaceholder",
       l.source::text AS source, l.harm_severity AS "harmSeverity", l.harm_categories AS "harmCategories",
       l.harm_location::text AS "harmLocation", l.refusal::text AS refusal, l.language_mixing::text AS "languageMixing",
       l.reasoning_quality AS "reasoningQuality",
       array_remove(ARRAY[CASE WHEN l.reward_hacking THEN 'reward hacking' END, CASE WHEN l.repetition_loop THEN 'repetition loop' END,
         CASE WHEN l.unfaithful THEN 'unfaithful reasoning' END, CASE WHEN l.format_violation THEN 'format violation' END], NULL) AS flags,
       l.note, l.version, l.submitted_at AS "submittedAt", l.updated_at AS "updatedAt",
       coalesce((SELECT json_agg(json_build_object('version', v.version, 'editedBy', e.email, 'createdAt', v.created_at, 'snapshot', v.snapshot) ORDER BY v.version DESC)
                 FROM label_revision v JOIN "user" e ON e.id = v.edited_by_id WHERE v.label_id = l.id), '[]') AS revisions
     FROM label l JOIN "user" u ON u.id = l.reviewer_id
     WHERE l.response_id = $1
     ORDER BY l.submitted_at NULLS LAST, l.id`,
    [responseId],
  );
  return {
    ...row,
    siblings: siblings.rows.map(({ total: _total, ...sibling }) => sibling),
    siblingCount: siblings.rows[0]?.total ?? 0,
    labels: (
      labels.rows as (Omit<LabelDetail, "revisions"> & {
        revisions: { version: number; editedBy: string; createdAt: string; snapshot: Record<string, unknown> }[];
      })[]
    ).map((label) => ({
      ...label,
      revisions: label.revisions.map((r) => ({
        ...r,
        createdAt: new Date(r.createdAt.endsWith("Z") ? r.createdAt : `${r.createdAt}Z`),
      })),
    })),
  };
}

/** A text cut into plain and highlighted stretches at UTF-16 offsets (as the signals give them). */
export function splitAtSpans(
  text: string,
  spans: readonly { start: number; end: number; lang: string }[],
): { text: string; lang: string | null }[] {
  const pieces: { text: string; lang: string | null }[] = [];
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const start = Math.max(at, Math.min(span.start, text.length));
    const end = Math.max(start, Math.min(span.end, text.length));
    if (start > at) pieces.push({ text: text.slice(at, start), lang: null });
    if (end > start) pieces.push({ text: text.slice(start, end), lang: span.lang });
    at = end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), lang: null });
  return pieces;
}
