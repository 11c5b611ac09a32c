// Streams a study's labelled data as CSV (RFC 4180, UTF-8, optional byte-order mark for
// spreadsheets) or JSON Lines straight out of PostgreSQL's COPY … TO STDOUT: constant memory at
// any size, one consistent snapshot.
import { Readable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
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
    const options =
      request.format === "csv"
        ? "FORMAT csv, HEADER true"
        : // JSON text never holds raw control characters, so with these two never-used characters as
          // delimiter and quote, CSV mode writes each JSON object as it is, one per line.
          "FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'";
    copy = client.query(copyTo(`COPY (${exportSelect(request.shape, request.format)}) TO STDOUT WITH (${options})`));
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
    throw error;
  }

  async function* bytes() {
    let finished = false;
    try {
      if (request.bom && request.format === "csv") yield Buffer.from([0xef, 0xbb, 0xbf]);
      for await (const chunk of copy) yield chunk as Buffer;
      finished = true;
    } finally {
      if (finished) {
        await client.query("COMMIT").catch(() => {});
        client.release();
      } else {
        // Stopped mid-COPY: the connection is in an unknown state; close it rather than reuse it.
        client.release(true);
      }
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}
