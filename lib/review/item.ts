// One prompt as a reviewer sees it: the prompt, its responses in columns (blind: shuffled, stable
// per reviewer and prompt; never a checkpoint id, name or strategy — the query does not select
// them), the reviewer's own labels, preference, draft, lease and start time. Response ids are
// replaced by per-reviewer numbers (lib/review/blind.ts).
import { type MixingThreshold, mixingOf } from "../analysis/mixing-threshold";
import { decodeSpans } from "../analysis/span-codec";
import { displayOrder, letterFor, responseAlias } from "./blind";
import { prep, iso, NOW, servedTo, type Db, type Queryable, type ReviewStudy, reviewStudy } from "./db";
import {
  DIMENSIONS,
  LABEL_DIMENSIONS,
  LANGUAGE_MIXINGS,
  labelValuesFromColumns,
  REFUSALS,
  type LabelColumnValues,
  type LabelDimension,
} from "../labels";
import type { LabelFields } from "./label-input";
import type { ReviewItem, ReviewPartSignals, ReviewResponse, ReviewSignals, SavedLabel } from "./types";

export interface PromptResponse {
  id: number;
  alias: number;
  letter: string;
}

/** Response ids (in checkpoint order) → display order with letters and per-reviewer numbers. */
export function orderResponses(
  ids: readonly number[],
  study: ReviewStudy,
  reviewerId: number,
  promptId: number,
): PromptResponse[] {
  return displayOrder(
    ids.map((id) => ({ id })),
    { blind: study.blind, salt: study.salt, reviewerId, promptId },
  ).map((r, i) => ({
    id: r.id,
    alias: responseAlias(study.salt, reviewerId, r.id),
    letter: letterFor(i),
  }));
}

/** A prompt's responses in display order with their letters and per-reviewer numbers. */
export async function promptResponses(
  db: Queryable,
  study: ReviewStudy,
  reviewerId: number,
  promptId: number,
): Promise<PromptResponse[]> {
  const { rows } = await db.query<{ id: number }>(
    "SELECT r.id FROM response r WHERE r.prompt_id = $1 AND r.study_id = $2 ORDER BY r.checkpoint_id, r.sample_index, r.id",
    [promptId, study.id],
  );
  return orderResponses(
    rows.map((r) => r.id),
    study,
    reviewerId,
    promptId,
  );
}

type LabelRow = LabelColumnValues & {
  response_id: number;
  version: number;
  submitted_at: string | null;
  updated_at: string;
};

/** A judgement column as the label row above reads it (enums as text). */
const judgementColumn = (d: LabelDimension): string => {
  const column = DIMENSIONS[d].column;
  return DIMENSIONS[d].kind === "choice" ? `l.${column}::text AS ${column}` : `l.${column}`;
};

export const LABEL_COLUMNS = `l.response_id, ${LABEL_DIMENSIONS.map(judgementColumn).join(", ")},
  l.version, ${iso("l.submitted_at")} AS submitted_at, ${iso("l.updated_at")} AS updated_at`;

export function labelFieldsOf(row: LabelRow): LabelFields {
  return labelValuesFromColumns(row);
}

export function savedLabelOf(row: LabelRow, alias: number): SavedLabel {
  return {
    ...labelFieldsOf(row),
    responseId: alias,
    version: row.version,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
  };
}

/** The reviewer's labels on these responses (submitted ones when `submittedOnly`). */
export async function labelsOf(
  db: Queryable,
  reviewerId: number,
  responseIds: number[],
  options: { submittedOnly: boolean; lock?: boolean },
): Promise<LabelRow[]> {
  const { rows } = await db.query<LabelRow>(
    prep(
      `SELECT ${LABEL_COLUMNS} FROM label l
      WHERE l.reviewer_id = $1 AND l.response_id = ANY ($2::int[]) ${options.submittedOnly ? "AND l.submitted_at IS NOT NULL" : ""}
      ${options.lock ? "FOR UPDATE" : ""}`,
      [reviewerId, responseIds],
    ),
  );
  return rows;
}

function partSignals(part: unknown): ReviewPartSignals | null {
  if (!part || typeof part !== "object") return null;
  const p = part as { dominant?: unknown; spans?: unknown; mixScore?: unknown; consistency?: unknown };
  const spans = decodeSpans(p.spans);
  return {
    dominant: typeof p.dominant === "string" ? p.dominant : null,
    spans,
    mixScore: typeof p.mixScore === "number" ? p.mixScore : 0,
    ...(typeof p.consistency === "number" ? { consistency: p.consistency } : {}),
  };
}

const MIXING: ReadonlySet<string> = new Set(LANGUAGE_MIXINGS.map((m) => m.value));
const REFUSAL: ReadonlySet<string> = new Set(REFUSALS.map((r) => r.value));

/**
 * The reviewer-visible subset of the stored signals (lib/analysis ResponseSignals); null when
 * absent. Where the response mixes languages follows the study's mixing threshold.
 */
export function reviewerSignals(stored: unknown, threshold: MixingThreshold = "default"): ReviewSignals | null {
  if (!stored || typeof stored !== "object") return null;
  const s = stored as Record<string, unknown>;
  const answer = partSignals(s.answer);
  if (!answer) return null;
  return {
    reasoning: partSignals(s.reasoning),
    answer,
    mixing:
      threshold === "strict"
        ? mixingOf(partSignals(s.reasoning), answer, threshold)
        : typeof s.mixing === "string" && MIXING.has(s.mixing)
          ? (s.mixing as ReviewSignals["mixing"])
          : "NONE",
    refusal: typeof s.refusal === "string" && REFUSAL.has(s.refusal) ? (s.refusal as ReviewSignals["refusal"]) : null,
    hints: Array.isArray(s.hints)
      ? s.hints.filter(
          (h): h is ReviewSignals["hints"][number] =>
            !!h && typeof h === "object" && typeof (h as { kind?: unknown }).kind === "string",
        )
      : [],
  };
}

interface ItemRow {
  id: number;
  text: string;
  language: string | null;
  category: string | null;
  responses: { id: number; reasoning: string | null; answer: string; formatIssues: string[]; signals: unknown }[];
  labels: LabelRow[];
  preference: { safest_response_id: number | null; best_response_id: number | null } | null;
  draft: { payload: unknown; saved_at: string } | null;
  lease_expires_at: string | null;
  started_at: string | null;
}

/** Everything of the item in one statement (one round trip; JSON built in PostgreSQL). */
const ITEM_SQL = `
  SELECT p.id, p.text, p.language, p.category,
         (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'reasoning', r.reasoning, 'answer', r.answer,
                    'formatIssues', to_jsonb(r.format_issues), 'signals', CASE WHEN $4::boolean THEN r.signals END)
                  ORDER BY r.checkpoint_id, r.sample_index, r.id), '[]'::jsonb)
            FROM response r WHERE r.prompt_id = p.id AND r.study_id = p.study_id) AS responses,
         (SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb) FROM (
            SELECT ${LABEL_COLUMNS} FROM response r JOIN label l ON l.response_id = r.id
             WHERE r.prompt_id = p.id AND l.reviewer_id = $3 AND l.submitted_at IS NOT NULL) x) AS labels,
         (SELECT jsonb_build_object('safest_response_id', f.safest_response_id, 'best_response_id', f.best_response_id)
            FROM preference f WHERE f.prompt_id = p.id AND f.reviewer_id = $3) AS preference,
         (SELECT jsonb_build_object('payload', d.payload, 'saved_at', ${iso("d.saved_at")})
            FROM review_draft d WHERE d.reviewer_id = $3 AND d.prompt_id = p.id) AS draft,
         (SELECT ${iso("l.expires_at")} FROM review_lease l WHERE l.prompt_id = p.id AND l.reviewer_id = $3 AND l.expires_at > ${NOW}) AS lease_expires_at,
         (SELECT ${iso("i.first_opened_at")} FROM review_item i WHERE i.prompt_id = p.id AND i.reviewer_id = $3) AS started_at
    FROM prompt p WHERE p.id = $1 AND p.study_id = $2`;

/**
 * Builds the item (the caller has recorded the first opening). Null when the prompt is not in the
 * study or has no responses.
 */
export async function buildItem(
  db: Queryable,
  study: ReviewStudy,
  reviewerId: number,
  promptId: number,
): Promise<ReviewItem | null> {
  const row = (await db.query<ItemRow>(prep(ITEM_SQL, [promptId, study.id, reviewerId, study.showSignals]))).rows[0];
  if (!row || row.responses.length === 0) return null;
  const ordered = displayOrder(row.responses, { blind: study.blind, salt: study.salt, reviewerId, promptId });
  const alias = new Map(ordered.map((r) => [r.id, responseAlias(study.salt, reviewerId, r.id)]));
  const responses: ReviewResponse[] = ordered.map((r, i) => ({
    id: alias.get(r.id)!,
    letter: letterFor(i),
    reasoning: r.reasoning,
    answer: r.answer,
    formatIssues: r.formatIssues,
    reasoningChars: r.reasoning?.length ?? 0,
    signals: study.showSignals ? reviewerSignals(r.signals, study.mixingThreshold) : null,
  }));
  const pref = row.preference;
  const mapped = (id: number | null) => (id === null ? null : (alias.get(id) ?? null));
  return {
    study: {
      id: study.id,
      slug: study.slug,
      name: study.name,
      blind: study.blind,
      overlap: study.overlap,
      showSignals: study.showSignals,
      harmCategories: study.harmCategories,
    },
    prompt: { id: row.id, text: row.text, language: row.language, category: row.category },
    responses,
    labels: row.labels.map((l) => savedLabelOf(l, alias.get(l.response_id)!)),
    preference: pref
      ? { safestResponseId: mapped(pref.safest_response_id), bestResponseId: mapped(pref.best_response_id) }
      : null,
    draft: row.draft ? { payload: row.draft.payload, savedAt: row.draft.saved_at } : null,
    lease: row.lease_expires_at ? { expiresAt: row.lease_expires_at } : null,
    startedAt: row.started_at ?? new Date().toISOString(),
  };
}

/** Records the reviewer's first opening of the prompt (time per item); later openings keep it. */
export async function recordOpening(
  db: Queryable,
  studyId: number,
  reviewerId: number,
  promptId: number,
): Promise<void> {
  await db.query(
    prep(
      `INSERT INTO review_item (prompt_id, reviewer_id, study_id, first_opened_at) VALUES ($1, $2, $3, ${NOW})
     ON CONFLICT (prompt_id, reviewer_id) DO NOTHING`,
      [promptId, reviewerId, studyId],
    ),
  );
}

/** Renews the reviewer's unexpired lease on the prompt, if they hold one. */
export async function renewLease(
  db: Queryable,
  reviewerId: number,
  promptId: number,
  leaseSeconds: number,
): Promise<void> {
  await db.query(
    prep(
      `UPDATE review_lease SET expires_at = ${NOW} + make_interval(secs => $3)
      WHERE prompt_id = $1 AND reviewer_id = $2 AND expires_at > ${NOW}`,
      [promptId, reviewerId, leaseSeconds],
    ),
  );
}

/**
 * A prompt the reviewer was served before (revisit from "my labels", resume after a reload); renews
 * their lease when they hold one. Null for an unknown study or prompt, or one never served to them.
 */
export async function openItem(
  db: Db,
  studySlug: string,
  reviewerId: number,
  promptId: number,
  leaseSeconds: number,
): Promise<ReviewItem | null> {
  const study = await reviewStudy(db, studySlug, reviewerId);
  if (!study) return null;
  const allowed = await db.query<{ ok: boolean }>(
    `SELECT ${servedTo("p.id", "$2")} AS ok FROM prompt p WHERE p.id = $1 AND p.study_id = $3`,
    [promptId, reviewerId, study.id],
  );
  if (!allowed.rows[0]?.ok) return null;
  await renewLease(db, reviewerId, promptId, leaseSeconds);
  await recordOpening(db, study.id, reviewerId, promptId);
  return buildItem(db, study, reviewerId, promptId);
}
