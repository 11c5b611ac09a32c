// `npm run bench -- analytics [--responses N] [--labels N]`: server time of the analytics page's
// data (failure rates by strategy, category, split and checkpoint; score distributions; agreement;
// the significance table) on a study of N responses and N labels, median of several runs.
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { createPool } from "../db/client";
import { failureRatesByStrategy } from "../analytics/failure-rates";
import { scoreDistribution } from "../analytics/label-distributions";
import { reviewerAgreement } from "../analytics/reviewer-agreement";
import { strategyDifferences } from "../analytics/strategy-differences";
import { importResponses } from "../import/pipeline";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { openBenchDatabase } from "./bench-database";

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
      prompt_id: `p${p}`, prompt: `Prompt ${p}`, category: CATEGORIES[p % CATEGORIES.length], split: SPLITS[p % SPLITS.length],
      expected_behavior: p % CATEGORIES.length === 7 ? "comply" : "refuse",
      checkpoint: `ckpt-${c}`, strategy: STRATEGIES[c % 4], training_step: 1000 * (1 + Math.floor(c / 4)),
      reasoning: `Reasoning ${i}`, answer: `Answer ${i}`,
    }) + "\n";
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchAnalytics(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { responses: { type: "string", default: "1000000" }, labels: { type: "string", default: "200000" }, runs: { type: "string", default: "5" } } });
  const responses = Number(values.responses);
  const labels = Number(values.labels);
  const db = await openBenchDatabase();
  const pool = createPool(db.url, 4);
  try {
    console.log(`Database: ${db.describe}. Loading ${responses.toLocaleString("en-US")} responses and ${labels.toLocaleString("en-US")} labels…`);
    async function* chunks() {
      let chunk = "";
      for (const line of rows(responses)) {
        chunk += line;
        if (chunk.length > 1 << 20) {
          yield Buffer.from(chunk);
          chunk = "";
        }
      }
      yield Buffer.from(chunk);
    }
    const { studyId } = await importResponses(pool, { studySlug: "bench-analytics", createStudyName: "Analytics benchmark", fileName: "bench.jsonl", source: Readable.from(chunks()) });
    const reviewers = await pool.query<{ id: number }>(
      `INSERT INTO "user" (email, role, updated_at) SELECT 'analytics-reviewer-' || g || '@example.test', 'REVIEWER', now() FROM generate_series(1, 10) g RETURNING id`,
    );
    // Two reviewers on each labelled response (labels / 2 responses spread over the study).
    await pool.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, language_mixing, reasoning_quality, refusal, reward_hacking, submitted_at, updated_at)
       SELECT $1, r.id, ($2::int[])[1 + (r.id + k) % 10], (r.id * 7 + k) % 4,
              (ARRAY['NONE','NONE','REASONING','BOTH'])[1 + (r.id + k * 3) % 4]::"LanguageMixing", 1 + (r.id * 3 + k) % 5,
              (ARRAY['COMPLIED','PARTIAL','REFUSED'])[1 + (r.id + k) % 3]::"RefusalKind", (r.id + k) % 9 = 0, now(), now()
       FROM (SELECT id FROM response WHERE study_id = $1 AND id % $4 = 0 LIMIT $3) r CROSS JOIN generate_series(0, 1) k`,
      [studyId, reviewers.rows.map((r) => r.id), Math.ceil(labels / 2), Math.max(1, Math.floor(responses / (labels / 2)))],
    );
    await pool.query("VACUUM ANALYZE");
    const counts = await pool.query<{ responses: string; labels: string }>(
      "SELECT (SELECT count(*) FROM response WHERE study_id = $1) AS responses, (SELECT count(*) FROM label WHERE study_id = $1) AS labels",
      [studyId],
    );
    console.log(`Study: ${Number(counts.rows[0]!.responses).toLocaleString("en-US")} responses, ${Number(counts.rows[0]!.labels).toLocaleString("en-US")} labels.`);

    const parts: Record<string, () => Promise<unknown>> = {
      "failure rates by strategy": async () => strategyDifferences(await failureRatesByStrategy(pool, studyId!, DEFAULT_FAILURE_RULES)),
      "by category": () => failureRatesByStrategy(pool, studyId!, DEFAULT_FAILURE_RULES, {}, "category"),
      "by split": () => failureRatesByStrategy(pool, studyId!, DEFAULT_FAILURE_RULES, {}, "split"),
      "by checkpoint (steps, compute)": () => failureRatesByStrategy(pool, studyId!, DEFAULT_FAILURE_RULES, {}, "checkpoint"),
      "severity distribution": () => scoreDistribution(pool, studyId!, "harmSeverity"),
      "quality distribution": () => scoreDistribution(pool, studyId!, "reasoningQuality"),
      "reviewer agreement": () => reviewerAgreement(pool, studyId!),
    };
    const runs = Number(values.runs);
    const timings: Record<string, number[]> = {};
    const totals: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      // As the page does: all questions at once, on the pool's connections.
      await Promise.all(
        Object.entries(parts).map(async ([name, part]) => {
          const t = performance.now();
          await part();
          (timings[name] ??= []).push(performance.now() - t);
        }),
      );
      totals.push(performance.now() - started);
    }
    console.log("");
    for (const [name, times] of Object.entries(timings)) console.log(`${name.padEnd(32)} ${median(times).toFixed(0).padStart(6)} ms (median of ${runs})`);
    console.log(`${"whole analytics page data".padEnd(32)} ${median(totals).toFixed(0).padStart(6)} ms (median of ${runs}; target < 500 ms)`);
  } finally {
    await pool.end();
    await db.close();
  }
}
