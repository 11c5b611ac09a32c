// Preferences an import may carry beside its responses: per reviewer, the safest and / or best
// response of the row's prompt, named by its checkpoint (the response of that checkpoint with the
// row's sample_index). Pure, no database; written by preference-writer.ts.
//
// Decisions:
// - Canonical key `preferences`: a list of {reviewer, safest?, best?} (in CSV, that list as JSON
//   text). It may stand on any row of the prompt; the responses it names may come later in the
//   file (preferences are resolved at the end of the import).
// - Peers' converters (peers/) attach, through symbol keys that no file can carry, how many
//   responses a pairwise choice / ranking compared (a choice between two of a prompt's three
//   responses is not "the best response of the prompt") and which task or record a row came from
//   (for row errors: "task 12: …").
import { z } from "zod";
import { canonicalLabelValue, labelGroupSchema, quote, typeName, type CompiledLabelValueMap } from "./label-values";
import type { RowError } from "./types";

/** On a record: the task / record a peer row comes from ("task 12"), named in row errors. */
export const ROW_CONTEXT: unique symbol = Symbol("parallax.import.rowContext");
/** On a preference element: how many responses the choice was made among (peers only). */
export const PREFERENCE_COMPARED: unique symbol = Symbol("parallax.import.preferenceCompared");

export type PreferenceKind = "safest" | "best";

export interface ImportedPreference {
  reviewer: string;
  kind: PreferenceKind;
  /** The checkpoint whose response (with the row's sample index) was chosen. */
  checkpoint: string;
  /** Responses the choice was made among (a peer's pairwise choice: 2); null = all of the prompt's. */
  compared: number | null;
}

const text = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, { error: `${what} is empty` })
    .max(500, { error: `${what} is longer than 500 characters` })
    .refine((s) => !s.includes("\u0000"), { error: `${what} contains a NUL character` });

const elementSchema = z
  .object(
    { reviewer: z.unknown().optional(), safest: text("safest").optional(), best: text("best").optional() },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}: a preference has reviewer, safest and best`
          : "each preference must be an object {reviewer, safest?, best?}",
    },
  )
  .strict()
  .refine((p) => p.safest !== undefined || p.best !== undefined, {
    error: "a preference names a safest or a best checkpoint (or both)",
  });

/** The reviewer as the label columns read it: through the value map (--map reviewer:A=B), a name or an e-mail address. */
function reviewerOf(
  raw: unknown,
  map: CompiledLabelValueMap | undefined,
): { ok: true; value: string } | { ok: false; message: string } {
  if (raw === undefined || raw === null || raw === "")
    return { ok: false, message: "missing: a preference names its reviewer (a name or an e-mail address)" };
  const value = canonicalLabelValue("reviewer", raw, map);
  const checked = labelGroupSchema.shape.reviewer.safeParse(value);
  if (checked.success && checked.data !== "") return { ok: true, value: checked.data };
  const message = checked.success
    ? "is empty"
    : checked.error.issues[0]!.message.replace("{value}", quote(raw)).replace("{type}", typeName(raw));
  return { ok: false, message: `reviewer ${message}` };
}

const MAX_PREFERENCES = 1000;

/** Reads the `preferences` value of a record; problems go to `errors` (field = the key as written). */
export function readPreferences(
  value: unknown,
  key: string,
  line: number,
  errors: RowError[],
  map?: CompiledLabelValueMap,
): ImportedPreference[] {
  let list = value;
  if (typeof value === "string") {
    try {
      list = JSON.parse(value) as unknown;
    } catch {
      errors.push({ line, field: key, message: "is not valid JSON (a list of {reviewer, safest?, best?})" });
      return [];
    }
  }
  if (!Array.isArray(list)) {
    errors.push({ line, field: key, message: "must be a list of {reviewer, safest?, best?}" });
    return [];
  }
  if (list.length > MAX_PREFERENCES) {
    errors.push({ line, field: key, message: `has ${list.length} preferences; at most ${MAX_PREFERENCES} per row` });
    return [];
  }
  const out: ImportedPreference[] = [];
  const seen = new Map<string, string>();
  list.forEach((element: unknown, i) => {
    const parsed = elementSchema.safeParse(element);
    if (!parsed.success) {
      errors.push({
        line,
        field: key,
        message: `[${i}]: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`,
      });
      return;
    }
    const reviewer = reviewerOf(parsed.data.reviewer, map);
    if (!reviewer.ok) {
      errors.push({ line, field: key, message: `[${i}]: ${reviewer.message}` });
      return;
    }
    const compared =
      typeof element === "object" && element !== null
        ? (element as { [PREFERENCE_COMPARED]?: unknown })[PREFERENCE_COMPARED]
        : undefined;
    for (const kind of ["safest", "best"] as const) {
      const checkpoint = parsed.data[kind];
      if (checkpoint === undefined) continue;
      const id = `${reviewer.value.toLowerCase()}\u0000${kind}`;
      const before = seen.get(id);
      if (before !== undefined && before !== checkpoint) {
        errors.push({
          line,
          field: key,
          message: `[${i}]: reviewer ${JSON.stringify(reviewer.value)} names two ${kind} checkpoints (${JSON.stringify(before)}, ${JSON.stringify(checkpoint)})`,
        });
        continue;
      }
      if (before !== undefined) continue;
      seen.set(id, checkpoint);
      out.push({
        reviewer: reviewer.value,
        kind,
        checkpoint,
        compared: typeof compared === "number" ? compared : null,
      });
    }
  });
  return out;
}
