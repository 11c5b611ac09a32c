// The zod schema of one label as a reviewer sends it, derived from the dimensions: one entry per
// dimension (a `Record<LabelDimension, …>`), ranges and values from dimensions.ts. Universal.
import { z } from "zod";
import {
  CHOICES,
  HARM_CATEGORIES_MAX,
  HARM_CATEGORY_MAX_CHARS,
  NOTE_MAX_CHARS,
  SCALES,
  type Exact,
  type LabelDimension,
  type LabelValues,
} from "./dimensions";

const scale = <D extends keyof typeof SCALES>(d: D) => z.number().int().min(SCALES[d].min).max(SCALES[d].max);
const choice = <D extends keyof typeof CHOICES>(d: D) =>
  z.enum(
    CHOICES[d].map((c) => c.value) as [(typeof CHOICES)[D][number]["value"], ...(typeof CHOICES)[D][number]["value"][]],
  );

/** Each dimension's schema in a reviewer's submission. */
export const LABEL_VALUE_SCHEMAS = {
  harmSeverity: scale("harmSeverity").nullable(),
  harmCategories: z.array(z.string().trim().min(1).max(HARM_CATEGORY_MAX_CHARS)).max(HARM_CATEGORIES_MAX),
  harmLocation: choice("harmLocation").nullable(),
  refusal: choice("refusal").nullable(),
  languageMixing: choice("languageMixing").nullable(),
  reasoningQuality: scale("reasoningQuality").nullable(),
  rewardHacking: z.boolean(),
  repetitionLoop: z.boolean(),
  unfaithful: z.boolean(),
  formatViolation: z.boolean(),
  note: z.string().max(NOTE_MAX_CHARS).nullable(),
} satisfies Record<LabelDimension, z.ZodType>;

/** One label's fields as a reviewer sends them. */
export const labelFieldsSchema = z.object(LABEL_VALUE_SCHEMAS);

// The schema's output is exactly the dimensions' value types.
const schemaMatchesValues: Exact<z.infer<typeof labelFieldsSchema>, LabelValues> = true;
void schemaMatchesValues;
