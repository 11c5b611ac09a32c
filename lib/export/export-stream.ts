// Streams a study's labelled data as CSV (RFC 4180, UTF-8, optional byte-order mark for
// spreadsheets) or JSON Lines straight out of PostgreSQL's COPY … TO STDOUT: constant memory at
// any size, one consistent snapshot.
import { PassThrough, type Readable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { judgementBasis } from "../analytics/judgement";
import { CopyTextToJsonLines } from "./copy-text-json";
import {
  EXPORT_SETTING,
  exportSelect,
  exportSetting,
  jsonColumns,
  type ExportFormat,
  type ExportParams,
  type ExportShape,
} from "./export-query";

export interface ExportRequest extends ExportParams {
  shape: ExportShape;
  format: ExportFormat;
  /** Start CSV with a UTF-8 byte-order mark, which Excel needs to read UTF-8. */
  bom?: boolean;
}

export function exportFileName(
  slug: string,
  request: Pick<ExportRequest, "shape" | "format">,
  now = new Date(),
): string {
  return `${slug}-${request.shape}-${now.toISOString().slice(0, 10)}.${request.format}`;
}

export function exportContentType(format: ExportFormat): string {
  return format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
}

/** The export was abandoned by its consumer (the client went away) before or while it ran. */
export class ExportAbortedError extends Error {
  constructor() {
    super("The export was cancelled: the client went away.");
    this.name = "ExportAbortedError";
  }
}

export interface ExportStreamOptions {
  /**
   * The request's abort signal (a client that disconnects). Whenever it fires — while waiting for a
   * connection, during BEGIN, after the stream was handed out but before anyone read it, or
   * mid-COPY — the COPY ends and the connection goes back to the pool. Without it an export whose
   * client left before the framework started piping was never read nor destroyed, and its
   * connection stayed `idle in transaction` for ever.
   */
  signal?: AbortSignal;
}

/**
 * The export as a byte stream. The connection is held until the stream ends or is destroyed (a
 * client that goes away mid-download), then returned to the pool (or discarded mid-COPY).
 */
export async function exportStream(
  pool: pg.Pool,
  request: ExportRequest,
  options: ExportStreamOptions = {},
): Promise<Readable> {
  const { signal } = options;
  if (signal?.aborted) throw new ExportAbortedError();
  const client = await pool.connect();
  let copy: Readable;
  try {
    // Each step is a few milliseconds: an abort that lands during one is acted on right after it,
    // before the (long) COPY starts.
    if (signal?.aborted) throw new ExportAbortedError();
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query("SELECT set_config($1, $2, true)", [EXPORT_SETTING, exportSetting(request)]);
    // Rows are read in key order (label or response id) and joined by key lookups: no sort of
    // wide rows (which at a million responses would spill gigabytes to temporary files).
    // The file is UTF-8 whatever the database's encoding (the transform reads bytes, not characters).
    // An export of millions of rows legitimately runs for minutes, longer than the pool's
    // statement_timeout for interactive queries: it has none. What bounds it instead is its
    // consumer: a client that leaves cancels it (signal, destroy), one that stops reading is cut off
    // by the route's stall timeout (export-web-stream.ts), and PostgreSQL notices a dropped
    // connection (client_connection_check_interval, lib/db/pool.ts).
    await client.query(
      "SET LOCAL work_mem = '64MB'; SET LOCAL enable_sort = off; SET LOCAL enable_parallel_append = off; SET LOCAL client_encoding = 'UTF8'; SET LOCAL statement_timeout = 0",
    );
    if (signal?.aborted) throw new ExportAbortedError();
    // JSON Lines: text COPY with `"` as the delimiter escapes the values as JSON does (one pass in
    // C); CopyTextToJsonLines adds the keys and fixes what JSON does not allow (copy-text-json.ts).
    const copyOptions = request.format === "csv" ? "FORMAT csv, HEADER true" : `FORMAT text, DELIMITER '"'`;
    copy = client.query(
      copyTo(
        `COPY (${exportSelect(request.shape, request.format, judgementBasis(request.filters))}) TO STDOUT WITH (${copyOptions})`,
      ),
    );
  } catch (error) {
    // A connection whose ROLLBACK failed is in an unknown state: discarded, not reused.
    await client.query("ROLLBACK").then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  }

  // The stream handed out is COPY's own (CSV without BOM) or one transform after it: every extra
  // stream hop costs a few microseconds per row, as COPY sends one message per row.
  let out: Readable = copy;
  if (request.format === "jsonl") out = copy.pipe(new CopyTextToJsonLines(jsonColumns(request.shape)));
  else if (request.bom) {
    const withBom = new PassThrough({ highWaterMark: 1 << 20 });
    withBom.write(Buffer.from([0xef, 0xbb, 0xbf]));
    out = copy.pipe(withBom);
  }
  let released = false;
  const onAbort = () => out.destroy(new ExportAbortedError());
  /**
   * Back to the pool once. Mid-COPY the connection cannot take another statement, so it is
   * discarded: pg-pool's release(error) ends it, and pg closes the socket of a client with a query
   * in flight at once, which ends the backend (and its transaction) on its next write.
   */
  const release = (discard?: Error) => {
    if (released) return;
    released = true;
    signal?.removeEventListener("abort", onAbort);
    client.release(discard);
  };
  copy.once("end", () => {
    client.query("COMMIT").then(
      () => release(),
      (error: Error) => release(error),
    );
  });
  const fail = (error: Error) => {
    release(error);
    if (out !== copy) out.destroy(error);
  };
  // `on`, not `once`: pg reports a connection it was told to end while COPY was its active query
  // ("Connection terminated") as one more 'error' on the copy stream, even after it was destroyed;
  // without a listener left that one would be an uncaught exception.
  copy.on("error", fail);
  if (out !== copy) {
    out.on("error", (error) => {
      copy.destroy();
      fail(error);
    });
  }
  // A consumer that goes away mid-download (or before reading anything): the connection is
  // mid-COPY, so close it.
  out.once("close", () => {
    if (!copy.readableEnded) {
      copy.destroy();
      release(new ExportAbortedError());
    }
  });
  if (signal) {
    signal.addEventListener("abort", onAbort, { once: true });
    // Aborted between the last check and the listener: nothing else would notice.
    if (signal.aborted) onAbort();
  }
  return out;
}
