// Label values as files spell them, read as the label table's canonical values: the built-in
// spellings, the import's own value map (ImportOptions.labelValueMap, the CLI's `--map`), and the
// zod schema of one label group that refuses whatever is left over. Pure, no database.
//
// Decisions (see label-fields.ts for the columns):
// - Values match case-insensitively, with spaces and hyphens read as "_": first through the value
//   map, then through the built-in spellings below; a value that maps to nothing is refused.
// - Booleans: true/false, yes/no, y/n, t/f, 1/0, on/off.
// - harm_categories and flags: a JSON list, or text separated by ";" or ","; a CSV cell holding a
//   JSON list is read as one. Categories are kept as written (trimmed).
// - refusal as a number is the 0/1/2 scale (complied/partial/refused), never a yes/no 0/1: a 0/1
//   column must be mapped (--map refusal:1=refused), so it cannot be misread silently.
// - submitted_at: ISO 8601, a date or a date and time; without an offset it is UTC.
// - reviewer: a name, or an e-mail address (anything with "@", which must then look like one).
import { z } from "zod";
import {
  CHOICES,
  DIMENSIONS,
  FLAG_FILE_NAMES,
  HARM_CATEGORY_MAX_CHARS,
  HARM_SEVERITIES,
  LABEL_DIMENSIONS,
  SCALES,
  type DimensionField,
  type FlagFileName,
  type HarmLocationValue,
  type LabelDimension,
  type LanguageMixingValue,
  type RefusalValue,
} from "../labels";

/** A flag as a file's `flags` list names it (reward_hacking, …). */
export const LABEL_FLAGS = FLAG_FILE_NAMES;
export type LabelFlag = FlagFileName;

/** The fields of one label group, named as after the group's prefix (`label_`, `label_2_`, or none). */
export type LabelGroupField = "reviewer" | DimensionField | "flags" | "submitted_at";
/**
 * The reviewer, each dimension by its file name (lib/labels), the `flags` list before the first
 * flag, and the time of the label.
 */
export const LABEL_GROUP_FIELDS: readonly LabelGroupField[] = [
  "reviewer",
  ...LABEL_DIMENSIONS.flatMap((d): LabelGroupField[] =>
    d === LABEL_DIMENSIONS.find((x) => DIMENSIONS[x].kind === "flag")
      ? ["flags", DIMENSIONS[d].field]
      : [DIMENSIONS[d].field],
  ),
  "submitted_at",
];

/** Fields whose values a value map may rewrite. */
export const LABEL_MAP_FIELDS = LABEL_GROUP_FIELDS.filter(
  (f): f is Exclude<LabelGroupField, "note" | "submitted_at"> => f !== "note" && f !== "submitted_at",
);
export type LabelMapField = (typeof LABEL_MAP_FIELDS)[number];
/** Per field: a value as found in files → the canonical value (or any spelling Parallax reads). */
export type LabelValueMap = Partial<Record<LabelMapField, Record<string, string>>>;
/** A value map with its keys normalised (normValue), checked by compileLabelValueMap. */
export type CompiledLabelValueMap = ReadonlyMap<LabelMapField, ReadonlyMap<string, string>>;

/** How a value is looked up in the spelling tables and value maps. */
export function normValue(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

const table = <T>(entries: Record<string, T>): ReadonlyMap<string, T> => new Map(Object.entries(entries));

const SEVERITY = table({ none: 0, minor: 1, mild: 1, low: 1, moderate: 2, medium: 2, severe: 3, high: 3 });
const QUALITY = table({
  incoherent: 1,
  very_poor: 1,
  very_bad: 1,
  poor: 2,
  bad: 2,
  fair: 3,
  ok: 3,
  okay: 3,
  average: 3,
  good: 4,
  excellent: 5,
  very_good: 5,
});
const REFUSAL = table<RefusalValue>({
  complied: "COMPLIED",
  comply: "COMPLIED",
  complies: "COMPLIED",
  compliance: "COMPLIED",
  full_compliance: "COMPLIED",
  answered: "COMPLIED",
  no_refusal: "COMPLIED",
  none: "COMPLIED",
  no: "COMPLIED",
  false: "COMPLIED",
  "0": "COMPLIED",
  partial: "PARTIAL",
  partially: "PARTIAL",
  partial_refusal: "PARTIAL",
  partially_refused: "PARTIAL",
  partial_compliance: "PARTIAL",
  partially_complied: "PARTIAL",
  "1": "PARTIAL",
  refused: "REFUSED",
  refuse: "REFUSED",
  refuses: "REFUSED",
  refusal: "REFUSED",
  full_refusal: "REFUSED",
  declined: "REFUSED",
  yes: "REFUSED",
  true: "REFUSED",
  "2": "REFUSED",
});
const WHERE = {
  reasoning: "REASONING",
  in_reasoning: "REASONING",
  thinking: "REASONING",
  think: "REASONING",
  cot: "REASONING",
  chain_of_thought: "REASONING",
  answer: "ANSWER",
  in_answer: "ANSWER",
  response: "ANSWER",
  final_answer: "ANSWER",
  both: "BOTH",
  all: "BOTH",
  reasoning_and_answer: "BOTH",
  answer_and_reasoning: "BOTH",
} as const;
const HARM_LOCATION = table<HarmLocationValue>(WHERE);
const LANGUAGE_MIXING = table<LanguageMixingValue>({
  ...WHERE,
  none: "NONE",
  no: "NONE",
  false: "NONE",
  no_mixing: "NONE",
});
const BOOLEAN = table({
  true: true,
  t: true,
  yes: true,
  y: true,
  "1": true,
  on: true,
  false: false,
  f: false,
  no: false,
  n: false,
  "0": false,
  off: false,
});
const FLAG = table<LabelFlag>({
  reward_hacking: "reward_hacking",
  reward_hack: "reward_hacking",
  hacking: "reward_hacking",
  repetition_loop: "repetition_loop",
  repetition: "repetition_loop",
  loop: "repetition_loop",
  looping: "repetition_loop",
  unfaithful: "unfaithful",
  unfaithful_answer: "unfaithful",
  answer_unfaithful: "unfaithful",
  format_violation: "format_violation",
  format: "format_violation",
  format_error: "format_violation",
});

// Decimal notation only, as for the response fields.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

// Each reader returns the canonical value, or the value unchanged for zod to refuse.

/** The value map applied to a string or number. */
function mapped(field: LabelMapField, v: unknown, map: CompiledLabelValueMap | undefined): unknown {
  if (map === undefined || (typeof v !== "string" && typeof v !== "number")) return v;
  return map.get(field)?.get(normValue(String(v))) ?? v;
}

function spelled<T>(spellings: ReadonlyMap<string, T>, v: unknown): unknown {
  if (typeof v === "string" || typeof v === "number") return spellings.get(normValue(String(v))) ?? v;
  return v;
}

/** A name from the table, else a number (from text too). */
function scale(spellings: ReadonlyMap<string, number>, v: unknown): unknown {
  if (typeof v !== "string") return v;
  const named = spellings.get(normValue(v));
  if (named !== undefined) return named;
  const t = v.trim();
  return t.length <= 40 && DECIMAL.test(t) ? Number(t) : v;
}

function toBoolean(v: unknown): unknown {
  if (typeof v === "number" || typeof v === "string") return BOOLEAN.get(normValue(String(v))) ?? v;
  return v;
}

/** A JSON list, JSON list text, or text separated by ";" or ",". */
function toList(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (t.startsWith("[")) {
    try {
      const parsed = JSON.parse(t) as unknown;
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // Not JSON: read as separated text.
    }
  }
  return t
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** ISO 8601 text → Date (offset-less = UTC), every component checked (no 30th of February). */
function toInstant(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const m = ISO_DATE_TIME.exec(v.trim());
  if (!m) return v;
  const [, y, mo, d, h = "00", mi = "00", s = "00", fraction = "", zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return v;
  let offset = "Z";
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const digits = zone.replace(":", "");
    const minutes = digits.length > 3 ? Number(digits.slice(3, 5)) : 0;
    if (Number(digits.slice(1, 3)) > 14 || minutes > 59) return v;
    offset = `${digits[0]}${digits.slice(1, 3)}:${String(minutes).padStart(2, "0")}`;
  }
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${(fraction + "000").slice(0, 3)}${offset}`);
  return Number.isNaN(date.getTime()) ? v : date;
}

const textOf = (v: unknown): unknown => (typeof v === "number" && Number.isFinite(v) ? String(v) : v);

type Reader = (raw: unknown, map: CompiledLabelValueMap | undefined) => unknown;
const flagReader =
  (field: LabelMapField): Reader =>
  (raw, map) =>
    toBoolean(mapped(field, raw, map));

/** How each dimension's value is read from a file. */
const DIMENSION_READERS: Record<LabelDimension, Reader> = {
  harmSeverity: (raw, map) => scale(SEVERITY, mapped("harm_severity", raw, map)),
  harmCategories: (raw, map) => {
    const list = toList(raw);
    if (!Array.isArray(list)) return list;
    const categories = list.map((c) => (typeof c === "string" ? mapped("harm_categories", c.trim(), map) : c));
    return categories.map((c) => (typeof c === "string" ? c.trim() : c)).filter((c) => c !== "");
  },
  harmLocation: (raw, map) => spelled(HARM_LOCATION, mapped("harm_location", raw, map)),
  refusal: (raw, map) => spelled(REFUSAL, mapped("refusal", raw, map)),
  languageMixing: (raw, map) => spelled(LANGUAGE_MIXING, mapped("language_mixing", raw, map)),
  reasoningQuality: (raw, map) => scale(QUALITY, mapped("reasoning_quality", raw, map)),
  rewardHacking: flagReader("flag_reward_hacking"),
  repetitionLoop: flagReader("flag_repetition_loop"),
  unfaithful: flagReader("flag_unfaithful"),
  formatViolation: flagReader("flag_format_violation"),
  note: (raw) => textOf(raw),
};

/** How each field of a label group is read: the dimensions', and the group's own. */
const READERS: Record<LabelGroupField, Reader> = {
  ...(Object.fromEntries(LABEL_DIMENSIONS.map((d) => [DIMENSIONS[d].field, DIMENSION_READERS[d]])) as Record<
    DimensionField,
    Reader
  >),
  reviewer: (raw, map) => {
    const text = textOf(raw);
    const value = mapped("reviewer", typeof text === "string" ? text.trim() : text, map);
    return typeof value === "string" ? value.trim() : value;
  },
  flags: (raw, map) => {
    const list = toList(raw);
    return Array.isArray(list) ? list.map((f) => spelled(FLAG, mapped("flags", f, map))) : list;
  },
  submitted_at: (raw) => toInstant(raw),
};

/** One field's value as found in a file → its canonical value, through the value map and the built-in spellings. */
export function canonicalLabelValue(field: LabelGroupField, raw: unknown, map?: CompiledLabelValueMap): unknown {
  return READERS[field](raw, map);
}

// ---------------------------------------------------------------------------------------------
// zod: one group after mapping. Messages may hold "{value}" (a short quote of the value as
// written), "{item}" (of a list's item) and "{type}"; the caller names the field as written.

const mapHint = (field: string) => ` (map other spellings with --map ${field}:VALUE=CANONICAL)`;
const texts = (values: readonly { text: string }[]) => values.map((v) => v.text).join(", ");
const SEVERITY_MESSAGE =
  `{value} is not a harm severity: give ${SCALES.harmSeverity.min}–${SCALES.harmSeverity.max} or ${texts(HARM_SEVERITIES)}` +
  mapHint("harm_severity");
const QUALITY_MESSAGE =
  `{value} is not a reasoning quality: give a whole number from ${SCALES.reasoningQuality.min} to ${SCALES.reasoningQuality.max}` +
  mapHint("reasoning_quality");
const LIST_MESSAGE = "must be a list, or text separated by ; or , — not {type}";
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

const flagSchema = z.boolean({ error: "{value} is not true or false (true/false, yes/no, t/f, 1/0)" }).optional();
const scaleSchema = (d: keyof typeof SCALES, message: string) =>
  z
    .number({ error: message })
    .int({ error: message })
    .min(SCALES[d].min, { error: message })
    .max(SCALES[d].max, { error: message })
    .optional();
const choiceSchema = <D extends keyof typeof CHOICES>(d: D) =>
  z
    .enum(CHOICES[d].map((c) => c.value) as [(typeof CHOICES)[D][number]["value"]], {
      error: `{value} is not one of ${texts(CHOICES[d])}` + mapHint(DIMENSIONS[d].field),
    })
    .optional();

/** Each dimension's schema in a file, after the spellings and the value map. */
const DIMENSION_SCHEMAS = {
  harmSeverity: scaleSchema("harmSeverity", SEVERITY_MESSAGE),
  harmCategories: z
    .array(
      z
        .string({ error: "holds {item}, which is not text" })
        .max(HARM_CATEGORY_MAX_CHARS, { error: `holds a category longer than ${HARM_CATEGORY_MAX_CHARS} characters` }),
      { error: LIST_MESSAGE },
    )
    .optional(),
  harmLocation: choiceSchema("harmLocation"),
  refusal: choiceSchema("refusal"),
  languageMixing: choiceSchema("languageMixing"),
  reasoningQuality: scaleSchema("reasoningQuality", QUALITY_MESSAGE),
  rewardHacking: flagSchema,
  repetitionLoop: flagSchema,
  unfaithful: flagSchema,
  formatViolation: flagSchema,
  note: z.string({ error: "must be text, not {type}" }).optional(),
} satisfies Record<LabelDimension, z.ZodType>;

/** A dimension's schema under its file name. */
type FileSchemas = { [D in LabelDimension as DimensionField<D>]: (typeof DIMENSION_SCHEMAS)[D] };
const fileSchemas = Object.fromEntries(
  LABEL_DIMENSIONS.map((d) => [DIMENSIONS[d].field, DIMENSION_SCHEMAS[d]]),
) as unknown as FileSchemas;

const groupShape = {
  reviewer: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "missing: a label needs its reviewer (a name or an e-mail address)"
          : "must be text, not {type}",
    })
    .max(254, { error: "is longer than 254 characters" })
    .refine((s) => !CONTROL.test(s), { error: "contains a control character" })
    .refine((s) => !s.includes("@") || EMAIL.test(s), {
      error: "{value} is not an e-mail address (a reviewer is a name without @, or an e-mail address)",
    }),
  ...fileSchemas,
  flags: z
    .array(
      z.enum(LABEL_FLAGS as readonly FlagFileName[] as [FlagFileName, ...FlagFileName[]], {
        error: `holds {item}, which is not one of ${LABEL_FLAGS.join(", ")}` + mapHint("flags"),
      }),
      { error: LIST_MESSAGE },
    )
    .optional(),
  submitted_at: z
    .date({ error: "{value} is not an ISO 8601 date or date and time, e.g. 2025-11-20T14:03:00Z" })
    .optional(),
};
/** One label group: its shape in LABEL_GROUP_FIELDS order, so problems are reported in the file's field order. */
export const labelGroupSchema = z.object(
  Object.fromEntries(LABEL_GROUP_FIELDS.map((f) => [f, groupShape[f]])) as typeof groupShape,
);

export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "boolean") return "true/false";
  return typeof v === "number" ? "a number" : typeof v;
}

/** At most 40 characters of a value, for messages. */
export function quote(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return typeName(v);
}

// ---------------------------------------------------------------------------------------------
// Value maps

const valueMapSchema = z.record(
  z.string(),
  z.record(z.string(), z.string({ error: "the canonical value must be text" }), { error: "must map values to values" }),
  {
    error: "must be an object of fields",
  },
);

/** Why `canonical` is not a value Parallax reads for `field`, or null. */
function canonicalProblem(field: LabelMapField, canonical: string): string | null {
  if (canonical.trim() === "") return "the canonical value is empty";
  const value = canonicalLabelValue(field, field === "harm_categories" || field === "flags" ? [canonical] : canonical);
  const checked = labelGroupSchema.shape[field].safeParse(value);
  if (checked.success) return null;
  const message = checked.error.issues[0]!.message.replace(/ \(map other spellings with .*\)$/, "");
  return message
    .replace("{value}", quote(canonical))
    .replace("{item}", quote(canonical))
    .replace("{type}", typeName(canonical));
}

/** Checks a value map: known fields (a `label_` prefix is allowed) and canonical values that Parallax reads. */
export function compileLabelValueMap(
  map: unknown,
): { ok: true; map: CompiledLabelValueMap } | { ok: false; problems: string[] } {
  const parsed = valueMapSchema.safeParse(map);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map(
        (i) => `label value map${i.path.length ? ` (${i.path.join(".")})` : ""}: ${i.message}`,
      ),
    };
  const problems: string[] = [];
  const compiled = new Map<LabelMapField, Map<string, string>>();
  for (const [rawField, values] of Object.entries(parsed.data)) {
    const name = normValue(rawField).replace(/^label_/, "");
    const field = LABEL_MAP_FIELDS.find((f) => f === name);
    if (field === undefined) {
      problems.push(
        `label value map: "${rawField}" is not a label field that can be mapped (${LABEL_MAP_FIELDS.join(", ")})`,
      );
      continue;
    }
    const entries = compiled.get(field) ?? new Map<string, string>();
    compiled.set(field, entries);
    for (const [from, to] of Object.entries(values)) {
      const problem = canonicalProblem(field, to);
      if (problem !== null) problems.push(`label value map, ${field}: ${JSON.stringify(from)} → ${problem}`);
      else entries.set(normValue(from), to);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, map: compiled };
}

/**
 * The command line's `--map field:value=canonical` (repeatable) as a LabelValueMap. The field ends
 * at the first ":", the canonical value starts after the last "=" (canonical values hold neither).
 */
export function labelValueMapFromArguments(
  args: readonly string[],
): { ok: true; map: LabelValueMap } | { ok: false; problems: string[] } {
  const map: Record<string, Record<string, string>> = {};
  const problems: string[] = [];
  for (const arg of args) {
    const colon = arg.indexOf(":");
    const equals = arg.lastIndexOf("=");
    if (colon <= 0 || equals <= colon) {
      problems.push(`--map ${JSON.stringify(arg)}: write it as field:value=canonical, e.g. refusal:declined=refused`);
      continue;
    }
    const field = arg.slice(0, colon).trim();
    (map[field] ??= {})[arg.slice(colon + 1, equals)] = arg.slice(equals + 1).trim();
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, map: map as LabelValueMap };
}
