// JSON Lines from PostgreSQL's text COPY output with `"` as the column delimiter.
//
// Text COPY escapes a value's backslashes, its delimiters and its control characters \b \f \n \r
// \t \v with a backslash, in C, in one pass that copies runs of plain bytes as they are. With `"`
// as the delimiter those escapes are JSON's own (\\ \" \b \f \n \r \t), so a text column's bytes
// go into the JSON string unchanged: no escaping pass in PostgreSQL's to_json (which took longer
// than the rest of the export query) and none in Node (V8's JSON.stringify runs at about half a
// gigabyte a second). Two things text COPY leaves that JSON does not allow are fixed here: \v
// (JSON has no such escape) and the other control characters (U+0001–U+001F but those six), which
// COPY sends raw. A row holding either is rare; it is decoded and written through JSON.stringify.
//
// Format: one row per line (a raw \n ends it; newlines inside values are escaped), values
// separated by raw `"`, NULL as \N.
import { Transform, type TransformCallback } from "node:stream";

export interface JsonColumn {
  name: string;
  /**
   * "text": a string, written in quotes; "raw": already JSON (a whole number, true/false, an
   * array); "decimal": a float8's text, written with a decimal point even when whole (2.0, not 2),
   * so that a loader that fixes a column's type from its first rows reads a float.
   */
  kind: "raw" | "text" | "decimal";
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const NULL_JSON = Buffer.from("null");
/** Control characters that text COPY sends raw (the row's own \n is no problem, nor is \t, escaped). */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f]/g;
/** \v, which is a COPY escape but not a JSON one (found as backslash-v, then checked for parity). */
const VT = Buffer.from("\\v", "latin1");

const UNESCAPE: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** A COPY-escaped value back to its bytes, as a Latin-1 string (one character per byte). */
function unescapeCopy(data: Buffer, start: number, end: number): string {
  return data.toString("latin1", start, end).replace(/\\(.)/gs, (_, c: string) => UNESCAPE[c] ?? c);
}

/** Whether a value is text COPY's NULL, \N (a text "\N" arrives as \\N). */
function isNull(data: Buffer, start: number, end: number): boolean {
  return end - start === 2 && data[start] === BACKSLASH && data[start + 1] === 0x4e;
}

/** Whether data[start, end) holds a byte (a loop: the values it is used on are short). */
function includes(data: Buffer, byte: number, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (data[i] === byte) return true;
  return false;
}

/** Copies src[start, end) to out at o; short runs in a loop, which costs less than a native call. */
function copyBytes(src: Buffer, start: number, end: number, out: Buffer, o: number): number {
  const n = end - start;
  if (n < 48) for (let k = 0; k < n; k++) out[o + k] = src[start + k]!;
  else out.set(src.subarray(start, end), o);
  return o + n;
}

/** Whether the backslash at `at` starts an escape (an even number of backslashes before it). */
function isEscape(data: Buffer, at: number, from: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= from && data[i] === BACKSLASH; i--) n++;
  return n % 2 === 0;
}

/** Whether a float8's text (float8out: 2, -0.5, 1e+20, NaN, Infinity) is a JSON number without a point or exponent. */
function isWholeNumber(data: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = data[i]!;
    if (!(b >= 0x30 && b <= 0x39) && !(b === 0x2d && i === start)) return false;
  }
  return end > start;
}

function isJsonNumber(data: Buffer, _start: number, end: number): boolean {
  const b = data[end - 1]!;
  return b >= 0x30 && b <= 0x39; // float8out's only non-numbers are NaN, Infinity and -Infinity
}

export class CopyTextToJsonLines extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private readonly keys: Buffer[];
  private readonly kinds: JsonColumn["kind"][];
  /** Bytes a row's line can have beyond its COPY line: keys, quotes, ".0", "}" and null for \N. */
  private readonly overhead: number;

  constructor(columns: readonly JsonColumn[]) {
    super({ readableHighWaterMark: 1 << 20 });
    this.keys = columns.map((c, i) => Buffer.from(`${i === 0 ? "{" : ","}${JSON.stringify(c.name)}:`, "utf8"));
    this.kinds = columns.map((c) => c.kind);
    this.overhead = this.keys.reduce((sum, key) => sum + key.length + 4, 2);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = data.lastIndexOf(NEWLINE) + 1; // complete rows end here
    if (end === 0) {
      this.keep(data, 0, done);
      return;
    }
    try {
      const rowEnds: number[] = [];
      for (let at = data.indexOf(NEWLINE); at !== -1 && at < end; at = data.indexOf(NEWLINE, at + 1)) rowEnds.push(at);
      const problems = this.problems(data, end);
      let out = Buffer.allocUnsafe(end + rowEnds.length * this.overhead);
      let o = 0;
      let next = 0; // index into problems
      let row = 0;
      for (let r = 0; r < rowEnds.length; r++) {
        const rowEnd = rowEnds[r]!;
        while (next < problems.length && problems[next]! < row) next++;
        const line = next < problems.length && problems[next]! < rowEnd ? this.slowRow(data, row, rowEnd) : null;
        const need = line ? line.length : rowEnd + 1 - row + this.overhead;
        if (out.length - o < need) {
          // Only after a slow row longer than its share: a new buffer for the rest.
          this.push(out.subarray(0, o));
          out = Buffer.allocUnsafe(Math.max(need, end - row + (rowEnds.length - r) * this.overhead));
          o = 0;
        }
        o = line ? o + line.copy(out, o) : this.fastRow(data, row, rowEnd, out, o);
        row = rowEnd + 1;
      }
      this.push(out.subarray(0, o));
      this.keep(data, end, done);
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.pending.length ? new Error("COPY data ended in the middle of a row") : null);
  }

  /** Positions of raw control characters and of \v escapes in data[0, end), ascending. */
  private problems(data: Buffer, end: number): number[] {
    const found: number[] = [];
    const text = data.toString("latin1", 0, end);
    RAW_CONTROL.lastIndex = 0;
    for (let m = RAW_CONTROL.exec(text); m; m = RAW_CONTROL.exec(text)) found.push(m.index);
    let vt = false;
    for (let at = data.indexOf(VT); at !== -1 && at < end; at = data.indexOf(VT, at + 1)) {
      if (isEscape(data, at, 0)) {
        found.push(at);
        vt = true;
      }
    }
    return vt ? found.sort((a, b) => a - b) : found;
  }

  /** Splits a row into its values: [start, end) pairs. */
  private fields(data: Buffer, row: number, rowEnd: number): number[] {
    const bounds: number[] = [];
    const last = this.kinds.length - 1;
    let start = row;
    for (let i = 0; i <= last; i++) {
      const end = i === last ? this.lastValueEnd(data, start, rowEnd) : this.valueEnd(data, start, rowEnd, i);
      bounds.push(start, end);
      start = end + 1;
    }
    return bounds;
  }

  /** A row without problems, written in one pass: values are copied as COPY escaped them. */
  private fastRow(data: Buffer, row: number, rowEnd: number, out: Buffer, o: number): number {
    const last = this.kinds.length - 1;
    let start = row;
    for (let i = 0; i <= last; i++) {
      const end = i === last ? this.lastValueEnd(data, start, rowEnd) : this.valueEnd(data, start, rowEnd, i);
      o = copyBytes(this.keys[i]!, 0, this.keys[i]!.length, out, o);
      if (isNull(data, start, end)) {
        o = copyBytes(NULL_JSON, 0, 4, out, o);
      } else {
        const kind = this.kinds[i]!;
        if (kind === "text") {
          out[o++] = QUOTE;
          o = copyBytes(data, start, end, out, o);
          out[o++] = QUOTE;
        } else if (kind === "decimal") {
          const quoted = !isJsonNumber(data, start, end);
          if (quoted) out[o++] = QUOTE;
          o = copyBytes(data, start, end, out, o);
          if (quoted) out[o++] = QUOTE;
          else if (isWholeNumber(data, start, end)) {
            out[o++] = 0x2e; // .
            out[o++] = 0x30; // 0
          }
        } else if (includes(data, BACKSLASH, start, end)) o += out.write(unescapeCopy(data, start, end), o, "latin1");
        else o = copyBytes(data, start, end, out, o);
      }
      start = end + 1;
    }
    out[o++] = 0x7d; // }
    out[o++] = NEWLINE;
    return o;
  }

  /**
   * Where value `i` starting at `start` ends: the next `"` that is not escaped. Short values are
   * scanned in a loop, long ones with indexOf (a native call costs more than a short loop).
   */
  private valueEnd(data: Buffer, start: number, rowEnd: number, i: number): number {
    const stop = Math.min(rowEnd, start + 32);
    let q = start;
    while (q < stop && data[q] !== QUOTE) q++;
    if (q === stop) q = data.indexOf(QUOTE, stop);
    while (q !== -1 && q < rowEnd && data[q - 1] === BACKSLASH && isEscape(data, q - 1, start))
      q = data.indexOf(QUOTE, q + 1);
    if (q === -1 || q >= rowEnd) throw new Error(`expected ${this.kinds.length} columns per row, got ${i + 1}`);
    return q;
  }

  /** The last value ends the row; a delimiter left in it means more columns than expected. */
  private lastValueEnd(data: Buffer, start: number, rowEnd: number): number {
    for (let q = start; q < rowEnd; q++) {
      if (data[q] === QUOTE && (data[q - 1] !== BACKSLASH || !isEscape(data, q - 1, start)))
        throw new Error(`expected ${this.kinds.length} columns per row, got more`);
    }
    return rowEnd;
  }

  /** A row with a raw control character or a \v: every value decoded and written by JSON.stringify. */
  private slowRow(data: Buffer, row: number, rowEnd: number): Buffer {
    const bounds = this.fields(data, row, rowEnd);
    let line = "";
    for (let i = 0; i < this.kinds.length; i++) {
      const start = bounds[2 * i]!;
      const end = bounds[2 * i + 1]!;
      line += this.keys[i]!.toString("latin1");
      if (isNull(data, start, end)) line += "null";
      else if (this.kinds[i] === "text") line += JSON.stringify(unescapeCopy(data, start, end));
      else if (this.kinds[i] === "decimal") {
        const text = data.toString("latin1", start, end);
        line += !isJsonNumber(data, start, end)
          ? JSON.stringify(text)
          : isWholeNumber(data, start, end)
            ? `${text}.0`
            : text;
      } else line += unescapeCopy(data, start, end);
    }
    return Buffer.from(`${line}}\n`, "latin1");
  }

  private keep(data: Buffer, from: number, done: TransformCallback): void {
    // A copy, so that the (large) chunk it came from can be freed.
    this.pending = from >= data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(from));
    done();
  }
}
