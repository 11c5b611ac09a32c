// What a generation run is asked for: the zod schema shared by the API route, the study's form and
// the command line, so all three accept and refuse the same things with the same words.
import { z } from "zod";
import {
  apiKeyField,
  baseUrlField,
  concurrencyField,
  maxTokensField,
  modelField,
  optionalNumber,
  streamField,
  temperatureField,
} from "../jobs/endpoint-request";

export { firstIssue } from "../jobs/endpoint-request";

export const STRATEGIES = ["SFT", "RL", "HYBRID", "BASE"] as const;

export const generationRequestSchema = z.object({
  checkpoint: z.string().trim().min(1, "name the checkpoint").max(200),
  /** Needed only when the checkpoint is new to the study. */
  strategy: z.preprocess(
    (v) =>
      typeof v === "string" && v.trim() !== ""
        ? v
            .trim()
            .toUpperCase()
            .replace(/^SFT\+RL$|^RL\+SFT$/, "HYBRID")
        : null,
    z.enum(STRATEGIES, { error: "strategy must be sft, rl, hybrid or base" }).nullable(),
  ),
  baseUrl: baseUrlField,
  model: modelField,
  /** Omitted: the checkpoint's stored key is kept (if any). */
  apiKey: apiKeyField,
  systemPrompt: z.preprocess((v) => (v === "" ? null : v), z.string().max(20_000).nullable().default(null)),
  temperature: temperatureField.default(null),
  topP: optionalNumber(
    z.number().gt(0, "top_p must be above 0 and at most 1").max(1, "top_p must be above 0 and at most 1"),
  ).default(null),
  maxTokens: maxTokensField,
  seed: optionalNumber(
    z
      .number()
      .int("seed must be a whole number")
      .min(0)
      .max(2 ** 31 - 1),
  ).default(null),
  samples: optionalNumber(
    z
      .number()
      .int("samples must be a whole number")
      .min(1, "samples must be 1 to 100")
      .max(100, "samples must be 1 to 100"),
  )
    .transform((v) => v ?? 1)
    .default(1),
  concurrency: concurrencyField,
  stream: streamField(true),
});

export type GenerationRequest = z.infer<typeof generationRequestSchema>;

/** What is stored on the checkpoint and the run: everything but the key (snake_case, as exported). */
export interface StoredEndpointSettings {
  base_url: string;
  model: string;
  system_prompt: string | null;
  temperature: number | null;
  top_p: number | null;
  max_tokens: number | null;
  seed: number | null;
  samples: number;
  stream: boolean;
}

export function storedSettings(request: GenerationRequest): StoredEndpointSettings {
  return {
    base_url: request.baseUrl,
    model: request.model,
    system_prompt: request.systemPrompt,
    temperature: request.temperature,
    top_p: request.topP,
    max_tokens: request.maxTokens,
    seed: request.seed,
    samples: request.samples,
    stream: request.stream,
  };
}
