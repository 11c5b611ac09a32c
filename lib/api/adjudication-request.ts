// PUT /api/v1/studies/{slug}/responses/{id}/adjudication: the JSON body, named as the export names
// the label's columns (harm_severity, refusal, flag_reward_hacking, note…; choices in lower case as
// the export writes them), plus the version the caller last saw (null for none), turned into the
// adjudication input, with messages naming the field.
import { z } from "zod";
import { adjudicationInputSchema, type AdjudicationInput } from "../adjudication/save";
import { DIMENSIONS, LABEL_DIMENSIONS, emptyLabelValues, type LabelDimension } from "../labels";

const FIELD_OF: Record<string, string> = Object.fromEntries(LABEL_DIMENSIONS.map((d) => [d, DIMENSIONS[d].field]));

/** The body's keys: every dimension's export name and version. */
export const ADJUDICATION_BODY_FIELDS = [...LABEL_DIMENSIONS.map((d) => DIMENSIONS[d].field), "version"];

export function parseAdjudicationBody(
  body: unknown,
): { ok: true; input: AdjudicationInput } | { ok: false; errors: string[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return {
      ok: false,
      errors: ['Send a JSON object: { "harm_severity": 2, "refusal": "complied", …, "version": null }.'],
    };
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !ADJUDICATION_BODY_FIELDS.includes(k));
  if (unknown.length > 0)
    return {
      ok: false,
      errors: unknown.map(
        (k) => `${k}: not a field of an adjudication (fields: ${ADJUDICATION_BODY_FIELDS.join(", ")}).`,
      ),
    };
  if (!("version" in record))
    return {
      ok: false,
      errors: ["version: required: the version you last saw, or null when there was no adjudication."],
    };
  const empty = emptyLabelValues();
  const input: Record<string, unknown> = { version: record.version };
  for (const d of LABEL_DIMENSIONS) {
    const field = DIMENSIONS[d].field;
    const value = field in record ? record[field] : empty[d as LabelDimension];
    input[d] = DIMENSIONS[d].kind === "choice" && typeof value === "string" ? value.toUpperCase() : value;
  }
  const parsed = adjudicationInputSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const [first, ...rest] = issue.path.map(String);
        const name = [FIELD_OF[first ?? ""] ?? first, ...rest].join(".");
        return `${name}: ${issue.message}`;
      }),
    };
  return { ok: true, input: parsed.data };
}

const versionParam = z.coerce
  .number({ message: "must be a whole number" })
  .int("must be a whole number")
  .positive("must be 1 or more");

/** DELETE's `version` query parameter: the version being cleared. */
export function parseClearVersion(
  params: URLSearchParams,
): { ok: true; version: number } | { ok: false; errors: string[] } {
  const raw = params.get("version");
  if (raw === null || raw === "")
    return {
      ok: false,
      errors: ["version: required: the version of the adjudication you mean to clear (?version=N)."],
    };
  const parsed = versionParam.safeParse(raw);
  return parsed.success
    ? { ok: true, version: parsed.data }
    : { ok: false, errors: [`version: ${parsed.error.issues[0]!.message}`] };
}
