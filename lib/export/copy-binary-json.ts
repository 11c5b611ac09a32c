// JSON Lines from PostgreSQL's binary COPY output: the query sends every column as text (casts in
// SQL), binary COPY sends those bytes as they are — no escaping pass in PostgreSQL — and this
// stream writes each row as one JSON object: texts as JSON strings (escaped by V8's JSON.stringify;
// a text that needs no escaping is copied as its own bytes), columns marked raw (numbers, booleans,
// JSON the query already built) as they are, NULL as null.
// Binary format: an 11-byte signature, flags and a header extension, then per row a 16-bit field
// count (-1 ends the data) and per field a 32-bit length (-1 for NULL) and the bytes.
import { Transform, type TransformCallback } from "node:stream";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const NULL = Buffer.from("null");

/** Whether bytes hold ", \ or a control character (no byte of a multi-byte UTF-8 character does). */
function needsEscape(data: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = data[i]!;
    if (b < 0x20 || b === 0x22 || b === 0x5c) return true;
  }
  return false;
}

export interface JsonColumn {
  name: string;
  /** "raw": the text is already JSON (a number, true/false, an array); "text": a string. */
  kind: "raw" | "text";
}

export class CopyBinaryToJsonLines extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private ended = false;
  private readonly keys: Buffer[];
  private readonly raw: boolean[];

  constructor(private readonly columns: readonly JsonColumn[]) {
    super({ readableHighWaterMark: 1 << 20 });
    this.keys = columns.map((c, i) => Buffer.from(`${i === 0 ? "{" : ","}${JSON.stringify(c.name)}:`, "utf8"));
    this.raw = columns.map((c) => c.kind === "raw");
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    try {
      if (!this.headerRead) {
        if (data.length < 19) return this.keep(data, 0, done);
        if (!data.subarray(0, 11).equals(SIGNATURE)) throw new Error("not PostgreSQL binary COPY data");
        const extension = data.readUInt32BE(15);
        if (data.length < 19 + extension) return this.keep(data, 0, done);
        at = 19 + extension;
        this.headerRead = true;
      }
      // First the complete rows in this data and the size of their lines, then one buffer for them.
      const width = this.columns.length;
      const rows: number[] = [];
      const escaped: (Buffer | null)[] = [];
      let size = 0;
      rows: while (!this.ended && data.length - at >= 2) {
        const fields = data.readInt16BE(at);
        if (fields === -1) {
          this.ended = true;
          at += 2;
          break;
        }
        if (fields !== width) throw new Error(`expected ${width} columns per row, got ${fields}`);
        let end = at + 2;
        let rowSize = 2; // "}\n"
        const escapedBefore = escaped.length;
        for (let i = 0; i < width; i++) {
          if (data.length - end < 4) {
            escaped.length = escapedBefore;
            break rows;
          }
          const length = data.readInt32BE(end);
          end += 4;
          if (length < 0) rowSize += this.keys[i]!.length + 4;
          else {
            if (end + length > data.length) {
              escaped.length = escapedBefore;
              break rows;
            }
            if (this.raw[i]) rowSize += this.keys[i]!.length + length;
            else {
              // A text that needs no escaping is copied as its own bytes (short ones checked here,
              // long ones by V8's native JSON.stringify); the others are escaped by JSON.stringify.
              const text = length < 64 ? (needsEscape(data, end, end + length) ? data.toString("utf8", end, end + length) : null) : data.toString("utf8", end, end + length);
              const json = text === null ? null : JSON.stringify(text);
              if (text === null || json!.length === text.length + 2) {
                escaped.push(null);
                rowSize += this.keys[i]!.length + length + 2;
              } else {
                const bytes = Buffer.from(json!, "utf8");
                escaped.push(bytes);
                rowSize += this.keys[i]!.length + bytes.length;
              }
            }
            end += length;
          }
        }
        rows.push(at);
        size += rowSize;
        at = end;
      }
      if (rows.length) {
        const out = Buffer.allocUnsafe(size);
        let o = 0;
        let e = 0;
        for (const start of rows) {
          let p = start + 2;
          for (let i = 0; i < width; i++) {
            const length = data.readInt32BE(p);
            p += 4;
            o += this.keys[i]!.copy(out, o);
            if (length < 0) o += NULL.copy(out, o);
            else {
              if (this.raw[i]) o += data.copy(out, o, p, p + length);
              else {
                const json = escaped[e++];
                if (json) o += json.copy(out, o);
                else {
                  out[o++] = 0x22;
                  o += data.copy(out, o, p, p + length);
                  out[o++] = 0x22;
                }
              }
              p += length;
            }
          }
          out[o++] = 0x7d; // }
          out[o++] = 0x0a;
        }
        this.push(out);
      }
      this.keep(data, at, done);
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.pending.length || !this.ended ? new Error("binary COPY data ended early") : null);
  }

  private keep(data: Buffer, from: number, done: TransformCallback): void {
    // A copy, so that the (large) chunk it came from can be freed.
    this.pending = from >= data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(from));
    done();
  }
}
