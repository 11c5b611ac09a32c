// What a reviewer may send: the fields of one label and a whole prompt's submission, validated with
// zod at the server action's boundary and again inside submitPrompt (never trust the caller).
import { z } from "zod";
import { labelFieldsSchema, type LabelValues } from "../labels";

export { HARM_CATEGORIES_MAX, HARM_CATEGORY_MAX_CHARS, labelFieldsSchema, NOTE_MAX_CHARS } from "../labels";
/** More responses than any study shows side by side; a bigger submission is malformed. */
export const LABELS_PER_SUBMIT_MAX = 50;

/** One label's fields as a reviewer sends them (lib/labels defines the dimensions). */
export type LabelFields = LabelValues;

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
