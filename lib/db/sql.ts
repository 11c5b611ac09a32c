// SQL composed from fragments that carry their own parameters, so that no piece of a statement has
// to know at which $n its values land. `sql` is a tagged template: a fragment interpolated in it is
// nested, a Param is referenced (one parameter however often it appears), any other value becomes
// a parameter of its own. toQuery() numbers the parameters $1…$n in order of first appearance, so
// the same structure always yields the same text, whatever the values: a statement prepared by name
// (derived from its text) is found again, and a value never reaches the text. A fragment included
// twice in one statement references its values once (they are params of that fragment).
// Framework-free: no database import; toQuery()'s result is what pg's query(text, values) takes.

/** One parameter that may be referenced in several places of a statement: numbered once. */
export class Param {
  constructor(readonly value: unknown) {}
}

/** A parameter to reference in several places (e.g. a filter read by several subqueries). */
export const param = (value: unknown): Param => new Param(value);

export interface Query {
  text: string;
  values: unknown[];
}

/** A piece of SQL: fixed text between parts that are nested fragments or parameters. */
export class Sql {
  /** `strings` has one more element than `parts`: text, part, text, …, text. */
  constructor(
    readonly strings: readonly string[],
    readonly parts: readonly (Sql | Param)[],
  ) {
    if (strings.length !== parts.length + 1) throw new Error("sql: a fragment needs one more text than parts.");
  }

  /**
   * The statement's text with $1…$n and the values in that order. `pinned` parameters take $1…$k
   * first, for fixed text written elsewhere that refers to them by number (used or not, each is
   * sent, so each must appear somewhere to get a type).
   */
  toQuery(pinned: readonly Param[] = []): Query {
    const numbers = new Map<Param, string>();
    const values: unknown[] = [];
    const number = (p: Param) => {
      let n = numbers.get(p);
      if (n === undefined) {
        n = `$${values.push(p.value)}`;
        numbers.set(p, n);
      }
      return n;
    };
    for (const p of pinned) number(p);
    let text = "";
    const walk = (fragment: Sql) => {
      text += fragment.strings[0];
      for (let i = 0; i < fragment.parts.length; i++) {
        const part = fragment.parts[i]!;
        if (part instanceof Sql) walk(part);
        else text += number(part);
        text += fragment.strings[i + 1];
      }
    };
    walk(this);
    return { text, values };
  }
}

/** sql`… ${fragment or value} …`: see the top of this file. `undefined` is refused (a missing field, most likely). */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  for (let i = 0; i < strings.length; i++) {
    if (strings[i] === undefined) throw new Error(`sql: invalid escape sequence in text ${i} of a fragment.`);
  }
  const parts: (Sql | Param)[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value instanceof Sql || value instanceof Param) parts[i] = value;
    else if (value === undefined)
      throw new Error(`sql: value ${i + 1} of a fragment is undefined (use null for SQL NULL).`);
    else parts[i] = new Param(value);
  }
  return new Sql(strings, parts);
}

/** Trusted fixed SQL text: names of columns and tables from constants, never input. */
export const raw = (text: string): Sql => new Sql([text], []);

/** Nothing: a fragment for an absent condition. */
export const empty = raw("");

/** The fragments one after the other, `separator` (trusted text, or a fragment) between them. */
export function join(fragments: readonly Sql[], separator: string | Sql = ", "): Sql {
  if (fragments.length === 0) return empty;
  const sep = typeof separator === "string" ? raw(separator) : separator;
  const strings = [""];
  const parts: Sql[] = [];
  fragments.forEach((fragment, i) => {
    if (i > 0) {
      parts.push(sep);
      strings.push("");
    }
    parts.push(fragment);
    strings.push("");
  });
  return new Sql(strings, parts);
}
