// The fields every leased run's request has for its OpenAI-compatible endpoint (base URL, model, key,
// sampling, concurrency, streaming), with the same zod rules and the same words for generation runs
// (lib/generate/run-settings.ts) and judge runs (lib/judges/judge-settings.ts).
import { z } from "zod";

/** A number that may come as text from a form or the command line; "" or nothing is null. */
export const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess((v) => (v === "" || v === undefined ? null : typeof v === "string" ? Number(v) : v), schema.nullable());

export const baseUrlField = z
  .string()
  .trim()
  .url("base URL must be a URL such as http://localhost:8000/v1")
  .refine((v) => /^https?:\/\//i.test(v), "base URL must start with http:// or https://");

export const modelField = z.string().trim().min(1, "name the model the endpoint serves").max(300);

/** Omitted: the stored key is kept (if any). */
export const apiKeyField = z.string().max(4000).optional();

export const temperatureField = optionalNumber(
  z.number().min(0, "temperature must be 0 to 2").max(2, "temperature must be 0 to 2"),
);

export const maxTokensField = optionalNumber(
  z.number().int("max_tokens must be a whole number").min(1).max(1_000_000),
).default(null);

/** Requests at once (8 when not given). */
export const concurrencyField = optionalNumber(
  z
    .number()
    .int("concurrency must be a whole number")
    .min(1, "concurrency must be 1 to 256")
    .max(256, "concurrency must be 1 to 256"),
)
  .transform((v) => v ?? 8)
  .default(8);

/** Streaming as a boolean or a form's "on"/"off", "true"/"false". */
export const streamField = (byDefault: boolean) =>
  z.preprocess(
    (v) => (v === "false" || v === "off" ? false : v === "true" || v === "on" ? true : v),
    z.boolean().default(byDefault),
  );

/** The first problem of a failed parse, naming its field. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.join(".");
  return field ? `${field}: ${issue.message}` : issue.message;
}
