// The command-line side of the automatic signals: `analyze --study SLUG` (recompute, with progress)
// and `evaluate-signals --study SLUG` (agreement with the human labels, as a table).
import { COMMAND_LINE_VIEWER } from "../study/access";
import { studyBySlug } from "../study/study-by-slug";
import { parseArgs } from "node:util";
import type pg from "pg";
import type { ScoredMetrics } from "./testset/real/score-real";

export const ANALYZE_USAGE = `analyze --study SLUG  Recompute the automatic signals of every response of a study.
  evaluate-signals --study SLUG
                       Compare each automatic signal with the study's human labels (majority per
                       response): precision, recall, F1 and confusion counts.
  evaluate-signals --testset real [--split all|tune|holdout] [--set sample|full]
                       Score the signals on real model output (sources in
                       lib/analysis/testset/real/SOURCES.md): refusal against JailbreakBench's
                       verdicts, next to the string-match baseline; language mixing against the
                       project's hand labels, per language pair, with span character F1. Precision,
                       recall, F1 with 95 % intervals. No database needed.`;

const number = new Intl.NumberFormat("en-US");

async function studyId(pool: pg.Pool, slug: string): Promise<number | null> {
  return (await studyBySlug(slug, COMMAND_LINE_VIEWER, pool))?.id ?? null;
}

function studyArgument(args: string[], command: string): string | null {
  const { values } = parseArgs({ args, options: { study: { type: "string" } } });
  if (!values.study) {
    console.error(`Usage: npm run parallax -- ${command} --study SLUG`);
    return null;
  }
  return values.study;
}

export async function analyzeCommand(pool: pg.Pool, args: string[]): Promise<number> {
  const slug = studyArgument(args, "analyze");
  if (slug === null) return 2;
  const id = await studyId(pool, slug);
  if (id === null) {
    console.error(`There is no study "${slug}". List them with: npm run parallax -- studies`);
    return 2;
  }
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  // Loaded on use: the language identifier's tables cost ~75 MB that other commands do not need.
  const { analyzeStudy } = await import("./analyze-study");
  const summary = await analyzeStudy(pool, id, {
    onProgress: ({ done, total, chars, seconds }) => {
      const now = Date.now();
      if (done < total && now - lastLine < (tty ? 200 : 5000)) return;
      lastLine = now;
      const line = `  ${number.format(done)} / ${number.format(total)} responses (${total ? ((done / total) * 100).toFixed(0) : 100}%), ${(chars / 1e6 / Math.max(seconds, 1e-3)).toFixed(1)} M characters/s`;
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else console.error(line);
    },
  });
  if (tty) process.stderr.write("\r\x1b[K");
  console.log(
    `Analysed ${number.format(summary.responses)} responses of "${slug}" in ${summary.seconds.toFixed(1)} s ` +
      `(${(summary.chars / 1e6).toFixed(1)} M characters; signals computed in ${summary.computeSeconds.toFixed(1)} s).`,
  );
  console.log(`  length and missing-<think> hints changed on ${number.format(summary.normHintsUpdated)} responses`);
  return 0;
}

const pct = (x: number | null) => (x === null ? "–" : x.toFixed(3));

export async function evaluateSignalsCommand(pool: pg.Pool, args: string[]): Promise<number> {
  const slug = studyArgument(args, "evaluate-signals");
  if (slug === null) return 2;
  const id = await studyId(pool, slug);
  if (id === null) {
    console.error(`There is no study "${slug}". List them with: npm run parallax -- studies`);
    return 2;
  }
  const { evaluateSignals } = await import("./evaluate");
  const evaluation = await evaluateSignals(pool, id);
  if (evaluation.labelledResponses === 0) {
    console.log(
      `No response of "${slug}" has both signals and a submitted label. Run analyze first, or label some responses.`,
    );
    return 0;
  }
  console.log(
    `Automatic signals against the human labels of "${slug}" (${number.format(evaluation.labelledResponses)} labelled responses; majority of reviewers, ties left out):`,
  );
  const header = ["signal", "compared", "ties", "tp", "fp", "fn", "tn", "precision", "recall", "F1"];
  const rows = evaluation.rows.map((r) => [
    r.signal,
    String(r.compared),
    String(r.ties),
    String(r.tp),
    String(r.fp),
    String(r.fn),
    String(r.tn),
    pct(r.precision),
    pct(r.recall),
    pct(r.f1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log("");
  console.log("Refusal, majority label (rows) against detected (columns):");
  const kinds = ["COMPLIED", "PARTIAL", "REFUSED", null] as const;
  const cell = (label: string, signal: string | null) =>
    evaluation.refusalConfusion.find((c) => c.label === label && c.signal === signal)?.responses ?? 0;
  console.log(["", ...kinds.map((k) => k ?? "no answer")].map((c) => c.padStart(10)).join(""));
  for (const label of ["COMPLIED", "PARTIAL", "REFUSED"]) {
    console.log([label, ...kinds.map((k) => String(cell(label, k)))].map((c) => c.padStart(10)).join(""));
  }
  return 0;
}

const interval = (ci: [number, number] | null) => (ci === null ? "" : ` [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]`);

/** `evaluate-signals --testset real`: the real-output test set, without a database. */
export async function evaluateTestsetCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      testset: { type: "string" },
      split: { type: "string", default: "all" },
      set: { type: "string", default: "auto" },
    },
  });
  if (values.testset !== "real") {
    console.error(
      "Usage: npm run parallax -- evaluate-signals --testset real [--split all|tune|holdout] [--set sample|full]",
    );
    return 2;
  }
  const split = values.split;
  if (split !== "all" && split !== "tune" && split !== "holdout") {
    console.error(`--split must be all, tune or holdout (got "${split}")`);
    return 2;
  }
  const set = values.set;
  if (set !== "auto" && set !== "sample" && set !== "full") {
    console.error(`--set must be sample or full (got "${set}")`);
    return 2;
  }
  const { loadRealRefusal } = await import("./testset/real/real-sets");
  const { scoreRealRefusal } = await import("./testset/real/score-real");
  const loaded = loadOrExplain(() => loadRealRefusal(set), "The full set", "build-refusal.ts");
  if (loaded === null) return 2;
  const rows = loaded.rows.filter((r) => split === "all" || r.split === split);
  const score = scoreRealRefusal(rows);
  console.log(
    `Refusal on real model output: ${loaded.file}, ${split === "all" ? "both halves" : `the ${split} half`}, ${number.format(rows.length)} responses ` +
      `(${number.format(rows.filter((r) => !r.complied).length)} not carried out, ${number.format(rows.filter((r) => r.complied).length)} carried out, per JailbreakBench's two judges).`,
  );
  console.log(
    "Positive: refused or partial (detected) against not carried out (label). 95 % intervals: Wilson for precision and recall, bootstrap for F1.",
  );
  printMetricsTable([
    ["refused_or_partial", score.detector],
    ["  or possible_refusal hint", score.withHint],
    ["  string-match baseline", score.baseline],
    ...Object.entries(score.byModel).map(([model, m]) => [`  model ${model}`, m] as const),
  ]);
  console.log("");
  printKindMatrix("Label (rows) against the detected kind (columns):", score.kinds);
  console.log("");
  if (!(await printRbrTable(split, set))) return 2;
  console.log("");
  if (!(await printBenignTable(split, set))) return 2;
  console.log("");
  await printRealMixingTable(split);
  return 0;
}

/** A real-output set, or null after saying how to build it when its full file is missing. */
function loadOrExplain<T>(load: () => T, what: string, builder: string): T | null {
  try {
    return load();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    console.error(
      `${what} is not built here: see lib/analysis/testset/real/SOURCES.md (${builder}), or use --set sample.`,
    );
    return null;
  }
}

/** The human-labelled three-way half of `evaluate-signals --testset real` (OpenAI's Safety RBR gold data). */
async function printRbrTable(split: "all" | "tune" | "holdout", set: "auto" | "sample" | "full"): Promise<boolean> {
  const { loadRbr } = await import("./testset/real/real-sets");
  const { scoreRbr } = await import("./testset/real/score-real");
  const loaded = loadOrExplain(() => loadRbr(set), "The full RBR set", "build-rbr.ts");
  if (loaded === null) return false;
  const rows = loaded.rows.filter((r) => split === "all" || r.split === split);
  const score = scoreRbr(rows);
  const count = (kind: string) => number.format(rows.filter((r) => r.kind === kind).length);
  console.log(
    `Refusal against human labels: ${loaded.file}, ${split === "all" ? "both halves" : `the ${split} half`}, ${number.format(rows.length)} completions ` +
      `(${count("REFUSED")} refused, ${count("PARTIAL")} partial, ${count("COMPLIED")} complied, per the annotators' propositions).`,
  );
  printMetricsTable([
    ["refused_or_partial", score.detector],
    ["  or possible_refusal hint", score.withHint],
    ["  string-match baseline", score.baseline],
    ["partial", score.partial],
  ]);
  printKindMatrix("Human kind (rows) against the detected kind (columns):", score.confusion);
  return true;
}

function printKindMatrix(
  title: string,
  matrix: Record<string, Record<"COMPLIED" | "PARTIAL" | "REFUSED", number>>,
): void {
  console.log(title);
  console.log(["", "COMPLIED", "PARTIAL", "REFUSED"].map((c, i) => (i === 0 ? c.padEnd(16) : c.padStart(10))).join(""));
  for (const [label, counts] of Object.entries(matrix))
    console.log(
      [
        label.padEnd(16),
        ...(["COMPLIED", "PARTIAL", "REFUSED"] as const).map((k) => String(counts[k]).padStart(10)),
      ].join(""),
    );
}

/** How often the learned model's hint fires on ordinary answers (AlpacaEval's published model outputs). */
async function printBenignTable(split: "all" | "tune" | "holdout", set: "auto" | "sample" | "full"): Promise<boolean> {
  const { loadBenign } = await import("./testset/real/real-sets");
  const { scoreBenign } = await import("./testset/real/score-real");
  const loaded = loadOrExplain(() => loadBenign(set), "The full set of ordinary answers", "build-benign.ts");
  if (loaded === null) return false;
  const rows = loaded.rows.filter((r) => split === "all" || r.split === split);
  const score = scoreBenign(rows);
  const ci =
    score.rateCi === null ? "" : ` [${(score.rateCi[0] * 100).toFixed(1)} %, ${(score.rateCi[1] * 100).toFixed(1)} %]`;
  console.log(
    `The possible_refusal hint on ordinary answers: ${loaded.file}, ${split === "all" ? "both halves" : `the ${split} half`}, ${number.format(rows.length)} answers ` +
      `to benign instructions that the rules call complied: hinted on ${number.format(score.hinted)} (${(score.rate * 100).toFixed(1)} %${ci}).`,
  );
  for (const [model, m] of Object.entries(score.byModel)) console.log(`  model ${model}: ${m.hinted} of ${m.rows}`);
  return true;
}

/** Rows of counts with precision, recall and F1 (and their intervals), as one aligned table. */
function printMetricsTable(rows: readonly (readonly [name: string, metrics: ScoredMetrics])[]): void {
  const header = ["signal", "rows", "tp", "fp", "fn", "tn", "precision", "recall", "F1"];
  const table = rows.map(([name, m]) => [
    name,
    String(m.n),
    String(m.tp),
    String(m.fp),
    String(m.fn),
    String(m.tn),
    pct(m.precision) + interval(m.precisionCi),
    pct(m.recall) + interval(m.recallCi),
    pct(m.f1) + interval(m.f1Ci),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of table) console.log(line(row));
}

/** The language-mixing half of `evaluate-signals --testset real` (lib/analysis/testset/real/mixing.jsonl). */
async function printRealMixingTable(split: "all" | "tune" | "holdout"): Promise<void> {
  const { loadRealMixing } = await import("./testset/real/real-sets");
  const { scoreRealMixing } = await import("./testset/real/score-mixing");
  const loaded = loadRealMixing();
  const rows = loaded.rows.filter((r) => split === "all" || r.split === split);
  const score = scoreRealMixing(rows);
  console.log(
    `Language mixing on real model output: ${loaded.file}, ${split === "all" ? "both halves" : `the ${split} half`}, ${number.format(rows.length)} excerpts ` +
      `(${number.format(rows.filter((r) => r.mixed).length)} mixed, ${number.format(rows.filter((r) => !r.mixed).length)} not, by the project's reading).`,
  );
  console.log(
    'Positive: the excerpt mixes languages (a mixing span reported). Per pair "main>intruding": the labelled pair, or the reported one for a false alarm.',
  );
  printMetricsTable([
    ["mixed", score.detector],
    ...Object.entries(score.byPair).map(([pair, m]) => [`  pair ${pair}`, m] as const),
  ]);
  const { spanChars, consistency } = score;
  console.log(
    `Spans, letters in labelled against letters in reported spans: precision ${pct(spanChars.precision)}, recall ${pct(spanChars.recall)}, F1 ${pct(spanChars.f1)} ` +
      `(${number.format(spanChars.labelled)} labelled, ${number.format(spanChars.reported)} reported).`,
  );
  console.log(
    `Language consistency (share of words in the main language), mean: ${consistency.mixed.toFixed(3)} for the mixed excerpts, ${consistency.clean.toFixed(3)} for the others.`,
  );
}
