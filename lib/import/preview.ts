// The import page's preview: the detected format, the first rows of a file as a table of its
// columns, and what each column is read as under the column options — computed by the importer's own
// readers (formats.ts), format detection and column mapper, from the file's first bytes only.
//
// Decisions:
// - At most PREVIEW_BYTES (after gzip) are read, and reading stops at the (rows + 1)-th record: a
//   2 GB file costs the same preview as a 2 KB one. The page sends only the file's first bytes and
//   says so (`truncated`); then a record or error at the very end of what was read may be cut in
//   two and is dropped, and a gzip stream that ends early is not an error.
// - Values are given back as text (objects as JSON); the page renders them as text.
// - The mapping's problems (an option that would hide a column, two candidate columns) are the
//   importer's own messages, so the preview and the import say the same thing.
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { ColumnMapper } from "./column-mapper";
import { normalizeName, parseColumnMapping } from "./column-mapping";
import { detectFormat, importFormat, type ImportFormat, readRecords } from "./formats";
import { JsonArrayError, jsonArrayToLines, peekBytes, uploadFormat } from "./http-upload";
import { readsAsField } from "./normalize-record";
import { isPeerFormat } from "./peers";
import type { RowError } from "./types";

/** The most bytes (decompressed) a preview reads. */
export const PREVIEW_BYTES = 4 * 1024 * 1024;
export const PREVIEW_ROWS = 10;
const MAX_ERRORS = 10;
const MAX_CELL = 2000;

export interface PreviewRequest {
  body: AsyncIterable<Uint8Array | string> | null;
  contentType: string | null;
  contentEncoding?: string | null;
  format: string | null;
  fileName: string | null;
  /** The body is only the file's first bytes. */
  truncated?: boolean;
  set?: string[];
  rename?: string[];
  derive?: string[];
  rows?: number;
}

export type ColumnReading = "field" | "built-in" | "renamed" | "metadata";

export interface PreviewColumn {
  /** The column as written in the file. */
  name: string;
  /** The field it is read as; null: kept in the response's metadata. */
  field: string | null;
  how: ColumnReading;
}

export interface ImportPreview {
  format: ImportFormat | "json";
  /** The format the records are read in (a JSON array is read as JSON Lines). */
  readAs: ImportFormat;
  columns: PreviewColumn[];
  /** The first rows' values as text, in the order of `columns` (null: the row has no such column). */
  rows: { line: number; values: (string | null)[] }[];
  errors: RowError[];
  /** What the column options would refuse in these rows (the importer's messages). */
  mappingProblems: string[];
  /** The column options read by the importer's parser: problems with the options themselves. */
  optionProblems: string[];
  /** Only part of the file was read (it is longer than what the preview looks at). */
  partial: boolean;
}

export type PreviewAnswer =
  | { status: 200; body: ImportPreview }
  | { status: 400 | 415; body: { error: string; message: string } };

const toBuffer = (chunk: Uint8Array | string): Buffer =>
  typeof chunk === "string"
    ? Buffer.from(chunk, "utf8")
    : Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/** At most `limit` bytes of a stream; `state.cut` says whether more were there. */
async function* firstBytes(
  source: AsyncIterable<Uint8Array | string>,
  limit: number,
  state: { cut: boolean },
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    const buffer = toBuffer(chunk);
    if (total + buffer.length >= limit) {
      state.cut = true;
      if (limit > total) yield buffer.subarray(0, limit - total);
      return;
    }
    total += buffer.length;
    yield buffer;
  }
}

/** A gzip stream that ends early (the page sent its first bytes) ends the text quietly. */
async function* gunzipHead(
  source: AsyncIterable<Buffer>,
  tolerateEnd: () => boolean,
  failed: { error: Error | null },
): AsyncGenerator<Buffer> {
  const gunzip = Readable.from(source).pipe(createGunzip());
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    if ((error as { code?: string }).code === "Z_BUF_ERROR" && tolerateEnd()) return;
    // Remembered: a CSV reader turns a failing source into a row error, and this is the file's.
    failed.error = error as Error;
    throw error;
  } finally {
    gunzip.destroy();
  }
}

const cellText = (value: unknown): string | null => {
  if (value === undefined) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text;
};

export async function previewUpload(request: PreviewRequest): Promise<PreviewAnswer> {
  const format = uploadFormat(request.format, request.contentType, request.fileName);
  if (!format)
    return {
      status: 415,
      body: {
        error: "unsupported_format",
        message: "Choose a .jsonl, .ndjson, .json or .csv file (or .gz of one), or name the format with ?format=.",
      },
    };
  if (!request.body) return { status: 400, body: { error: "empty", message: "The request has no body." } };
  const encoding = (request.contentEncoding ?? "").trim().toLowerCase();
  const gzip = encoding === "gzip" || encoding === "x-gzip";
  if (encoding !== "" && encoding !== "identity" && !gzip)
    return {
      status: 415,
      body: { error: "unsupported_encoding", message: `Content-Encoding ${encoding} is not supported.` },
    };
  const options = parseColumnMapping({ set: request.set, rename: request.rename, derive: request.derive }, "");
  const wanted = Math.min(Math.max(request.rows ?? PREVIEW_ROWS, 1), 100);

  const sent = { cut: false };
  const read = { cut: false };
  const partialInput = () => request.truncated === true || sent.cut;
  let bytes: AsyncIterable<Buffer> = firstBytes(request.body, PREVIEW_BYTES, sent);
  const gunzipFailure: { error: Error | null } = { error: null };
  if (gzip) bytes = firstBytes(gunzipHead(bytes, partialInput, gunzipFailure), PREVIEW_BYTES, read);
  const partial = () => partialInput() || read.cut;

  let readAs: ImportFormat = format === "json" ? "jsonl" : format;
  try {
    if (format === "json" || format === "jsonl") {
      const { head, whole } = await peekBytes(bytes, 256 * 1024);
      bytes = whole;
      readAs = detectFormat(head) ?? "jsonl";
    }
    const source = format === "json" && readAs === "jsonl" ? jsonArrayToLines(bytes) : bytes;
    const items: (
      | { kind: "record"; line: number; record: Record<string, unknown> }
      | { kind: "error"; error: RowError }
    )[] = [];
    let records = 0;
    let errors = 0;
    let stoppedEarly = false;
    try {
      for await (const item of readRecords(source, readAs)) {
        items.push(item);
        if (item.kind === "record") records += 1;
        else errors += 1;
        if (records > wanted || errors >= MAX_ERRORS) {
          stoppedEarly = true;
          break;
        }
      }
    } catch (error) {
      // A JSON array cut short by the preview's byte limit is not the file's fault.
      if (!(error instanceof JsonArrayError && partial())) throw error;
    }
    if (gunzipFailure.error !== null) throw gunzipFailure.error;
    // What was read ends mid-file: its last record or error may be cut in two.
    if (!stoppedEarly && partial()) items.pop();

    const spec = importFormat(readAs);
    const mapper = new ColumnMapper(
      options.ok ? options.mapping : { set: [], rename: [], derive: [] },
      spec.builtInNames,
      "",
    );
    const names: string[] = [];
    const seen = new Set<string>();
    const shown = items.filter((i) => i.kind === "record").slice(0, wanted);
    for (const item of shown)
      for (const key of Object.keys(item.record))
        if (!seen.has(key)) {
          seen.add(key);
          names.push(key);
        }
    const plan = mapper.readAs(names);
    const renamed = new Set(options.ok ? options.mapping.rename.map((r) => normalizeName(r.source)) : []);
    const columns: PreviewColumn[] = names.map((name) => {
      const field = plan.fields.get(name);
      if (field !== undefined) return { name, field, how: renamed.has(normalizeName(name)) ? "renamed" : "built-in" };
      return readsAsField(name)
        ? { name, field: normalizeName(name), how: "field" }
        : { name, field: null, how: "metadata" };
    });
    return {
      status: 200,
      body: {
        format: format === "json" && readAs === "jsonl" ? "json" : readAs,
        readAs,
        columns,
        rows: shown.map((item) => ({ line: item.line, values: names.map((name) => cellText(item.record[name])) })),
        errors: items.flatMap((i) => (i.kind === "error" ? [i.error] : [])),
        mappingProblems: plan.problems.map((p) => p.message),
        optionProblems: options.ok ? [] : options.problems,
        partial: partial() || stoppedEarly,
      },
    };
  } catch (error) {
    if (typeof (error as { code?: unknown }).code === "string" && (error as { code: string }).code.startsWith("Z_"))
      return {
        status: 400,
        body: { error: "bad_gzip", message: `The file is not valid gzip (${(error as Error).message}).` },
      };
    if (error instanceof JsonArrayError)
      return { status: 400, body: { error: "bad_json_array", message: error.message } };
    throw error;
  }
}

/** The peer formats read their own field names: the page offers no column mapping for them. */
export const mapsColumns = (format: ImportFormat | "json"): boolean => !isPeerFormat(format);
