// Lone surrogates in imported text. A JSON file can spell half of a UTF-16 surrogate pair
// ("\ud800" with no partner); JavaScript keeps it, but PostgreSQL's text and jsonb cannot hold it
// (text written as UTF-8 would get U+FFFD silently; jsonb refuses the escape). The importer
// replaces each with U+FFFD, as UTF-8 would, and says so in the summary per field with the lines
// (never silently). Invalid UTF-8 bytes are another matter: a line that is not valid UTF-8 is
// refused with its line number (read-records.ts), since guessing the intended text is not ours to do.

/**
 * Set by the reader on a record that cannot hold a lone surrogate, so the check is skipped: a CSV
 * row (strict UTF-8 cannot encode one) and a JSON Lines record whose line has no "\u" escape (the
 * only way JSON spells one). isWellFormed scans two-byte text (Chinese, say) at about 1.7 ns a
 * character; indexOf finds no "\u" in the same line some fifty times faster.
 */
export const NO_LONE_SURROGATES: unique symbol = Symbol("parallax.noLoneSurrogates");

interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** True when `text` has no lone surrogate (Node 20's String.prototype.isWellFormed: one native scan). */
export function isWellFormed(text: string): boolean {
  return (text as unknown as WellFormedString).isWellFormed();
}

/** How many lone surrogates (UTF-16 code units without their partner) `text` holds. */
export function countLoneSurrogates(text: string): number {
  if (isWellFormed(text)) return 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else count++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) count++;
  }
  return count;
}

/** Lone surrogates replaced in one field of one row: the field as written (trimmed). */
export interface SurrogateRepair {
  field: string;
  count: number;
}

/** A string, list or object with every lone surrogate (in keys too) replaced; itself when it has none. */
function repairValue(value: unknown, counter: { count: number }): unknown {
  if (typeof value === "string") {
    if (isWellFormed(value)) return value;
    counter.count += countLoneSurrogates(value);
    return (value as unknown as WellFormedString).toWellFormed();
  }
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = repairValue(value[i], counter);
      if (item !== value[i]) (out ??= value.slice())[i] = item;
    }
    return out ?? value;
  }
  const source = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const key of Object.keys(source)) {
    const item = repairValue(source[key], counter);
    const fixedKey = repairValue(key, counter) as string;
    if (item === source[key] && fixedKey === key) continue;
    out ??= { ...source };
    if (fixedKey !== key) delete out[key];
    out[fixedKey] = item;
  }
  return out ?? value;
}

/**
 * The record with lone surrogates replaced by U+FFFD in every key and text, nested ones included,
 * and the replacements per top-level field; the record itself (and no repairs) when it has none.
 * Other own properties (the peer reader's row context symbol) are kept.
 */
export function repairLoneSurrogates(record: Record<string, unknown>): {
  record: Record<string, unknown>;
  repairs: SurrogateRepair[] | null;
} {
  if ((record as { [NO_LONE_SURROGATES]?: boolean })[NO_LONE_SURROGATES] === true) return { record, repairs: null };
  let out: Record<string, unknown> | null = null;
  let repairs: SurrogateRepair[] | null = null;
  for (const key of Object.keys(record)) {
    const value = record[key];
    // The common case, a well-formed text, costs one native scan.
    if (typeof value === "string" && isWellFormed(value) && isWellFormed(key)) continue;
    const counter = { count: 0 };
    const fixed = repairValue(value, counter);
    const fixedKey = repairValue(key, counter) as string;
    if (counter.count === 0) continue;
    out ??= { ...record };
    if (fixedKey !== key) delete out[key];
    out[fixedKey] = fixed;
    (repairs ??= []).push({ field: fixedKey.trim(), count: counter.count });
  }
  return { record: out ?? record, repairs };
}

/** Replacements in one field over a whole import: how many, in how many rows, the first lines. */
export interface FieldRepairs {
  field: string;
  count: number;
  rows: number;
  /** The first LINES_LISTED lines, in file order. */
  lines: number[];
}

const LINES_LISTED = 10;

/** Collects the repairs of an import's rows, per field. */
export class RepairTally {
  private readonly byField = new Map<string, FieldRepairs>();

  add(line: number, repairs: readonly SurrogateRepair[] | undefined): void {
    if (repairs === undefined) return;
    for (const { field, count } of repairs) {
      let entry = this.byField.get(field);
      if (entry === undefined) this.byField.set(field, (entry = { field, count: 0, rows: 0, lines: [] }));
      entry.count += count;
      entry.rows += 1;
      if (entry.lines.length < LINES_LISTED) entry.lines.push(line);
    }
  }

  list(): FieldRepairs[] {
    return [...this.byField.values()];
  }
}

/** One sentence per field: `replaced 3 lone surrogates with U+FFFD in response (lines 4, 9)`. */
export function repairNotes(repairs: readonly FieldRepairs[]): string[] {
  return repairs.map((r) => {
    const more = r.rows > r.lines.length ? ` and ${r.rows - r.lines.length} more row(s)` : "";
    const what = r.count === 1 ? "1 lone surrogate" : `${r.count} lone surrogates`;
    return `replaced ${what} with U+FFFD in ${r.field} (line${r.rows === 1 ? "" : "s"} ${r.lines.join(", ")}${more})`;
  });
}
