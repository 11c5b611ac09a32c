// Issue 20, item 3, against the real app: the database connection of an upload is cut while the
// file is still streaming in. The answer is a JSON error that says so (not an empty 500), nothing
// of the file is written, and the server log has one line for it, not an uncaught exception.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../testing/app-server";

const SLUG = "r1-safety-demo";
/** pipeline.ts's advisory-lock namespace ("PARX"): the backend holding it is the import's. */
const IMPORT_LOCK_NAMESPACE = 0x5041_5258;
const ROWS = 12_000;
const CUT_AFTER_ROWS = 5_000;

let app: AppServer;
let admin: pg.Client;

beforeAll(async () => {
  app = await startAppServer({ name: "upload-db-loss" });
  admin = new pg.Client({ connectionString: app.databaseUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await app?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function row(i: number): string {
  return `${JSON.stringify({
    prompt_id: `cut-${i}`,
    prompt: `Prompt ${i} about something that needs a long answer`,
    checkpoint: "cut-sft",
    strategy: "sft",
    answer: `Answer ${i}. ${"A sentence that takes up some room in the upload. ".repeat(20)}`,
  })}\n`;
}

async function responseCount(): Promise<number> {
  const result = await admin.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM response r JOIN study s ON s.id = r.study_id WHERE s.slug = $1",
    [SLUG],
  );
  return result.rows[0]!.n;
}

/** The import's backend: the one holding the per-study import lock (taken right after BEGIN). */
async function importBackend(): Promise<number | null> {
  const result = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND granted",
    [IMPORT_LOCK_NAMESPACE],
  );
  return result.rows[0]?.pid ?? null;
}

describe("an upload whose database connection is cut mid-stream", () => {
  it("answers a JSON 503 naming it, writes nothing of the file, and logs one line", async () => {
    const cookie = await app.signIn("researcher@demo.parallax.local");
    const before = await responseCount();
    const logBefore = app.output().length;

    let sent = 0;
    let terminated: number | null = null;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === CUT_AFTER_ROWS) {
          // The import is under way (its transaction holds the lock, a batch or two are written):
          // cut its connection from outside, as a database restart or a failover would.
          const deadline = Date.now() + 30_000;
          let pid = await importBackend();
          while (pid === null && Date.now() < deadline) {
            await sleep(100);
            pid = await importBackend();
          }
          expect(pid).not.toBeNull();
          await admin.query("SELECT pg_terminate_backend($1)", [pid]);
          terminated = pid;
        }
        if (sent >= ROWS) {
          controller.close();
          return;
        }
        let chunk = "";
        for (let i = 0; i < 500 && sent < ROWS; i++) chunk += row(sent++);
        controller.enqueue(encoder.encode(chunk));
      },
    });

    const started = Date.now();
    const response = await fetch(`${app.url}/api/v1/studies/${SLUG}/responses?fileName=cut.jsonl`, {
      method: "POST",
      headers: { cookie, origin: app.url, "content-type": "application/x-ndjson" },
      body,
      duplex: "half",
      signal: AbortSignal.timeout(120_000),
    } as RequestInit);
    const text = await response.text();
    console.log(`[fault] upload cut mid-stream: ${response.status} in ${Date.now() - started} ms: ${text}`);
    expect(terminated).not.toBeNull();

    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.headers.get("retry-after")).toBe("5");
    const answer = JSON.parse(text) as { error: string; message: string; reason: string };
    expect(answer.error).toBe("database_unavailable");
    expect(answer.message).toMatch(/terminating connection due to administrator command/);

    // All or nothing: not one row of the file.
    expect(await responseCount()).toBe(before);
    const job = await admin.query<{ status: string; message: string }>(
      "SELECT status, message FROM import_job WHERE file_name = 'cut.jsonl'",
    );
    expect(job.rows).toEqual([expect.objectContaining({ status: "FAILED" })]);

    // One line in the server log for it, and no uncaught exception or stack trace.
    await sleep(500);
    const log = app.output().slice(logBefore);
    const lines = log.split("\n").filter((line) => line.includes("/api/v1/studies/r1-safety-demo/responses"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[parallax\] api POST \/api\/v1\/studies\/r1-safety-demo\/responses 503 database unavailable: .*terminating connection due to administrator command/,
    );
    expect(log).not.toMatch(/uncaughtException|unhandledRejection|^\s+at /m);

    // The app goes on: the next upload is imported.
    const next = await fetch(`${app.url}/api/v1/studies/${SLUG}/responses?fileName=after.jsonl`, {
      method: "POST",
      headers: { cookie, origin: app.url, "content-type": "application/x-ndjson" },
      body: row(ROWS + 1),
    });
    expect(next.status).toBe(201);
    expect(await responseCount()).toBe(before + 1);
  });
});
