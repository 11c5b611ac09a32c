// `npm run bench -- analytics [--responses N] [--labels N] [--runs N] [--reuse URL]`: server time of
// the analytics page's data (studyAnalytics: failure rates by strategy, category, split and
// checkpoint; score distributions; agreement between reviewers and between imported and reviewed
// labels; signals against labels; the significance table) on a study of N responses and N labels,
// without filters, with a filter on the labels' source, on responses (strategy), on reviewers and
// on dates; median of several runs.
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { createPool } from "../db/client";
import { databaseBackendsCpuSeconds } from "./server-cpu";
import type pg from "pg";
import { failureRatesByGroupings } from "../analytics/failure-rates";
import { judgedAnswers } from "../analytics/judged-answers";
import type { AnalyticsFilters } from "../analytics/filters";
import { scoreDistributions } from "../analytics/label-distributions";
import { pairedAnalytics } from "../analytics/paired-comparisons";
import { reviewerAgreement } from "../analytics/reviewer-agreement";
import { signalAgreement } from "../analytics/signal-agreement";
import { sourceAgreement } from "../analytics/source-agreement";
import { onConnection, studyAnalytics } from "../analytics/study-analytics";
import { applyMigrations } from "../db/schema-engine";
import { importResponses } from "../import/pipeline";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { openBenchDatabase } from "./bench-database";
import { lineChunks } from "./line-chunks";

const STRATEGIES = ["sft", "rl", "hybrid", "base"];
const CATEGORIES = ["violence", "weapons", "cyber", "self-harm", "hate", "drugs", "fraud", "benign"];
const SPLITS = ["in-distribution", "out-of-distribution", "jailbreak", "multilingual"];

/** Short responses: this measures aggregation, not text volume. */
function* rows(responses: number) {
  const checkpoints = 12;
  const prompts = Math.ceil(responses / checkpoints);
  for (let i = 0; i < responses; i++) {
    const p = i % prompts;
    const c = Math.floor(i / prompts);
    yield JSON.stringify({
      prompt_id: `p${p}`,
      prompt: `Prompt ${p}`,
      category: CATEGORIES[p % CATEGORIES.length],
      split: SPLITS[p % SPLITS.length],
      expected_behavior: p % CATEGORIES.length === 7 ? "comply" : "refuse",
      checkpoint: `ckpt-${c}`,
      strategy: STRATEGIES[c % 4],
      training_step: 1000 * (1 + Math.floor(c / 4)),
      reasoning: `Reasoning ${i}`,
      answer: `Answer ${i}`,
    }) + "\n";
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Two reviewers on each labelled response (labels / 2 responses spread over the study, every
 * $4-th): the n-th labelled response gets reviewers n and n + 3 of the ten (ten pairs of
 * reviewers); the first label of every tenth response is imported (a tenth of the responses have
 * an imported and a reviewed-here label, for that comparison); labels were submitted over 61 days
 * from 2026-09-01 (DATE_RANGE selects about half).
 */
export async function insertLabels(
  pool: pg.Pool,
  studyId: number,
  reviewerIds: number[],
  labels: number,
  responses: number,
) {
  await pool.query(
    `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, language_mixing, reasoning_quality, refusal, reward_hacking, source, submitted_at, updated_at)
     SELECT $1, r.id, ($2::int[])[1 + (r.id / $4 + 3 * k) % 10], (r.id * 7 + k) % 4,
            (ARRAY['NONE','NONE','REASONING','BOTH'])[1 + (r.id + k * 3) % 4]::"LanguageMixing", 1 + (r.id * 3 + k) % 5,
            (ARRAY['COMPLIED','PARTIAL','REFUSED'])[1 + (r.id + k) % 3]::"RefusalKind", (r.id + k) % 9 = 0,
            CASE WHEN k = 0 AND (r.id / $4) % 10 = 0 THEN 'IMPORT' ELSE 'REVIEW' END::"LabelSource",
            timestamp '2026-09-01' + ((r.id / $4 + 17 * k) % 61) * interval '1 day', now()
     FROM (SELECT id FROM response WHERE study_id = $1 AND id % $4 = 0 LIMIT $3) r CROSS JOIN generate_series(0, 1) k`,
    [studyId, reviewerIds, Math.ceil(labels / 2), Math.max(1, Math.floor(responses / (labels / 2)))],
  );
}

async function loadStudy(pool: pg.Pool, responses: number, labels: number): Promise<number> {
  const { studyId } = await importResponses(pool, {
    studySlug: "bench-analytics",
    createStudyName: "Analytics benchmark",
    fileName: "bench.jsonl",
    source: Readable.from(lineChunks(rows(responses))),
  });
  const reviewers = await pool.query<{ id: number }>(
    `INSERT INTO "user" (email, role, updated_at) SELECT 'analytics-reviewer-' || g || '@example.test', 'REVIEWER', now() FROM generate_series(1, 10) g RETURNING id`,
  );
  await insertLabels(
    pool,
    studyId!,
    reviewers.rows.map((r) => r.id),
    labels,
    responses,
  );
  // Automatic signals on the labelled responses, about 1 KB each as `analyze` writes them, so that
  // the signals-against-labels comparison reads what it reads in a real study.
  await pool.query(
    `UPDATE response r SET signals = jsonb_build_object(
       'version', 3, 'promptLanguage', 'en', 'mixing', (ARRAY['NONE','REASONING','ANSWER','BOTH'])[1 + r.id % 4],
       'reasoning', jsonb_build_object('dominant', 'en', 'languages', jsonb_build_array(jsonb_build_object('lang', 'en', 'share', 0.93), jsonb_build_object('lang', 'zh', 'share', 0.07)),
          'spans', (SELECT jsonb_agg(jsonb_build_object('start', g * 40, 'end', g * 40 + 12, 'lang', 'zh')) FROM generate_series(1, 1 + r.id % 12) g), 'mixScore', 0.07, 'weight', 812),
       'answer', jsonb_build_object('dominant', 'en', 'languages', jsonb_build_array(jsonb_build_object('lang', 'en', 'share', 1)), 'spans', '[]'::jsonb, 'mixScore', 0, 'weight', 120),
       'hints', CASE WHEN r.id % 7 = 0 THEN '[{"kind": "repetition_loop", "part": "reasoning", "repeats": 6, "sample": "so the answer is"}]'::jsonb ELSE '[]'::jsonb END),
       refusal_signal = (ARRAY['COMPLIED','PARTIAL','REFUSED'])[1 + r.id % 3]::"RefusalKind", mix_score = (r.id % 10) / 10.0
     WHERE r.study_id = $1 AND r.id IN (SELECT response_id FROM label WHERE study_id = $1)`,
    [studyId],
  );
  await pool.query("VACUUM ANALYZE");
  return studyId!;
}

export async function benchAnalytics(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      responses: { type: "string", default: "1000000" },
      labels: { type: "string", default: "200000" },
      runs: { type: "string", default: "5" },
      // A database kept by an earlier run (PARALLAX_BENCH_KEEP=1): measure again without loading.
      reuse: { type: "string" },
    },
  });
  const responses = Number(values.responses);
  const labels = Number(values.labels);
  const db = values.reuse
    ? { url: values.reuse, describe: values.reuse, close: async () => {} }
    : await openBenchDatabase();
  if (values.reuse) await applyMigrations(values.reuse);
  const pool = createPool(db.url, 10, { statementTimeoutMs: 0 }); // loading a million rows (VACUUM ANALYZE included) is not an interactive query
  try {
    let studyId: number;
    if (values.reuse) {
      studyId = (await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = 'bench-analytics'")).rows[0]!.id;
      await pool.query("VACUUM ANALYZE");
    } else {
      console.log(
        `Database: ${db.describe}. Loading ${responses.toLocaleString("en-US")} responses and ${labels.toLocaleString("en-US")} labels…`,
      );
      studyId = await loadStudy(pool, responses, labels);
    }
    const counts = await pool.query<{ responses: string; labels: string }>(
      "SELECT (SELECT count(*) FROM response WHERE study_id = $1) AS responses, (SELECT count(*) FROM label WHERE study_id = $1) AS labels",
      [studyId],
    );
    console.log(
      `Study: ${Number(counts.rows[0]!.responses).toLocaleString("en-US")} responses, ${Number(counts.rows[0]!.labels).toLocaleString("en-US")} labels.`,
    );

    const rules = DEFAULT_FAILURE_RULES;
    // Each question on a connection set up as the page sets up its own (onConnection).
    const parts: Record<string, (filters: AnalyticsFilters) => Promise<unknown>> = {
      "rates + signals + paired, one pass": (f) =>
        onConnection(pool, (c) => judgedAnswers(c, studyId, rules, f, ["strategy", "category", "split", "checkpoint"])),
      "score distributions": (f) => onConnection(pool, (c) => scoreDistributions(c, studyId, f)),
      "reviewer agreement": (f) => onConnection(pool, (c) => reviewerAgreement(c, studyId, f)),
      "imported vs reviewed here": (f) => onConnection(pool, (c) => sourceAgreement(c, studyId, f)),
    };
    // Each of the one pass's questions alone, as their own statements (for comparison).
    const alone: Record<string, (filters: AnalyticsFilters) => Promise<unknown>> = {
      "  failure rates alone": (f) =>
        onConnection(pool, (c) =>
          failureRatesByGroupings(c, studyId, rules, f, ["strategy", "category", "split", "checkpoint"]),
        ),
      "  signals vs labels alone": (f) => onConnection(pool, (c) => signalAgreement(c, studyId, f)),
      "  per checkpoint + paired alone": (f) => onConnection(pool, (c) => pairedAnalytics(c, studyId, rules, f)),
    };
    const runs = Number(values.runs);
    // Three reviewers of whom some pairs labelled the same responses (the n-th response has reviewers n and n + 3).
    const reviewerIds = (
      await pool.query<{ id: number }>("SELECT DISTINCT reviewer_id AS id FROM label WHERE study_id = $1 ORDER BY 1", [
        studyId,
      ])
    ).rows
      .map((r) => r.id)
      .filter((_, i) => i % 3 === 0)
      .slice(0, 3);
    const views: [string, AnalyticsFilters][] = [
      ["no filters", {}],
      ["a label filter (source = review)", { source: "REVIEW" }],
      ["a response filter (strategy = RL)", { strategies: ["RL"] }],
      ["a reviewer filter (3 of 10 reviewers)", { reviewerIds }],
      [
        "a date range (October: about half the labels)",
        { from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") },
      ],
      // The worst case for a label filter once: every label selected (now read from stored judgements).
      [
        "a date range with every label (worst case)",
        { from: new Date("2026-09-01T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") },
      ],
    ];
    // CPU as well as wall time: on a machine busy with other work the wall time says little, while
    // the CPU the server's backends and this process spend on a question does not depend on the load.
    const database = (await pool.query<{ name: string }>("SELECT current_database() AS name")).rows[0]!.name;
    const measure = async (work: () => Promise<unknown>) => {
      const server = await databaseBackendsCpuSeconds(pool, database);
      const node = process.cpuUsage();
      const t = performance.now();
      await work();
      const wall = performance.now() - t;
      const nodeUsed = process.cpuUsage(node);
      return {
        wall,
        server: ((await databaseBackendsCpuSeconds(pool, database)) - server) * 1000,
        node: (nodeUsed.user + nodeUsed.system) / 1000,
      };
    };
    const ms = (value: number) => (Number.isNaN(value) ? "   n/a" : value.toFixed(0).padStart(6));
    for (const [view, filters] of views) {
      console.log(`\n${view}:`);
      // Each question alone, one after the other.
      let longest = 0;
      for (const [name, part] of Object.entries({ ...parts, ...alone })) {
        // Three runs first, not counted: a server answers pages warm (the first calls of a question
        // compile and then optimise its JavaScript, hundreds of milliseconds of CPU in Node).
        for (let warm = 0; warm < 3; warm++) await part(filters);
        const runsOf = [];
        for (let run = 0; run < runs; run++) runsOf.push(await measure(() => part(filters)));
        const cpu = median(runsOf.map((r) => r.server)) + median(runsOf.map((r) => r.node));
        if (name in parts) longest = Math.max(longest, cpu);
        console.log(
          `  ${name.padEnd(36)} ${ms(median(runsOf.map((r) => r.wall)))} ms alone; CPU ${ms(median(runsOf.map((r) => r.server)))} ms server + ${ms(median(runsOf.map((r) => r.node)))} ms Node`,
        );
      }
      // The page's own call: every question at once, each on its own pool connection.
      const page = [];
      for (let warm = 0; warm < 3; warm++) await studyAnalytics(studyId, filters, pool);
      for (let run = 0; run < runs; run++) page.push(await measure(() => studyAnalytics(studyId, filters, pool)));
      const pageCpu = median(page.map((r) => r.server)) + median(page.map((r) => r.node));
      console.log(
        `  ${"whole analytics page data".padEnd(36)} ${ms(median(page.map((r) => r.wall)))} ms (median of ${runs}; target < 500 ms); CPU ${ms(pageCpu)} ms in all`,
      );
      // Its questions run side by side: on two idle cores it takes at least half its CPU, and at least its longest question.
      console.log(
        `  ${"  on 2 idle cores, at least".padEnd(36)} ${ms(Math.max(pageCpu / 2, longest))} ms (CPU / 2, or the longest question's CPU)`,
      );
    }
  } finally {
    await pool.end();
    await db.close();
  }
}
