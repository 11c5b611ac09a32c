// Submitting a prompt: every label of it, the preference, the draft cleared, the lease released and
// the time recorded — in one transaction (a first submission: one statement), all or nothing. Labels carry a version: a save names the
// version it edited and a stale one is refused with both versions (nothing written); every change
// of a label first stores the previous version as a revision.
import type { z } from "zod";
import { param, raw, sql } from "../db/sql";
import { DIMENSIONS, LABEL_DIMENSIONS } from "../labels";
import { labelAssignments, labelColumns, labelJsonPairs, labelsUnnest } from "../labels/label-sql";
import { inTransaction, NOW, prep, reviewStudyWithPrompt, type Db, type Tx } from "./db";
import { labelFieldsOf, labelsOf, orderResponses, savedLabelOf, type PromptResponse } from "./item";
import { submitInputSchema, type LabelFields, type SubmitInput } from "./label-input";
import type { SubmitResult } from "./types";

const FIELD_NAMES: Record<string, string> = Object.fromEntries(LABEL_DIMENSIONS.map((d) => [d, DIMENSIONS[d].title]));

/** The first problem of a submission, in words that name the response's letter and the field. */
export function describeIssue(
  issue: z.core.$ZodIssue,
  letters: (index: number) => string | undefined,
): { message: string; field: string } {
  const path = issue.path.map(String);
  const field = path.join(".");
  if (path[0] === "labels" && path.length >= 2) {
    const letter = letters(Number(path[1]));
    const which = letter ? `Response ${letter}` : `Label ${Number(path[1]) + 1}`;
    const name =
      path[2] === "fields" && path[3] ? (FIELD_NAMES[path[3]] ?? path[3]) : path.slice(2).join(".") || "label";
    return { message: `${which}, ${name}: ${issue.message}`, field };
  }
  return { message: `${field || "submission"}: ${issue.message}`, field };
}

const same = (a: LabelFields, b: LabelFields) =>
  JSON.stringify({ ...a, harmCategories: [...a.harmCategories].sort() }) ===
  JSON.stringify({ ...b, harmCategories: [...b.harmCategories].sort() });

interface Resolved {
  response: PromptResponse;
  baseVersion: number | null;
  fields: LabelFields;
}

/** SQLSTATE of review_label_written_meanwhile(): a label of the submission was written meanwhile. */
const WRITTEN_MEANWHILE = "RV409";
const isWrittenMeanwhile = (error: unknown) => (error as { code?: unknown } | null)?.code === WRITTEN_MEANWHILE;
/** SQLSTATE foreign_key_violation: a label's study or response was deleted after the submission read them. */
const isGoneMeanwhile = (error: unknown) => (error as { code?: unknown } | null)?.code === "23503";

export async function submitPrompt(
  db: Db,
  studySlug: string,
  reviewerId: number,
  rawInput: unknown,
  retried = false,
): Promise<SubmitResult> {
  const raw =
    typeof rawInput === "object" && rawInput !== null ? (rawInput as { promptId?: unknown }).promptId : undefined;
  const promptId = typeof raw === "number" && Number.isInteger(raw) && raw > 0 && raw <= 2 ** 31 - 1 ? raw : null;
  const context = await reviewStudyWithPrompt(db, studySlug, reviewerId, promptId);
  if (!context) return { ok: false, reason: "not_found", message: "No such study." };
  const { study, served } = context;
  const responses = promptId === null ? [] : orderResponses(context.responseIds, study, reviewerId, promptId);
  const byAlias = new Map(responses.map((r) => [r.alias, r]));

  const parsed = submitInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    const aliasAt = (i: number) => (rawInput as { labels?: { responseId?: unknown }[] }).labels?.[i]?.responseId;
    const { message, field } = describeIssue(parsed.error.issues[0]!, (i) => byAlias.get(aliasAt(i) as number)?.letter);
    return { ok: false, reason: "invalid", message, field };
  }
  const input: SubmitInput = parsed.data;
  if (responses.length === 0)
    return { ok: false, reason: "not_found", message: "This prompt is not in the study, or has no responses." };
  if (!served) return { ok: false, reason: "not_found", message: "This prompt was not served to you in this study." };

  // Every label names a response of this prompt, once; the preference too.
  const resolved: Resolved[] = [];
  const seen = new Set<number>();
  for (const [i, label] of input.labels.entries()) {
    const response = byAlias.get(label.responseId);
    if (!response)
      return {
        ok: false,
        reason: "invalid",
        message: `Label ${i + 1} names no response of this prompt.`,
        field: `labels.${i}.responseId`,
      };
    if (seen.has(response.id))
      return {
        ok: false,
        reason: "invalid",
        message: `Response ${response.letter} is labelled twice.`,
        field: `labels.${i}.responseId`,
      };
    seen.add(response.id);
    resolved.push({ response, baseVersion: label.baseVersion, fields: label.fields });
  }
  const preferenceId = (alias: number | null, field: string) => {
    if (alias === null) return null;
    const response = byAlias.get(alias);
    if (!response) throw new Error(field);
    return response.id;
  };
  let safest: number | null = null;
  let best: number | null = null;
  try {
    safest = preferenceId(input.preference?.safestResponseId ?? null, "preference.safestResponseId");
    best = preferenceId(input.preference?.bestResponseId ?? null, "preference.bestResponseId");
  } catch (error) {
    return {
      ok: false,
      reason: "invalid",
      message: "The preference names no response of this prompt.",
      field: (error as Error).message,
    };
  }

  const pref = { safest, best };
  try {
    if (context.myLabels === 0 && resolved.every((x) => x.baseVersion === null)) {
      // The usual case, a first submission of the prompt: one statement, no explicit transaction.
      const missing = responses.filter((r) => !resolved.some((x) => x.response.id === r.id));
      if (missing.length > 0) return missingLabels(missing);
      await writeLabels(db, study.id, reviewerId, input, resolved, pref);
      return { ok: true, saved: resolved.map((x) => ({ responseId: x.response.alias, version: 1 })) };
    }
    return await inTransaction(db, (tx) => write(tx, study.id, reviewerId, input, responses, resolved, pref));
  } catch (error) {
    // Another tab (or an import) wrote one of these labels meanwhile and nothing was written: once
    // more from the start, which now sees that label and answers with a conflict.
    if (isWrittenMeanwhile(error) && !retried) return submitPrompt(db, studySlug, reviewerId, rawInput, true);
    // The study (or a checkpoint of this prompt) was deleted between the reads and the write: the
    // database refused the labels, so nothing was written; say so instead of failing on a key.
    if (isGoneMeanwhile(error))
      return {
        ok: false,
        reason: "not_found",
        message: "This study or one of these responses was deleted while you were labelling; nothing was saved.",
      };
    throw error;
  }
}

function missingLabels(missing: PromptResponse[]): SubmitResult {
  return {
    ok: false,
    reason: "invalid",
    field: "labels",
    message: `Label every response before submitting: ${missing.map((r) => r.letter).join(", ")} ${missing.length === 1 ? "has" : "have"} no label.`,
  };
}

async function write(
  tx: Tx,
  studyId: number,
  reviewerId: number,
  input: SubmitInput,
  responses: PromptResponse[],
  resolved: Resolved[],
  preference: { safest: number | null; best: number | null },
): Promise<SubmitResult> {
  // The reviewer's labels on the prompt, locked: a second tab submitting at the same time waits
  // here and then sees this one's versions (FOR UPDATE reads the latest), so it gets a conflict.
  const existing = new Map(
    (
      await labelsOf(
        tx,
        reviewerId,
        responses.map((r) => r.id),
        { submittedOnly: false, lock: true },
      )
    ).map((l) => [l.response_id, l]),
  );
  // After this submission the reviewer must have a label on every response of the prompt.
  const missing = responses.filter(
    (r) => !resolved.some((x) => x.response.id === r.id) && existing.get(r.id)?.submitted_at == null,
  );
  if (missing.length > 0) return missingLabels(missing);

  const conflicts: Extract<SubmitResult, { reason: "conflict" }>["conflicts"] = [];
  const inserts: Resolved[] = [];
  const updates: Resolved[] = [];
  for (const item of resolved) {
    const stored = existing.get(item.response.id);
    if (!stored) {
      inserts.push(item); // a label deleted meanwhile (or new): written as new, never lost
    } else if (stored.submitted_at === null) {
      updates.push(item); // an unsubmitted label row becomes this submission
    } else if (item.baseVersion !== stored.version) {
      conflicts.push({
        responseId: item.response.alias,
        letter: item.response.letter,
        yours: item.fields,
        theirs: savedLabelOf(stored, item.response.alias),
      });
    } else if (!same(item.fields, labelFieldsOf(stored))) {
      updates.push(item);
    }
  }
  if (conflicts.length > 0) return { ok: false, reason: "conflict", conflicts };

  const versions = new Map<number, number>();
  for (const [id, stored] of existing) versions.set(id, stored.version);

  for (const x of updates) {
    const reviewer = param(reviewerId);
    const { text, values } = sql`WITH previous AS (
         INSERT INTO label_revision (label_id, version, snapshot, edited_by_id, created_at)
         SELECT l.id, l.version,
                jsonb_build_object(${labelJsonPairs("l")}, 'source', l.source,
                  'submittedAt', l.submitted_at, 'updatedAt', l.updated_at),
                ${reviewer}, ${raw(NOW)}
           FROM label l WHERE l.response_id = ${x.response.id} AND l.reviewer_id = ${reviewer}
         RETURNING label_id)
       UPDATE label l
          SET ${labelAssignments(x.fields)}, source = 'REVIEW',
              version = l.version + 1, submitted_at = coalesce(l.submitted_at, ${raw(NOW)}), updated_at = ${raw(NOW)}
         FROM previous WHERE l.id = previous.label_id
       RETURNING l.version`.toQuery();
    const { rows } = await tx.query<{ version: number }>(prep(text, values));
    versions.set(x.response.id, rows[0]!.version);
  }

  await writeLabels(tx, studyId, reviewerId, input, inserts, preference);
  for (const x of inserts) versions.set(x.response.id, 1);

  return {
    ok: true,
    saved: resolved.map((x) => ({ responseId: x.response.alias, version: versions.get(x.response.id)! })),
  };
}

/**
 * Whether a submission sets the preference: it names a safest or a best response. One that names
 * neither (no preference object, or both empty: a tab opened before the preference was chosen, an
 * API client that only labels) keeps the stored preference rather than wiping it.
 */
const carriesPreference = (preference: { safest: number | null; best: number | null }) =>
  preference.safest !== null || preference.best !== null;

/**
 * New labels, the preference (when it names a response), the draft cleared, the lease released and the time per
 * item — the first submission's working time (the workspace's measure when it sends one, else since
 * first opening), capped at two hours so that a tab left open overnight does not count — in one
 * statement. A label already there (another tab, an import) aborts it all: RV409, nothing written.
 */
async function writeLabels(
  db: Db | Tx,
  studyId: number,
  reviewerId: number,
  input: SubmitInput,
  inserts: Resolved[],
  preference: { safest: number | null; best: number | null },
): Promise<void> {
  const study = param(studyId);
  const reviewer = param(reviewerId);
  const prompt = param(input.promptId);
  const elapsed = param(input.elapsedMs ?? null);
  const now = raw(NOW);
  const labels = labelsUnnest(
    "x",
    inserts.map((x) => x.fields),
    [{ name: "response_id", type: "int", values: inserts.map((x) => x.response.id) }],
  );
  const { text, values } = sql`WITH written AS (
       INSERT INTO label (study_id, response_id, reviewer_id, ${labelColumns()},
                          version, source, submitted_at, created_at, updated_at)
       SELECT ${study}, x.response_id, ${reviewer}, ${labels.values},
              1, 'REVIEW', ${now}, ${now}, ${now}
         FROM ${labels.from}
       ON CONFLICT (response_id, reviewer_id) DO NOTHING
       RETURNING response_id),
     pref AS (
       INSERT INTO preference (study_id, prompt_id, reviewer_id, safest_response_id, best_response_id, created_at, updated_at)
       SELECT ${study}, ${prompt}, ${reviewer}, ${preference.safest}::int, ${preference.best}::int, ${now}, ${now}
        WHERE ${carriesPreference(preference)}::boolean
       ON CONFLICT (prompt_id, reviewer_id) DO UPDATE
         SET safest_response_id = EXCLUDED.safest_response_id, best_response_id = EXCLUDED.best_response_id, updated_at = EXCLUDED.updated_at),
     draft AS (DELETE FROM review_draft WHERE reviewer_id = ${reviewer} AND prompt_id = ${prompt}),
     lease AS (DELETE FROM review_lease WHERE prompt_id = ${prompt} AND reviewer_id = ${reviewer}),
     item AS (
       INSERT INTO review_item (prompt_id, reviewer_id, study_id, first_opened_at, submitted_at, last_submitted_at, elapsed_ms)
       VALUES (${prompt}, ${reviewer}, ${study}, ${now}, ${now}, ${now}, CASE WHEN ${elapsed}::int IS NULL THEN NULL ELSE LEAST(${elapsed}::int, 7200000) END)
       ON CONFLICT (prompt_id, reviewer_id) DO UPDATE
         SET last_submitted_at = EXCLUDED.last_submitted_at,
             submitted_at = coalesce(review_item.submitted_at, EXCLUDED.submitted_at),
             skipped_at = NULL,
             elapsed_ms = CASE WHEN review_item.submitted_at IS NOT NULL THEN review_item.elapsed_ms
                               ELSE LEAST(coalesce(${elapsed}::int, (extract(epoch FROM ${now} - review_item.first_opened_at) * 1000)::int), 7200000) END)
     SELECT CASE WHEN (SELECT count(*) FROM written) < ${inserts.length} THEN review_label_written_meanwhile() END`.toQuery();
  await db.query(prep(text, values));
}
