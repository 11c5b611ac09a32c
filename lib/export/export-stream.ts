// Streams a study's labelled data as CSV (RFC 4180, UTF-8, optional byte-order mark for
// spreadsheets) or JSON Lines straight out of PostgreSQL's COPY … TO STDOUT: constant memory at
// any size, one consistent snapshot.
import { PassThrough, type Readable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { hasLabelFilters } from "../analytics/judgement";
import { CopyTextToJsonLines } from "./copy-text-json";
import { EXPORT_SETTING, exportSelect, exportSetting, jsonColumns, type ExportFormat, type ExportParams, type ExportShape } from "./export-query";

export interface ExportRequest extends ExportParams {
  shape: ExportShape;
  format: ExportFormat;
  /** Start CSV with a UTF-8 byte-order mark, which Excel needs to read UTF-8. */
  bom?: boolean;
}

export function exportFileName(slug: string, request: Pick<ExportRequest, "shape" | "format">, now = new Date()): string {
  return `${slug}-${request.shape}-${now.toISOString().slice(0, 10)}.${request.format}`;
}

export function exportContentType(format: ExportFormat): string {
  return format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
}

/**
 * The export as a byte stream. The connection is held until the stream ends or is destroyed (a
 * client that goes away mid-download), then returned to the pool (or discarded mid-COPY).
 */
export async function exportStream(pool: pg.Pool, request: ExportRequest): Promise<Readable> {
  const client = await pool.connect();
  let copy: Readable;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query("SELECT set_config($1, $2, true)", [EXPORT_SETTING, exportSetting(request)]);
    // Rows are read in key order (label or response id) and joined by key lookups: no sort of
    // wide rows (which at a million responses would spill gigabytes to temporary files).
    // The file is UTF-8 whatever the database's encoding (the transform reads bytes, not characters).
    await client.query("SET LOCAL work_mem = '64MB'; SET LOCAL enable_sort = off; SET LOCAL client_encoding = 'UTF8'");
    // JSON Lines: text COPY with `"` as the delimiter escapes the values as JSON does (one pass in
    // C); CopyTextToJsonLines adds the keys and fixes what JSON does not allow (copy-text-json.ts).
    const options = request.format === "csv" ? "FORMAT csv, HEADER true" : `FORMAT text, DELIMITER '"'`;
    copy = client.query(copyTo(`COPY (${exportSelect(request.shape, request.format, hasLabelFilters(request.filters))}) TO STDOUT WITH (${options})`));
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
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
  const release = (discard: boolean) => {
    if (released) return;
    released = true;
    client.release(discard);
  };
  copy.once("end", () => {
    client.query("COMMIT").then(
      () => release(false),
      () => release(true),
    );
  });
  const fail = (error: Error) => {
    release(true);
    if (out !== copy) out.destroy(error);
  };
  copy.once("error", fail);
  if (out !== copy) {
    out.once("error", (error) => {
      copy.destroy();
      fail(error);
    });
  }
  // A consumer that goes away mid-download: the connection is mid-COPY, so close it.
  out.once("close", () => {
    if (!copy.readableEnded) {
      copy.destroy();
      release(true);
    }
  });
  return out;
}
