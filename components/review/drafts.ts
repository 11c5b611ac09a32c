// Drafts of a prompt's labels: the same payload goes to localStorage on every change and to the
// server (saveDraft) after a pause, so neither a reload, a crash nor a server outage loses work.
// On load the newer of the two wins, unless labels were submitted after it.
import { z } from "zod";
import { labelFieldsSchema, type LabelValues as LabelFields } from "@/lib/labels";
import { EMPTY_LABEL, labelFieldsOf, type Preference } from "./label-state";

export const DRAFT_FORMAT = 1;

const idKey = z.string().regex(/^\d+$/);

export const draftPayloadSchema = z.object({
  format: z.literal(DRAFT_FORMAT),
  promptId: z.number().int().positive(),
  /** Milliseconds since the epoch on the reviewer's machine, when the draft last changed. */
  updatedAt: z.number().int().nonnegative(),
  labels: z.record(idKey, labelFieldsSchema),
  baseVersions: z.record(idKey, z.number().int().min(1).nullable()),
  preference: z.object({
    safestResponseId: z.number().int().positive().nullable(),
    bestResponseId: z.number().int().positive().nullable(),
  }),
  /** Time spent on the prompt so far (survives a reload). */
  elapsedMs: z.number().int().nonnegative(),
});

export type DraftPayload = z.infer<typeof draftPayloadSchema>;

export function parseDraft(value: unknown, promptId: number): DraftPayload | null {
  const parsed = draftPayloadSchema.safeParse(value);
  return parsed.success && parsed.data.promptId === promptId ? parsed.data : null;
}

/** Per signed-in user, so two people sharing a browser never see each other's drafts. */
export function draftStorageKey(userId: number, studySlug: string, promptId: number): string {
  return `parallax:draft:${userId}:${studySlug}:${promptId}`;
}

export interface SavedLabelLike extends LabelFields {
  responseId: number;
  version: number;
  updatedAt: string;
}

export interface StartingPoint {
  labels: Record<number, LabelFields>;
  baseVersions: Record<number, number | null>;
  preference: Preference;
  elapsedMs: number;
  /** Where the labels came from, for the status line. */
  restored: "server draft" | "this browser" | null;
  draftUpdatedAt: number | null;
}

/**
 * What the workspace starts from: the newer of the server's and this browser's draft, unless a
 * label was submitted after it (then the submitted labels); otherwise the submitted labels, or
 * empty ones.
 */
export function startingPoint(input: {
  responseIds: readonly number[];
  saved: readonly SavedLabelLike[];
  preference: Preference | null;
  serverDraft: DraftPayload | null;
  localDraft: DraftPayload | null;
}): StartingPoint {
  const savedById = new Map(input.saved.map((label) => [label.responseId, label]));
  const newestSubmit = Math.max(0, ...input.saved.map((label) => Date.parse(label.updatedAt) || 0));
  const drafts = [
    { draft: input.serverDraft, from: "server draft" as const },
    { draft: input.localDraft, from: "this browser" as const },
  ].filter(
    (d): d is { draft: DraftPayload; from: "server draft" | "this browser" } =>
      d.draft !== null && d.draft.updatedAt > newestSubmit,
  );
  // The browser's copy wins a tie: it is written first, on every change.
  drafts.sort((a, b) => b.draft.updatedAt - a.draft.updatedAt || (a.from === "this browser" ? -1 : 1));
  const chosen = drafts[0];

  const labels: Record<number, LabelFields> = {};
  const baseVersions: Record<number, number | null> = {};
  for (const id of input.responseIds) {
    const fromDraft = chosen?.draft.labels[String(id)];
    const saved = savedById.get(id);
    labels[id] = labelFieldsOf(fromDraft ?? saved ?? EMPTY_LABEL);
    const draftBase = chosen?.draft.baseVersions[String(id)];
    baseVersions[id] = draftBase !== undefined ? draftBase : (saved?.version ?? null);
  }
  const valid = (id: number | null | undefined) => (id != null && input.responseIds.includes(id) ? id : null);
  const preference = chosen
    ? chosen.draft.preference
    : (input.preference ?? { safestResponseId: null, bestResponseId: null });
  return {
    labels,
    baseVersions,
    preference: {
      safestResponseId: valid(preference.safestResponseId),
      bestResponseId: valid(preference.bestResponseId),
    },
    elapsedMs: chosen?.draft.elapsedMs ?? 0,
    restored: chosen?.from ?? null,
    draftUpdatedAt: chosen?.draft.updatedAt ?? null,
  };
}

export function buildDraft(
  promptId: number,
  state: { labels: Record<number, LabelFields>; baseVersions: Record<number, number | null>; preference: Preference },
  elapsedMs: number,
  now: number,
): DraftPayload {
  const labels: Record<string, LabelFields> = {};
  const baseVersions: Record<string, number | null> = {};
  for (const [id, fields] of Object.entries(state.labels)) labels[id] = fields;
  for (const [id, version] of Object.entries(state.baseVersions)) baseVersions[id] = version;
  return {
    format: DRAFT_FORMAT,
    promptId,
    updatedAt: now,
    labels,
    baseVersions,
    preference: state.preference,
    elapsedMs: Math.round(elapsedMs),
  };
}

/** Delay before the n-th retry of a failed save (n from 0): 1 s, 2 s, 4 s … up to 30 s. */
export function retryDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
}
