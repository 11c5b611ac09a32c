// Turns an uploaded byte stream (JSONL or CSV) into records with their line numbers, streaming:
// strict UTF-8 per line, a leading byte-order mark dropped, over-long lines refused without
// buffering them.
import type { Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse";
import { NO_LONE_SURROGATES } from "./lone-surrogates";
import type { RowError } from "./types";

/** A line longer than this is refused before parsing (a single field is limited separately). */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

export type SourceItem =
  | { kind: "record"; line: number; record: Record<string, unknown> }
  | { kind: "error"; error: RowError };

interface PhysicalLine {
  line: number;
  /** The line without its end ("\n" or "\r\n"). */
  text: string;
  /** The line ended in "\r\n": a CSV field that spans lines keeps its CRLF (model text is exact). */
  crlf: boolean;
  /** Its bytes as given to the CSV parser (without a byte-order mark, with its line end). */
  size: number;
}

type LineItem = PhysicalLine | { line: number; error: string };

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Splits bytes on "\n" (a byte that never occurs inside a multi-byte UTF-8 sequence) and decodes
 * each line strictly, so an encoding error is reported with its own line number.
 */
async function* physicalLines(
  source: AsyncIterable<Buffer | string>,
  onBytes: (n: number) => void,
): AsyncGenerator<LineItem> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overLong = false;
  let line = 0;

  const finish = (bytes: Buffer): LineItem => {
    line += 1;
    let end = bytes.length;
    const crlf = end > 0 && bytes[end - 1] === 0x0d;
    if (crlf) end -= 1;
    let start = 0;
    if (line === 1 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    try {
      return { line, text: decoder.decode(bytes.subarray(start, end)), crlf, size: end - start + (crlf ? 2 : 1) };
    } catch {
      return { line, error: "not valid UTF-8 text (save the file as UTF-8)" };
    }
  };

  for await (const chunk of source) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    onBytes(buffer.length);
    let from = 0;
    for (;;) {
      const newline = buffer.indexOf(0x0a, from);
      if (newline === -1) {
        const rest = buffer.subarray(from);
        if (!overLong) {
          pending.push(rest);
          pendingBytes += rest.length;
          if (pendingBytes > MAX_LINE_BYTES) {
            overLong = true;
            pending = [];
            pendingBytes = 0;
          }
        }
        break;
      }
      const piece = buffer.subarray(from, newline);
      if (overLong || pendingBytes + piece.length > MAX_LINE_BYTES) {
        line += 1;
        yield { line, error: `the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB` };
        overLong = false;
      } else if (pending.length > 0) {
        pending.push(piece);
        yield finish(Buffer.concat(pending, pendingBytes + piece.length));
      } else {
        yield finish(piece);
      }
      pending = [];
      pendingBytes = 0;
      from = newline + 1;
    }
  }
  if (overLong) {
    line += 1;
    yield { line, error: `the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB` };
  } else if (pendingBytes > 0) {
    yield finish(Buffer.concat(pending, pendingBytes));
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Records of a JSON Lines byte stream (one object per line). */
export async function* jsonlRecords(
  source: Readable | AsyncIterable<Buffer | string>,
  onBytes: (n: number) => void,
): AsyncGenerator<SourceItem> {
  for await (const item of physicalLines(source as AsyncIterable<Buffer | string>, onBytes)) {
    if ("error" in item) {
      yield { kind: "error", error: { line: item.line, field: null, message: item.error } };
      continue;
    }
    if (item.text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(item.text);
    } catch (error) {
      yield {
        kind: "error",
        error: { line: item.line, field: null, message: `not valid JSON (${(error as Error).message})` },
      };
      continue;
    }
    if (!isPlainObject(value)) {
      yield {
        kind: "error",
        error: { line: item.line, field: null, message: "expected a JSON object per line (JSON Lines)" },
      };
      continue;
    }
    if (item.text.indexOf("\\u") === -1) (value as { [NO_LONE_SURROGATES]?: boolean })[NO_LONE_SURROGATES] = true;
    yield { kind: "record", line: item.line, record: value };
  }
}

/**
 * CSV with a header row (RFC 4180: quoted fields may hold commas, quotes and newlines). Lines are
 * first checked as UTF-8 one by one, then the text is fed to csv-parse.
 */
export async function* csvRecords(
  source: Readable | AsyncIterable<Buffer | string>,
  onBytes: (n: number) => void,
): AsyncGenerator<SourceItem> {
  const lines = physicalLines(source as AsyncIterable<Buffer | string>, onBytes);
  const encodingErrors: RowError[] = [];
  const parser = parseCsv({
    columns: (header: string[]) => header.map((name) => name.trim()),
    relax_column_count: false,
    skip_empty_lines: true,
    info: true,
    max_record_size: MAX_LINE_BYTES,
    bom: false,
    // Both line ends, so that a quoted field keeps the one it was written with.
    record_delimiter: ["\r\n", "\n"],
  });

  /** Byte offsets where the fed lines end, with their line numbers, until the parser passes them. */
  const fedEnds: [end: number, line: number][] = [];
  let fed = 0;
  const feed = (async () => {
    try {
      for await (const item of lines) {
        if ("error" in item) {
          encodingErrors.push({ line: item.line, field: null, message: item.error });
          continue;
        }
        fed += item.size;
        fedEnds.push([fed, item.line]);
        if (!parser.write(item.text + (item.crlf ? "\r\n" : "\n")))
          await new Promise((resolve) => parser.once("drain", resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();

  let previousEnd = 1;
  let records = 0;
  try {
    for await (const output of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number; bytes: number };
    }>) {
      const line = previousEnd + 1;
      // The record ends on the physical line whose end is where the parser stopped (csv-parse's own
      // line count takes a CRLF inside a quoted field for two lines).
      while (fedEnds.length > 0 && fedEnds[0]![0] <= output.info.bytes) previousEnd = fedEnds.shift()![1];
      records += 1;
      for (const error of encodingErrors.splice(0)) yield { kind: "error", error };
      (output.record as { [NO_LONE_SURROGATES]?: boolean })[NO_LONE_SURROGATES] = true;
      yield { kind: "record", line, record: output.record };
    }
  } catch (error) {
    const message = (error as Error).message;
    const lineMatch = /line (\d+)/i.exec(message);
    yield {
      kind: "error",
      error: {
        line: lineMatch ? Number(lineMatch[1]) : previousEnd + 1,
        field: null,
        message: `not valid CSV: ${message}`,
      },
    };
  }
  await feed;
  for (const error of encodingErrors) yield { kind: "error", error };
  if (records === 0 && previousEnd <= 1) return;
}
