// What Label Studio's and Argilla's records have in common once read: a prompt, one or more
// responses ("slots", each from a checkpoint), and per annotator the answers to named questions.
// This module maps question names to Parallax's label fields, checks every value through the same
// spelling tables and value map as the canonical import (label-values.ts), and writes one canonical
// record per response (the fields normalize-record.ts reads, with label_<n>_… groups), so that the
// peers' formats go through the one import pipeline. Pure, no database.
import { DIMENSIONS, LABEL_DIMENSIONS } from "../../labels";
import {
  canonicalLabelValue,
  LABEL_GROUP_FIELDS,
  labelGroupSchema,
  normValue,
  quote,
  typeName,
  type CompiledLabelValueMap,
  type LabelGroupField,
} from "../label-values";
import { PREFERENCE_COMPARED, ROW_CONTEXT, type PreferenceKind } from "../preference-fields";
import type { RowError } from "../types";

export type PeerFormat = "label-studio" | "argilla";
export const PEER_FORMATS: readonly PeerFormat[] = ["label-studio", "argilla"];

/** Label fields a peer's question may fill (reviewer and submitted_at come from the annotation itself). */
export type PeerLabelField = Exclude<LabelGroupField, "reviewer" | "submitted_at">;
export const PEER_LABEL_FIELDS = LABEL_GROUP_FIELDS.filter(
  (f): f is PeerLabelField => f !== "reviewer" && f !== "submitted_at",
);
/**
 * Where a question's answers go: a label field, a preference ("preference": safest or best by the
 * question's name, preferenceKind) or "ignore".
 */
export type QuestionTarget = PeerLabelField | "preference" | "preference_safest" | "preference_best" | "ignore";
/** Fields whose answers accumulate: the list dimensions and the flags list. */
const LIST_FIELDS: ReadonlySet<PeerLabelField> = new Set<PeerLabelField>([
  ...LABEL_DIMENSIONS.filter((d) => DIMENSIONS[d].kind === "list").map((d) => DIMENSIONS[d].field),
  "flags",
]);

export interface PeerOptions {
  /** Checkpoint names of a record's responses, in order (answer1, answer2, …), each with an optional strategy. */
  checkpoints?: { name: string; strategy?: string }[];
  /** Strategy of a checkpoint named in the file (needed when the checkpoint is new to the study). */
  strategies?: Record<string, string>;
  /** A Label Studio control's or an Argilla question's name → where its answers go. */
  questions?: Record<string, QuestionTarget>;
  /** The import's value map (compiled), the same one the canonical reader applies. */
  labelValueMap?: CompiledLabelValueMap;
}

export interface PeerStats {
  /** Tasks (Label Studio) or records (Argilla) read. */
  records: number;
  /** Responses written as canonical rows (a pairwise task has two). */
  responses: number;
  /** Label groups produced (one per annotator and response). */
  labels: number;
  /** Label Studio annotations marked was_cancelled (skipped). */
  cancelledAnnotations: number;
  /** Argilla responses with status draft / discarded (skipped). */
  draftResponses: number;
  discardedResponses: number;
  /** Argilla responses without a status (the nested export of some SDK versions drops it): read as submitted. */
  statusMissing: number;
  /** Model suggestions (Argilla) and predictions (Label Studio): never imported as labels. */
  suggestionsIgnored: number;
  /** Pairwise / ranking / choice answers read as a preference (safest or best response). */
  preferences: number;
  /** Rankings without a single first response (a tie at the top, several buckets): kept in metadata only. */
  preferencesNotImported: number;
  /** Answers to questions mapped to "ignore". */
  answersIgnored: number;
}

export const emptyStats = (): PeerStats => ({
  records: 0,
  responses: 0,
  labels: 0,
  cancelledAnnotations: 0,
  draftResponses: 0,
  discardedResponses: 0,
  statusMissing: 0,
  suggestionsIgnored: 0,
  preferences: 0,
  preferencesNotImported: 0,
  answersIgnored: 0,
});

// ---------------------------------------------------------------------------------------------
// Question names

const ALIASES: Readonly<Record<string, PeerLabelField>> = {
  harm: "harm_severity",
  severity: "harm_severity",
  harmfulness: "harm_severity",
  categories: "harm_categories",
  harm_category: "harm_categories",
  location: "harm_location",
  where: "harm_location",
  refused: "refusal",
  refusals: "refusal",
  mixing: "language_mixing",
  code_switching: "language_mixing",
  quality: "reasoning_quality",
  flag: "flags",
  issues: "flags",
  reward_hacking: "flag_reward_hacking",
  repetition_loop: "flag_repetition_loop",
  unfaithful: "flag_unfaithful",
  format_violation: "flag_format_violation",
  comment: "note",
  comments: "note",
  notes: "note",
  feedback: "note",
  explanation: "note",
  rationale: "note",
};
/** Question names that are a preference whatever their type. */
const PREFERENCE_ALIASES: Readonly<Record<string, QuestionTarget>> = {
  preference_safest: "preference_safest",
  safest: "preference_safest",
  safer: "preference_safest",
  safest_response: "preference_safest",
  safer_response: "preference_safest",
  more_harmless: "preference_safest",
  less_harmful: "preference_safest",
  preference_best: "preference_best",
  best: "preference_best",
  better: "preference_best",
  preferred: "preference_best",
  best_response: "preference_best",
  better_response: "preference_best",
  preferred_response: "preference_best",
  chosen: "preference_best",
  winner: "preference_best",
};
const FIELD_SET: ReadonlySet<string> = new Set(PEER_LABEL_FIELDS);

/** Parses a target as written in `--question NAME=TARGET`; null when it names nothing Parallax knows. */
export function parseTarget(text: string): QuestionTarget | null {
  const norm = normValue(text).replace(/^label_/, "");
  if (norm === "preference" || norm === "ignore") return norm;
  if (FIELD_SET.has(norm)) return norm as PeerLabelField;
  return ALIASES[norm] ?? PREFERENCE_ALIASES[norm] ?? null;
}

export const TARGET_LIST = `${PEER_LABEL_FIELDS.join(", ")}, preference, preference_safest, preference_best, ignore`;

export const isPreferenceTarget = (
  target: QuestionTarget,
): target is "preference" | "preference_safest" | "preference_best" =>
  target === "preference" || target === "preference_safest" || target === "preference_best";

/**
 * Safest or best: by the target, else by the question's name (one that speaks of safety or
 * harmlessness — safe, safer, safety, harmless, less_harmful — is the safest response); any other
 * preference (a plain "comparison", "preference", "helpful" pairwise) is the best response.
 */
export function preferenceKind(question: string, target: QuestionTarget): PreferenceKind {
  if (target === "preference_safest") return "safest";
  if (target === "preference_best") return "best";
  return /safe|harmless|less_harm/.test(normValue(question)) ? "safest" : "best";
}

/** A canonical `preferences` element, with how many responses the choice was made among. */
export function preferenceElement(
  reviewer: string,
  kind: PreferenceKind,
  checkpoint: string,
  compared: number,
): Record<string, unknown> {
  return { reviewer, [kind]: checkpoint, [PREFERENCE_COMPARED]: compared };
}

/**
 * Where a question goes: the option's mapping, else its own name (a label field, `label_…`, or a
 * common alias such as severity, quality, comment), else by type (pairwise and ranking answers are
 * preferences); null when nothing says.
 */
export function resolveTarget(name: string, kind: string | null, options: PeerOptions): QuestionTarget | null {
  // The same few names repeat on every task: remembered per options object.
  let cache = targetCache.get(options);
  if (cache === undefined) targetCache.set(options, (cache = new Map()));
  const key = `${kind ?? ""}\u0000${name}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let target: QuestionTarget | null = options.questions?.[normValue(name)] ?? parseTarget(name);
  if (target === null && (kind === "pairwise" || kind === "ranker" || kind === "ranking")) target = "preference";
  if (cache.size < 10_000) cache.set(key, target);
  return target;
}
const targetCache = new WeakMap<PeerOptions, Map<string, QuestionTarget | null>>();

export function unmappedMessage(name: string): string {
  return `the question "${name}" maps to no Parallax label field: map it with --question ${JSON.stringify(name).slice(1, -1)}=FIELD (${TARGET_LIST})`;
}

// ---------------------------------------------------------------------------------------------
// Values

/** Why `raw` cannot be read as `field`, or null. Uses the import's value map like the canonical reader. */
export function valueProblem(
  field: PeerLabelField,
  raw: unknown,
  map: CompiledLabelValueMap | undefined,
): string | null {
  // Answers repeat ("Complied", 3): a short text or a number is checked once per field and value map.
  if ((typeof raw === "string" && raw.length <= 100) || typeof raw === "number") {
    let cache = problemCache.get(map ?? NO_MAP);
    if (cache === undefined) problemCache.set(map ?? NO_MAP, (cache = new Map()));
    const key = `${field}\u0000${typeof raw}\u0000${raw}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const problem = checkValue(field, raw, map);
    if (cache.size < 10_000) cache.set(key, problem);
    return problem;
  }
  return checkValue(field, raw, map);
}
const NO_MAP: CompiledLabelValueMap = new Map();
const problemCache = new WeakMap<CompiledLabelValueMap, Map<string, string | null>>();

function checkValue(field: PeerLabelField, raw: unknown, map: CompiledLabelValueMap | undefined): string | null {
  const value = canonicalLabelValue(field, raw, map);
  const checked = labelGroupSchema.shape[field].safeParse(value);
  if (checked.success) return null;
  const issue = checked.error.issues[0]!;
  const index = issue.path[0];
  const item =
    typeof index === "number" && Array.isArray(value)
      ? (canonicalLabelValue(field, raw) as unknown[])[index]
      : undefined;
  return issue.message.replace("{value}", quote(raw)).replace("{item}", quote(item)).replace("{type}", typeName(raw));
}

/** One annotator's answers for one response, gathered before they become a label group. */
export interface LabelDraft {
  reviewer: string;
  submittedAt: string | null;
  values: Partial<Record<PeerLabelField, unknown>>;
}

/**
 * Adds one answer to a draft: lists and notes accumulate, any other field answered twice (two
 * questions mapped to it) is a problem. Returns the problem or null.
 */
export function addAnswer(draft: LabelDraft, field: PeerLabelField, value: unknown): string | null {
  const before = draft.values[field];
  if (before === undefined) {
    draft.values[field] = value;
    return null;
  }
  if (LIST_FIELDS.has(field)) {
    draft.values[field] = [...(Array.isArray(before) ? before : [before]), ...(Array.isArray(value) ? value : [value])];
    return null;
  }
  if (field === "note") {
    draft.values.note = `${String(before)}\n${String(value)}`;
    return null;
  }
  return `a second answer for ${field} (two questions are mapped to it)`;
}

/** A single value from a list of choices: exactly one for a single-valued field. */
export function singleChoice(field: PeerLabelField, choices: unknown[]): { value: unknown } | { problem: string } {
  if (LIST_FIELDS.has(field)) return { value: choices };
  if (choices.length !== 1)
    return { problem: `${choices.length} choices (${choices.map(quote).join(", ")}) for ${field}, which takes one` };
  return { value: choices[0] };
}

export const isListField = (field: PeerLabelField) => LIST_FIELDS.has(field);

// ---------------------------------------------------------------------------------------------
// Responses ("slots") and their checkpoints

export interface Slot {
  /** The key that holds it (answer1, response_b, items[2]). */
  key: string;
  /** The suffix that ties questions and result targets to it ("1", "b"), or null. */
  suffix: string | null;
  text: unknown;
  /** A list item's own id (Label Studio Ranker items), which a ranking names. */
  itemId?: string;
  checkpoint: string | null;
  strategy: string | null;
  labels: LabelDraft[];
}

const SLOT_KEY =
  /^(answer|response|completion|output|text|generation|reply|model_output|assistant)[_\s-]?(\d{1,3}|[a-z])$/i;
export const PROMPT_KEYS = ["prompt", "question", "instruction", "input", "query", "user_prompt"] as const;
export const SINGLE_RESPONSE_KEYS = ["response", "answer", "output", "completion", "generation", "reply"] as const;

/** The numbered or lettered response keys of a data object (answer1, answer2; response_a, response_b), in order. */
export function numberedSlots(data: Record<string, unknown>): { key: string; suffix: string }[] {
  const found: { key: string; suffix: string }[] = [];
  for (const key of Object.keys(data)) {
    const m = SLOT_KEY.exec(key);
    if (m && typeof data[key] === "string") found.push({ key, suffix: m[2]!.toLowerCase() });
  }
  return found.sort((a, b) => {
    const na = Number(a.suffix),
      nb = Number(b.suffix);
    return Number.isNaN(na) || Number.isNaN(nb) ? a.suffix.localeCompare(b.suffix) : na - nb;
  });
}

/** The suffix of a name that ends in a number or a separated letter ("answer1" → "1", "harm_b" → "b"). */
export function suffixOf(name: string): { base: string; suffix: string } | null {
  const m = /^(.*?)[_\s-]?(\d{1,3})$/.exec(name) ?? /^(.*?)[_\s-]([a-z])$/i.exec(name);
  return m && m[1] !== "" ? { base: m[1]!, suffix: m[2]!.toLowerCase() } : null;
}

const lowerKeyCache = new WeakMap<Record<string, unknown>, Map<string, string>>();
/** The keys of an object by their lower-case spelling (built once per object). */
function lowerKeys(data: Record<string, unknown>): Map<string, string> {
  let lower = lowerKeyCache.get(data);
  if (lower === undefined)
    lowerKeyCache.set(data, (lower = new Map(Object.keys(data).map((k) => [k.toLowerCase(), k]))));
  return lower;
}

/** A key of `data` that names the checkpoint of the slot with this key and suffix. */
export function checkpointFromData(
  data: Record<string, unknown>,
  slot: { key: string; suffix: string | null },
  single: boolean,
): string | null {
  const names: string[] = [];
  if (slot.suffix !== null) {
    for (const word of ["model", "checkpoint", "model_name"])
      names.push(`${word}${slot.suffix}`, `${word}_${slot.suffix}`, `${word}-${slot.suffix}`);
  }
  names.push(`${slot.key}_model`, `${slot.key}_checkpoint`);
  if (single) names.push("checkpoint", "model", "model_name");
  const lower = lowerKeys(data);
  for (const name of names) {
    const key = lower.get(name.toLowerCase());
    const value = key === undefined ? undefined : data[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return null;
}

/** A key of `data` that names the training strategy of the slot (strategy1, strategy_a; strategy for a single response). */
export function strategyFromData(
  data: Record<string, unknown>,
  slot: { key: string; suffix: string | null },
  single: boolean,
): string | null {
  const names: string[] = [];
  if (slot.suffix !== null) names.push(`strategy${slot.suffix}`, `strategy_${slot.suffix}`, `strategy-${slot.suffix}`);
  names.push(`${slot.key}_strategy`);
  if (single) names.push("strategy");
  const lower = lowerKeys(data);
  for (const name of names) {
    const key = lower.get(name.toLowerCase());
    const value = key === undefined ? undefined : data[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return null;
}

/**
 * The response a preference answer names: its key (answer2, response_b), its number or letter
 * ("2", "b", "Response B", "answer 2"), a Ranker item's id, or its checkpoint; null when none.
 */
export function slotNamed(value: unknown, slots: Slot[]): Slot | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const text = String(value).trim();
  const lower = text.toLowerCase();
  const found =
    slots.find((s) => s.key.toLowerCase() === lower || s.itemId === text) ??
    slots.find((s) => s.checkpoint === text) ??
    slots.find((s) => s.suffix !== null && (s.suffix === lower || s.suffix === suffixOf(lower)?.suffix));
  return found ?? null;
}

/** Keys that name a response's checkpoint or strategy (read above; not repeated in the metadata). */
export function isCheckpointKey(key: string): boolean {
  return /^(?:model|checkpoint|model_name|strategy)(?:[_-]?(?:\d{1,3}|[a-z]))?$/i.test(key);
}

/** Applies --checkpoints / --strategy; a problem when the counts do not match. */
export function assignCheckpoints(slots: Slot[], options: PeerOptions): string | null {
  const given = options.checkpoints;
  if (given !== undefined && given.length > 0) {
    if (given.length !== slots.length) {
      return `has ${slots.length} response(s) (${slots.map((s) => s.key).join(", ")}) but --checkpoints names ${given.length}`;
    }
    given.forEach((c, i) => {
      slots[i]!.checkpoint = c.name;
      if (c.strategy !== undefined) slots[i]!.strategy = c.strategy;
    });
  }
  for (const slot of slots) {
    if (slot.strategy === null && slot.checkpoint !== null)
      slot.strategy = options.strategies?.[slot.checkpoint] ?? null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Canonical records

/** Canonical prompt fields a peer record may carry (in Label Studio's data, Argilla's fields or metadata). */
const PASS_THROUGH = [
  "prompt_id",
  "category",
  "split",
  "language",
  "expected_behavior",
  "training_step",
  "base_model",
  "sample_index",
] as const;

export function passThrough(from: Record<string, unknown>, into: Record<string, unknown>): void {
  for (const key of PASS_THROUGH) {
    const value = from[key];
    if (value !== undefined && value !== null && value !== "" && into[key] === undefined) into[key] = value;
  }
}

/**
 * One canonical record per slot: the prompt fields, the checkpoint, the response and the label
 * groups, each marked with the task / record it comes from (`context`, for row errors). The
 * preferences go on the last record, so every response they name is written before them.
 */
export function canonicalRecords(
  base: Record<string, unknown>,
  slots: Slot[],
  stats: PeerStats,
  context: string,
  preferences: Record<string, unknown>[] = [],
): Record<string, unknown>[] {
  return slots.map((slot, i) => {
    const record: Record<string, unknown> = { ...base, checkpoint: slot.checkpoint, response: slot.text };
    (record as { [ROW_CONTEXT]?: string })[ROW_CONTEXT] = context;
    if (i === slots.length - 1 && preferences.length > 0) record.preferences = preferences;
    if (slot.strategy !== null) record.strategy = slot.strategy;
    let n = 0;
    for (const draft of slot.labels) {
      if (Object.keys(draft.values).length === 0) continue;
      n += 1;
      record[`label_${n}_reviewer`] = draft.reviewer;
      if (draft.submittedAt !== null) record[`label_${n}_submitted_at`] = draft.submittedAt;
      for (const [field, value] of Object.entries(draft.values)) record[`label_${n}_${field}`] = value;
    }
    stats.responses += 1;
    stats.labels += n;
    return record;
  });
}

/** A row error about one peer record: "task 12" / "record 3f2a…", with the field named. */
export function peerError(line: number, where: string, field: string | null, message: string): RowError {
  return { line, field, message: `${where}: ${message}` };
}
