// Shapes shared by the import pipeline: one normalised row per response, and row errors.
import type { ExpectedBehavior, TrainingStrategy } from "../db/generated/enums";
import type { ImportedLabel } from "./label-fields";
import type { SurrogateRepair } from "./lone-surrogates";
import type { ImportedPreference } from "./preference-fields";

/** Which input shape the response came in (stored as response.source_shape). */
export type SourceShape = "response" | "fields" | "deepseek" | "messages";

/** A problem found while splitting reasoning from answer; kept on the response, not an error. */
export type FormatIssue =
  | "unclosed_think"
  | "empty_reasoning"
  | "text_before_think"
  | "multiple_think_blocks"
  | "no_answer"
  | "stray_close_think";

export interface NormalizedRow {
  /** 1-based line of the file where the record starts. */
  line: number;
  /** Prompt identity in the study: prompt_id when given, else "sha256:" + hash of the prompt text. */
  promptKey: string;
  promptExternalId: string | null;
  promptText: string;
  category: string | null;
  split: string | null;
  language: string | null;
  expectedBehavior: ExpectedBehavior | null;
  checkpoint: string;
  /** Required only when the checkpoint is new to the study; checked by the pipeline against the database. */
  strategy: TrainingStrategy | null;
  trainingStep: number | null;
  baseModel: string | null;
  computeGpuHours: number | null;
  sampleIndex: number;
  reasoning: string | null;
  answer: string;
  sourceShape: SourceShape;
  formatIssues: FormatIssue[];
  /** The `metadata` field merged with every field the importer does not know. */
  metadata: Record<string, unknown>;
  /** Labels given beside the response (label-fields.ts); absent when the row has none. */
  labels?: ImportedLabel[];
  /** Preferences about the row's prompt (preference-fields.ts); absent when the row has none. */
  preferences?: ImportedPreference[];
  /** The peer task / record the row comes from ("task 12"), named in row errors found later. */
  context?: string;
  /** Lone surrogates replaced by U+FFFD, per field (lone-surrogates.ts); absent when none. */
  surrogatesReplaced?: SurrogateRepair[];
}

/** A row that only labels a response already in the study: no prompt text, no response. */
export interface LabelsOnlyRow {
  line: number;
  /** The prompt_id as given: the prompt's key in the study. */
  promptKey: string;
  checkpoint: string;
  sampleIndex: number;
  labels: ImportedLabel[];
  preferences?: ImportedPreference[];
  context?: string;
  surrogatesReplaced?: SurrogateRepair[];
}

export interface RowError {
  /** 1-based line in the file (for CSV, the line where the record starts); 0 for the file as a whole. */
  line: number;
  /** The field at fault, as named in the file, or null for the whole row. */
  field: string | null;
  message: string;
}

/** A row that gives a prompt and no response (a prompts-only file): the study's prompt set. */
export type PromptRow = Pick<
  NormalizedRow,
  | "line"
  | "promptKey"
  | "promptExternalId"
  | "promptText"
  | "category"
  | "split"
  | "language"
  | "expectedBehavior"
  | "surrogatesReplaced"
>;

export type RowResult =
  | { ok: true; row: NormalizedRow; labelsOnly?: undefined; promptOnly?: undefined }
  | { ok: true; row?: undefined; labelsOnly: LabelsOnlyRow; promptOnly?: undefined }
  | { ok: true; row?: undefined; labelsOnly?: undefined; promptOnly: PromptRow }
  | { ok: false; errors: RowError[] };
