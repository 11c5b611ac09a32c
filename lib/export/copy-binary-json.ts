// JSON Lines from PostgreSQL's binary COPY output: the query sends every column as text (casts in
// SQL), binary COPY sends those bytes as they are — no escaping pass in PostgreSQL — and this
// stream writes each row as one JSON object: texts through JSON.stringify (V8's fast escaping,
// on the other core than PostgreSQL's), columns marked raw (numbers, booleans, JSON the query
// already built) as they are, NULL as null.
// Binary format: an 11-byte signature, flags and a header extension, then per row a 16-bit field
// count (-1 ends the data) and per field a 32-bit length (-1 for NULL) and the bytes.
import { Transform, type TransformCallback } from "node:stream";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const NULL = Buffer.from("null");
const END = Buffer.from("}\n");

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
      const pieces: Buffer[] = [];
      const width = this.columns.length;
      rows: while (!this.ended && data.length - at >= 2) {
        const fields = data.readInt16BE(at);
        if (fields === -1) {
          this.ended = true;
          at += 2;
          break;
        }
        if (fields !== width) throw new Error(`expected ${width} columns per row, got ${fields}`);
        // Only a complete row is written.
        let end = at + 2;
        for (let i = 0; i < width; i++) {
          if (data.length - end < 4) break rows;
          const length = data.readInt32BE(end);
          end += 4 + Math.max(0, length);
          if (end > data.length) break rows;
        }
        let p = at + 2;
        for (let i = 0; i < width; i++) {
          const length = data.readInt32BE(p);
          p += 4;
          pieces.push(this.keys[i]!);
          if (length < 0) pieces.push(NULL);
          else {
            // Raw values are copied as bytes, never decoded; texts are escaped by V8.
            pieces.push(this.raw[i] ? data.subarray(p, p + length) : Buffer.from(JSON.stringify(data.toString("utf8", p, p + length)), "utf8"));
            p += length;
          }
        }
        pieces.push(END);
        at = end;
      }
      if (pieces.length) this.push(Buffer.concat(pieces));
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
