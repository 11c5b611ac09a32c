// The import page's mapping step as data: a field per column, constant fields and value rules, turned
// into the command line's options (set / rename / derive strings, parsed by column-mapping.ts on the
// server) and back (remembered-form.ts, on the server). Pure: shared by the page and tests.
// Client-safe: only types from the importer (the page bundles this file).
import type { DeriveOperator } from "./column-mapping";

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
    set: form.constants
      .filter((c) => c.field !== "" && c.value.trim() !== "")
      .map((c) => `${c.field}=${c.value.trim()}`),
    rename,
    derive: form.rules.filter((r) => r.field !== "" && r.column !== "").map(ruleText),
  };
}
