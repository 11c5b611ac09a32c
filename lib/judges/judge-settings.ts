// What a judge run is asked for: the zod schema shared by the API route, the study's form and the
// command line (as run-settings.ts is for generation runs), and the rubric version its labels carry.
import { z } from "zod";
import {
  apiKeyField,
  baseUrlField,
  concurrencyField,
  maxTokensField,
  modelField,
  streamField,
  temperatureField,
} from "../jobs/endpoint-request";
import { RUBRICS, type Rubric } from "./rubrics";

export const RUBRIC_IDS = RUBRICS.map((r) => r.id) as [Rubric["id"], ...Rubric["id"][]];

export function rubricById(id: string): Rubric | undefined {
  return RUBRICS.find((r) => r.id === id);
}

export const judgeRequestSchema = z.object({
  /** The judge's name in the study (letters, digits, - _ .): it names the analytics basis `judge:<name>`. */
  name: z
    .string()
    .trim()
    .min(1, "name the judge")
    .max(60, "the judge's name is at most 60 characters")
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "the judge's name may hold letters, digits, '.', '_' and '-' only"),
  rubric: z.enum(RUBRIC_IDS, { error: `rubric must be one of ${RUBRIC_IDS.join(", ")}` }),
  baseUrl: baseUrlField,
  model: modelField,
  /** Omitted: the judge's stored key is kept (if any). */
  apiKey: apiKeyField,
  /**
   * The study's own instructions for the judge in place of the rubric's (its system prompt); the
   * rubric's answer format is kept, so its answers still parse. Omitted: unchanged; "" : back to the
   * built-in instructions.
   */
  instructions: z.string().max(20_000).optional(),
  temperature: temperatureField.transform((v) => v ?? 0),
  maxTokens: maxTokensField,
  concurrency: concurrencyField,
  stream: streamField(false),
});

export type JudgeRequest = z.infer<typeof judgeRequestSchema>;

/** What is stored on the judge and its runs: everything but the key. */
export interface StoredJudgeEndpoint {
  base_url: string;
  model: string;
  temperature: number;
  max_tokens: number | null;
  stream: boolean;
}

export function storedJudgeEndpoint(request: JudgeRequest): StoredJudgeEndpoint {
  return {
    base_url: request.baseUrl,
    model: request.model,
    temperature: request.temperature,
    max_tokens: request.maxTokens,
    stream: request.stream,
  };
}

export { rubricLabel } from "./rubric-version";

/**
 * The judge's instructions after a request: null for the built-in ones ("" or the built-in text
 * itself), the request's text, or the stored one when the request leaves them out; and whether they
 * changed (a changed text is a new edit: a new rubric version for the labels).
 */
export function nextInstructions(
  rubric: Rubric,
  stored: string | null,
  requested: string | undefined,
): { instructions: string | null; changed: boolean } {
  if (requested === undefined) return { instructions: stored, changed: false };
  const text = requested.replace(/\r\n/g, "\n").trim();
  const instructions = text === "" || text === rubric.system.trim() ? null : text;
  return { instructions, changed: instructions !== stored };
}
