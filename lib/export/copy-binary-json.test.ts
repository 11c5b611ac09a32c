import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { CopyBinaryToJsonLines, type JsonColumn } from "./copy-binary-json";

/** What PostgreSQL sends for COPY (SELECT text columns) TO STDOUT WITH (FORMAT binary). */
function binaryCopy(rows: (string | null)[][]): Buffer {
  const parts = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])];
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length, 0);
    parts.push(count);
    for (const value of row) {
      const length = Buffer.alloc(4);
      if (value === null) {
        length.writeInt32BE(-1, 0);
        parts.push(length);
      } else {
        const bytes = Buffer.from(value, "utf8");
        length.writeInt32BE(bytes.length, 0);
        parts.push(length, bytes);
      }
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

const columns: JsonColumn[] = [
  { name: "text", kind: "text" },
  { name: "n", kind: "raw" },
  { name: "list", kind: "raw" },
];
const rows: (string | null)[][] = [
  ['He said "hi"\nthen \\ left\t\u0001', "3", '["a","b"]'],
  ["🤖 中文", null, "[]"],
  [null, "2.5", null],
  ["", "true", '["x"]'],
];
const expected = [
  { text: 'He said "hi"\nthen \\ left\t\u0001', n: 3, list: ["a", "b"] },
  { text: "🤖 中文", n: null, list: [] },
  { text: null, n: 2.5, list: null },
  { text: "", n: true, list: ["x"] },
];

const parseLines = (out: Buffer) => {
  const text = out.toString("utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.trimEnd().split("\n").map((line) => JSON.parse(line) as unknown);
};

describe("CopyBinaryToJsonLines", () => {
  it("writes each row as one JSON object: texts escaped, raw columns as they are, NULL as null", async () => {
    const out = await buffer(Readable.from([binaryCopy(rows)]).pipe(new CopyBinaryToJsonLines(columns)));
    expect(parseLines(out)).toEqual(expected);
    expect(out.toString("utf8").split("\n")[0]).toBe('{"text":"He said \\"hi\\"\\nthen \\\\ left\\t\\u0001","n":3,"list":["a","b"]}');
  });

  it("does not depend on where the data is cut into chunks", async () => {
    const data = binaryCopy(rows);
    for (let size = 1; size <= 29; size++) {
      const chunks = [];
      for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
      expect(parseLines(await buffer(Readable.from(chunks).pipe(new CopyBinaryToJsonLines(columns))))).toEqual(expected);
    }
  });

  it("refuses data that is cut short, has other columns, or is not binary COPY", async () => {
    const data = binaryCopy(rows);
    await expect(buffer(Readable.from([data.subarray(0, data.length - 5)]).pipe(new CopyBinaryToJsonLines(columns)))).rejects.toThrow(/ended early/);
    await expect(buffer(Readable.from([data]).pipe(new CopyBinaryToJsonLines(columns.slice(0, 2))))).rejects.toThrow(/expected 2 columns/);
    await expect(buffer(Readable.from([Buffer.from("a,b\n1,2\n".repeat(5))]).pipe(new CopyBinaryToJsonLines(columns)))).rejects.toThrow(/binary COPY/);
  });

  it("escapes every text exactly as JSON.stringify does", async () => {
    const all = Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(i)).join("") + "é中🤖\u2028\u007f";
    const texts = [all, [...all].reverse().join(""), '"\\"', "\n\n", "plain"];
    const out = await buffer(Readable.from([binaryCopy(texts.map((t) => [t, null, null]))]).pipe(new CopyBinaryToJsonLines(columns)));
    expect(out.toString("utf8")).toBe(texts.map((t) => `{"text":${JSON.stringify(t)},"n":null,"list":null}\n`).join(""));
  });
});
