// `npm run bench -- queue [--prompts N] [--reviewers N] [--overlap N] [--seconds N] [--done F] [--think-ms N]`:
// the review queue under load. A study of N prompts × 3 responses (written with INSERT … SELECT
// generate_series), optionally a share F of it already reviewed, then R reviewers at once — each on
// a connection of its own — loop "next item" → "submit" for the given time, with no pause (the
// worst case: the machine saturated) or with a random pause around --think-ms (people). Prints
// p50/p95/p99 of the server time of both calls (target p95 < 100 ms), then checks the result:
// double assignments (a prompt served to more reviewers than the overlap) and lost labels
// (submitted but not stored as submitted); target zero and zero.
import { parseArgs } from "node:util";
import type pg from "pg";
import { createPool } from "../db/client";
import { createReviewStudy, submissionFor } from "../review/fixtures";
import { reviewerProgress } from "../review/progress";
import { nextItem } from "../review/queue";
import { submitPrompt } from "../review/submit";
import { openBenchDatabase } from "./bench-database";

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function line(name: string, times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(1).padStart(7);
  console.log(
    `${name.padEnd(8)} ${String(sorted.length).padStart(7)} calls  p50 ${f(percentile(sorted, 50))} ms  p95 ${f(percentile(sorted, 95))} ms  p99 ${f(percentile(sorted, 99))} ms  max ${f(sorted.at(-1) ?? NaN)} ms`,
  );
}

export async function benchQueue(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      prompts: { type: "string", default: "100000" },
      reviewers: { type: "string", default: "20" },
      overlap: { type: "string", default: "1" },
      seconds: { type: "string", default: "60" },
      done: { type: "string", default: "0" },
      "think-ms": { type: "string", default: "0" },
    },
  });
  const prompts = Number(values.prompts);
  const reviewerCount = Number(values.reviewers);
  const overlap = Number(values.overlap);
  const seconds = Number(values.seconds);
  const doneShare = Number(values.done);
  const thinkMs = Number(values["think-ms"]);
  const db = await openBenchDatabase();
  const admin = createPool(db.url, 2, { statementTimeoutMs: 0 }); // loading the study is not an interactive query
  const pools: pg.Pool[] = [];
  try {
    console.log(`Database: ${db.describe}. Loading ${prompts.toLocaleString("en-US")} prompts × 3 responses…`);
    let t = performance.now();
    const f = await createReviewStudy(admin, { slug: "bench-queue", prompts, reviewers: reviewerCount, overlap });
    console.log(`Study written in ${((performance.now() - t) / 1000).toFixed(1)} s.`);
    if (doneShare > 0) {
      // Earlier reviewers (not the benchmark's) have already completed the first share of prompts.
      const earlier = await admin.query<{ id: number }>(
        `INSERT INTO "user" (email, role, updated_at) SELECT 'earlier-' || n || '@example.test', 'REVIEWER', now() FROM generate_series(1, $1::int) n RETURNING id`,
        [overlap],
      );
      await admin.query(
        `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, submitted_at, updated_at)
         SELECT $1, r.id, e.id, 0, now(), now()
           FROM response r JOIN prompt p ON p.id = r.prompt_id CROSS JOIN unnest($2::int[]) e(id)
          WHERE r.study_id = $1 AND p.id < (SELECT min(id) FROM prompt WHERE study_id = $1) + $3`,
        [f.studyId, earlier.rows.map((r) => r.id), Math.floor(prompts * doneShare)],
      );
    }
    const loaded = performance.now();
    await admin.query("VACUUM ANALYZE");
    console.log(`VACUUM ANALYZE ${((performance.now() - loaded) / 1000).toFixed(1)} s.`);
    console.log(
      `Loaded in ${((performance.now() - t) / 1000).toFixed(1)} s. ${reviewerCount} reviewers, overlap ${overlap}, ${seconds} s of next → submit ${thinkMs > 0 ? `with ~${thinkMs} ms of labelling between` : "without pause"}…`,
    );

    for (let i = 0; i < reviewerCount; i++) {
      const pool = createPool(db.url, 1);
      // Dropping the benchmark database at the end ends idle connections: not an error here.
      pool.on("error", () => undefined);
      pools.push(pool);
    }
    const nextTimes: number[] = [];
    const submitTimes: number[] = [];
    // The first round of each connection prepares its statements and compiles the SQL functions;
    // an app's pool keeps its connections, so these are shown apart.
    const firstTimes: number[] = [];
    const served = new Map<number, Set<number>>();
    const submitted: { reviewer: number; promptId: number; labels: number }[] = [];
    let errors = 0;
    const deadline = performance.now() + seconds * 1000;
    t = performance.now();
    await Promise.all(
      f.reviewerIds.map(async (reviewer, i) => {
        const pool = pools[i]!;
        let first = true;
        while (performance.now() < deadline) {
          let started = performance.now();
          const item = await nextItem(pool, f.slug, reviewer, 1800);
          (first ? firstTimes : nextTimes).push(performance.now() - started);
          if (!item) return;
          const holders = served.get(item.prompt.id) ?? new Set<number>();
          served.set(item.prompt.id, holders.add(reviewer));
          started = performance.now();
          const result = await submitPrompt(pool, f.slug, reviewer, submissionFor(item, { note: `bench ${reviewer}` }));
          (first ? firstTimes : submitTimes).push(performance.now() - started);
          first = false;
          if (result.ok) submitted.push({ reviewer, promptId: item.prompt.id, labels: result.saved.length });
          else errors++;
          if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + Math.random())));
        }
      }),
    );
    const elapsed = (performance.now() - t) / 1000;
    console.log("");
    line("next", nextTimes);
    line("submit", submitTimes);
    line("first", firstTimes);
    console.log(
      "(first: the first next and submit of each connection, which prepare its statements; not in the lines above)",
    );
    console.log(
      `${submitted.length.toLocaleString("en-US")} prompts submitted in ${elapsed.toFixed(1)} s (${(submitted.length / elapsed).toFixed(0)} per second)${errors ? `, ${errors} submits refused` : ""}.`,
    );

    const doubleServed = [...served.values()].filter((s) => s.size > overlap).length;
    const { rows: over } = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM prompt_review_state WHERE study_id = $1 AND completed_reviewers > $2",
      [f.studyId, overlap],
    );
    const { rows: stored } = await admin.query<{ prompt_id: number; reviewer_id: number; n: number }>(
      `SELECT r.prompt_id, l.reviewer_id, count(*)::int AS n
         FROM label l JOIN response r ON r.id = l.response_id
        WHERE l.study_id = $1 AND l.reviewer_id = ANY ($2::int[]) AND l.submitted_at IS NOT NULL AND l.note = 'bench ' || l.reviewer_id
        GROUP BY r.prompt_id, l.reviewer_id`,
      [f.studyId, f.reviewerIds],
    );
    const storedBy = new Map(stored.map((r) => [`${r.prompt_id}:${r.reviewer_id}`, r.n]));
    const lost = submitted.reduce(
      (sum, s) => sum + Math.max(0, s.labels - (storedBy.get(`${s.promptId}:${s.reviewer}`) ?? 0)),
      0,
    );
    const storedTotal = stored.reduce((sum, r) => sum + r.n, 0);
    const submittedTotal = submitted.reduce((sum, s) => sum + s.labels, 0);
    console.log(
      `double assignments: ${doubleServed} prompts served to more than ${overlap} reviewer(s); ${over[0]!.n} prompts with more complete reviewers than the overlap (target 0)`,
    );
    console.log(
      `lost labels: ${lost} (submitted ${submittedTotal.toLocaleString("en-US")}, stored ${storedTotal.toLocaleString("en-US")}; target 0)`,
    );

    const progressTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await reviewerProgress(admin, f.slug, f.reviewerIds[0]!);
      progressTimes.push(performance.now() - started);
    }
    line("progress", progressTimes);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await admin.end();
    await db.close();
  }
}
