import { finished } from "node:stream/promises";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { ExportAbortedError, exportStream, type ExportRequest } from "./export-stream";
import { exportRequest, paddedStudy } from "./fixtures";

let pool: pg.Pool;
let setup: pg.Pool;
let studyId: number;
const slug = `export-limits-${Date.now().toString(36)}`;
/** About 32 MB of CSV: more than the socket buffers hold, so a client that pauses pauses the COPY. */
const ROWS = 2000;

beforeAll(async () => {
  // Interactive queries are cut off after half a second here (the app's pool: 30 s); the study is
  // written through a pool without that bound.
  pool = createPool(inject("databaseUrl"), 2, { statementTimeoutMs: 500 });
  setup = createPool(inject("databaseUrl"), 1);
  studyId = await paddedStudy(setup, slug, "Export limits", ROWS);
});
afterAll(async () => {
  if (studyId !== undefined) await setup.query("DELETE FROM study WHERE id = $1", [studyId]);
  await setup.end();
  await pool.end();
});

const request = (overrides: Partial<ExportRequest> = {}) => exportRequest(studyId, "responses", overrides);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("export stream", () => {
  it("outlasts the statement timeout of interactive queries: a slow client still gets the whole file", async () => {
    const stream = await exportStream(pool, request());
    let bytes = 0;
    let lines = 0;
    let paused = false;
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      for (const byte of chunk as Buffer) if (byte === 0x0a) lines++;
      if (!paused && bytes > 1 << 20) {
        // The client stops reading for longer than the statement timeout, mid-COPY.
        paused = true;
        await wait(1500);
      }
    }
    expect(paused).toBe(true);
    expect(lines).toBe(ROWS + 2); // the header, the imported response and the added ones
    expect(bytes).toBeGreaterThan(ROWS * 16_000);
  });

  it("notices an abort that lands after its last check but before it listens", async () => {
    // A signal that turns aborted between the export's checks and its listener: its fourth reading.
    let readings = 0;
    const signal = {
      get aborted() {
        readings++;
        return readings > 3;
      },
      addEventListener() {},
      removeEventListener() {},
    } as unknown as AbortSignal;
    const stream = await exportStream(pool, request(), { signal });
    await expect(finished(stream)).rejects.toBeInstanceOf(ExportAbortedError);
    expect(readings).toBe(4);
    // The connection went back to the pool: both serve.
    for (let i = 0; i < 20 && pool.totalCount - pool.idleCount > 0; i++) await wait(50);
    expect(pool.totalCount - pool.idleCount).toBe(0);
    const clients = await Promise.all([pool.connect(), pool.connect()]);
    for (const client of clients) client.release();
  });
});
