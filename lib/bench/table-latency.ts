// `npm run bench -- table [--responses N] [--labels N] [--runs N]`: server time of one page of the
// browse table (lib/browse) on a study of N responses and N labels — first and deep pages in each
// sort order, filters, failures and full-text searches — median of several runs; and how fast the
// search documents are written after the import.
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { createPool } from "../db/client";
import { parseBrowseParams, type BrowseParams, type Cursor } from "../browse/browse-params";
import { browseResponses } from "../browse/browse-responses";
import { indexStudySearch, searchCoverage } from "../browse/search-index";
import { importResponses } from "../import/pipeline";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { openBenchDatabase } from "./bench-database";
import { lineChunks } from "./line-chunks";

const STRATEGIES = ["sft", "rl", "hybrid", "base"];
const CATEGORIES = ["violence", "weapons", "cyber", "self-harm", "hate", "drugs", "fraud", "benign"];
const SPLITS = ["in-distribution", "out-of-distribution", "jailbreak", "multilingual"];
const WORDS =
  "the model should weigh harm against help before it answers and explain its reasoning step by step with care".split(
    " ",
  );

/** About 400 characters of reasoning with a rare word in one response of 5,000 (the search's needle). */
function* rows(responses: number) {
  const checkpoints = 12;
  const prompts = Math.ceil(responses / checkpoints);
  for (let i = 0; i < responses; i++) {
    const p = i % prompts;
    const c = Math.floor(i / prompts);
    let reasoning = `Step ${i}:`;
    for (let w = 0; reasoning.length < 400; w++) reasoning += " " + WORDS[(i * 7 + w * 3) % WORDS.length];
    if (i % 5000 === 17) reasoning += " thermite";
    yield JSON.stringify({
      prompt_id: `p${p}`,
      prompt: `Prompt ${p} about ${CATEGORIES[p % CATEGORIES.length]}`,
      category: CATEGORIES[p % CATEGORIES.length],
      split: SPLITS[p % SPLITS.length],
      expected_behavior: p % CATEGORIES.length === 7 ? "comply" : "refuse",
      checkpoint: `ckpt-${c}`,
      strategy: STRATEGIES[c % 4],
      training_step: 1000 * (1 + Math.floor(c / 4)),
      reasoning,
      answer: `Answer ${i}: ${i % 3 ? "I cannot help with that." : "Here is a general overview."}`,
    }) + "\n";
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function view(query: Record<string, string>): BrowseParams {
  const parsed = parseBrowseParams(query);
  if (!parsed.ok) throw new Error(parsed.errors.join(" "));
  return parsed.params;
}

export async function benchTable(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      responses: { type: "string", default: "1000000" },
      labels: { type: "string", default: "200000" },
      runs: { type: "string", default: "5" },
    },
  });
  const responses = Number(values.responses);
  const labels = Number(values.labels);
  const db = await openBenchDatabase();
  const pool = createPool(db.url, 4, { statementTimeoutMs: 0 }); // loading a million rows is not an interactive query
  try {
    console.log(
      `Database: ${db.describe}. Loading ${responses.toLocaleString("en-US")} responses and ${labels.toLocaleString("en-US")} labels…`,
    );
    // No automatic signals: the benchmark sets mixing scores on a third of the responses itself.
    const imported = await importResponses(pool, {
      studySlug: "bench-table",
      createStudyName: "Table benchmark",
      fileName: "bench.jsonl",
      signals: false,
      source: Readable.from(lineChunks(rows(responses))),
    });
    const studyId = imported.studyId!;
    console.log(`Imported in ${imported.seconds.toFixed(1)} s.`);
    const indexStarted = performance.now();
    const documents = await indexStudySearch(pool, studyId);
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    console.log(
      `Search documents: ${documents?.toLocaleString("en-US")} in ${indexSeconds.toFixed(1)} s (${Math.round((documents ?? 0) / indexSeconds).toLocaleString("en-US")} per second, after the import).`,
    );

    const reviewers = await pool.query<{ id: number }>(
      `INSERT INTO "user" (email, role, updated_at) SELECT 'table-reviewer-' || g || '@example.test', 'REVIEWER', now() FROM generate_series(1, 10) g RETURNING id`,
    );
    await pool.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, language_mixing, reasoning_quality, refusal, submitted_at, updated_at)
       SELECT $1, r.id, ($2::int[])[1 + (r.id + k) % 10], (r.id * 7 + k) % 4,
              (ARRAY['NONE','NONE','REASONING','BOTH'])[1 + (r.id + k * 3) % 4]::"LanguageMixing", 1 + (r.id * 3 + k) % 5,
              (ARRAY['COMPLIED','PARTIAL','REFUSED'])[1 + (r.id + k) % 3]::"RefusalKind", now(), now()
       FROM (SELECT id FROM response WHERE study_id = $1 AND id % $4 = 0 LIMIT $3) r CROSS JOIN generate_series(0, 1) k`,
      [
        studyId,
        reviewers.rows.map((r) => r.id),
        Math.ceil(labels / 2),
        Math.max(1, Math.floor(responses / (labels / 2))),
      ],
    );
    // Mixing scores on a third of the responses, as the analysis leaves them.
    await pool.query("UPDATE response SET mix_score = (id % 97) / 100.0 WHERE study_id = $1 AND id % 3 = 0", [studyId]);
    await pool.query("VACUUM ANALYZE");

    // Cursors 90% of the way down each order: a deep page, as reached by following "next".
    const deep = async (sql: string, share = 0.9): Promise<Cursor> =>
      [0, ...Object.values((await pool.query(sql, [studyId, Math.floor(responses * share)])).rows[0]!)] as Cursor;
    const deepId = await deep("SELECT id FROM response WHERE study_id = $1 ORDER BY id OFFSET $2 LIMIT 1");
    const deepPrompt = await deep(
      "SELECT prompt_id, checkpoint_id, sample_index FROM response WHERE study_id = $1 ORDER BY prompt_id, checkpoint_id, sample_index OFFSET $2 LIMIT 1",
    );
    // A third of the responses have a score: 90 % of the way down the scored ones, and deep among the others.
    const deepMix = await deep(
      "SELECT mix_score::float8 AS m, id FROM response WHERE study_id = $1 AND mix_score IS NOT NULL ORDER BY mix_score DESC, id DESC OFFSET $2 LIMIT 1",
      0.3,
    );
    const deepUnscored = [
      1,
      ...(
        await deep(
          "SELECT id FROM response WHERE study_id = $1 AND mix_score IS NULL ORDER BY id DESC OFFSET $2 LIMIT 1",
          0.6,
        )
      ).slice(1),
    ] as Cursor;

    const cases: Record<string, BrowseParams> = {
      "first page (import order)": view({}),
      "deep page (import order, 90%)": { ...view({}), after: deepId },
      "first page by prompt": view({ sort: "prompt" }),
      "deep page by prompt (90%)": { ...view({ sort: "prompt" }), after: deepPrompt },
      "first page by mixing score": view({ sort: "mix_score" }),
      "deep page by mixing score (90%)": { ...view({ sort: "mix_score" }), after: deepMix },
      "previous page (by mixing score)": { ...view({ sort: "mix_score" }), before: deepMix },
      "deep page by mixing score, not analysed": { ...view({ sort: "mix_score" }), after: deepUnscored },
      "back across analysed / not analysed": { ...view({ sort: "mix_score" }), before: [1, 2_147_483_647] },
      "strategy + category + split": view({ strategy: "rl", category: "cyber", split: "jailbreak" }),
      "labelled only": view({ labelled: "yes" }),
      "failure: harmful": view({ failure: "harmful" }),
      "failure: over-refusal, benign": view({ failure: "over_refusal", category: "benign" }),
      "search, common word": view({ q: "harm" }),
      "search, rare word": view({ q: "thermite" }),
      "search + strategy, by mixing score": view({ q: "careful OR care", strategy: "hybrid", sort: "mix_score" }),
      "100 rows per page": view({ size: "100" }),
    };
    const runs = Number(values.runs);
    console.log("");
    let worst = 0;
    for (const [name, params] of Object.entries(cases)) {
      const times: number[] = [];
      let shown = 0;
      let total = "";
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        const result = await browseResponses(pool, studyId, params, DEFAULT_FAILURE_RULES);
        times.push(performance.now() - started);
        shown = result.rows.length;
        total =
          result.total === null
            ? "(count over budget)"
            : `${result.total.toLocaleString("en-US")}${result.totalCapped ? "+" : ""}`;
      }
      worst = Math.max(worst, median(times));
      console.log(
        `${name.padEnd(36)} ${median(times).toFixed(0).padStart(6)} ms   ${String(shown).padStart(3)} rows of ${total}`,
      );
    }
    const coverage: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await searchCoverage(pool, studyId);
      coverage.push(performance.now() - started);
    }
    console.log(`${"search coverage check (every page)".padEnd(36)} ${median(coverage).toFixed(0).padStart(6)} ms`);
    console.log(`\nslowest page: ${worst.toFixed(0)} ms (median of ${runs}; target < 200 ms, plus the coverage check)`);
  } finally {
    await pool.end();
    await db.close();
  }
}
