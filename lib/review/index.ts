// The reviewer's workspace, server side (issue 4): the queue with leases, the blind item, drafts,
// the all-or-nothing submit, progress and "my labels". Framework-free: every function takes the
// acting user's id (the route has checked the role) and checks the study itself.
import type { LabelFields, SubmitInput } from "./label-input";

export { labelFieldsSchema, submitInputSchema } from "./label-input";
export type { LabelFields, SubmitInput } from "./label-input";

/** How long "next" holds a prompt for a reviewer; renewed by opening it and by saving a draft. */
export const LEASE_SECONDS = 30 * 60;

export interface ReviewSpan {
  /** UTF-16 offsets into the part's text. */
  start: number;
  end: number;
  lang: string;
}

export interface ReviewPartSignals {
  dominant: string | null;
  /** Stretches in another language than the part's dominant one. */
  spans: ReviewSpan[];
  mixScore: number;
}

/** The automatic signals a reviewer may see (never anything that tells the checkpoint). */
export interface ReviewSignals {
  reasoning: ReviewPartSignals | null;
  answer: ReviewPartSignals;
  mixing: "NONE" | "REASONING" | "ANSWER" | "BOTH";
  refusal: "COMPLIED" | "PARTIAL" | "REFUSED" | null;
  /** lib/analysis/signals Hint objects ({ kind, … }). */
  hints: { kind: string; [key: string]: unknown }[];
}

export interface ReviewResponse {
  id: number;
  /** "A", "B", … in display order. */
  letter: string;
  reasoning: string | null;
  answer: string;
  formatIssues: string[];
  reasoningChars: number;
  /** Null when the study hides signals or the response is not analysed yet. */
  signals: ReviewSignals | null;
}

export interface SavedLabel extends LabelFields {
  responseId: number;
  version: number;
  submittedAt: string | null;
  updatedAt: string;
}

export interface ReviewItem {
  study: { id: number; slug: string; name: string; blind: boolean; overlap: number; showSignals: boolean; harmCategories: string[] };
  prompt: { id: number; text: string; language: string | null; category: string | null };
  responses: ReviewResponse[];
  /** This reviewer's labels for these responses (revisit / edit). */
  labels: SavedLabel[];
  preference: { safestResponseId: number | null; bestResponseId: number | null } | null;
  /** The server-side autosaved draft: opaque JSON written by the UI. */
  draft: { payload: unknown; savedAt: string } | null;
  lease: { expiresAt: string } | null;
  /** When this reviewer first opened this prompt. */
  startedAt: string;
}

export type SubmitResult =
  | { ok: true; saved: { responseId: number; version: number }[] }
  | { ok: false; reason: "conflict"; conflicts: { responseId: number; letter: string; yours: LabelFields; theirs: SavedLabel }[] }
  | { ok: false; reason: "invalid"; message: string; field?: string }
  | { ok: false; reason: "not_found" | "study_closed"; message: string };

export interface ReviewerProgress {
  promptsDone: number;
  promptsTotalForYou: number;
  studyPromptsComplete: number;
  studyPrompts: number;
  medianSecondsPerItem: number | null;
}

export interface MyLabelsPage {
  items: { promptId: number; promptExcerpt: string; labelled: number; updatedAt: string }[];
  nextAfter: number | null;
}

const notYet = (name: string): never => {
  throw new Error(`${name} is not implemented yet.`);
};

export async function nextItem(studySlug: string, reviewerId: number, opts?: { leaseSeconds?: number }): Promise<ReviewItem | null> {
  void [studySlug, reviewerId, opts];
  return notYet("nextItem");
}

export async function openItem(studySlug: string, reviewerId: number, promptId: number): Promise<ReviewItem | null> {
  void [studySlug, reviewerId, promptId];
  return notYet("openItem");
}

export async function skipItem(studySlug: string, reviewerId: number, promptId: number): Promise<void> {
  void [studySlug, reviewerId, promptId];
  notYet("skipItem");
}

export async function saveDraft(studySlug: string, reviewerId: number, promptId: number, payload: unknown): Promise<{ savedAt: string }> {
  void [studySlug, reviewerId, promptId, payload];
  return notYet("saveDraft");
}

export async function submitPrompt(studySlug: string, reviewerId: number, input: SubmitInput): Promise<SubmitResult> {
  void [studySlug, reviewerId, input];
  return notYet("submitPrompt");
}

export async function reviewerProgress(studySlug: string, reviewerId: number): Promise<ReviewerProgress> {
  void [studySlug, reviewerId];
  return notYet("reviewerProgress");
}

export async function myLabels(studySlug: string, reviewerId: number, page: { after?: number; limit: number }): Promise<MyLabelsPage> {
  void [studySlug, reviewerId, page];
  return notYet("myLabels");
}
