// The import page's preview, through the importer's own readers: the first rows only (reading stops
// early), gzip, a JSON array, a file cut short by the page, a bad file's error with its line, and
// what each column is read as under the options.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PREVIEW_BYTES, type PreviewRequest, previewUpload } from "./preview";

async function* chunked(bytes: Buffer, size = 64, counter?: { bytes: number }) {
  for (let i = 0; i < bytes.length; i += size) {
    const piece = bytes.subarray(i, i + size);
    if (counter) counter.bytes += piece.length;
    yield new Uint8Array(piece);
  }
}

const csv = (rows: number) =>
  `id,type,prompt,completion\n${Array.from({ length: rows }, (_, i) => `v${i},${i % 2 ? "contrast_x" : "safe_y"},"Prompt, ${i}",Answer ${i}`).join("\n")}\n`;

async function preview(body: Buffer, overrides: Partial<PreviewRequest> = {}) {
  const answer = await previewUpload({
    body: chunked(body),
    contentType: "text/csv",
    format: null,
    fileName: "gpt4.csv",
    ...overrides,
  });
  if (answer.status !== 200) throw new Error(answer.body.message);
  return answer.body;
}

describe("previewUpload", () => {
  it("shows the first rows and what each column is read as, reading only the start of a large file", async () => {
    const big = Buffer.from(csv(200_000));
    const counter = { bytes: 0 };
    const answer = await previewUpload({
      body: chunked(big, 16 * 1024, counter),
      contentType: "text/csv",
      format: null,
      fileName: "gpt4.csv",
    });
    if (answer.status !== 200) throw new Error(answer.body.message);
    const body = answer.body;
    expect(body.format).toBe("csv");
    expect(body.rows).toHaveLength(10);
    expect(body.rows[0]).toEqual({ line: 2, values: ["v0", "safe_y", "Prompt, 0", "Answer 0"] });
    expect(body.rows[9]!.line).toBe(11);
    expect(body.columns).toEqual([
      { name: "id", field: null, how: "metadata" },
      { name: "type", field: null, how: "metadata" },
      { name: "prompt", field: "prompt", how: "field" },
      { name: "completion", field: "response", how: "built-in" },
    ]);
    expect(body.partial).toBe(true);
    expect(counter.bytes).toBeLessThan(big.length / 10);
  });

  it("shows the columns under the options: a rename, and the importer's message for an option that hides a column", async () => {
    const body = await preview(Buffer.from(csv(3)), { rename: ["id=prompt_id"], set: ["prompt=x"] });
    expect(body.columns[0]).toEqual({ name: "id", field: "prompt_id", how: "renamed" });
    expect(body.rows).toHaveLength(3);
    expect(body.partial).toBe(false);
    expect(body.mappingProblems).toEqual([
      'the file has a column "prompt", which set prompt=x would hide: read it under another name (rename prompt=…) or leave the option out',
    ]);
    const bad = await preview(Buffer.from(csv(1)), { set: ["colour=red"] });
    expect(bad.optionProblems[0]).toMatch(/set colour=red: "colour" is not a field Parallax reads/);
  });

  it("reads a gzip file, also when the page sent only its first bytes", async () => {
    const zipped = gzipSync(Buffer.from(csv(50_000)));
    const head = zipped.subarray(0, 64 * 1024);
    const body = await preview(head, { contentEncoding: "gzip", truncated: true, fileName: "gpt4.csv.gz" });
    expect(body.rows).toHaveLength(10);
    expect(body.rows[3]!.values).toEqual(["v3", "contrast_x", "Prompt, 3", "Answer 3"]);
    const small = await preview(gzipSync(Buffer.from(csv(2))), { contentEncoding: "gzip" });
    expect(small.rows.map((r) => r.values[0])).toEqual(["v0", "v1"]);
    const notGzip = await previewUpload({
      body: chunked(Buffer.from(csv(2))),
      contentType: "text/csv",
      contentEncoding: "gzip",
      format: null,
      fileName: null,
    });
    expect(notGzip.status).toBe(400);
  });

  it("drops a last record cut in two when only the file's first bytes were sent", async () => {
    const text = Buffer.from('{"prompt":"a","response":"b"}\n{"prompt":"c","response":"d"}\n{"prompt":"e","resp');
    const body = await preview(text, { contentType: "application/x-ndjson", fileName: "run.jsonl", truncated: true });
    expect(body.rows.map((r) => r.values)).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(body.errors).toEqual([]);
  });

  it("names the line of a bad file's error, and keeps text as text", async () => {
    const text = Buffer.from('{"prompt":"<b>hi</b>","response":{"x":1}}\n{"prompt": oops}\n');
    const body = await preview(text, { contentType: "application/x-ndjson", fileName: "run.jsonl" });
    expect(body.rows).toEqual([{ line: 1, values: ["<b>hi</b>", '{"x":1}'] }]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ line: 2, field: null });
    expect(body.errors[0]!.message).toMatch(/not valid JSON/);
    const utf8 = await preview(
      Buffer.concat([Buffer.from("prompt,response\nok,fine\n"), Buffer.from([0xff, 0x2c, 0x61, 0x0a])]),
    );
    expect(utf8.errors[0]).toMatchObject({ line: 3, message: expect.stringMatching(/UTF-8/) });
  });

  it("reads a JSON array and recognises a harness log by its start", async () => {
    const array = await preview(Buffer.from('[{"prompt":"a","output":"b"},\n{"prompt":"c","output":"d"}]'), {
      contentType: "application/json",
      fileName: "run.json",
    });
    expect(array.format).toBe("json");
    expect(array.columns.map((c) => c.field)).toEqual(["prompt", "response"]);
    expect(array.rows).toHaveLength(2);
  });

  it("stops at the byte limit of a file without line ends", async () => {
    const body = await preview(Buffer.alloc(PREVIEW_BYTES + 1024, 0x61), {
      contentType: "application/x-ndjson",
      fileName: "run.jsonl",
    });
    expect(body.rows).toEqual([]);
    expect(body.partial).toBe(true);
  });

  it("refuses a file of no known format", async () => {
    const answer = await previewUpload({
      body: chunked(Buffer.from("x")),
      contentType: "application/octet-stream",
      format: null,
      fileName: "notes.txt",
    });
    expect(answer.status).toBe(415);
  });
});
