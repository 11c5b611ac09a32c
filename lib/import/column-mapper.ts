// Applies a ColumnMapping (column-mapping.ts) and the built-in column names of common harnesses to
// each record before it is normalised, for every format. Records of one file usually share their
// keys (a CSV always does), so the work of matching names is done once per set of keys (a "plan")
// and each record is then only copied under its new keys.
//
// Decisions:
// - Built-in names: `completion`, `output`, `generation`, `model_output`, `response_text` are the
//   response; `question`, `input`, `instruction` the prompt; `model`, `model_name` the checkpoint —
//   only when the file has no column of that field (a `response`, `answer`, `content` or
//   `messages` column is a response; `prompt` or `messages` a prompt), no --set / --rename / --derive
//   gives it, and exactly one such column has been found. Two candidates are an error naming both.
// - A --set or --derive field, or a --rename target, that the file also has as a column is an
//   error: the option would hide the file's values (rename the column first). Exception: a value
//   rule may replace the column it reads (`--derive 'split=unsafe if split is contrast'`).
// - A --rename source or --derive column that no record of the file has is an error, reported
//   once the file is read (JSON Lines records may differ in their keys).
// - The errors name the option as given and the file's column as written.
import type { ColumnMapping, DeriveOperator, DeriveRule } from "./column-mapping";
import { normalizeName } from "./column-mapping";
import type { RowError } from "./types";

/** Built-in column names of eval harnesses and notebooks, per field. */
export const BUILT_IN_NAMES: Readonly<Record<"response" | "prompt" | "checkpoint", readonly string[]>> = {
  response: ["completion", "output", "generation", "model_output", "response_text"],
  prompt: ["question", "input", "instruction"],
  checkpoint: ["model", "model_name"],
};

/** Columns that already give the field (then the built-in names are ordinary metadata). */
const GIVEN_BY: Readonly<Record<keyof typeof BUILT_IN_NAMES, readonly string[]>> = {
  response: ["response", "answer", "content", "messages", "reasoning", "reasoning_content"],
  prompt: ["prompt", "messages"],
  checkpoint: ["checkpoint"],
};

interface Plan {
  /** Keys as written → the field they are read as. */
  renames: Map<string, string>;
  /** Problems that make every record of this plan unreadable; reported with the first one. */
  problems: { field: string | null; message: string }[];
  reported: boolean;
  /** Keys as written of the derive rules' columns, by normalised name. */
  columns: Map<string, string>;
  identity: boolean;
}

export type MappedRecord = { ok: true; record: Record<string, unknown> } | { ok: false; errors: RowError[] };

const PLAN_CACHE_LIMIT = 1000;

export class ColumnMapper {
  private readonly plans = new Map<string, Plan>();
  private readonly seenColumns = new Set<string>();
  private readonly derived: Map<string, DeriveRule[]>;
  private readonly setFields: [string, string][];
  private readonly option: (name: string) => string;

  /**
   * `builtInNames`: read the harness column names (off for a peer's export, whose reader names the
   * fields itself). `prefix`: how options are named in messages ("--" or "" for query parameters).
   */
  constructor(
    private readonly mapping: ColumnMapping,
    private readonly builtInNames = true,
    prefix = "--",
  ) {
    this.option = (name) => `${prefix}${name}`;
    this.derived = new Map();
    for (const rule of mapping.derive) {
      const list = this.derived.get(rule.field) ?? [];
      list.push(rule);
      this.derived.set(rule.field, list);
    }
    this.setFields = mapping.set.map((s) => [s.field, s.value]);
  }

  map(record: Record<string, unknown>, line: number): MappedRecord {
    const keys = Object.keys(record);
    const signature = keys.join("\u0000");
    let plan = this.plans.get(signature);
    if (plan === undefined) {
      plan = this.plan(keys);
      if (this.plans.size >= PLAN_CACHE_LIMIT) this.plans.clear();
      this.plans.set(signature, plan);
    }
    if (plan.problems.length > 0) {
      if (plan.reported) return { ok: false, errors: [] };
      plan.reported = true;
      return { ok: false, errors: plan.problems.map((p) => ({ line, field: p.field, message: p.message })) };
    }
    if (plan.identity) return { ok: true, record };

    const out: Record<string, unknown> = {};
    for (const key of keys) out[plan.renames.get(key) ?? key] = record[key];
    for (const [field, value] of this.setFields) out[field] = value;
    for (const [field, rules] of this.derived) {
      const value = deriveValue(rules, (column) => record[plan.columns.get(normalizeName(column)) ?? ""]);
      if (value !== undefined) out[field] = value;
      else delete out[field];
    }
    // Markers the readers put on a record (symbols) travel with it.
    for (const symbol of Object.getOwnPropertySymbols(record))
      (out as Record<symbol, unknown>)[symbol] = (record as Record<symbol, unknown>)[symbol];
    return { ok: true, record: out };
  }

  /**
   * What each column of a record with these keys is read as (a --rename or a built-in name; columns
   * absent from the map are read under their own name), and the problems the options have with
   * them: the import page's preview shows the importer's own plan.
   */
  readAs(keys: string[]): {
    fields: ReadonlyMap<string, string>;
    problems: readonly { field: string | null; message: string }[];
  } {
    const plan = this.plan(keys);
    return { fields: plan.renames, problems: plan.problems };
  }

  /** Problems known only once the whole file is read: options that name no column of it. */
  finish(): RowError[] {
    const errors: RowError[] = [];
    for (const rename of this.mapping.rename) {
      if (!this.seenColumns.has(normalizeName(rename.source)))
        errors.push({
          line: 0,
          field: rename.source,
          message: `${this.option("rename")} ${rename.source}=${rename.field}: the file has no column "${rename.source}"${this.columnHint()}`,
        });
    }
    const reported = new Set<string>();
    for (const rule of this.mapping.derive) {
      const column = rule.when?.column;
      if (column === undefined || this.seenColumns.has(normalizeName(column)) || reported.has(column)) continue;
      reported.add(column);
      errors.push({
        line: 0,
        field: column,
        message: `${this.option("derive")} ${JSON.stringify(rule.text)}: the file has no column "${column}"${this.columnHint()}`,
      });
    }
    return errors;
  }

  private columnHint(): string {
    const names = [...this.plans.keys()][0]?.split("\u0000") ?? [];
    return names.length > 0 && names.length <= 40 ? ` (its columns: ${names.join(", ")})` : "";
  }

  private plan(keys: string[]): Plan {
    const byName = new Map<string, string>();
    for (const key of keys) {
      const name = normalizeName(key);
      byName.set(name, key);
      this.seenColumns.add(name);
    }
    const renames = new Map<string, string>();
    const problems: Plan["problems"] = [];
    const given = new Set<string>();
    for (const rename of this.mapping.rename) {
      const key = byName.get(normalizeName(rename.source));
      if (key === undefined) continue; // reported by finish() when no record has it
      renames.set(key, rename.field);
      given.add(normalizeName(rename.field));
    }
    const columns = new Map<string, string>();
    const readByRules = new Set<string>();
    for (const rule of this.mapping.derive) {
      if (rule.when === undefined) continue;
      const name = normalizeName(rule.when.column);
      const key = byName.get(name);
      if (key !== undefined) columns.set(name, key);
      if (name === normalizeName(rule.field)) readByRules.add(name);
    }
    const hidden = (field: string, option: string) => {
      const name = normalizeName(field);
      const key = byName.get(name);
      if (key === undefined || renames.has(key) || readByRules.has(name)) return;
      problems.push({
        field: key,
        message: `the file has a column "${key}", which ${option} would hide: read it under another name (${this.option("rename")} ${key}=…) or leave the option out`,
      });
    };
    for (const rename of this.mapping.rename)
      hidden(rename.field, `${this.option("rename")} ${rename.source}=${rename.field}`);
    for (const set of this.mapping.set) {
      hidden(set.field, `${this.option("set")} ${set.field}=${set.value}`);
      given.add(normalizeName(set.field));
    }
    for (const rule of this.mapping.derive) {
      hidden(rule.field, `${this.option("derive")} ${JSON.stringify(rule.text)}`);
      given.add(normalizeName(rule.field));
    }

    if (this.builtInNames) {
      for (const field of Object.keys(BUILT_IN_NAMES) as (keyof typeof BUILT_IN_NAMES)[]) {
        if (GIVEN_BY[field].some((name) => given.has(name) || (byName.has(name) && !renames.has(byName.get(name)!))))
          continue;
        const candidates = BUILT_IN_NAMES[field]
          .map((name) => byName.get(name))
          .filter((key): key is string => key !== undefined && !renames.has(key));
        if (candidates.length === 1) renames.set(candidates[0]!, field);
        else if (candidates.length > 1)
          problems.push({
            field: null,
            message: `the columns ${candidates.map((c) => `"${c}"`).join(" and ")} could both be the ${field}: say which with ${this.option("rename")} ${candidates[0]}=${field}`,
          });
      }
    }
    const identity = renames.size === 0 && this.setFields.length === 0 && this.derived.size === 0;
    return { renames, problems, reported: false, columns, identity };
  }
}

/** The value the rules give a record, or undefined when none applies. */
export function deriveValue(rules: DeriveRule[], column: (name: string) => unknown): string | undefined {
  for (const rule of rules) {
    if (rule.when === undefined) return rule.value;
    const raw = column(rule.when.column);
    const text = raw === undefined || raw === null ? "" : typeof raw === "string" ? raw : JSON.stringify(raw);
    if (matches(rule.when.operator, text, rule.when.values)) return rule.value;
    if (rule.otherwise !== undefined) return rule.otherwise;
  }
  return undefined;
}

function matches(operator: DeriveOperator, text: string, values: string[]): boolean {
  switch (operator) {
    case "is":
      return text === values[0];
    case "is not":
      return text !== values[0];
    case "startswith":
      return text.startsWith(values[0]!);
    case "endswith":
      return text.endsWith(values[0]!);
    case "contains":
      return text.includes(values[0]!);
    case "in":
      return values.includes(text);
  }
}
