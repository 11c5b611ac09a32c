import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { CopyBinaryLines } from "./copy-binary-lines";

/** What PostgreSQL sends for COPY (SELECT one text column) TO STDOUT WITH (FORMAT binary). */
function binaryCopy(values: string[]): Buffer {
  const parts = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])];
  for (const value of values) {
    const bytes = Buffer.from(value, "utf8");
    const head = Buffer.alloc(6);
    head.writeInt16BE(1, 0);
    head.writeInt32BE(bytes.length, 2);
    parts.push(head, bytes);
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

const lines = ['{"a":"x\\ny"}', '{"emoji":"🤖 中文"}', "", '{"b":[1,2]}'];

describe("CopyBinaryLines", () => {
  it("writes each value on a line of its own", async () => {
    const out = await buffer(Readable.from([binaryCopy(lines)]).pipe(new CopyBinaryLines()));
    expect(out.toString("utf8")).toBe(lines.map((l) => `${l}\n`).join(""));
  });

  it("does not depend on where the data is cut into chunks", async () => {
    const data = binaryCopy(lines);
    const expected = lines.map((l) => `${l}\n`).join("");
    for (let size = 1; size <= 23; size++) {
      const chunks = [];
      for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
      expect((await buffer(Readable.from(chunks).pipe(new CopyBinaryLines()))).toString("utf8")).toBe(expected);
    }
  });

  it("refuses data that is cut short or is not binary COPY", async () => {
    const data = binaryCopy(lines);
    await expect(buffer(Readable.from([data.subarray(0, data.length - 5)]).pipe(new CopyBinaryLines()))).rejects.toThrow(/ended early/);
    await expect(buffer(Readable.from([Buffer.from("a,b\n1,2\n".repeat(5))]).pipe(new CopyBinaryLines()))).rejects.toThrow(/binary COPY/);
  });
});
