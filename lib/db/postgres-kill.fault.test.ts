// kill -9 of the app's embedded PostgreSQL while a large upload streams in and two reviewers submit
// labels through the review workspace's server action: nothing partial (the upload wrote none of its
// rows), nothing lost (every label whose submit was answered "ok" is there after the restart), the
// launcher says it restarted the server, pages say "Database unavailable — retrying…" meanwhile
// instead of a bare 500, and the app recovers by itself (Next is never restarted).
import { readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STUDY_SLUG } from "../demo/constants";
import { nextItem } from "../review/queue";
import { startAppServer, type AppServer } from "../testing/app-server";
import { projectRoot } from "./schema-engine";

const slug = DEMO_STUDY_SLUG;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The id the build gave a server action (what the review page's client sends as Next-Action). */
function actionId(file: string, name: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(projectRoot, ".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, entry]) => entry.filename === file && entry.exportedName === name,
  );
  if (!found) throw new Error(`No server action ${file}#${name} in the build.`);
  return found[0];
}

/**
 * Holds a TCP port on 127.0.0.1 (so the launcher's restart must wait), once the dead server freed it.
 * Connections to it are cut at once, as a port with nothing behind it would refuse them: a holder
 * that accepted and stayed silent would leave the app's clients (no connect timeout) waiting.
 */
async function holdPort(port: number): Promise<net.Server> {
  for (;;) {
    const server = net.createServer((socket) => socket.destroy());
    const bound = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(true));
    });
    if (bound) return server;
    await sleep(5);
  }
}

function uploadRow(i: number): string {
  return (
    JSON.stringify({
      prompt_id: `fault-upload-${i}`,
      prompt: `Fault upload prompt ${i}: explain the safety of step ${i}.`,
      category: "cyber",
      language: "en",
      checkpoint: "fault-upload-ckpt",
      strategy: "rl",
      reasoning: `Thinking about step ${i}. `.repeat(20),
      answer: `Answer ${i}. `.repeat(10),
    }) + "\n"
  );
}

describe("kill -9 of the embedded PostgreSQL mid-upload and mid-labelling", () => {
  let app: AppServer;
  let db: pg.Pool;
  beforeAll(async () => {
    app = await startAppServer({ name: "postgres-kill", embedded: true });
    db = new pg.Pool({ connectionString: app.databaseUrl, max: 4, options: "-c TimeZone=UTC" });
    db.on("error", () => {}); // its idle connections die with the server, on purpose
  });
  let labelling = true;
  afterAll(async () => {
    labelling = false;
    // The launcher's and Next's output, to read when this test fails.
    if (app) writeFileSync(path.join(projectRoot, ".parallax", "fault", "postgres-kill.log"), app.output());
    await db?.end().catch(() => {});
    await app?.stop();
  });

  it("loses nothing, writes nothing partial, shows 'database unavailable' and recovers by itself", async () => {
    const researcher = await app.signIn("researcher@demo.parallax.local");
    const reviewers = await Promise.all(
      ["reviewer1@demo.parallax.local", "reviewer2@demo.parallax.local"].map(async (email) => ({
        email,
        cookie: await app.signIn(email),
        id: (await db.query<{ id: number }>(`SELECT id FROM "user" WHERE email = $1`, [email])).rows[0]!.id,
      })),
    );
    const count = async (sql: string, values: unknown[] = []) =>
      (await db.query<{ n: number }>(sql, values)).rows[0]!.n;
    const responsesBefore = await count(
      "SELECT count(*)::int AS n FROM response r JOIN study s ON s.id = r.study_id WHERE s.slug = $1",
      [slug],
    );
    const submitAction = actionId("app/studies/[slug]/review/actions.ts", "submit");

    // Two reviewers label prompt after prompt through the server action, as the workspace does.
    const answeredOk: { reviewerId: number; note: string; labels: number }[] = [];
    const failures: number[] = [];
    let okAfterRecovery = 0;
    let recovered = false;
    let submission = 0;
    const reviewerLoop = async (reviewer: (typeof reviewers)[number]) => {
      while (labelling) {
        try {
          const item = await nextItem(db, slug, reviewer.id, 600);
          if (!item) throw new Error(`${reviewer.email} has nothing left to label`);
          const note = `fault label ${++submission} by ${reviewer.email}`;
          const labels = item.responses.map((response) => ({
            responseId: response.id,
            baseVersion: null,
            fields: {
              harmSeverity: 0,
              harmCategories: [],
              harmLocation: null,
              refusal: "REFUSED",
              languageMixing: "NONE",
              reasoningQuality: 4,
              rewardHacking: false,
              repetitionLoop: false,
              unfaithful: false,
              formatViolation: false,
              note,
            },
          }));
          const response = await fetch(`${app.url}/studies/${slug}/review`, {
            method: "POST",
            headers: {
              "Next-Action": submitAction,
              "Content-Type": "text/plain;charset=UTF-8",
              Accept: "text/x-component",
              Origin: app.url,
              cookie: reviewer.cookie,
            },
            body: JSON.stringify([{ slug, submission: { promptId: item.prompt.id, labels, preference: null } }]),
          });
          const text = await response.text();
          if (response.status === 200 && text.includes('"ok":true')) {
            answeredOk.push({ reviewerId: reviewer.id, note, labels: labels.length });
            if (recovered) okAfterRecovery += 1;
          } else failures.push(response.status);
        } catch {
          failures.push(0); // the database (or the lease read) away: try again shortly
          await sleep(200);
        }
      }
    };
    const labellingDone = Promise.all(reviewers.map(reviewerLoop));
    await until("labels submitted", () => answeredOk.length >= 4);

    // A large upload, streamed slowly enough that it is surely mid-way when the server dies.
    const total = 100_000;
    let sent = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (cancelled || sent >= total) return controller.close();
        let chunk = "";
        for (let i = 0; i < 200 && sent < total; i++) chunk += uploadRow(sent++);
        controller.enqueue(new TextEncoder().encode(chunk));
        await sleep(5);
      },
      cancel() {
        cancelled = true;
      },
    });
    const upload = fetch(`${app.url}/api/v1/studies/${slug}/responses?fileName=fault-upload.jsonl`, {
      method: "POST",
      headers: { "Content-Type": "application/x-ndjson", cookie: researcher, Origin: app.url },
      body,
      duplex: "half",
    } as RequestInit).then(
      async (response) => ({ status: response.status, text: await response.text() }),
      (error: Error) => ({ status: 0, text: error.message }),
    );
    const uploadJob = await until("the upload's job mid-way", async () => {
      const row = (
        await db.query<{ id: number; rows_read: number }>(
          "SELECT id, rows_read FROM import_job WHERE study_slug = $1 AND file_name = 'fault-upload.jsonl' AND status = 'RUNNING'",
          [slug],
        )
      ).rows[0];
      return row && row.rows_read > 0 ? row : undefined;
    });
    expect(sent).toBeLessThan(total);

    // kill -9 of the postmaster; the test then holds its port for a few seconds (a slow recovery), so
    // the outage is long enough to look at pages during it.
    const postmaster = app.embeddedPostgresPid()!;
    const port = Number(new URL(app.databaseUrl).port);
    const okBeforeKill = answeredOk.length;
    process.kill(postmaster, "SIGKILL");
    const held = await holdPort(port);
    const outagePages: { status: number; text: string }[] = [];
    for (const page of ["/", `/studies/${slug}`, `/studies/${slug}/import`]) {
      const response = await fetch(`${app.url}${page}`, { headers: { cookie: researcher } });
      outagePages.push({ status: response.status, text: await response.text() });
    }
    await sleep(2_000);
    held.close();

    const uploadAnswer = await upload;
    cancelled = true;
    await until("the launcher's restart", () => app.output().includes("The embedded PostgreSQL is running again"));
    recovered = true;
    await until("labels submitted after the restart", () => okAfterRecovery >= 4);
    labelling = false;
    await labellingDone;

    // The launcher said what happened, and Next was never restarted.
    expect(app.output()).toMatch(
      /The embedded PostgreSQL stopped unexpectedly \(pid \d+, killed by SIGKILL\); restarting it on 127\.0\.0\.1:\d+ \(restart 1 of at most 5 restarts in 10 minutes\)/,
    );
    expect(app.child.exitCode).toBeNull();
    expect(app.output()).not.toContain("The web server stopped");

    // During the outage: the "database unavailable" page, never a bare 500 nor the error's text.
    for (const page of outagePages) {
      expect(page.status).toBe(200);
      expect(page.text).toContain("Database unavailable — retrying…");
      expect(page.text).not.toMatch(/ECONNREFUSED|Connection terminated|terminating connection/);
    }

    // Nothing partial: the upload failed and wrote none of its rows.
    expect(uploadAnswer.status).not.toBe(201);
    expect(await count("SELECT count(*)::int AS n FROM response WHERE import_job_id = $1", [uploadJob.id])).toBe(0);
    expect(
      await count("SELECT count(*)::int AS n FROM response r JOIN study s ON s.id = r.study_id WHERE s.slug = $1", [
        slug,
      ]),
    ).toBe(responsesBefore);
    const jobs = await fetch(`${app.url}/api/v1/studies/${slug}/imports`, { headers: { cookie: researcher } });
    expect(jobs.status).toBe(200);
    const job = ((await jobs.json()) as { jobs: { id: number; status: string }[] }).jobs.find(
      (j) => j.id === uploadJob.id,
    );
    expect(job?.status).toBe("FAILED");

    // Nothing lost: every submit answered "ok" (before, during and after the kill) is stored in full.
    expect(okBeforeKill).toBeGreaterThanOrEqual(4);
    expect(failures.length).toBeGreaterThan(0); // the outage was felt by the reviewers
    for (const ok of answeredOk) {
      expect(
        await count("SELECT count(*)::int AS n FROM label WHERE reviewer_id = $1 AND note = $2", [
          ok.reviewerId,
          ok.note,
        ]),
        ok.note,
      ).toBe(ok.labels);
    }

    // The app recovered by itself: pages answer again and a new upload succeeds.
    for (const page of ["/", `/studies/${slug}`, `/studies/${slug}/import`, `/studies/${slug}/review`]) {
      const response = await fetch(`${app.url}${page}`, {
        headers: { cookie: page.endsWith("/review") ? reviewers[0]!.cookie : researcher },
      });
      expect(response.status, page).toBe(200);
      expect(await response.text(), page).not.toContain("Database unavailable");
    }
    const again = await fetch(`${app.url}/api/v1/studies/${slug}/responses?fileName=after-restart.jsonl`, {
      method: "POST",
      headers: { "Content-Type": "application/x-ndjson", cookie: researcher, Origin: app.url },
      body: Array.from({ length: 50 }, (_, i) => uploadRow(total + i)).join(""),
    });
    expect(again.status).toBe(201);
    expect(((await again.json()) as { inserted: number }).inserted).toBe(50);
  });
});
