// An export whose consumer goes away, at whatever moment, gives its connection back and leaves no
// transaction or COPY behind on the server; one whose consumer stops reading is cut off; a
// database that goes away mid-COPY fails the download (never a silently short file).
import type { Readable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { ExportAbortedError, exportStream, type ExportRequest } from "./export-stream";
import { exportRequest, paddedStudy } from "./fixtures";
import { ExportStalledError, exportWebStream } from "./export-web-stream";

/** The application_name of this file's pool. */
const APP = "parallax-export-cancel-test";
let pool: pg.Pool;
let admin: pg.Client;
let studyId: number;
const slug = `export-cancel-${Date.now().toString(36)}`;
/** Far more than the socket buffers between PostgreSQL and the app hold: a consumer that stops reading stops the COPY. */
const BIG_ROWS = 2000;

beforeAll(async () => {
  // Two connections: a leaked one shows at once as a pool that cannot serve.
  // Named, so that the checks below see this file's backends only: other test files run imports
  // (COPY) and transactions on the same database at the same time.
  const url = new URL(inject("databaseUrl"));
  url.searchParams.set("application_name", APP);
  pool = createPool(url.toString(), 2);
  admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
  // About 32 MB of export: 2,000 responses of 16 KB.
  studyId = await paddedStudy(pool, slug, "Export cancellation", BIG_ROWS);
});
afterAll(async () => {
  // 32 MB a run: a mutation run repeats this file for hundreds of mutants on one database.
  if (studyId !== undefined) await admin?.query("DELETE FROM study WHERE id = $1", [studyId]);
  await admin?.end();
  await pool?.end();
});

const request = (overrides: Partial<ExportRequest> = {}) => exportRequest(studyId, "responses", overrides);

/** Backends of this database (but ours) still in a transaction or running a COPY. */
async function leftovers(): Promise<{ pid: number; state: string; query: string }[]> {
  const result = await admin.query<{ pid: number; state: string; query: string }>(
    `SELECT pid, state, left(query, 60) AS query FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1
       AND (state LIKE 'idle in transaction%' OR (state = 'active' AND query ILIKE 'COPY%'))`,
    [APP],
  );
  return result.rows;
}

/** Cancellation is asynchronous (a socket closes, a backend notices): waits a little for both to settle. */
async function expectAllReleased(): Promise<void> {
  const deadline = Date.now() + 5_000;
  let left = await leftovers();
  while ((left.length > 0 || pool.totalCount - pool.idleCount > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = await leftovers();
  }
  expect(left).toEqual([]);
  expect(pool.totalCount - pool.idleCount).toBe(0);
  // And the pool serves: both connections at once.
  const clients = await Promise.all([pool.connect(), pool.connect()]);
  for (const client of clients) client.release();
}

async function readSome(stream: Readable, bytes: number): Promise<number> {
  let read = 0;
  for await (const chunk of stream) {
    read += (chunk as Buffer).length;
    if (read >= bytes) break; // for-await's break destroys the stream: a consumer that leaves
  }
  return read;
}

describe("export cancellation", () => {
  it("refuses to start for a request already aborted", async () => {
    await expect(exportStream(pool, request(), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      ExportAbortedError,
    );
    await expectAllReleased();
  });

  it("releases the connection when the request is aborted while the transaction starts", async () => {
    for (const delayMs of [0, 1, 2, 5]) {
      const controller = new AbortController();
      const started = exportStream(pool, request(), { signal: controller.signal });
      setTimeout(() => controller.abort(), delayMs);
      const outcome = await started.then(
        (stream) =>
          new Promise<string>((resolve) =>
            stream.destroyed ? resolve("destroyed") : stream.once("close", () => resolve("closed")),
          ),
        (error: Error) => error.name,
      );
      expect(["destroyed", "closed", "ExportAbortedError"]).toContain(outcome);
      await expectAllReleased();
    }
  });

  it("releases the connection when the request is aborted after the stream was handed out but before anything read it", async () => {
    const controller = new AbortController();
    const stream = await exportStream(pool, request(), { signal: controller.signal });
    controller.abort();
    await new Promise((resolve) => stream.once("close", resolve));
    await expectAllReleased();
  });

  it("releases the connection when the consumer leaves mid-COPY, in CSV, CSV with BOM and JSON Lines", async () => {
    for (const overrides of [{}, { bom: true }, { format: "jsonl" as const }]) {
      const stream = await exportStream(pool, request(overrides));
      expect(await readSome(stream, 1 << 20)).toBeGreaterThanOrEqual(1 << 20);
      await expectAllReleased();
    }
  });

  it("releases the connection when the request is aborted mid-COPY", async () => {
    const controller = new AbortController();
    const stream = await exportStream(pool, request(), { signal: controller.signal });
    const reading = readSome(stream, Number.MAX_SAFE_INTEGER).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(await reading).toBeInstanceOf(ExportAbortedError);
    await expectAllReleased();
  });

  it("releases the connection when the web stream's reader cancels mid-download", async () => {
    const errors: Error[] = [];
    const body = exportWebStream(await exportStream(pool, request()), {
      stallTimeoutMs: 60_000,
      onError: (error) => errors.push(error),
    });
    const reader = body.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    await expectAllReleased();
    expect(errors).toEqual([]);
  });

  it("ends a download whose client stops reading, and says so once", async () => {
    const errors: Error[] = [];
    const body = exportWebStream(await exportStream(pool, request()), {
      stallTimeoutMs: 300,
      onError: (error) => errors.push(error),
    });
    const reader = body.getReader();
    expect((await reader.read()).done).toBe(false);
    // The client stops reading here; the queue fills, the timer runs out, the COPY is ended.
    const deadline = Date.now() + 5_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ExportStalledError);
    await expectAllReleased();
    // What was queued can still be read, then the download fails: it never looks complete.
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return "complete";
      })(),
    ).rejects.toThrow(/read nothing/);
  });

  it("fails the download (not a short file) when the database connection is lost mid-COPY", async () => {
    const errors: Error[] = [];
    const body = exportWebStream(await exportStream(pool, request()), {
      stallTimeoutMs: 60_000,
      onError: (error) => errors.push(error),
    });
    const reader = body.getReader();
    expect((await reader.read()).done).toBe(false);
    // The one backend running this download's COPY: not an idle connection whose last query was a
    // COPY, nor the parallel workers of its plan (they show the same query and application name).
    const terminated = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1
         AND backend_type = 'client backend' AND state = 'active' AND query ILIKE 'COPY%'`,
      [APP],
    );
    // At least the download's own backend (a full run once showed three here; the download failing
    // with "terminat" below is what proves its connection was among them).
    expect(terminated.rowCount).toBeGreaterThanOrEqual(1);
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return "complete";
      })(),
    ).rejects.toThrow(/terminat/i);
    expect(errors).toHaveLength(1);
    await expectAllReleased();
  });

  it("still exports the whole study after all of that", async () => {
    let bytes = 0;
    for await (const chunk of await exportStream(pool, request())) bytes += (chunk as Buffer).length;
    expect(bytes).toBeGreaterThan(BIG_ROWS * 16_000);
    await expectAllReleased();
  });
});
