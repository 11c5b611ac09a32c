// A remembered mapping's option strings back into the import page's form (mapping-form.ts), on the
// server: it reads rules with the importer's own parser.
import { normalizeName, parseDeriveRule } from "./column-mapping";
import type { MappingForm } from "./mapping-form";

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
