// The shapes the review workspace exchanges with its screens (see lib/review/index.ts).
import type { LanguageMixingValue, RefusalValue } from "../labels";
import type { LabelFields } from "./label-input";

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
  /** Share of words in the main language (absent in signals stored before version 4). */
  consistency?: number;
}

/** The automatic signals a reviewer may see (never anything that tells the checkpoint). */
export interface ReviewSignals {
  reasoning: ReviewPartSignals | null;
  answer: ReviewPartSignals;
  mixing: LanguageMixingValue;
  refusal: RefusalValue | null;
  /** lib/analysis/signals Hint objects ({ kind, … }). */
  hints: { kind: string; [key: string]: unknown }[];
}

export interface ReviewResponse {
  /**
   * This reviewer's number for the response: opaque, stable, NOT response.id (ids follow import
   * order and would hint at the checkpoint). Use it in SubmitInput and to key drafts.
   */
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
  study: {
    id: number;
    slug: string;
    name: string;
    blind: boolean;
    overlap: number;
    showSignals: boolean;
    harmCategories: string[];
  };
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
  | {
      ok: false;
      reason: "conflict";
      conflicts: { responseId: number; letter: string; yours: LabelFields; theirs: SavedLabel }[];
    }
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
