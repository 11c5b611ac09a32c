// How a file's columns become Parallax's fields: the command line's --set / --rename / --derive and
// the HTTP API's ?set= / ?rename= / ?derive= go through this one parser (zod at the boundary), and
// the import page stores the same object per study. Applied to records by column-mapper.ts.
//
//   --set FIELD=VALUE            every row gets FIELD = VALUE (checkpoint, strategy, split, label_1_reviewer…)
//   --rename SOURCE=FIELD        the file's column SOURCE is read as FIELD
//   --derive 'FIELD=VALUE if COLUMN OP ARG [else VALUE]'
//                                a value rule: FIELD = VALUE on the rows whose COLUMN matches; several
//                                rules for one field are tried in order, the first that matches wins;
//                                `else` ends the chain. OP: is, is not, startswith, endswith, contains,
//                                in (ARG a comma-separated list). Exact, case-sensitive comparison of the
//                                column's text as written in the file. A value or argument with spaces
//                                goes in double quotes: `category="hate speech" if type is hate`.
import { z } from "zod";
import { readsAsField } from "./normalize-record";

export type DeriveOperator = "is" | "is not" | "startswith" | "endswith" | "contains" | "in";

export interface DeriveRule {
  field: string;
  value: string;
  /** Absent: the rule always applies (then it is --set under another name). */
  when?: { column: string; operator: DeriveOperator; values: string[] };
  /** The value when the condition does not hold; ends the field's chain of rules. */
  otherwise?: string;
  /** The rule as written, for messages. */
  text: string;
}

export interface ColumnMapping {
  set: { field: string; value: string }[];
  rename: { source: string; field: string }[];
  derive: DeriveRule[];
}

export const EMPTY_MAPPING: ColumnMapping = { set: [], rename: [], derive: [] };

export const isEmptyMapping = (m: ColumnMapping): boolean =>
  m.set.length === 0 && m.rename.length === 0 && m.derive.length === 0;

/** A column or field name as matched: trimmed, lower case, spaces and hyphens as "_" (as the importer reads keys). */
export const normalizeName = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

const OPERATORS: Readonly<Record<string, DeriveOperator>> = {
  is: "is",
  "=": "is",
  "==": "is",
  "is not": "is not",
  "!=": "is not",
  startswith: "startswith",
  "starts with": "startswith",
  endswith: "endswith",
  "ends with": "endswith",
  contains: "contains",
  in: "in",
};

/** Words, or "double quoted" text ("" inside for a quote); null when a quote is not closed. */
function tokens(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    if (text[i] === '"') {
      let word = "";
      i++;
      for (;;) {
        if (i >= text.length) return null;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            word += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        word += text[i++];
      }
      out.push(word);
      continue;
    }
    let word = "";
    while (i < text.length && !/\s/.test(text[i]!)) word += text[i++];
    out.push(word);
  }
  return out;
}

const fieldProblem = (option: string, written: string, field: string): string | null =>
  field === ""
    ? `${option} ${written}: the field name is empty`
    : readsAsField(field)
      ? null
      : `${option} ${written}: "${field}" is not a field Parallax reads (prompt, prompt_id, category, split, language, expected_behavior, checkpoint, strategy, training_step, base_model, sample_index, response, reasoning, answer, label_…)`;

/** One value rule, or the problem with it. */
export function parseDeriveRule(text: string, option = "--derive"): DeriveRule | string {
  const equals = text.indexOf("=");
  if (equals <= 0) return `${option} ${JSON.stringify(text)}: write FIELD=VALUE if COLUMN OP ARG [else VALUE]`;
  const field = text.slice(0, equals).trim();
  const bad = fieldProblem(option, JSON.stringify(text), field);
  if (bad !== null) return bad;
  const words = tokens(text.slice(equals + 1));
  if (words === null) return `${option} ${JSON.stringify(text)}: a quote is not closed`;
  const [value, ...rest] = words;
  if (value === undefined) return `${option} ${JSON.stringify(text)}: the value is missing after "${field}="`;
  if (rest.length === 0) return { field, value, text };
  if (rest[0]!.toLowerCase() !== "if")
    return `${option} ${JSON.stringify(text)}: expected "if" after the value, not ${JSON.stringify(rest[0])}`;
  const column = rest[1];
  if (column === undefined) return `${option} ${JSON.stringify(text)}: the column is missing after "if"`;
  let at = 2;
  let operator: DeriveOperator | undefined;
  const two = `${rest[2] ?? ""} ${rest[3] ?? ""}`.toLowerCase();
  if (Object.hasOwn(OPERATORS, two)) {
    operator = OPERATORS[two];
    at = 4;
  } else if (Object.hasOwn(OPERATORS, (rest[2] ?? "").toLowerCase())) {
    operator = OPERATORS[rest[2]!.toLowerCase()];
    at = 3;
  }
  if (operator === undefined)
    return `${option} ${JSON.stringify(text)}: ${JSON.stringify(rest[2] ?? "")} is not one of is, is not, startswith, endswith, contains, in`;
  const argument = rest[at];
  if (argument === undefined) return `${option} ${JSON.stringify(text)}: the text to compare with is missing`;
  const rule: DeriveRule = {
    field,
    value,
    when: { column, operator, values: operator === "in" ? argument.split(",").map((v) => v.trim()) : [argument] },
    text,
  };
  at += 1;
  if (at < rest.length) {
    if (rest[at]!.toLowerCase() !== "else" || rest[at + 1] === undefined || at + 2 !== rest.length)
      return `${option} ${JSON.stringify(text)}: after the condition only "else VALUE" may follow`;
    rule.otherwise = rest[at + 1];
  }
  return rule;
}

function pair(text: string, option: string, shape: string): [string, string] | string {
  const equals = text.indexOf("=");
  if (equals <= 0) return `${option} ${JSON.stringify(text)}: write ${shape}`;
  return [text.slice(0, equals).trim(), text.slice(equals + 1)];
}

const optionList = z
  .array(z.string().max(2000, { error: "is longer than 2000 characters" }))
  .max(200)
  .default([]);

/** The raw options: repeatable strings, as the command line and the query string give them. */
export const columnMappingArguments = z.object({ set: optionList, rename: optionList, derive: optionList });

export type ColumnMappingArguments = z.input<typeof columnMappingArguments>;

/**
 * Parses --set / --rename / --derive (or ?set= / ?rename= / ?derive=). `prefix` is how options are
 * named in messages: "--" on the command line, "" for query parameters.
 */
export function parseColumnMapping(
  input: ColumnMappingArguments,
  prefix = "--",
): { ok: true; mapping: ColumnMapping } | { ok: false; problems: string[] } {
  const parsed = columnMappingArguments.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${prefix}${String(i.path[0] ?? "option")}: ${i.message}`),
    };
  const problems: string[] = [];
  const mapping: ColumnMapping = { set: [], rename: [], derive: [] };
  const targets = new Map<string, string>();
  const claim = (field: string, by: string) => {
    const key = normalizeName(field);
    const earlier = targets.get(key);
    if (earlier !== undefined && !(earlier.startsWith(`${prefix}derive`) && by.startsWith(`${prefix}derive`)))
      problems.push(`${by} and ${earlier} both give the field ${field}`);
    else targets.set(key, by);
  };
  for (const text of parsed.data.set) {
    const option = `${prefix}set`;
    const p = pair(text, option, "FIELD=VALUE");
    if (typeof p === "string") problems.push(p);
    else {
      const bad = fieldProblem(option, text, p[0]);
      if (bad !== null) problems.push(bad);
      else {
        claim(p[0], `${option} ${text}`);
        mapping.set.push({ field: p[0], value: p[1] });
      }
    }
  }
  const sources = new Set<string>();
  for (const text of parsed.data.rename) {
    const option = `${prefix}rename`;
    const p = pair(text, option, "SOURCE=FIELD (the file's column, then Parallax's field)");
    if (typeof p === "string") problems.push(p);
    else {
      const field = p[1].trim();
      const bad = fieldProblem(option, text, field);
      if (bad !== null) problems.push(bad);
      else if (sources.has(normalizeName(p[0])))
        problems.push(`${option} ${text}: the column ${p[0]} is renamed twice`);
      else {
        sources.add(normalizeName(p[0]));
        claim(field, `${option} ${text}`);
        mapping.rename.push({ source: p[0], field });
      }
    }
  }
  const closed = new Set<string>();
  for (const text of parsed.data.derive) {
    const rule = parseDeriveRule(text, `${prefix}derive`);
    if (typeof rule === "string") {
      problems.push(rule);
      continue;
    }
    const key = normalizeName(rule.field);
    if (closed.has(key))
      problems.push(
        `${prefix}derive ${JSON.stringify(text)}: an earlier rule for ${rule.field} ends with "else" (or has no condition), so this one would never apply`,
      );
    if (rule.otherwise !== undefined || rule.when === undefined) closed.add(key);
    claim(rule.field, `${prefix}derive ${JSON.stringify(text)}`);
    mapping.derive.push(rule);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mapping };
}

/** The mapping as the options that give it (for the import log, the page, and help texts). */
export function mappingArguments(mapping: ColumnMapping): { set: string[]; rename: string[]; derive: string[] } {
  return {
    set: mapping.set.map((s) => `${s.field}=${s.value}`),
    rename: mapping.rename.map((r) => `${r.source}=${r.field}`),
    derive: mapping.derive.map((d) => d.text),
  };
}
