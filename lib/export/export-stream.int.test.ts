// The export's connection handling that export-cancel.int.test.ts does not reach: an abort that
// lands between the export's last check and its listener, and an export that runs longer than the
// pool's statement timeout for interactive queries (a large study read by a slow client).
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importResponses } from "../import/pipeline";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { ExportAbortedError, exportStream, type ExportRequest } from "./export-stream";

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
  const summary = await importResponses(setup, {
    studySlug: slug,
    createStudyName: "Export limits",
    fileName: "one.jsonl",
    signals: false,
    source: Readable.from([
      Buffer.from(
        JSON.stringify({ prompt_id: "q1", prompt: "Prompt", checkpoint: "sft-1", strategy: "sft", answer: "short" }),
      ),
    ]),
  });
  studyId = summary.studyId!;
  await setup.query(
    `INSERT INTO response (study_id, prompt_id, checkpoint_id, sample_index, answer, source_shape)
     SELECT r.study_id, r.prompt_id, r.checkpoint_id, g, repeat('padding ', 2000), r.source_shape
     FROM response r, generate_series(1, $2) g WHERE r.study_id = $1`,
    [studyId, ROWS],
  );
});
afterAll(async () => {
  if (studyId !== undefined) await setup.query("DELETE FROM study WHERE id = $1", [studyId]);
  await setup.end();
  await pool.end();
});

function request(overrides: Partial<ExportRequest> = {}): ExportRequest {
  return {
    studyId,
    shape: "responses",
    format: "csv",
    filters: {},
    rules: DEFAULT_FAILURE_RULES,
    revealReviewers: false,
    ...overrides,
  };
}

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
