// The import page's mapping step as data: a field per column, constant fields and value rules, turned
// into the command line's options (set / rename / derive strings, parsed by column-mapping.ts on the
// server) and back (a remembered mapping pre-filling the form). Pure: shared by the page and tests.
import { normalizeName, parseDeriveRule, type DeriveOperator } from "./column-mapping";

/** The fields the page offers for a column or a constant (label fields are typed by hand on the command line). */
export const MAPPABLE_FIELDS = [
  "prompt",
  "prompt_id",
  "category",
  "split",
  "language",
  "expected_behavior",
  "checkpoint",
  "strategy",
  "training_step",
  "base_model",
  "compute_gpu_hours",
  "sample_index",
  "response",
  "reasoning",
  "answer",
] as const;

export const RULE_OPERATORS: readonly DeriveOperator[] = ["is", "is not", "startswith", "endswith", "contains", "in"];

export interface RuleRow {
  field: string;
  value: string;
  column: string;
  operator: DeriveOperator;
  /** For `in`: a comma-separated list. */
  argument: string;
  /** Empty: no `else`. */
  otherwise: string;
}

export interface MappingForm {
  /** Column as written → the field chosen for it; absent or "": read as the importer does by default. */
  columns: Record<string, string>;
  constants: { field: string; value: string }[];
  rules: RuleRow[];
}

export const EMPTY_FORM: MappingForm = { columns: {}, constants: [], rules: [] };

/** A word of a rule: quoted when it holds a space or a quote, or is empty (the parser's syntax). */
export function ruleWord(text: string): string {
  return text === "" || /[\s"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One rule row as the documented syntax: `FIELD=VALUE if COLUMN OP ARG [else VALUE]`. */
export function ruleText(rule: RuleRow): string {
  const argument =
    rule.operator === "in"
      ? ruleWord(
          rule.argument
            .split(",")
            .map((v) => v.trim())
            .join(","),
        )
      : ruleWord(rule.argument);
  const otherwise = rule.otherwise === "" ? "" : ` else ${ruleWord(rule.otherwise)}`;
  return `${rule.field}=${ruleWord(rule.value)} if ${ruleWord(rule.column)} ${rule.operator} ${argument}${otherwise}`;
}

/**
 * The options the form gives. `defaults`: what each column is read as without options (the preview's
 * answer); a column set to that same field needs no --rename. Blank constants and rule rows without a
 * field are left out (a half-filled row is not an option yet).
 */
export function mappingArgumentsOf(
  form: MappingForm,
  defaults: Readonly<Record<string, string | null>> = {},
): { set: string[]; rename: string[]; derive: string[] } {
  const rename: string[] = [];
  for (const [column, field] of Object.entries(form.columns)) {
    if (field === "" || defaults[column] === field) continue;
    rename.push(`${column}=${field}`);
  }
  return {
    set: form.constants.filter((c) => c.field !== "" && c.value.trim() !== "").map((c) => `${c.field}=${c.value.trim()}`),
    rename,
    derive: form.rules.filter((r) => r.field !== "" && r.column !== "").map(ruleText),
  };
}

/**
 * A remembered mapping (option strings) as the form, for the file's columns. Options the form cannot
 * show (a rule without a condition, a rename of a column this file lacks) are returned apart, so the
 * page can say so instead of dropping them silently.
 */
export function formOfArguments(
  args: { set: readonly string[]; rename: readonly string[]; derive: readonly string[] },
  columns: readonly string[],
): { form: MappingForm; unshown: string[] } {
  const form: MappingForm = { columns: {}, constants: [], rules: [] };
  const unshown: string[] = [];
  const byName = new Map(columns.map((c) => [normalizeName(c), c]));
  for (const text of args.set) {
    const at = text.indexOf("=");
    if (at <= 0) unshown.push(`set ${text}`);
    else form.constants.push({ field: text.slice(0, at).trim(), value: text.slice(at + 1) });
  }
  for (const text of args.rename) {
    const at = text.indexOf("=");
    const column = at > 0 ? byName.get(normalizeName(text.slice(0, at))) : undefined;
    if (column === undefined) unshown.push(`rename ${text}`);
    else form.columns[column] = text.slice(at + 1).trim();
  }
  for (const text of args.derive) {
    const rule = parseDeriveRule(text, "derive");
    if (typeof rule === "string") {
      unshown.push(`derive ${text}`);
      continue;
    }
    if (rule.when === undefined) {
      // A rule without a condition is a constant under another name.
      form.constants.push({ field: rule.field, value: rule.value });
      continue;
    }
    form.rules.push({
      field: rule.field,
      value: rule.value,
      column: rule.when.column,
      operator: rule.when.operator,
      argument: rule.when.values.join(","),
      otherwise: rule.otherwise ?? "",
    });
  }
  return { form, unshown };
}
