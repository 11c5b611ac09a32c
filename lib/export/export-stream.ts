// Streams a study's labelled data as CSV (RFC 4180, UTF-8, optional byte-order mark for
// spreadsheets) or JSON Lines straight out of PostgreSQL's COPY … TO STDOUT: constant memory at
// any size, one consistent snapshot.
import { PassThrough, type Readable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { hasLabelFilters } from "../analytics/judgement";
import { CopyBinaryLines } from "./copy-binary-lines";
import { EXPORT_SETTING, exportSelect, exportSetting, type ExportFormat, type ExportParams, type ExportShape } from "./export-query";

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
    await client.query("SET LOCAL work_mem = '64MB'; SET LOCAL enable_sort = off");
    // JSON Lines: binary COPY sends each JSON object as it is (text and CSV output would scan every
    // byte again to escape or quote it); CopyBinaryLines strips the framing and ends each line.
    const options = request.format === "csv" ? "FORMAT csv, HEADER true" : "FORMAT binary";
    copy = client.query(copyTo(`COPY (${exportSelect(request.shape, request.format, hasLabelFilters(request.filters))}) TO STDOUT WITH (${options})`));
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
    throw error;
  }

  // Piped rather than iterated: COPY sends one message per row, and a per-chunk async hop costs
  // more than PostgreSQL's own work.
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  if (request.bom && request.format === "csv") out.write(Buffer.from([0xef, 0xbb, 0xbf]));
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
  copy.once("error", (error) => {
    release(true);
    out.destroy(error);
  });
  // A consumer that goes away mid-download: the connection is mid-COPY, so close it.
  out.once("close", () => {
    if (!copy.readableEnded) {
      copy.destroy();
      release(true);
    }
  });
  if (request.format === "jsonl") {
    const lines = new CopyBinaryLines();
    lines.once("error", (error) => {
      copy.destroy();
      release(true);
      out.destroy(error);
    });
    copy.pipe(lines).pipe(out);
  } else {
    copy.pipe(out);
  }
  return out;
}
