// The stale-import rule against a real PostgreSQL: which RUNNING jobs readers turn FAILED (a backend
// gone, a heartbeat gone stale, a pid that now names another connection), that concurrent readers
// fail a job once, and that an import whose job was declared dead writes nothing and blocks nobody.
import { Readable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import {
  deadImportMessage,
  failDeadImports,
  importBackendName,
  recentImportJobs,
  STALE_AFTER_SECONDS,
} from "./import-jobs";
import { importResponses } from "./pipeline";

let pool: pg.Pool;
let counter = 0;
const slug = () => `jobs-${Date.now().toString(36)}-${++counter}`;

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 8);
});
afterAll(async () => {
  await pool.end();
});

/** A RUNNING job row as a running import leaves it, with `backend` standing for its transaction. */
async function runningJob(
  studySlug: string,
  backend: pg.Client | null,
  rowsRead = 1234,
  name?: (id: number) => string,
): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    "INSERT INTO import_job (study_slug, file_name, format, rows_read) VALUES ($1, 'big.jsonl', 'jsonl', $2) RETURNING id",
    [studySlug, rowsRead],
  );
  const id = rows[0]!.id;
  if (backend) {
    const pid = await backend.query<{ pid: number }>(
      "SELECT pg_backend_pid() AS pid, set_config('application_name', $1, false)",
      [(name ?? importBackendName)(id)],
    );
    await pool.query("UPDATE import_job SET backend_pid = $2 WHERE id = $1", [id, pid.rows[0]!.pid]);
  }
  return id;
}

async function connectBackend(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  client.on("error", () => {}); // ended on purpose by some tests
  await client.connect();
  return client;
}

const statusOf = async (studySlug: string, id: number) =>
  (await recentImportJobs(pool, studySlug)).find((job) => job.id === id)!;

function rows(count: number, prefix: string) {
  return Array.from(
    { length: count },
    (_, i) =>
      JSON.stringify({
        prompt_id: `${prefix}${i}`,
        prompt: `Prompt ${i}`,
        checkpoint: "sft-a",
        strategy: "sft",
        response: `Answer ${i}`,
      }) + "\n",
  );
}

describe("import job liveness", () => {
  it("keeps a job RUNNING while its heartbeat is fresh and its backend is there", async () => {
    const s = slug();
    const backend = await connectBackend();
    const id = await runningJob(s, backend);
    expect((await statusOf(s, id)).status).toBe("RUNNING");
    await backend.end();
  });

  it("fails a job whose backend is gone, with the row it stopped at", async () => {
    const s = slug();
    const backend = await connectBackend();
    const id = await runningJob(s, backend, 4321);
    await backend.end();
    // A backend leaves pg_stat_activity a moment after its client went.
    for (let i = 0; i < 50 && (await statusOf(s, id)).status === "RUNNING"; i++)
      await new Promise((r) => setTimeout(r, 100));
    const job = await statusOf(s, id);
    expect(job.status).toBe("FAILED");
    expect(job.message).toBe(deadImportMessage(4321));
    expect(job.finishedAt).not.toBeNull();
  });

  it("fails a job whose heartbeat is stale even though its backend lives, and ends that backend", async () => {
    const s = slug();
    const backend = await connectBackend();
    const id = await runningJob(s, backend);
    await pool.query(`UPDATE import_job SET heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1`, [
      id,
      STALE_AFTER_SECONDS + 1,
    ]);
    expect((await statusOf(s, id)).status).toBe("FAILED");
    await expect(backend.query("SELECT 1")).rejects.toThrow();
  });

  it("judges a job without a recorded backend by its heartbeat alone", async () => {
    const s = slug();
    const id = await runningJob(s, null);
    expect((await statusOf(s, id)).status).toBe("RUNNING");
    await pool.query(`UPDATE import_job SET heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1`, [
      id,
      STALE_AFTER_SECONDS + 1,
    ]);
    expect((await statusOf(s, id)).status).toBe("FAILED");
  });

  it("does not take another connection that got the same pid for the import's backend", async () => {
    const s = slug();
    const other = await connectBackend();
    const id = await runningJob(s, other, 10, () => "some other client");
    expect((await statusOf(s, id)).status).toBe("FAILED");
    // …and leaves that connection alone.
    await expect(other.query("SELECT 1")).resolves.toBeDefined();
    await other.end();
  });

  it("fails a dead job once however many readers look at the same time", async () => {
    const s = slug();
    const backend = await connectBackend();
    const id = await runningJob(s, backend);
    await backend.end();
    await new Promise((r) => setTimeout(r, 300));
    const results = await Promise.all(Array.from({ length: 6 }, () => failDeadImports(pool, s)));
    expect(results.flat()).toEqual([id]);
    expect((await statusOf(s, id)).status).toBe("FAILED");
  });
});

describe("an import whose job is declared dead", () => {
  it("records its backend while it runs, then writes nothing once declared dead, and the next import of the study succeeds", async () => {
    const s = slug();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // 3,000 rows (a first batch is written), then the source waits: the import is mid-way.
    async function* source() {
      for (const line of rows(3000, "a")) yield Buffer.from(line);
      await gate;
      for (const line of rows(10, "b")) yield Buffer.from(line);
    }
    const running = importResponses(pool, {
      studySlug: s,
      createStudyName: "Jobs",
      fileName: "slow.jsonl",
      source: Readable.from(source()),
      signals: false,
    });
    running.catch(() => {});
    let job: { id: number; backend_pid: number | null; status: string } | undefined;
    for (let i = 0; i < 100; i++) {
      job = (
        await pool.query("SELECT id, backend_pid, status::text AS status FROM import_job WHERE study_slug = $1", [s])
      ).rows[0];
      if (job?.backend_pid) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job?.backend_pid).toBeGreaterThan(0);
    expect((await statusOf(s, job!.id)).status).toBe("RUNNING");

    // As if its process froze past the bound: the next reader fails it and ends its backend. (A beat
    // of the live import may land between the two statements: then set it back again.)
    let failed = "RUNNING";
    for (let i = 0; i < 5 && failed === "RUNNING"; i++) {
      await pool.query(`UPDATE import_job SET heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1`, [
        job!.id,
        STALE_AFTER_SECONDS + 1,
      ]);
      failed = (await statusOf(s, job!.id)).status;
    }
    release();
    expect(failed).toBe("FAILED");
    await expect(running).rejects.toThrow();
    const written = await pool.query(
      "SELECT count(*)::int AS n FROM response r JOIN study st ON st.id = r.study_id WHERE st.slug = $1",
      [s],
    );
    expect(written.rows[0].n).toBe(0);

    const next = await importResponses(pool, {
      studySlug: s,
      createStudyName: "Jobs",
      fileName: "next.jsonl",
      source: Readable.from(rows(5, "c")),
      signals: false,
    });
    expect(next.status).toBe("succeeded");
    expect(next.inserted).toBe(5);
    const jobs = await recentImportJobs(pool, s);
    expect(jobs.map((j) => j.status)).toEqual(["SUCCEEDED", "FAILED"]);
  });

  it("a successful import ends SUCCEEDED with its backend name reset", async () => {
    const s = slug();
    const summary = await importResponses(pool, {
      studySlug: s,
      createStudyName: "Jobs",
      fileName: "ok.jsonl",
      source: Readable.from(rows(3, "d")),
      signals: false,
    });
    expect(summary.status).toBe("succeeded");
    const job = await statusOf(s, summary.jobId);
    expect(job).toMatchObject({ status: "SUCCEEDED", inserted: 3, rowsRead: 3 });
    const named = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [
      importBackendName(summary.jobId),
    ]);
    expect(named.rows[0].n).toBe(0);
  });

  it("needs no second connection: a pool of two with one held by the caller imports, rejects and fails", async () => {
    // The demo seed holds one of a two-connection pool while it imports; the job's bookkeeping must
    // not wait for another connection (it once did, and the seed hung).
    const small = createPool(inject("databaseUrl"), 2);
    const held = await small.connect();
    try {
      const s = slug();
      const ok = await importResponses(small, {
        studySlug: s,
        createStudyName: "Jobs",
        fileName: "ok.jsonl",
        source: Readable.from(rows(3, "e")),
        signals: false,
      });
      expect(ok.status).toBe("succeeded");
      const bad = await importResponses(small, {
        studySlug: s,
        fileName: "bad.jsonl",
        source: Readable.from(["{not json\n"]),
        signals: false,
      });
      expect(bad.status).toBe("rejected");
      async function* broken() {
        yield Buffer.from(rows(1, "f")[0]!);
        throw new Error("the upload was cut off");
      }
      await expect(
        importResponses(small, {
          studySlug: s,
          fileName: "cut.jsonl",
          source: Readable.from(broken()),
          signals: false,
        }),
      ).rejects.toThrow("cut off");
      const jobs = await recentImportJobs(pool, s);
      expect(jobs.map((j) => [j.fileName, j.status])).toEqual([
        ["cut.jsonl", "FAILED"],
        ["bad.jsonl", "REJECTED"],
        ["ok.jsonl", "SUCCEEDED"],
      ]);
      expect(jobs[0]!.message).toBe("the upload was cut off");
    } finally {
      held.release();
      await small.end();
    }
  }, 30_000);
});
