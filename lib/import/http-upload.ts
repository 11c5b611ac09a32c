// An import sent over HTTP (the browser's upload and POST /api/v1/studies/{slug}/responses): the
// request body streamed into the same pipeline as the command line, the format from the
// Content-Type (or the file name), a size limit enforced while reading, and the answer as JSON.
// A JSON or JSON Lines body whose first element is a Label Studio task or an Argilla record is
// imported as that tool's export (as the command line does), or when ?format= names the tool.
import { createGunzip } from "node:zlib";
import { Readable } from "node:stream";
import type pg from "pg";
import { parseColumnMapping } from "./column-mapping";
import { labelValueMapFromArguments, type LabelValueMap } from "./label-values";
import {
  importPeerFile,
  isPeerFormat,
  parseCheckpointList,
  parseQuestions,
  parseStrategies,
  type PeerFormat,
  type PeerOptions,
  type PeerStats,
} from "./peers";
import { repairNotes } from "./lone-surrogates";
import { importResponses, ImportRequestError, type ImportSummary } from "./pipeline";
import { rememberMapping } from "./remembered-mapping";
import { detectFormat, formatFromFileName, type ImportFormat, isImportFormat } from "./formats";

/** The largest upload accepted: 2 GiB. PARALLAX_UPLOAD_LIMIT_MB lowers or raises it. */
export function maxUploadBytes(): number {
  const mb = Number(process.env.PARALLAX_UPLOAD_LIMIT_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : 2 * 1024 * 1024 * 1024;
}

export type UploadFormat = ImportFormat | "json";

/** Bytes looked at to recognise a peer's export (as the command line does). */
const DETECT_BYTES = 256 * 1024;

export class UploadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(
      `The upload is larger than the limit of ${formatBytes(limit)}; nothing was imported. Split the file, or use the command line (npm run parallax -- import).`,
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${Math.round((bytes / 1024 ** 3) * 10) / 10} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * The format of an upload: an explicit ?format=, else the Content-Type (application/json is a JSON
 * array, application/x-ndjson JSON Lines, text/csv CSV), else the file name's extension.
 */
export function uploadFormat(
  explicit: string | null,
  contentType: string | null,
  fileName: string | null,
): UploadFormat | null {
  if (explicit) return explicit === "json" || isImportFormat(explicit) ? explicit : null;
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (
    type === "application/x-ndjson" ||
    type === "application/jsonl" ||
    type === "application/jsonlines" ||
    type === "application/x-jsonlines"
  )
    return "jsonl";
  if (type === "text/csv" || type === "application/csv") return "csv";
  return fileName ? (formatFromFileName(fileName) ?? null) : null;
}

const toBuffer = (chunk: Uint8Array | Buffer | string) =>
  typeof chunk === "string"
    ? Buffer.from(chunk, "utf8")
    : Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/** The bytes of a body, refused (mid-stream) once more than `limit` have come. */
export async function* limitBytes(source: AsyncIterable<Uint8Array | string>, limit: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    const buffer = toBuffer(chunk);
    total += buffer.length;
    if (total > limit) throw new UploadTooLargeError(limit);
    yield buffer;
  }
}

export class JsonArrayError extends Error {}

/**
 * A JSON array, streamed, as JSON Lines: each top-level element on a line of its own, so that the
 * pipeline's "line N" is the array's N-th element. Newlines between tokens become spaces (inside
 * strings JSON allows none). Works on bytes, so multi-byte characters pass through untouched.
 */
function indexOrEnd(chunk: Buffer, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at === -1 ? chunk.length : at;
}

export async function* jsonArrayToLines(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const SPACE = 0x20,
    NEWLINE = 0x0a,
    CR = 0x0d,
    TAB = 0x09,
    QUOTE = 0x22,
    BACKSLASH = 0x5c,
    COMMA = 0x2c;
  const OPEN_ARRAY = 0x5b,
    CLOSE_ARRAY = 0x5d,
    OPEN_OBJECT = 0x7b,
    CLOSE_OBJECT = 0x7d;
  let state: "before" | "inside" | "after" = "before";
  let depth = 0;
  let inString = false;
  let escaped = false;
  const BOM = [0xef, 0xbb, 0xbf];
  let bomSeen = 0;
  let position = 0;
  for await (const chunk of source) {
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    // Inside a string (most of the bytes: the texts), runs up to the next quote or backslash are
    // copied whole; the positions are found natively and reused until passed.
    let nextQuote = -1;
    let nextBackslash = -1;
    for (let i = 0; i < chunk.length; i++) {
      if (inString && !escaped) {
        if (nextQuote < i) nextQuote = indexOrEnd(chunk, QUOTE, i);
        if (nextBackslash < i) nextBackslash = indexOrEnd(chunk, BACKSLASH, i);
        const stop = Math.min(nextQuote, nextBackslash);
        if (stop > i) {
          chunk.copy(out, n, i, stop);
          n += stop - i;
          position += stop - i;
          i = stop - 1;
          continue;
        }
      }
      let byte = chunk[i]!;
      // A byte-order mark at the very start (its bytes may come in different chunks).
      if (state === "before" && bomSeen === position && position < 3 && byte === BOM[position]) {
        bomSeen += 1;
        position += 1;
        continue;
      }
      position += 1;
      const blank = byte === SPACE || byte === NEWLINE || byte === CR || byte === TAB;
      if (state === "before") {
        if (blank) continue;
        if (byte !== OPEN_ARRAY)
          throw new JsonArrayError(
            "Content-Type application/json needs a JSON array of responses ([{…}, {…}]); send JSON Lines as application/x-ndjson.",
          );
        state = "inside";
        continue;
      }
      if (state === "after") {
        if (!blank) throw new JsonArrayError("There is text after the end of the JSON array.");
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
      } else if (byte === QUOTE) inString = true;
      else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) depth += 1;
      else if (byte === CLOSE_OBJECT || (byte === CLOSE_ARRAY && depth > 0)) depth -= 1;
      else if (depth === 0) {
        if (byte === CLOSE_ARRAY) {
          state = "after";
          out[n++] = NEWLINE;
          continue;
        }
        if (byte === COMMA) byte = NEWLINE;
        else if (blank) continue;
      } else if (byte === NEWLINE || byte === CR) byte = SPACE;
      out[n++] = byte;
    }
    if (n > 0) yield out.subarray(0, n);
  }
  if (state === "before") throw new JsonArrayError("The body is empty: send a JSON array of responses.");
  if (state === "inside")
    throw new JsonArrayError("The JSON array is not closed (missing ]): was the upload cut short?");
}

export interface UploadRequest {
  studySlug: string;
  userId: number;
  body: AsyncIterable<Uint8Array | string> | null;
  contentType: string | null;
  contentLength: string | null;
  /** ?format= */
  format: string | null;
  /** ?fileName= (kept in the import log; its extension can tell the format). */
  fileName: string | null;
  /** ?create=Study name: create the study when it does not exist yet. */
  createStudyName?: string | null;
  /** ?map=field:value=canonical (repeatable), as the command line's --map. */
  map?: string[];
  /** Label Studio / Argilla only, as the command line's options: ?checkpoints=a:sft,b:rl, ?strategy=NAME=STRATEGY, ?question=NAME=FIELD (repeatable). */
  checkpoints?: string | null;
  strategies?: string[];
  questions?: string[];
  /** ?set=FIELD=VALUE, ?rename=SOURCE=FIELD, ?derive=RULE (repeatable), as the command line's options. */
  set?: string[];
  rename?: string[];
  derive?: string[];
  /** ?dryRun=true: every check, nothing written (the import page's check before it imports). */
  dryRun?: boolean;
  /**
   * ?remember=FORMAT&column=NAME… (the import page): once the import has succeeded (not a dry run),
   * its set / rename / derive are remembered for the study and this format and set of columns.
   */
  remember?: { format: string; columns: string[] } | null;
  /** The Content-Encoding header: "gzip" bodies are decompressed as they arrive. */
  contentEncoding?: string | null;
  maxBytes?: number;
}

export interface UploadAnswer {
  status: 200 | 201 | 400 | 404 | 413 | 415 | 422;
  body:
    | (ImportSummary & { message: string; peer?: PeerStats & { format: PeerFormat } })
    | { error: string; message: string };
}

/**
 * The first `bytes` of a stream (or all of it, when shorter), and the whole stream again. An error
 * while reading the head (the size limit) is raised by the whole stream, where the import sees it.
 */
export async function peekBytes(
  source: AsyncIterable<Buffer>,
  bytes: number,
): Promise<{ head: Buffer; whole: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  let failure: { error: unknown } | null = null;
  try {
    while (size < bytes) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      chunks.push(next.value);
      size += next.value.length;
    }
  } catch (error) {
    failure = { error };
  }
  const head = Buffer.concat(chunks);
  async function* whole(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (failure !== null) throw failure.error;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, whole: whole() };
}

/** The peer options of a request, or the problems with them. */
function peerOptions(
  request: UploadRequest,
): { ok: true; value: Omit<PeerOptions, "labelValueMap"> } | { ok: false; problems: string[] } {
  const value: Omit<PeerOptions, "labelValueMap"> = {};
  const problems: string[] = [];
  const rename = (text: string) => text.replace(/--(checkpoints|strategy|question)\b/g, "$1");
  if (request.checkpoints?.trim()) {
    const parsed = parseCheckpointList(request.checkpoints);
    if (parsed.ok) value.checkpoints = parsed.value;
    else problems.push(rename(parsed.problem));
  }
  if (request.strategies?.length) {
    const parsed = parseStrategies(request.strategies);
    if (parsed.ok) value.strategies = parsed.value;
    else problems.push(rename(parsed.problem));
  }
  if (request.questions?.length) {
    const parsed = parseQuestions(request.questions);
    if (parsed.ok) value.questions = parsed.value;
    else problems.push(rename(parsed.problem));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

const TOOL: Record<PeerFormat, [name: string, noun: string]> = {
  "label-studio": ["Label Studio", "tasks"],
  argilla: ["Argilla", "records"],
};

const problem = (status: UploadAnswer["status"], error: string, message: string): UploadAnswer => ({
  status,
  body: { error, message },
});

export async function importUpload(pool: pg.Pool, request: UploadRequest): Promise<UploadAnswer> {
  const limit = request.maxBytes ?? maxUploadBytes();
  const declared = Number(request.contentLength);
  if (request.contentLength && Number.isFinite(declared) && declared > limit)
    return problem(413, "too_large", new UploadTooLargeError(limit).message);
  const format = uploadFormat(request.format, request.contentType, request.fileName);
  if (!format) {
    return problem(
      415,
      "unsupported_format",
      "Send JSON Lines (Content-Type: application/x-ndjson), a JSON array (application/json) or CSV with a header row (text/csv); or name the format with ?format=jsonl|json|csv|label-studio|argilla.",
    );
  }
  if (!request.body) return problem(400, "empty", "The request has no body: send the responses in it.");
  const peer = peerOptions(request);
  if (!peer.ok) return problem(400, "bad_request", peer.problems.join("\n"));
  let labelValueMap: LabelValueMap | undefined;
  if (request.map?.length) {
    const parsed = labelValueMapFromArguments(request.map);
    if (!parsed.ok) return problem(400, "bad_request", parsed.problems.join("\n").replace(/--map\b/g, "map"));
    labelValueMap = parsed.map;
  }
  const columns = parseColumnMapping({ set: request.set, rename: request.rename, derive: request.derive }, "");
  if (!columns.ok) return problem(400, "bad_request", columns.problems.join("\n"));
  const encoding = (request.contentEncoding ?? "").trim().toLowerCase();
  if (encoding !== "" && encoding !== "identity" && encoding !== "gzip" && encoding !== "x-gzip")
    return problem(
      415,
      "unsupported_encoding",
      `Content-Encoding ${encoding} is not supported: send the body as is, or gzip.`,
    );
  const fileName = (
    request.fileName?.trim() || `upload.${format === "csv" ? "csv" : isPeerFormat(format) ? "json" : "jsonl"}`
  ).slice(0, 200);
  try {
    // The limit counts the bytes as sent and, for a gzip body, the bytes it decompresses to (so a
    // small bomb cannot fill the database).
    let bytes: AsyncIterable<Buffer> = limitBytes(request.body, limit);
    if (encoding === "gzip" || encoding === "x-gzip")
      bytes = limitBytes(Readable.from(bytes).pipe(createGunzip({ chunkSize: 1 << 20 })), limit);
    // A JSON array or JSON Lines may be a peer's export: recognised by its first element.
    let peerFormat: PeerFormat | null = isPeerFormat(format) ? format : null;
    let harnessFormat: ImportFormat | null = format !== "json" && !isPeerFormat(format) ? format : null;
    if (format === "json" || format === "jsonl") {
      const { head, whole } = await peekBytes(bytes, DETECT_BYTES);
      bytes = whole;
      const detected = detectFormat(head);
      if (detected !== null && isPeerFormat(detected)) peerFormat = detected;
      else if (detected !== null) harnessFormat = detected;
    }
    if (peerFormat === null && Object.keys(peer.value).length > 0) {
      return problem(
        400,
        "bad_request",
        "checkpoints, strategy and question apply to Label Studio and Argilla exports (format=label-studio|argilla), and this body is neither.",
      );
    }
    const common = {
      studySlug: request.studySlug,
      ...(request.createStudyName?.trim() ? { createStudyName: request.createStudyName.trim().slice(0, 200) } : {}),
      fileName,
      createdById: request.userId,
      ...(labelValueMap !== undefined ? { labelValueMap } : {}),
      columnMapping: columns.mapping,
      optionPrefix: "",
      dryRun: request.dryRun ?? false,
    };
    let summary: ImportSummary;
    let peerStats: (PeerStats & { format: PeerFormat }) | undefined;
    if (peerFormat !== null) {
      // The peer reader takes a JSON array or JSON Lines as they are, element by element.
      const result = await importPeerFile(pool, { ...common, format: peerFormat, source: bytes, peer: peer.value });
      const { peer: stats, ...rest } = result;
      summary = rest;
      peerStats = { format: peerFormat, ...stats };
    } else {
      // A harness's log is read as its format reads it; a plain JSON array becomes JSON Lines.
      summary = await importResponses(pool, {
        ...common,
        format: harnessFormat ?? "jsonl",
        source: harnessFormat === null ? jsonArrayToLines(bytes) : bytes,
      });
    }
    // The import has committed: a failure to remember its mapping is said, never turned into an error.
    let notRemembered = "";
    if (summary.status === "succeeded" && !summary.dryRun && summary.studyId !== null && request.remember)
      await rememberMapping(pool, {
        studyId: summary.studyId,
        format: request.remember.format,
        columns: request.remember.columns,
        set: request.set ?? [],
        rename: request.rename ?? [],
        derive: request.derive ?? [],
        userId: request.userId,
      }).catch((error: unknown) => {
        console.error("Remembering the import's mapping failed:", error);
        notRemembered = " The column mapping could not be remembered for the next file.";
      });
    const from = peerStats
      ? ` From ${TOOL[peerStats.format][0]}: ${peerStats.records} ${TOOL[peerStats.format][1]}, ${peerStats.responses} responses, ${peerStats.labels} labels.`
      : "";
    const message =
      summary.status === "succeeded"
        ? `${summary.dryRun ? "Checked, nothing written; it would import" : "Imported"}: ${summary.inserted} new, ${summary.alreadyPresent} already present${summary.repeatedInFile ? `, ${summary.repeatedInFile} repeated in the file (read once)` : ""}${summary.promptRows ? `, ${summary.promptRowsCreated} new prompts from ${summary.promptRows} rows without a response` : ""}${summary.labelsInserted ? `, ${summary.labelsInserted} labels` : ""}${summary.adjudicationsInserted ? `, ${summary.adjudicationsInserted} adjudicated labels` : ""}${summary.preferencesInserted + summary.preferencesCompleted ? `, ${summary.preferencesInserted + summary.preferencesCompleted} preferences` : ""}.${from}` +
          repairNotes(summary.surrogatesReplaced)
            .map((note) => ` Changed text: ${note}.`)
            .join("") +
          notRemembered
        : `Rejected: ${summary.rejected} problem(s)${format === "json" && !peerStats ? " (line N is the array's N-th element)" : ""}; nothing was imported.`;
    return {
      status: summary.status === "succeeded" ? (summary.dryRun ? 200 : 201) : 422,
      body: { ...summary, message, ...(peerStats ? { peer: peerStats } : {}) },
    };
  } catch (error) {
    if (error instanceof UploadTooLargeError) return problem(413, "too_large", error.message);
    if (typeof (error as { code?: unknown }).code === "string" && (error as { code: string }).code.startsWith("Z_"))
      return problem(
        400,
        "bad_gzip",
        `The body is not valid gzip (${(error as Error).message}); nothing was imported.`,
      );
    if (error instanceof JsonArrayError)
      return problem(400, "bad_json_array", `${error.message} Nothing was imported.`);
    if (error instanceof ImportRequestError)
      return problem(/There is no study/.test(error.message) ? 404 : 400, "bad_request", error.message);
    throw error;
  }
}
