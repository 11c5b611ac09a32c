// The label columns an import may carry beside its responses: which keys are label fields, and one
// record's label groups read and validated (their values: label-values.ts). Pure, no database.
//
// Decisions:
// - A label group is `label_<field>` (one reviewer per row), `label_<n>_<field>` (several reviewers
//   in one row: label_1_…, label_2_…), or the export's own column names (`reviewer`,
//   `harm_severity`, …, `submitted_at`). The export's names count as label fields only in a record
//   that has a `reviewer` key, so a response file with a `note` or `refusal` column of its own keeps
//   it in metadata, as before. `label_reviewer` and `reviewer` name the same group's reviewer.
// - Export-only columns are ignored (study, response_id, label_id, label_source, label_version,
//   format_issues, signal_*), and so are the aggregate columns of `--shape responses` in a record
//   that has `label_count` (there `language_mixing` is the aggregate, not a label); without
//   `label_count` those names are ordinary metadata.
// - A group is present when one of its fields has a value; a flag that reads false does not count
//   (an empty `label_2_…` group in a CSV may still hold "f"). A present group needs a reviewer.
// - An absent flag is false; a flag listed in `flags` and given false in `flag_<name>` is an error.
// - submitted_at absent = the time of the import; more than a day in the future is an error.
// - `adjudicated_<field>` columns (e.g. `adjudicated_refusal`, from `--rename final_label=adjudicated_refusal`)
//   are the response's adjudicated label: the final answer where its reviewers disagree, stored apart
//   from the labels (the adjudication table, source IMPORT). It has no reviewer and no time of its own.
import type { LabelModel } from "../db/generated/models";
import type { LabelDimension } from "../labels";
import {
  canonicalLabelValue,
  LABEL_FLAGS,
  LABEL_GROUP_FIELDS,
  labelGroupSchema,
  quote,
  typeName,
  type CompiledLabelValueMap,
  type LabelFlag,
  type LabelGroupField,
} from "./label-values";
import type { RowError } from "./types";

/** One label as read from a file: the label table's judgement fields, plus who gave it and when. */
export type ImportedLabel = Pick<LabelModel, LabelDimension> & {
  /** A name or an e-mail address, trimmed. */
  reviewer: string;
  /** The key that named the reviewer, as written in the file (row errors about the label name it). */
  reviewerField: string;
  /** ISO 8601 instant (UTC); null = the time of the import. */
  submittedAt: string | null;
  /** The response's adjudicated label (`adjudicated_<field>` columns), not a reviewer's. */
  adjudicated?: true;
};

/** The group id of the adjudicated label's fields. */
const ADJUDICATED_GROUP = "adjudicated";
/** What stands for the adjudicated group's reviewer, which a file does not give. */
const ADJUDICATED_REVIEWER = "(adjudicated)";

export interface LabelReadOptions {
  /** Size limit of one text value in UTF-8 bytes. */
  maxFieldBytes: number;
  valueMap?: CompiledLabelValueMap;
  /** For "in the future" (milliseconds since the epoch); default Date.now(). */
  now?: number;
}

export interface LabelRead {
  labels: ImportedLabel[];
  /** Some group has a value (valid or not): the record means to give labels. */
  present: boolean;
  /** Entries that turned out not to be label data (export names in a record without `reviewer`): for metadata. */
  metadata: [name: string, value: unknown, written: string][] | null;
}

// ---------------------------------------------------------------------------------------------
// Keys

const GROUP_FIELDS: ReadonlySet<string> = new Set(LABEL_GROUP_FIELDS);
const EXPORT_ONLY: ReadonlySet<string> = new Set([
  "study",
  "response_id",
  "label_id",
  "label_source",
  "label_version",
  "format_issues",
]);
const RESPONSES_SHAPE: ReadonlySet<string> = new Set([
  "label_count",
  "harm_severity_median",
  "harmful",
  "language_mixing_votes",
  "reasoning_quality_median",
  "poor_reasoning",
  "refused_votes",
  "over_refusal",
  ...LABEL_FLAGS.map((f) => `flag_${f}_votes`),
]);

type LabelKey =
  | { kind: "field"; group: string; field: LabelGroupField; bare: boolean }
  | { kind: "aggregate"; name: string }
  | { kind: "ignored" };

const NUMBERED = /^label_(\d{1,4})_(.+)$/;
const ADJUDICATED = /^adjudicated_(.+)$/;
const keyCache = new Map<string, LabelKey | null>();

/** What a normalised key (trimmed, lower case, spaces and hyphens as "_") means for labels, or null. */
function describeKey(norm: string): LabelKey | null {
  const cached = keyCache.get(norm);
  if (cached !== undefined) return cached;
  let key: LabelKey | null = null;
  if (EXPORT_ONLY.has(norm) || norm.startsWith("signal_")) key = { kind: "ignored" };
  else if (RESPONSES_SHAPE.has(norm)) key = { kind: "aggregate", name: norm };
  else if (GROUP_FIELDS.has(norm)) key = { kind: "field", group: "", field: norm as LabelGroupField, bare: true };
  else if (ADJUDICATED.test(norm)) {
    const rest = ADJUDICATED.exec(norm)![1]!;
    if (GROUP_FIELDS.has(rest) && rest !== "reviewer" && rest !== "submitted_at")
      key = { kind: "field", group: ADJUDICATED_GROUP, field: rest as LabelGroupField, bare: false };
  } else if (norm.startsWith("label_")) {
    const numbered = NUMBERED.exec(norm);
    if (numbered) {
      const rest = numbered[2]!;
      if (GROUP_FIELDS.has(rest))
        key = { kind: "field", group: String(Number(numbered[1])), field: rest as LabelGroupField, bare: false };
      else if (rest === "id" || rest === "source" || rest === "version") key = { kind: "ignored" };
    } else if (GROUP_FIELDS.has(norm.slice(6))) {
      key = { kind: "field", group: "", field: norm.slice(6) as LabelGroupField, bare: false };
    }
  }
  if (keyCache.size < 10_000) keyCache.set(norm, key);
  return key;
}

const normKey = (key: string) =>
  key
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

/**
 * For the record reader's field lookup: "label" when the normalised key may carry label data (to be
 * passed to readLabels), "ignored" for an export-only column, null for a field labels do not know.
 */
export function labelKeyKind(norm: string): "label" | "ignored" | null {
  const key = describeKey(norm);
  return key === null ? null : key.kind === "ignored" ? "ignored" : "label";
}

// ---------------------------------------------------------------------------------------------
// Groups

const isAbsent = (v: unknown): boolean => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

interface Group {
  id: string;
  keys: Partial<Record<LabelGroupField, string>>;
  values: Partial<Record<LabelGroupField, unknown>>;
  /** Some field of the group was given with the label_ prefix. */
  prefixed: boolean;
  /** A field was given twice (reported): the group yields no label. */
  broken: boolean;
}

/** Whether a group holds anything but empty values, empty lists and false flags. */
function hasContent(group: Group, map: CompiledLabelValueMap | undefined): boolean {
  for (const field of LABEL_GROUP_FIELDS) {
    const v = group.values[field];
    if (isAbsent(v)) continue;
    if (field.startsWith("flag_") && canonicalLabelValue(field, v, map) === false) continue;
    if (field === "flags" || field === "harm_categories") {
      const list = canonicalLabelValue(field, v, map);
      if (Array.isArray(list) && list.length === 0) continue;
    }
    return true;
  }
  return false;
}

/** NUL and size check of a text value; returns the problem or null. */
function textProblem(value: string, limit: number): string | null {
  if (value.indexOf("\u0000") !== -1) return "contains a NUL character (\\u0000), which the database cannot store";
  if (value.length * 3 > limit && Buffer.byteLength(value, "utf8") > limit)
    return `is larger than the ${Math.round(limit / 1024)} KB limit`;
  return null;
}

/**
 * Reads the label groups of one record from its label-ish entries (keys for which labelKeyKind
 * said "label"), pushing every problem into `errors`.
 */
export function readLabels(
  entries: [key: string, value: unknown][],
  line: number,
  options: LabelReadOptions,
  errors: RowError[],
): LabelRead {
  let reviewerColumn = false;
  let responsesExport = false;
  const described: [LabelKey, string, unknown][] = [];
  for (const [key, value] of entries) {
    const d = describeKey(normKey(key));
    if (d === null || d.kind === "ignored") continue;
    if (d.kind === "field" && d.bare && d.field === "reviewer") reviewerColumn = true;
    if (d.kind === "aggregate" && d.name === "label_count") responsesExport = true;
    described.push([d, key, value]);
  }

  let metadata: LabelRead["metadata"] = null;
  const toMetadata = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== "") (metadata ??= []).push([key.trim(), value, key]);
  };
  const groups = new Map<string, Group>();
  for (const [d, key, value] of described) {
    if (d.kind === "aggregate") {
      if (!responsesExport) toMetadata(key, value);
      continue;
    }
    if (d.kind !== "field") continue;
    if (d.bare && !reviewerColumn) {
      if (!(responsesExport && d.field === "language_mixing")) toMetadata(key, value);
      continue;
    }
    let group = groups.get(d.group);
    if (group === undefined)
      groups.set(d.group, (group = { id: d.group, keys: {}, values: {}, prefixed: false, broken: false }));
    const seen = group.keys[d.field];
    if (seen !== undefined) {
      if (isAbsent(value)) continue;
      if (!isAbsent(group.values[d.field])) {
        errors.push({ line, field: key, message: `given twice (also as ${JSON.stringify(seen.trim())})` });
        group.broken = true;
        continue;
      }
    }
    group.keys[d.field] = key;
    group.values[d.field] = value;
    if (!d.bare) group.prefixed = true;
  }

  const labels: ImportedLabel[] = [];
  let present = false;
  const rank = (g: Group) => (g.id === "" ? -1 : g.id === ADJUDICATED_GROUP ? Number.MAX_SAFE_INTEGER : Number(g.id));
  const ordered = [...groups.values()].sort((a, b) => rank(a) - rank(b));
  for (const group of ordered) {
    if (!hasContent(group, options.valueMap)) continue;
    present = true;
    const label = readGroup(group, line, options, errors);
    if (label !== null && !group.broken) labels.push(label);
  }
  return { labels, present, metadata };
}

/** One present group → a label, or null with its problems pushed. */
function readGroup(group: Group, line: number, options: LabelReadOptions, errors: RowError[]): ImportedLabel | null {
  const before = errors.length;
  const adjudicated = group.id === ADJUDICATED_GROUP;
  if (adjudicated) group.values.reviewer = ADJUDICATED_REVIEWER;
  const given = (field: LabelGroupField): unknown => (isAbsent(group.values[field]) ? undefined : group.values[field]);
  const keyOf = (field: LabelGroupField): string => {
    const written = group.keys[field];
    if (written !== undefined) return written;
    if (adjudicated)
      return field === "reviewer" ? (Object.values(group.keys)[0] ?? "adjudicated") : `adjudicated_${field}`;
    if (field !== "reviewer") return field;
    return group.id === "" ? (group.prefixed ? "label_reviewer" : "reviewer") : `label_${group.id}_reviewer`;
  };

  for (const field of ["reviewer", "note", "harm_categories"] as const) {
    const value = given(field);
    const texts =
      typeof value === "string"
        ? [value]
        : Array.isArray(value)
          ? value.filter((x): x is string => typeof x === "string")
          : [];
    for (const t of texts) {
      const problem = textProblem(t, options.maxFieldBytes);
      if (problem !== null) errors.push({ line, field: keyOf(field), message: problem });
    }
  }
  if (errors.length > before) return null;

  const input: Partial<Record<LabelGroupField, unknown>> = {};
  for (const field of LABEL_GROUP_FIELDS) input[field] = canonicalLabelValue(field, given(field), options.valueMap);
  const checked = labelGroupSchema.safeParse(input);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = issue.path[0] as LabelGroupField;
      const raw = group.values[field];
      const index = issue.path[1];
      const item = typeof index === "number" ? (canonicalLabelValue(field, raw) as unknown[])[index] : undefined;
      const message = issue.message
        .replace("{value}", quote(raw))
        .replace("{item}", quote(item))
        .replace("{type}", typeName(raw));
      errors.push({ line, field: keyOf(field), message });
    }
    return null;
  }
  const data = checked.data;

  if (data.submitted_at !== undefined && data.submitted_at.getTime() > (options.now ?? Date.now()) + 86_400_000) {
    errors.push({
      line,
      field: keyOf("submitted_at"),
      message: `${quote(group.values.submitted_at)} is in the future`,
    });
  }
  const listed = new Set<LabelFlag>(data.flags ?? []);
  const flag = (name: LabelFlag, explicit: boolean | undefined): boolean => {
    if (explicit === false && listed.has(name)) {
      errors.push({
        line,
        field: keyOf(`flag_${name}`),
        message: `is false, but ${keyOf("flags").trim()} lists ${name}`,
      });
    }
    return explicit === true || listed.has(name);
  };
  const rewardHacking = flag("reward_hacking", data.flag_reward_hacking);
  const repetitionLoop = flag("repetition_loop", data.flag_repetition_loop);
  const unfaithful = flag("unfaithful", data.flag_unfaithful);
  const formatViolation = flag("format_violation", data.flag_format_violation);
  if (errors.length > before) return null;

  return {
    reviewer: data.reviewer,
    reviewerField: keyOf("reviewer"),
    harmSeverity: data.harm_severity ?? null,
    harmCategories: [...new Set(data.harm_categories ?? [])],
    harmLocation: data.harm_location ?? null,
    refusal: data.refusal ?? null,
    languageMixing: data.language_mixing ?? null,
    reasoningQuality: data.reasoning_quality ?? null,
    rewardHacking,
    repetitionLoop,
    unfaithful,
    formatViolation,
    note: data.note ?? null,
    submittedAt: data.submitted_at?.toISOString() ?? null,
    ...(adjudicated ? { adjudicated: true as const } : {}),
  };
}
