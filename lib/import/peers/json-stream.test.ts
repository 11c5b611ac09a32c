import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { jsonElements, type JsonStreamItem } from "./json-stream";

/** All items of a text fed in pieces of `size` bytes (1 = byte by byte, splitting UTF-8 sequences too). */
async function items(text: string | Buffer, size = 1 << 20, maxElementBytes?: number): Promise<JsonStreamItem[]> {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const out: JsonStreamItem[] = [];
  for await (const item of jsonElements(Readable.from(chunks), undefined, { maxElementBytes })) out.push(item);
  return out;
}

const values = (list: JsonStreamItem[]) => list.map((i) => (i.kind === "value" ? i.value : `error: ${i.message}`));

describe("jsonElements", () => {
  const array =
    '[{"id": 1, "data": {"t": "a ] } [ { \\" , \\n"}}, {"id": 2, "x": [1, [2, {"y": "z"}]]}, {"id": 3, "k": "end\\\\", "m": "\\\\\\""}]';

  it("reads every element of a one-line array, whatever the chunk size", async () => {
    const expected = [
      { id: 1, data: { t: 'a ] } [ { " , \n' } },
      { id: 2, x: [1, [2, { y: "z" }]] },
      { id: 3, k: "end\\", m: '\\"' },
    ];
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) expect(values(await items(array, size))).toEqual(expected);
  });

  it("gives each element its starting line in a pretty-printed array", async () => {
    const text = '[\n  {\n    "id": 1\n  },\n  {\n    "id": 2,\n    "s": "é😀"\n  }\n]\n';
    const list = await items(text, 1);
    expect(list.map((i) => [i.kind, i.line])).toEqual([
      ["value", 2],
      ["value", 5],
    ]);
    expect(values(list)).toEqual([{ id: 1 }, { id: 2, s: "é😀" }]);
  });

  it("reads JSON Lines (objects one after another) and skips a byte-order mark", async () => {
    const text = '\ufeff{"a": 1}\n{"a": 2}\r\n\n{"a": "}"}\n';
    const list = await items(text, 2);
    expect(values(list)).toEqual([{ a: 1 }, { a: 2 }, { a: "}" }]);
    expect(list.map((i) => i.line)).toEqual([1, 2, 4]);
  });

  it("reads an empty array and bare values", async () => {
    expect(await items("[]")).toEqual([]);
    expect(await items("  [ ]  \n")).toEqual([]);
    expect(values(await items('[1, "two", true, null]', 1))).toEqual([1, "two", true, null]);
  });

  it("reports a broken element and goes on with the next one", async () => {
    const list = await items('[{"id": 1}, {"id": 2,}, {"id": 3}]');
    expect(list.map((i) => i.kind)).toEqual(["value", "error", "value"]);
    expect(list[1]).toMatchObject({ kind: "error", index: 1, line: 1 });
    expect((list[1] as { message: string }).message).toMatch(/^is not valid JSON/);
  });

  it("reports an element that is not UTF-8 with its line", async () => {
    const bytes = Buffer.concat([Buffer.from('[{"a": 1},\n{"a": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]')]);
    const list = await items(bytes);
    expect(list[1]).toEqual({
      kind: "error",
      index: 1,
      line: 2,
      message: "is not valid UTF-8 text (save the file as UTF-8)",
    });
  });

  it("refuses an element larger than the limit without keeping it", async () => {
    const big = `[{"a": "${"x".repeat(5000)}"}, {"b": 1}]`;
    const list = await items(big, 100, 1000);
    expect(list[0]).toMatchObject({ kind: "error", index: 0, message: expect.stringMatching(/^is larger than/) });
    expect(list[1]).toMatchObject({ kind: "value", value: { b: 1 } });
  });

  it("stops at a broken structure with one error", async () => {
    expect(values(await items('[{"a": 1}] {"b": 2}'))).toEqual([
      { a: 1 },
      "error: has text after the end of the JSON array",
    ]);
    expect(values(await items('[{"a": 1} {"b": 2}]'))).toEqual([
      { a: 1 },
      "error: expected , or ] after element 1 of the JSON array",
    ]);
    expect(values(await items('[{"a": 1},]'))).toEqual([
      { a: 1 },
      "error: has a comma before the closing ] of the JSON array",
    ]);
    expect(values(await items('[{"a": 1}, {"b": "'))).toEqual([
      { a: 1 },
      "error: is cut off: the file ends inside it (unfinished JSON)",
    ]);
    expect(values(await items('[{"a": 1}'))).toEqual([{ a: 1 }, "error: ends before the closing ] of the JSON array"]);
    expect(values(await items("hello"))).toEqual([
      "error: is not a JSON array ([ … ]) nor JSON Lines ({ … } per line)",
    ]);
    expect(values(await items('{"a": 1}\n[1]'))).toEqual([{ a: 1 }, "error: expected a JSON object ({ … }) per line"]);
  });

  it("reads an empty input as nothing", async () => {
    expect(await items("")).toEqual([]);
    expect(await items(" \n ")).toEqual([]);
  });
});
