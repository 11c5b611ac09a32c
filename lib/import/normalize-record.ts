// Turns ONE parsed record (a JSONL object or a CSV row) into a NormalizedRow or the list of every
// problem in it. Pure and framework-free; runs on every row of multi-million-row imports, so the
// hot path is one pass over the keys, one small zod safeParse, one think-tag scan and one SHA-256.
//
// Decisions (see also think-blocks.ts):
// - Field names match case-insensitively, ignoring surrounding whitespace, with spaces and hyphens
//   read as "_" ("Prompt ID" = prompt_id); `expected_behaviour` = expected_behavior. Two keys of
//   one record that mean the same field and both have a value are an error.
// - Absent = undefined, null or "" (CSV has no null); for optional short text and numbers a
//   whitespace-only value is absent too. Short text (ids, names, category…) is trimmed; numbers
//   are accepted for it and stringified. Prompt, reasoning and answer text are kept exactly as
//   given (only the parts of a response split at <think> tags are trimmed: think-blocks.ts),
//   except that NUL characters are an error (PostgreSQL text and jsonb cannot store them), as is
//   any text over `maxFieldBytes`.
// - Numbers may arrive as strings ("12", "12.0", "1e3" — pandas writes "12.0" for int columns
//   with gaps); hex, "Infinity" and the like are rejected. training_step and sample_index must be
//   whole, 0 ≤ n ≤ 2^31−1 (PostgreSQL integer).
// - strategy: sft / rl / hybrid / base, any case; "sft+rl" and "rl+sft" (spaces ignored) = HYBRID.
// - The response: the answer comes from exactly one of `response`, `answer`, `content` or the last
//   assistant message of `messages`; the reasoning from at most one of `reasoning`,
//   `reasoning_content` or that message's `reasoning_content` / `reasoning`. Any answer field pairs
//   with any reasoning field (`response` + `reasoning` is common in datasets). Two answer sources
//   with text (or two reasoning sources) are an error rather than a silent choice; a source that
//   is present but empty yields to one with text. A present but empty answer is a real, empty
//   model output: accepted with the `no_answer` issue. An empty reasoning field counts as absent
//   (CSV cannot tell "" from missing). No answer field at all is an error, unless a reasoning is
//   given (then answer "" + `no_answer`).
// - The answer always goes through parseThinkBlocks: a <think> block inside it is reasoning. If a
//   separate reasoning field is given too, both are kept, joined with a blank line (separate field
//   first), with the issue `multiple_think_blocks`.
// - sourceShape: "messages" when the answer came from messages; else "deepseek" when `content` or
//   `reasoning_content` was used; else "fields" when `answer` or `reasoning` was used; else
//   "response".
// - messages: a list of {role, content} (or that list as JSON text, as in CSV). content may be a
//   string, null, or a list of parts (strings or {type: "text", text}) whose texts are joined.
//   Roles match case-insensitively. Without an assistant message, `messages` only gives the
//   prompt (the last user message) and the answer must come from another field. Earlier turns and
//   system messages are not kept.
// - prompt: the `prompt` field; when absent, the last user message before the assistant message.
// - promptKey: prompt_id when given (trimmed, numbers stringified), else "sha256:" + hex SHA-256 of
//   the prompt text trimmed and with CRLF/CR read as LF, so the same prompt exported on Windows and
//   on Linux is one prompt. promptText itself is stored as given.
// - metadata: the `metadata` object (or JSON text of one) merged with every unknown field that has
//   a value (keys trimmed, values as given — CSV values stay strings). On a key clash the explicit
//   `metadata` object wins: it is the deliberate place for metadata, a top-level column is
//   incidental. Metadata strings and keys are checked for NUL and the size limit too, and nesting
//   deeper than 64 levels is an error.
// - Error messages are self-contained ("strategy: \"ppo\" is not one of sft, rl, hybrid, base"),
//   name the field as written in the file (trimmed), and quote at most 40 characters of a value;
//   RowError.field carries the key exactly as written.
// - Labels beside the response (label_…, label_<n>_…, the export's column names) are read by
//   label-fields.ts and travel on the row; export-only columns are ignored rather than kept in
//   metadata. A record with labels but no prompt and no response labels a response already in the
//   study, named by prompt_id + checkpoint + sample_index (RowResult.labelsOnly).
import * as crypto from "node:crypto";
import { z } from "zod";
import type { ExpectedBehavior, TrainingStrategy } from "../db/generated/enums";
import { labelKeyKind, readLabels, type ImportedLabel } from "./label-fields";
import { readPreferences, ROW_CONTEXT, type ImportedPreference } from "./preference-fields";
import type { CompiledLabelValueMap } from "./label-values";
import { repairLoneSurrogates } from "./lone-surrogates";
import { splitReasoningAndAnswer } from "./think-blocks";
import type { FormatIssue, LabelsOnlyRow, NormalizedRow, PromptRow, RowError, RowResult, SourceShape } from "./types";

/** Default size limit of one text field, in UTF-8 bytes (2 MiB). */
export const MAX_FIELD_BYTES = 2 * 1024 * 1024;

export interface NormalizeOptions {
  /** Size limit of one text field in UTF-8 bytes; default MAX_FIELD_BYTES. */
  maxFieldBytes?: number;
  /** The import's value map for label fields (label-values.ts compileLabelValueMap). */
  labelValueMap?: CompiledLabelValueMap;
}

const INT4_MAX = 2_147_483_647;
const MAX_METADATA_DEPTH = 64;
const RESPONSE_HINT = "give one of response, reasoning+answer, reasoning_content+content, messages";

// ---------------------------------------------------------------------------------------------
// Field names. Values of a record are kept in arrays indexed by these numbers (fast on the hot path).

const F = {
  prompt: 0,
  prompt_id: 1,
  category: 2,
  split: 3,
  language: 4,
  expected_behavior: 5,
  checkpoint: 6,
  strategy: 7,
  training_step: 8,
  base_model: 9,
  compute_gpu_hours: 10,
  sample_index: 11,
  metadata: 12,
  response: 13,
  reasoning: 14,
  answer: 15,
  reasoning_content: 16,
  content: 17,
  messages: 18,
} as const;
type Field = keyof typeof F;
const FIELD_NAMES = Object.keys(F) as Field[];
const FIELD_COUNT = FIELD_NAMES.length;
const ALIASES: Readonly<Record<string, number>> = { expected_behaviour: F.expected_behavior };
const ANSWER_FIELDS = [F.response, F.answer, F.content] as const;
const REASONING_FIELDS = [F.reasoning, F.reasoning_content] as const;
/** The fields that carry the response; a wrongly typed one suppresses "response: missing". */
const RESPONSE_FIELDS = [...ANSWER_FIELDS, ...REASONING_FIELDS] as const;

const nameCache = new Map<string, number>();
/** fieldIndex of a key that may carry label data (read by label-fields.ts) and of an export-only column. */
const LABEL_KEY = -2;
const IGNORED_KEY = -3;
/** fieldIndex of `preferences` (preference-fields.ts). */
const PREFERENCES_KEY = -4;

/** Index of the canonical field a key names, LABEL_KEY, IGNORED_KEY, or -1 for an unknown field. */
function fieldIndex(key: string): number {
  const cached = nameCache.get(key);
  if (cached !== undefined) return cached;
  const norm = key
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  // Object.hasOwn, not `in` or a plain lookup: a key like "__proto__" must stay an unknown field.
  let index = Object.hasOwn(F, norm) ? F[norm as Field] : Object.hasOwn(ALIASES, norm) ? ALIASES[norm]! : -1;
  if (index === -1 && norm === "preferences") index = PREFERENCES_KEY;
  if (index === -1) {
    const kind = labelKeyKind(norm);
    if (kind !== null) index = kind === "label" ? LABEL_KEY : IGNORED_KEY;
  }
  // Keys repeat on every row of a file; bound the cache in case a file has ever-changing keys.
  if (nameCache.size < 10_000) nameCache.set(key, index);
  return index;
}

/** True when a key is read as one of Parallax's fields (a canonical field, a label field or `preferences`). */
export function readsAsField(key: string): boolean {
  const index = fieldIndex(key);
  return index >= 0 || index === LABEL_KEY || index === PREFERENCES_KEY;
}

// ---------------------------------------------------------------------------------------------
// Coercion of raw values (CSV gives strings; "" means absent), done before zod validates.

const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === "";

function shortText(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") {
    const t = v.trim();
    return t === "" ? undefined : t;
  }
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return v;
}

// Decimal notation only (no hex, no "Infinity"); linear: anchored, no nested quantifiers.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function toNumber(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "") return undefined;
    return t.length <= 40 && DECIMAL.test(t) ? Number(t) : v;
  }
  return v;
}

const STRATEGIES: Readonly<Record<string, TrainingStrategy>> = {
  sft: "SFT",
  rl: "RL",
  hybrid: "HYBRID",
  base: "BASE",
  "sft+rl": "HYBRID",
  "rl+sft": "HYBRID",
};

function toStrategy(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") return v;
  if (v.length > 40) return v;
  const lower = v.toLowerCase();
  if (Object.hasOwn(STRATEGIES, lower)) return STRATEGIES[lower];
  const t = lower.replace(/\s+/g, "");
  if (t === "") return undefined;
  return Object.hasOwn(STRATEGIES, t) ? STRATEGIES[t] : v;
}

function toExpected(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") return v;
  const t = v.trim().toUpperCase();
  return t === "" ? undefined : t;
}

const orUndefined = (v: unknown): unknown => (v === null ? undefined : v);

// ---------------------------------------------------------------------------------------------
// zod schemas. Messages may contain "{value}" (a short quote of the value as written in the file)
// and "{type}" (what kind of value it is); the field name is prefixed when issues become RowErrors.

const TEXT = "must be text, not {type}";
const NOT_WHOLE = "{value} is not a whole number";
const NEGATIVE = "{value} is negative; give 0 or more";
const text = z.string({ error: TEXT }).optional();
const wholeNumber = z
  .number({ error: NOT_WHOLE })
  .int({ error: NOT_WHOLE })
  .min(0, { error: NEGATIVE })
  .max(INT4_MAX, { error: `{value} is too large (at most ${INT4_MAX})` })
  .optional();

const recordSchema = z.object({
  prompt: text,
  prompt_id: text,
  category: text,
  split: text,
  language: text,
  expected_behavior: z.enum(["COMPLY", "REFUSE"], { error: "{value} is not one of comply, refuse" }).optional(),
  checkpoint: z.string({ error: (iss) => (iss.input === undefined ? "missing" : TEXT) }),
  strategy: z
    .enum(["SFT", "RL", "HYBRID", "BASE"], { error: "{value} is not one of sft, rl, hybrid, base" })
    .optional(),
  training_step: wholeNumber,
  base_model: text,
  compute_gpu_hours: z.number({ error: "{value} is not a number" }).min(0, { error: NEGATIVE }).optional(),
  sample_index: wholeNumber,
  metadata: z.custom<Record<string, unknown>>(isPlainObject, { error: "must be a JSON object, not {type}" }).optional(),
  response: text,
  reasoning: text,
  answer: text,
  reasoning_content: text,
  content: text,
});

/** A prompts-only row: the same fields, without a checkpoint. */
const promptSchema = recordSchema.extend({ checkpoint: z.string({ error: TEXT }).optional() });

const contentPart = z.union([z.string(), z.object({ type: z.string().optional(), text: z.string().optional() })]);
const messageSchema = z.object(
  {
    role: z.string({ error: (iss) => (iss.input === undefined ? "has no role" : "has a role that is not text") }),
    content: z
      .union([z.string(), z.array(contentPart)], {
        error: "has a content that is neither text nor a list of text parts",
      })
      .nullish(),
    reasoning_content: z.string({ error: "has a reasoning_content that is not text" }).nullish(),
    reasoning: z.string({ error: "has a reasoning that is not text" }).nullish(),
  },
  { error: "is not an object" },
);
const messagesSchema = z.array(messageSchema, { error: "must be a list of {role, content} messages, not {type}" });
type Message = z.infer<typeof messageSchema>;

// ---------------------------------------------------------------------------------------------
// Helpers

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "boolean") return "true/false";
  return typeof v === "number" ? "a number" : typeof v;
}

function quote(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return typeName(v);
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    const mb = bytes / (1024 * 1024);
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

function fieldError(line: number, key: string, message: string): RowError {
  // The field travels separately (RowError.field); every caller prints "line N, field: message".
  return { line, field: key, message };
}

const NUL_MESSAGE = "contains a NUL character (\\u0000), which the database cannot store";

/** Size and NUL checks of one text value; pushes the errors and returns true when it passes. */
function checkText(value: string, key: string, line: number, limit: number, errors: RowError[]): boolean {
  let ok = true;
  // UTF-8 needs at most 3 bytes per UTF-16 code unit: measure only when the limit is reachable.
  if (value.length * 3 > limit) {
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes > limit) {
      errors.push(fieldError(line, key, `${formatSize(bytes)} is larger than the ${formatSize(limit)} limit`));
      ok = false;
    }
  }
  const nul = value.indexOf("\u0000");
  if (nul !== -1) {
    errors.push(fieldError(line, key, `${NUL_MESSAGE} (at character ${nul + 1})`));
    ok = false;
  }
  return ok;
}

interface JsonWalk {
  chars: number;
  problem: string | null;
}

function walkJson(v: unknown, depth: number, state: JsonWalk): void {
  if (state.problem !== null) return;
  if (typeof v === "string") {
    state.chars += v.length + 2;
    if (v.indexOf("\u0000") !== -1) state.problem = NUL_MESSAGE;
    return;
  }
  if (typeof v !== "object" || v === null) {
    state.chars += 8;
    return;
  }
  if (depth >= MAX_METADATA_DEPTH) {
    state.problem = `is nested deeper than ${MAX_METADATA_DEPTH} levels`;
    return;
  }
  if (Array.isArray(v)) {
    for (const item of v) walkJson(item, depth + 1, state);
    return;
  }
  const obj = v as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    state.chars += key.length + 3;
    if (key.indexOf("\u0000") !== -1) {
      state.problem = `has a key that ${NUL_MESSAGE}`;
      return;
    }
    walkJson(obj[key], depth + 1, state);
  }
}

/**
 * NUL, depth and size checks of a value that becomes metadata (jsonb). Returns the problem or
 * null. The size is estimated from string lengths and measured only when it could exceed the limit.
 */
function checkJsonValue(value: unknown, limit: number): string | null {
  const state: JsonWalk = { chars: 0, problem: null };
  walkJson(value, 0, state);
  if (state.problem !== null) return state.problem;
  if (state.chars * 3 > limit) {
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
    if (bytes > limit) return `${formatSize(bytes)} is larger than the ${formatSize(limit)} limit`;
  }
  return null;
}

const NON_SPACE = /\S/;
function hasText(s: string): boolean {
  return NON_SPACE.test(s);
}

function messageText(content: Message["content"]): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  let out = "";
  for (const part of content) {
    const t = typeof part === "string" ? part : part.type === undefined || part.type === "text" ? part.text : undefined;
    if (t !== undefined) out += t;
  }
  return out;
}

/** Parses JSON text (CSV cells); pushes an error and returns undefined when it is not JSON. */
function parseJsonCell(raw: string, key: string, line: number, errors: RowError[]): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (e) {
    errors.push(fieldError(line, key, `is not valid JSON (${e instanceof Error ? e.message : String(e)})`));
    return undefined;
  }
}

// crypto.hash (Node ≥ 20.12) is ~3× faster than createHash for short inputs.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;
function sha256Hex(value: string): string {
  return oneShotHash !== undefined
    ? oneShotHash("sha256", value, "hex")
    : crypto.createHash("sha256").update(value, "utf8").digest("hex");
}

/** The prompt text as hashed for promptKey: trimmed, line ends as LF. */
function promptHashText(value: string): string {
  const t = value.trim();
  return t.indexOf("\r") === -1 ? t : t.replace(/\r\n?/g, "\n");
}

/** Where a piece of the response came from: a top-level field or the assistant message. */
interface Source {
  key: string;
  field: number;
  text: string;
}

/** The answer and reasoning sources chosen so far (see addAnswer / addReasoning). */
interface Picked {
  /** The first answer source, even if empty. */
  answer?: Source;
  /** The first answer source with text. */
  withText?: Source;
  reasoning?: Source;
}

/** "" is a present, empty answer; a second source with text is a conflict. */
function addAnswer(pick: Picked, source: Source, line: number, errors: RowError[]): void {
  if (hasText(source.text)) {
    if (pick.withText !== undefined) {
      const first = JSON.stringify(pick.withText.key.trim());
      errors.push(
        fieldError(
          line,
          source.key,
          `conflicts with ${first} — give the response in only one of response, answer, content, messages`,
        ),
      );
      return;
    }
    pick.withText = source;
  }
  pick.answer ??= source;
}

/** "" is an absent reasoning (CSV cannot tell it from missing); a second source with text is a conflict. */
function addReasoning(pick: Picked, source: Source, line: number, errors: RowError[]): void {
  if (!hasText(source.text)) return;
  if (pick.reasoning !== undefined) {
    const first = JSON.stringify(pick.reasoning.key.trim());
    errors.push(
      fieldError(
        line,
        source.key,
        `conflicts with ${first} — give the reasoning in only one of reasoning, reasoning_content, the assistant message`,
      ),
    );
    return;
  }
  pick.reasoning = source;
}

interface MessagesResult {
  /** The list parsed and valid. */
  valid: boolean;
  /** A problem was reported (bad JSON, bad list, text too large or with NUL). */
  errored: boolean;
  answer?: Source;
  reasoning?: Source;
  /** The last user message (before the assistant message, when there is one). */
  userPrompt?: string;
}

function readMessages(raw: unknown, key: string, line: number, limit: number, errors: RowError[]): MessagesResult {
  const before = errors.length;
  const value = typeof raw === "string" ? parseJsonCell(raw, key, line, errors) : raw;
  if (value === undefined || value === null) return { valid: false, errored: errors.length > before };
  const parsed = messagesSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const index = issue.path[0];
      const where = typeof index === "number" ? `message ${index + 1} ` : "";
      errors.push(fieldError(line, key, where + issue.message.replace("{type}", typeName(value))));
    }
    return { valid: false, errored: true };
  }
  const list = parsed.data;
  const result: MessagesResult = { valid: true, errored: false };
  let at = list.length - 1;
  while (at >= 0 && list[at]!.role.trim().toLowerCase() !== "assistant") at--;
  const assistant = at >= 0 ? list[at] : undefined;
  if (assistant !== undefined) {
    const answer = messageText(assistant.content);
    if (checkText(answer, key, line, limit, errors)) result.answer = { key, field: F.messages, text: answer };
    else result.errored = true;
    const reasoning = assistant.reasoning_content ?? assistant.reasoning;
    if (typeof reasoning === "string" && hasText(reasoning)) {
      if (checkText(reasoning, key, line, limit, errors))
        result.reasoning = { key, field: F.messages, text: reasoning };
      else result.errored = true;
    }
  }
  for (let i = (assistant !== undefined ? at : list.length) - 1; i >= 0; i--) {
    const m = list[i]!;
    if (m.role.trim().toLowerCase() === "user") {
      result.userPrompt = messageText(m.content);
      break;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

/** A record's keys sorted into canonical fields (values by field index), unknown fields, labels and preferences. */
interface SortedFields {
  keys: (string | undefined)[];
  values: unknown[];
  unknown: [name: string, value: unknown, written: string][] | null;
  labelEntries: [key: string, value: unknown][] | null;
  preferences: ImportedPreference[] | undefined;
}

function sortFields(
  record: Record<string, unknown>,
  line: number,
  options: NormalizeOptions | undefined,
  errors: RowError[],
): SortedFields {
  const keys: (string | undefined)[] = new Array<string | undefined>(FIELD_COUNT);
  const values: unknown[] = new Array<unknown>(FIELD_COUNT);
  let unknown: SortedFields["unknown"] = null;
  let labelEntries: SortedFields["labelEntries"] = null;
  let preferences: ImportedPreference[] | undefined;
  for (const key of Object.keys(record)) {
    const value = record[key];
    const index = fieldIndex(key);
    if (index < 0) {
      if (index === -1) {
        if (!isAbsent(value)) (unknown ??= []).push([key.trim(), value, key]);
      } else if (index === LABEL_KEY) (labelEntries ??= []).push([key, value]);
      else if (index === PREFERENCES_KEY && !isAbsent(value)) {
        if (preferences !== undefined) errors.push(fieldError(line, key, "given twice"));
        else preferences = readPreferences(value, key, line, errors, options?.labelValueMap);
      }
      continue;
    }
    const seen = keys[index];
    if (seen !== undefined) {
      if (isAbsent(value)) continue;
      if (!isAbsent(values[index])) {
        errors.push(fieldError(line, key, `given twice (also as ${JSON.stringify(seen.trim())})`));
        continue;
      }
    }
    keys[index] = key;
    values[index] = value;
  }
  return { keys, values, unknown, labelEntries, preferences };
}

/** NUL, size and depth checks of the explicit metadata object and of every unknown field. */
function checkMetadata(
  explicit: Record<string, unknown> | undefined,
  metadataKey: string,
  unknown: SortedFields["unknown"],
  line: number,
  limit: number,
  errors: RowError[],
): void {
  if (explicit !== undefined) {
    const problem = checkJsonValue(explicit, limit);
    if (problem !== null) errors.push(fieldError(line, metadataKey, problem));
  }
  if (unknown !== null) {
    for (const [name, value, written] of unknown) {
      if (name.indexOf("\u0000") !== -1) {
        errors.push({ line, field: written, message: `the field name ${NUL_MESSAGE}` });
      } else if (typeof value === "string") {
        checkText(value, written, line, limit, errors);
      } else {
        const problem = checkJsonValue(value, limit);
        if (problem !== null) errors.push(fieldError(line, written, problem));
      }
    }
  }
}

/**
 * The stored reasoning and answer of the chosen sources. The answer always goes through
 * parseThinkBlocks; a separate reasoning field and a <think> block in the answer are both kept.
 */
function splitResponse(
  answer: Source | undefined,
  reasoning: Source | undefined,
): { reasoningText: string | null; answerText: string; issues: FormatIssue[]; sourceShape: SourceShape } {
  const separate = reasoning;
  const split = splitReasoningAndAnswer(answer?.text ?? "", separate?.text);
  const reasoningText = split.reasoning;
  const issues = split.issues;

  const answerField = answer?.field;
  const reasoningField = separate?.field;
  let sourceShape: SourceShape;
  if (answerField === F.messages || (answerField === undefined && reasoningField === F.messages))
    sourceShape = "messages";
  else if (answerField === F.content || reasoningField === F.reasoning_content) sourceShape = "deepseek";
  else if (answerField === F.answer || reasoningField === F.reasoning) sourceShape = "fields";
  else sourceShape = "response";
  return { reasoningText, answerText: split.answer, issues, sourceShape };
}

/**
 * Which fields give the answer and the reasoning. "" is a (present, empty) answer but an absent
 * reasoning; two sources with text are a conflict. No source at all is an error, except on a
 * prompt-only row.
 */
function pickResponse(
  { keys, values }: SortedFields,
  badText: number,
  messages: MessagesResult,
  promptOnly: boolean,
  line: number,
  errors: RowError[],
): { answer: Source | undefined; reasoning: Source | undefined } {
  const pick: Picked = {};
  for (const i of ANSWER_FIELDS) {
    const v = values[i];
    if (typeof v === "string" && (badText & (1 << i)) === 0)
      addAnswer(pick, { key: keys[i]!, field: i, text: v }, line, errors);
  }
  if (messages.answer !== undefined) addAnswer(pick, messages.answer, line, errors);
  for (const i of REASONING_FIELDS) {
    const v = values[i];
    if (typeof v === "string" && (badText & (1 << i)) === 0)
      addReasoning(pick, { key: keys[i]!, field: i, text: v }, line, errors);
  }
  if (messages.reasoning !== undefined) addReasoning(pick, messages.reasoning, line, errors);
  const answer = pick.withText ?? pick.answer;
  const reasoning = pick.reasoning;

  if (answer === undefined && reasoning === undefined && !promptOnly) {
    // Stay quiet when a response field already has an error of its own.
    let errored = messages.errored;
    for (const i of RESPONSE_FIELDS) {
      if ((badText & (1 << i)) !== 0 || (!isAbsent(values[i]) && typeof values[i] !== "string")) errored = true;
    }
    if (!errored) {
      const why = messages.valid ? " (messages has no assistant message)" : "";
      errors.push({ line, field: "response", message: `missing — ${RESPONSE_HINT}${why}` });
    }
  }
  return { answer, reasoning };
}

/** The prompt text: the prompt field, else the last user message; undefined (with an error) when missing. */
function promptTextOf(
  { keys, values }: SortedFields,
  messages: MessagesResult,
  messagesKey: string,
  line: number,
  limit: number,
  errors: RowError[],
): string | undefined {
  let promptText: string | undefined;
  const promptValue = values[F.prompt];
  const promptKey = keys[F.prompt] ?? "prompt";
  if (typeof promptValue === "string" && promptValue !== "") {
    if (!hasText(promptValue)) errors.push(fieldError(line, promptKey, "is blank"));
    else promptText = promptValue;
  } else if (isAbsent(promptValue)) {
    const fromMessages = messages.userPrompt;
    if (fromMessages !== undefined && hasText(fromMessages)) {
      if (checkText(fromMessages, messagesKey, line, limit, errors)) promptText = fromMessages;
    } else if (!messages.errored) {
      errors.push(
        fieldError(
          line,
          promptKey,
          messages.valid ? "missing (and messages has no user message with text)" : "missing",
        ),
      );
    }
  }
  return promptText;
}

/** The prompt's part of a row: its key (prompt_id, else the hash of its text), text and attributes. */
function promptFields(line: number, data: z.infer<typeof promptSchema>, promptText: string): PromptRow {
  return {
    line,
    promptKey: data.prompt_id ?? "sha256:" + sha256Hex(promptHashText(promptText)),
    promptExternalId: data.prompt_id ?? null,
    promptText,
    category: data.category ?? null,
    split: data.split ?? null,
    language: data.language ?? null,
    expectedBehavior: (data.expected_behavior satisfies ExpectedBehavior | undefined) ?? null,
  };
}

/** Unknown fields merged with the explicit metadata object, which wins on a clash (the deliberate place). */
function mergedMetadata(
  unknown: SortedFields["unknown"],
  explicit: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (unknown === null) return explicit ?? {};
  const entries: [string, unknown][] = [];
  for (const [name, value] of unknown) entries.push([name, value]);
  if (explicit !== undefined) for (const key of Object.keys(explicit)) entries.push([key, explicit[key]]);
  return Object.fromEntries(entries) as Record<string, unknown>;
}

/**
 * A row that labels a response already in the study: labels or preferences, no prompt, no
 * response, keyed by prompt_id + checkpoint + sample_index (the checkpoint names any response of
 * the prompt for preferences alone). Null when the row is not one.
 */
function labelsOnlyResult(
  { keys, values, preferences }: SortedFields,
  checked: ReturnType<typeof promptSchema.safeParse>,
  labels: ImportedLabel[] | undefined,
  labelsGiven: boolean,
  repairs: NormalizedRow["surrogatesReplaced"] | null,
  record: Record<string, unknown>,
  line: number,
  errors: RowError[],
): RowResult | null {
  const preferencesGiven = preferences !== undefined && preferences.length > 0;
  if (
    !(labelsGiven || preferencesGiven) ||
    !isAbsent(values[F.prompt]) ||
    !isAbsent(values[F.messages]) ||
    !RESPONSE_FIELDS.every((i) => isAbsent(values[i]))
  )
    return null;
  if (shortText(values[F.prompt_id]) === undefined) {
    const message =
      "missing: a row without prompt and response labels a response already in the study, named by prompt_id, checkpoint and sample_index";
    errors.push(fieldError(line, keys[F.prompt_id] ?? "prompt_id", message));
  }
  if (labelsGiven && labels === undefined && errors.length === 0)
    errors.push({ line, field: null, message: "a label of this row could not be read" });
  if (errors.length > 0 || !checked.success) return { ok: false, errors };
  const target: LabelsOnlyRow = {
    line,
    promptKey: checked.data.prompt_id!,
    checkpoint: checked.data.checkpoint!, // a labelled row is never read as a prompt only: required
    sampleIndex: checked.data.sample_index ?? 0,
    labels: labels ?? [],
  };
  if (repairs !== null) target.surrogatesReplaced = repairs;
  if (preferences !== undefined && preferences.length > 0) target.preferences = preferences;
  const context = (record as { [ROW_CONTEXT]?: unknown })[ROW_CONTEXT];
  if (typeof context === "string") target.context = context;
  return { ok: true, labelsOnly: target };
}

/**
 * Step 3 of normalizeRecord: the canonical fields, coerced from CSV text and validated with zod (a
 * prompts-only row by the prompt's schema); each problem named by the key as the file wrote it.
 */
function checkFields(
  { keys, values }: SortedFields,
  metadataValue: unknown,
  promptOnly: boolean,
  line: number,
  errors: RowError[],
) {
  const checked = (promptOnly ? promptSchema : recordSchema).safeParse({
    prompt: orUndefined(values[F.prompt]),
    prompt_id: shortText(values[F.prompt_id]),
    category: shortText(values[F.category]),
    split: shortText(values[F.split]),
    language: shortText(values[F.language]),
    expected_behavior: toExpected(values[F.expected_behavior]),
    checkpoint: shortText(values[F.checkpoint]),
    strategy: toStrategy(values[F.strategy]),
    training_step: toNumber(values[F.training_step]),
    base_model: shortText(values[F.base_model]),
    compute_gpu_hours: toNumber(values[F.compute_gpu_hours]),
    sample_index: toNumber(values[F.sample_index]),
    metadata: metadataValue,
    response: orUndefined(values[F.response]),
    reasoning: orUndefined(values[F.reasoning]),
    answer: orUndefined(values[F.answer]),
    reasoning_content: orUndefined(values[F.reasoning_content]),
    content: orUndefined(values[F.content]),
  });
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const name = issue.path[0] as Field;
      const index = F[name];
      const raw = index === F.metadata ? metadataValue : values[index];
      const message = issue.message.replace("{value}", quote(raw)).replace("{type}", typeName(raw));
      errors.push(fieldError(line, keys[index] ?? name, message));
    }
  }

  return checked;
}

/** Step 9 of normalizeRecord: the row of a response, with what the record carries besides. */
function responseRow(
  data: z.infer<typeof promptSchema>,
  line: number,
  promptText: string,
  split: ReturnType<typeof splitResponse>,
  extra: {
    metadata: Record<string, unknown>;
    labels: ImportedLabel[] | undefined;
    preferences: ImportedPreference[] | undefined;
    repairs: NormalizedRow["surrogatesReplaced"] | null;
    record: Record<string, unknown>;
  },
): NormalizedRow {
  const row: NormalizedRow = {
    ...promptFields(line, data, promptText),
    checkpoint: data.checkpoint!,
    strategy: (data.strategy satisfies TrainingStrategy | undefined) ?? null,
    trainingStep: data.training_step ?? null,
    baseModel: data.base_model ?? null,
    computeGpuHours: data.compute_gpu_hours ?? null,
    sampleIndex: data.sample_index ?? 0,
    reasoning: split.reasoningText,
    answer: split.answerText,
    sourceShape: split.sourceShape,
    formatIssues: split.issues,
    metadata: extra.metadata,
  };
  if (extra.labels !== undefined) row.labels = extra.labels;
  if (extra.preferences !== undefined && extra.preferences.length > 0) row.preferences = extra.preferences;
  if (extra.repairs !== null) row.surrogatesReplaced = extra.repairs;
  const context = (extra.record as { [ROW_CONTEXT]?: unknown })[ROW_CONTEXT];
  if (typeof context === "string") row.context = context;
  return row;
}

/**
 * Normalises one parsed record. `line` is the 1-based line where the record starts; it is copied
 * into the row and into every error. Collects every problem of the record, not only the first.
 */
export function normalizeRecord(record: Record<string, unknown>, line: number, options?: NormalizeOptions): RowResult {
  const limit = options?.maxFieldBytes ?? MAX_FIELD_BYTES;
  const errors: RowError[] = [];

  if (!isPlainObject(record)) {
    return {
      ok: false,
      errors: [{ line, field: null, message: `the record is ${typeName(record)}, not an object of fields` }],
    };
  }
  // 0. Lone surrogates (a JSON "\ud800" escape) cannot be stored: replaced by U+FFFD and reported.
  const repaired = repairLoneSurrogates(record);
  record = repaired.record;

  // 1. Sort the keys into canonical fields (remembering the key as written) and unknown fields.
  const fields = sortFields(record, line, options, errors);
  const { keys, values, labelEntries, preferences } = fields;
  let unknown = fields.unknown;

  // 1b. Labels (label-fields.ts); export names in a record without a reviewer stay metadata.
  let labels: ImportedLabel[] | undefined;
  let labelsGiven = false;
  if (labelEntries !== null) {
    const read = readLabels(labelEntries, line, { maxFieldBytes: limit, valueMap: options?.labelValueMap }, errors);
    if (read.labels.length > 0) labels = read.labels;
    labelsGiven = read.present;
    if (read.metadata !== null) (unknown ??= []).push(...read.metadata);
  }

  // 2. Size and NUL checks of every text value of a known field (messages and metadata: below).
  let badText = 0; // bit set of field indexes whose text failed
  for (let i = 0; i < FIELD_COUNT; i++) {
    const value = values[i];
    if (typeof value !== "string" || i === F.messages || i === F.metadata) continue;
    if (!checkText(value, keys[i]!, line, limit, errors)) badText |= 1 << i;
  }

  // 3. The canonical fields, coerced from CSV text and validated with zod.
  const metadataKey = keys[F.metadata] ?? "metadata";
  const rawMetadata = values[F.metadata];
  const metadataValue =
    typeof rawMetadata === "string" ? parseJsonCell(rawMetadata, metadataKey, line, errors) : orUndefined(rawMetadata);
  // A prompt with no response, no checkpoint and no label: a row of a prompts-only file.
  const promptOnly =
    isAbsent(values[F.checkpoint]) &&
    RESPONSE_FIELDS.every((i) => isAbsent(values[i])) &&
    !labelsGiven &&
    preferences === undefined;
  const checked = checkFields(fields, metadataValue, promptOnly, line, errors);

  // 3a. Metadata: NUL/size/depth checks of the explicit object and of every unknown field — for
  //     labels-only rows too, which do not store them: a row is checked the same whichever it is.
  const explicit = isPlainObject(metadataValue) ? metadataValue : undefined;
  checkMetadata(explicit, metadataKey, unknown, line, limit, errors);

  // 3b. Labels (or preferences) for a response already in the study: no prompt, no response.
  const labelsOnly = labelsOnlyResult(fields, checked, labels, labelsGiven, repaired.repairs, record, line, errors);
  if (labelsOnly !== null) return labelsOnly;

  // 4. messages: the last assistant message is an answer source; the last user message before it
  //    is the prompt when `prompt` is absent.
  const messagesKey = keys[F.messages] ?? "messages";
  const messages: MessagesResult = isAbsent(values[F.messages])
    ? { valid: false, errored: false }
    : readMessages(values[F.messages], messagesKey, line, limit, errors);

  // 5. Which fields give the answer and the reasoning.
  const { answer, reasoning } = pickResponse(fields, badText, messages, promptOnly, line, errors);

  // 6. Prompt text: the prompt field, else the user message.
  const promptText = promptTextOf(fields, messages, messagesKey, line, limit, errors);

  if (promptOnly && answer === undefined && reasoning === undefined) {
    if (errors.length > 0 || promptText === undefined) return { ok: false, errors };
    if (!checked.success) return { ok: false, errors };
    const prompt: PromptRow = promptFields(line, checked.data, promptText);
    if (repaired.repairs !== null) prompt.surrogatesReplaced = repaired.repairs;
    return { ok: true, promptOnly: prompt };
  }
  if (checked.success && checked.data.checkpoint === undefined)
    // A prompt whose response comes from its messages: the checkpoint is needed after all.
    errors.push(fieldError(line, "checkpoint", "missing"));
  if (errors.length > 0 || !checked.success || promptText === undefined) return { ok: false, errors };

  // 8. Split reasoning and answer.
  // 9. The response's row.
  const row = responseRow(checked.data, line, promptText, splitResponse(answer, reasoning), {
    metadata: mergedMetadata(unknown, explicit),
    labels,
    preferences,
    repairs: repaired.repairs,
    record,
  });
  return { ok: true, row };
}
