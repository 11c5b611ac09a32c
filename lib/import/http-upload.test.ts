import { describe, expect, it } from "vitest";
import {
  JsonArrayError,
  jsonArrayToLines,
  limitBytes,
  peekBytes,
  uploadFormat,
  UploadTooLargeError,
} from "./http-upload";

async function lines(chunks: string[]): Promise<string> {
  const out: Buffer[] = [];
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk, "utf8");
  }
  for await (const piece of jsonArrayToLines(source())) out.push(piece);
  return Buffer.concat(out).toString("utf8");
}

describe("jsonArrayToLines", () => {
  it("puts each element of a pretty-printed array on its own line, strings untouched", async () => {
    const array = JSON.stringify(
      [
        { prompt: "a, [b] {c}", answer: 'say "hi"\\n', nested: { list: [1, [2, 3]] } },
        { prompt: "中文 🤖", messages: [{ role: "user", content: "]" }] },
      ],
      null,
      2,
    );
    const text = await lines([array]);
    const parsed = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as unknown);
    expect(parsed).toEqual(JSON.parse(array));
  });

  it("gives the same lines however the bytes are cut into chunks (inside strings, escapes and characters)", async () => {
    const array = `\uFEFF [ {"a": "x\\"]y", "b": "é中"} ,\r\n {"c": [ {"d": 1} ]} ]  \n`;
    const whole = await lines([array]);
    const bytes = Buffer.from(array, "utf8");
    for (let cut = 1; cut < bytes.length; cut++) {
      const out: Buffer[] = [];
      async function* source() {
        yield bytes.subarray(0, cut);
        yield bytes.subarray(cut);
      }
      for await (const piece of jsonArrayToLines(source())) out.push(piece);
      expect(Buffer.concat(out).toString("utf8")).toBe(whole);
    }
    expect(
      whole
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ a: 'x"]y', b: "é中" }, { c: [{ d: 1 }] }]);
  });

  it("refuses what is not one JSON array", async () => {
    await expect(lines(['{"prompt": "x"}'])).rejects.toBeInstanceOf(JsonArrayError);
    await expect(lines(['[{"prompt": "x"}'])).rejects.toThrow(/not closed/);
    await expect(lines(['[{"a":1}] [{"b":2}]'])).rejects.toThrow(/after the end/);
    await expect(lines(["  "])).rejects.toThrow(/empty/);
  });
});

describe("uploadFormat", () => {
  it("takes ?format=, then the Content-Type, then the file name", () => {
    expect(uploadFormat("csv", "application/json", null)).toBe("csv");
    expect(uploadFormat(null, "application/json; charset=utf-8", "x.csv")).toBe("json");
    expect(uploadFormat(null, "application/x-ndjson", null)).toBe("jsonl");
    expect(uploadFormat(null, "text/csv", null)).toBe("csv");
    expect(uploadFormat(null, "application/octet-stream", "results.JSONL")).toBe("jsonl");
    expect(uploadFormat(null, "", "results.xlsx")).toBeNull();
    expect(uploadFormat("xml", null, null)).toBeNull();
  });
});

describe("limitBytes", () => {
  it("passes bodies up to the limit and stops one over it", async () => {
    const read = async (limit: number) => {
      let n = 0;
      async function* body() {
        yield new Uint8Array(6);
        yield "abcd";
      }
      for await (const chunk of limitBytes(body(), limit)) n += chunk.length;
      return n;
    };
    expect(await read(10)).toBe(10);
    await expect(read(9)).rejects.toBeInstanceOf(UploadTooLargeError);
  });
});

describe("peekBytes", () => {
  async function* source(chunks: string[], failAfter = Infinity) {
    let i = 0;
    for (const chunk of chunks) {
      if (i++ >= failAfter) throw new UploadTooLargeError(1);
      yield Buffer.from(chunk);
    }
  }
  const all = async (stream: AsyncIterable<Buffer>) => {
    const out: Buffer[] = [];
    for await (const chunk of stream) out.push(chunk);
    return Buffer.concat(out).toString();
  };

  it("gives the head and then the whole stream, nothing lost or repeated", async () => {
    const { head, whole } = await peekBytes(source(["abc", "def", "ghi"]), 4);
    expect(head.toString()).toBe("abcdef");
    expect(await all(whole)).toBe("abcdefghi");
    const short = await peekBytes(source(["ab"]), 100);
    expect(short.head.toString()).toBe("ab");
    expect(await all(short.whole)).toBe("ab");
  });

  it("raises an error met while reading the head from the whole stream, where the import sees it", async () => {
    const { head, whole } = await peekBytes(source(["abc", "def"], 1), 100);
    expect(head.toString()).toBe("abc");
    await expect(all(whole)).rejects.toBeInstanceOf(UploadTooLargeError);
  });

  it("accepts the peers' formats by name", () => {
    expect(uploadFormat("label-studio", "application/json", null)).toBe("label-studio");
    expect(uploadFormat("argilla", null, null)).toBe("argilla");
    expect(uploadFormat("excel", null, null)).toBeNull();
  });
});
