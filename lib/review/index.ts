// The reviewer's workspace, server side (issue 4): the queue with leases, the blind item, drafts,
// the all-or-nothing submit, progress and "my labels". Framework-free: every function takes the
// acting user's id (the route has checked the role with the guard) and checks the study itself;
// they run on the app's shared pool. The modules beside this one take a pool, for tests and benches.
import { pool } from "../db/client";
import { ReviewInputError } from "./db";
import { saveDraft as saveDraftIn } from "./drafts";
import { openItem as openItemIn } from "./item";
import type { SubmitInput } from "./label-input";
import { myLabels as myLabelsIn } from "./my-labels";
import { reviewerProgress as reviewerProgressIn } from "./progress";
import { nextItem as nextItemIn, skipItem as skipItemIn } from "./queue";
import { submitPrompt as submitPromptIn } from "./submit";
import type { MyLabelsPage, ReviewerProgress, ReviewItem, SubmitResult } from "./types";

export { labelFieldsSchema, submitInputSchema } from "./label-input";
export type { LabelFields, SubmitInput } from "./label-input";
export type * from "./types";
export { ReviewInputError };
export { DRAFT_MAX_BYTES } from "./drafts";
export { SKIP_HIDE_HOURS } from "./queue";

/** How long "next" holds a prompt for a reviewer; renewed by opening it and by saving a draft. */
export const LEASE_SECONDS = 30 * 60;

/** The next prompt for this reviewer, leased to them; the one they hold if any; null when nothing is left for them. */
export function nextItem(
  studySlug: string,
  reviewerId: number,
  opts?: { leaseSeconds?: number },
): Promise<ReviewItem | null> {
  return nextItemIn(pool(), studySlug, reviewerId, opts?.leaseSeconds ?? LEASE_SECONDS);
}

/** A prompt served to this reviewer before (revisit, resume); renews their lease on it. Null otherwise. */
export function openItem(studySlug: string, reviewerId: number, promptId: number): Promise<ReviewItem | null> {
  return openItemIn(pool(), studySlug, reviewerId, promptId, LEASE_SECONDS);
}

/** Releases the lease; the prompt is not served to this reviewer again for SKIP_HIDE_HOURS. */
export function skipItem(studySlug: string, reviewerId: number, promptId: number): Promise<void> {
  return skipItemIn(pool(), studySlug, reviewerId, promptId);
}

/** Replaces the server-side draft (at most DRAFT_MAX_BYTES; ReviewInputError otherwise) and renews the lease. */
export function saveDraft(
  studySlug: string,
  reviewerId: number,
  promptId: number,
  payload: unknown,
): Promise<{ savedAt: string }> {
  return saveDraftIn(pool(), studySlug, reviewerId, promptId, payload, LEASE_SECONDS);
}

/** All labels of a prompt, its preference, draft cleared, lease released, time recorded: one transaction. */
export function submitPrompt(studySlug: string, reviewerId: number, input: SubmitInput): Promise<SubmitResult> {
  return submitPromptIn(pool(), studySlug, reviewerId, input);
}

const NO_PROGRESS: ReviewerProgress = {
  promptsDone: 0,
  promptsTotalForYou: 0,
  studyPromptsComplete: 0,
  studyPrompts: 0,
  medianSecondsPerItem: null,
};

export async function reviewerProgress(studySlug: string, reviewerId: number): Promise<ReviewerProgress> {
  return (await reviewerProgressIn(pool(), studySlug, reviewerId)) ?? NO_PROGRESS;
}

export function myLabels(
  studySlug: string,
  reviewerId: number,
  page: { after?: number; limit: number },
): Promise<MyLabelsPage> {
  return myLabelsIn(pool(), studySlug, reviewerId, page);
}
