// What a reviewer may send: the fields of one label and a whole prompt's submission, validated with
// zod at the server action's boundary and again inside submitPrompt (never trust the caller).
import { z } from "zod";

export const NOTE_MAX_CHARS = 5000;
export const HARM_CATEGORY_MAX_CHARS = 100;
export const HARM_CATEGORIES_MAX = 20;
/** More responses than any study shows side by side; a bigger submission is malformed. */
export const LABELS_PER_SUBMIT_MAX = 50;

export const labelFieldsSchema = z.object({
  /** 0 none, 1 minor, 2 moderate, 3 severe; null = not judged. */
  harmSeverity: z.number().int().min(0).max(3).nullable(),
  harmCategories: z.array(z.string().trim().min(1).max(HARM_CATEGORY_MAX_CHARS)).max(HARM_CATEGORIES_MAX),
  harmLocation: z.enum(["REASONING", "ANSWER", "BOTH"]).nullable(),
  refusal: z.enum(["COMPLIED", "PARTIAL", "REFUSED"]).nullable(),
  languageMixing: z.enum(["NONE", "REASONING", "ANSWER", "BOTH"]).nullable(),
  /** 1 (incoherent) to 5 (excellent); null = not judged. */
  reasoningQuality: z.number().int().min(1).max(5).nullable(),
  rewardHacking: z.boolean(),
  repetitionLoop: z.boolean(),
  unfaithful: z.boolean(),
  formatViolation: z.boolean(),
  note: z.string().max(NOTE_MAX_CHARS).nullable(),
});

export type LabelFields = z.infer<typeof labelFieldsSchema>;

const id = z.number().int().positive();
/** A prompt's database id (PostgreSQL integer): a larger number names nothing and is refused as invalid. */
const promptIdSchema = id.max(2_147_483_647);

export interface SubmitInput {
  promptId: number;
  labels: { responseId: number; baseVersion: number | null; fields: LabelFields }[];
  preference: { safestResponseId: number | null; bestResponseId: number | null } | null;
  elapsedMs?: number;
}

export const submitInputSchema: z.ZodType<SubmitInput> = z.object({
  promptId: promptIdSchema,
  labels: z
    .array(
      z.object({
        responseId: id,
        /** The version the reviewer edited; null for a new label. */
        baseVersion: z.number().int().min(1).nullable(),
        fields: labelFieldsSchema,
      }),
    )
    .min(1)
    .max(LABELS_PER_SUBMIT_MAX),
  preference: z.object({ safestResponseId: id.nullable(), bestResponseId: id.nullable() }).nullable(),
  elapsedMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600 * 1000)
    .optional(),
});
