// kill -9 of the command-line importer mid-import: its job must not stay "running" forever. The
// imports API and the import page show it FAILED (within the stale bound), nothing of it was
// written, and the next import of the same study is neither blocked nor confused by it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STUDY_SLUG } from "../demo/constants";
import { projectRoot } from "../db/schema-engine";
import { startAppServer, type AppServer } from "../testing/app-server";
import { deadImportMessage, STALE_AFTER_SECONDS } from "./import-jobs";

const slug = DEMO_STUDY_SLUG;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rows(from: number, count: number, checkpoint: string): string {
  let text = "";
  for (let i = from; i < from + count; i++) {
    text +=
      JSON.stringify({
        prompt_id: `kill-${i}`,
        prompt: `Importer kill prompt ${i}`,
        category: "cyber",
        language: "en",
        checkpoint,
        strategy: "sft",
        reasoning: `Reasoning of row ${i}. `.repeat(12),
        answer: `Answer ${i}. `.repeat(8),
      }) + "\n";
  }
  return text;
}

/** The CLI as a user runs it, in one process (no tsx wrapper process), so SIGKILL hits the importer itself. */
function runImport(
  file: string,
  databaseUrl: string,
): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; output: string }> } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "lib/cli/parallax.ts", "import", file, "--study", slug, "--no-search"],
    {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, output })),
  );
  return { child, done };
}

describe("kill -9 of the importer mid-import", () => {
  let app: AppServer;
  let db: pg.Pool;
  let folder: string;
  beforeAll(async () => {
    app = await startAppServer({ name: "importer-kill" });
    db = new pg.Pool({ connectionString: app.databaseUrl, max: 2 });
    folder = mkdtempSync(path.join(os.tmpdir(), "parallax-importer-kill-"));
  });
  afterAll(async () => {
    await db?.end();
    await app?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("shows the killed import FAILED, wrote none of it, and lets the next import of the study succeed", async () => {
    const cookie = await app.signIn("researcher@demo.parallax.local");
    const count = async () =>
      (
        await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM response r JOIN study s ON s.id = r.study_id WHERE s.slug = $1",
          [slug],
        )
      ).rows[0]!.n;
    const before = await count();
    const big = path.join(folder, "big.jsonl");
    writeFileSync(big, rows(0, 80_000, "kill-ckpt"));

    const importer = runImport(big, app.databaseUrl);
    const job = await (async () => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const row = (
          await db.query<{ id: number; rows_read: number; backend_pid: number | null }>(
            "SELECT id, rows_read, backend_pid FROM import_job WHERE study_slug = $1 AND file_name = 'big.jsonl' ORDER BY id DESC LIMIT 1",
            [slug],
          )
        ).rows[0];
        if (row && row.rows_read > 0 && row.backend_pid !== null) return row;
        if (importer.child.exitCode !== null || Date.now() > deadline)
          throw new Error(`The import did not get under way:\n${(await importer.done).output}`);
        await sleep(50);
      }
    })();
    importer.child.kill("SIGKILL");
    const ended = await importer.done;
    expect(ended.signal).toBe("SIGKILL");

    // The imports API (what the import page polls) shows it FAILED within the bound.
    const killedAt = Date.now();
    let shown: { id: number; status: string; rowsRead: number; message: string | null } | undefined;
    while (Date.now() - killedAt < (STALE_AFTER_SECONDS + 15) * 1000) {
      const response = await fetch(`${app.url}/api/v1/studies/${slug}/imports`, { headers: { cookie } });
      expect(response.status).toBe(200);
      shown = ((await response.json()) as { jobs: NonNullable<typeof shown>[] }).jobs.find((j) => j.id === job.id);
      if (shown?.status !== "RUNNING") break;
      await sleep(500);
    }
    console.log(
      `importer killed at row ${job.rows_read}+; the imports API showed it FAILED after ${Date.now() - killedAt} ms`,
    );
    expect(shown?.status).toBe("FAILED");
    expect(shown?.rowsRead).toBeGreaterThan(0);
    expect(shown?.message).toBe(deadImportMessage(shown!.rowsRead));
    const page = await fetch(`${app.url}/studies/${slug}/import`, { headers: { cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("The import process stopped at row");

    // Nothing of it was written.
    expect(await count()).toBe(before);
    expect(
      (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM response WHERE import_job_id = $1", [job.id]))
        .rows[0]!.n,
    ).toBe(0);

    // The next import of the same study runs and succeeds.
    const small = path.join(folder, "small.jsonl");
    writeFileSync(small, rows(0, 300, "kill-ckpt"));
    const next = runImport(small, app.databaseUrl);
    const result = await next.done;
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/inserted\s+300/);
    expect(await count()).toBe(before + 300);
    const jobs = (
      (await (await fetch(`${app.url}/api/v1/studies/${slug}/imports`, { headers: { cookie } })).json()) as {
        jobs: { id: number; status: string }[];
      }
    ).jobs;
    expect(jobs.slice(0, 2).map((j) => [j.id === job.id ? "killed" : "next", j.status])).toEqual([
      ["next", "SUCCEEDED"],
      ["killed", "FAILED"],
    ]);
  });
});
