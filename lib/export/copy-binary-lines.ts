// Turns PostgreSQL's binary COPY output of a one-column text query into lines: each value
// followed by "\n". The JSON Lines export uses it so that PostgreSQL sends each JSON object as it
// is, without the extra pass COPY's text or CSV output makes over every byte to escape or quote.
// Binary format: an 11-byte signature, flags and a header extension, then per row a 16-bit field
// count (-1 ends the data) and per field a 32-bit length (-1 for NULL) and the bytes.
import { Transform, type TransformCallback } from "node:stream";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

export class CopyBinaryLines extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private ended = false;

  constructor() {
    super({ readableHighWaterMark: 1 << 20 });
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
      // First the extent of the complete rows in this data, then one output buffer for them.
      const rows: [number, number][] = [];
      let size = 0;
      while (!this.ended && data.length - at >= 2) {
        const fields = data.readInt16BE(at);
        if (fields === -1) {
          this.ended = true;
          at += 2;
          break;
        }
        if (fields !== 1) throw new Error(`expected one column per row, got ${fields}`);
        if (data.length - at < 6) break;
        const length = data.readInt32BE(at + 2);
        if (length < 0) throw new Error("a NULL line");
        if (data.length - at < 6 + length) break;
        rows.push([at + 6, at + 6 + length]);
        size += length + 1;
        at += 6 + length;
      }
      if (rows.length) {
        const out = Buffer.allocUnsafe(size);
        let o = 0;
        for (const [start, end] of rows) {
          o += data.copy(out, o, start, end);
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
