import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { CopyTextToJsonLines, type JsonColumn } from "./copy-text-json";

/**
 * What PostgreSQL sends for COPY (SELECT text columns) TO STDOUT WITH (FORMAT text, DELIMITER '"'):
 * CopyAttributeOutText escapes \b \f \n \r \t \v, the backslash and the delimiter, and sends other
 * control characters as they are; NULL is \N. (export.int.test.ts checks the same against the
 * server itself.)
 */
function textCopy(rows: (string | null)[][]): Buffer {
  const escapes: Record<string, string> = {
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
  };
  const value = (v: string | null) => (v === null ? "\\N" : v.replace(/[\b\f\n\r\t\v\\"]/g, (c) => escapes[c]!));
  return Buffer.from(rows.map((row) => row.map(value).join('"') + "\n").join(""), "utf8");
}

const columns: JsonColumn[] = [
  { name: "text", kind: "text" },
  { name: "n", kind: "raw" },
  { name: "list", kind: "raw" },
  { name: "score", kind: "decimal" },
];
const rows: (string | null)[][] = [
  ['He said "hi"\nthen \\ left\t\u0001', "3", '["a","b \\"quoted\\""]', "2"],
  ["🤖 中文", null, "[]", "0.25"],
  [null, "2.5", null, null],
  ["", "true", '["x"]', "-3"],
  ["ends with a backslash \\", "false", "[]", "NaN"],
  ['\\v, \\" and \\\\" are text here; \v is not', "1", "[]", "1e+20"],
];
const expected = [
  { text: 'He said "hi"\nthen \\ left\t\u0001', n: 3, list: ["a", 'b "quoted"'], score: 2 },
  { text: "🤖 中文", n: null, list: [], score: 0.25 },
  { text: null, n: 2.5, list: null, score: null },
  { text: "", n: true, list: ["x"], score: -3 },
  { text: "ends with a backslash \\", n: false, list: [], score: "NaN" },
  { text: '\\v, \\" and \\\\" are text here; \v is not', n: 1, list: [], score: 1e20 },
];

const convert = (chunks: Buffer[], cols = columns) => buffer(Readable.from(chunks).pipe(new CopyTextToJsonLines(cols)));

const parseLines = (out: Buffer) => {
  const text = out.toString("utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as unknown);
};

describe("CopyTextToJsonLines", () => {
  it("writes each row as one JSON object: texts as strings, raw columns as they are, NULL as null", async () => {
    const out = await convert([textCopy(rows)]);
    expect(parseLines(out)).toEqual(expected);
    const lines = out.toString("utf8").split("\n");
    expect(lines[0]).toBe(
      '{"text":"He said \\"hi\\"\\nthen \\\\ left\\t\\u0001","n":3,"list":["a","b \\"quoted\\""],"score":2.0}',
    );
    // Whole decimals keep a decimal point; a value that is no JSON number is a string.
    expect(lines[3]).toContain('"score":-3.0');
    expect(lines[4]).toContain('"score":"NaN"');
  });

  it("tells NULL from short texts, and whole decimals from others, at the ends of the digits", async () => {
    const cols: JsonColumn[] = [
      { name: "t", kind: "text" },
      { name: "d", kind: "decimal" },
    ];
    const data = textCopy([
      ["ON", "0"],
      ["\\", "9"],
      ["NN", "10"],
      ["x", "0.9"],
      ["y", "-0"],
      ["z", "19"],
    ]);
    expect((await convert([data], cols)).toString("utf8")).toBe(
      [
        '{"t":"ON","d":0.0}',
        '{"t":"\\\\","d":9.0}',
        '{"t":"NN","d":10.0}',
        '{"t":"x","d":0.9}',
        '{"t":"y","d":-0.0}',
        '{"t":"z","d":19.0}',
        "",
      ].join("\n"),
    );
  });

  it("does not depend on where the data is cut into chunks", async () => {
    const data = textCopy(rows);
    for (let size = 1; size <= 41; size += 2) {
      const chunks = [];
      for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
      expect(parseLines(await convert(chunks))).toEqual(expected);
    }
  });

  it("refuses data that is cut short or has other columns", async () => {
    const data = textCopy(rows);
    await expect(convert([data.subarray(0, data.length - 5)])).rejects.toThrow(/ended in the middle of a row/);
    await expect(convert([data], columns.slice(0, 3))).rejects.toThrow(/expected 3 columns per row, got more/);
    await expect(convert([data], [...columns, { name: "extra", kind: "raw" }])).rejects.toThrow(
      /expected 5 columns per row, got 4/,
    );
  });

  it("escapes every text exactly as JSON.stringify does, control characters included", async () => {
    const all = Array.from({ length: 0x7f }, (_, i) => String.fromCharCode(i + 1)).join("") + "é中🤖\u2028\u007f";
    const texts = [all, [...all].reverse().join(""), '"\\"', "\n\n", "\v", "\\\v\\v", "\u001f", "plain", "\\"];
    const out = await convert([textCopy(texts.map((t) => [t, null, null, null]))]);
    expect(out.toString("utf8")).toBe(
      texts.map((t) => `{"text":${JSON.stringify(t)},"n":null,"list":null,"score":null}\n`).join(""),
    );
  });

  it("keeps the rows around one with a control character on the fast path, in order", async () => {
    const many = Array.from({ length: 500 }, (_, i) => [
      i === 250 ? "bell\u0007" : `row ${i} "q"\n`,
      String(i),
      "[]",
      "1.5",
    ]);
    const objects = parseLines(await convert([textCopy(many)])) as { text: string; n: number }[];
    expect(objects.map((o) => o.n)).toEqual(many.map((_, i) => i));
    expect(objects[250]!.text).toBe("bell\u0007");
    expect(objects[251]!.text).toBe('row 251 "q"\n');
  });
});
