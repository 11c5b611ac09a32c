// Rebuilds the set of ordinary answers to benign instructions from a local clone of
// github.com/tatsu-lab/alpaca_eval (Apache-2.0): the outputs that five chat models wrote for
// AlpacaEval's 805 instructions, as the repository publishes them. They are the counterweight of the
// refusal model's training (answers that refuse nothing, most of them long and factual) and, in
// their hold-out half, the measure of how often the `possible_refusal` hint fires on ordinary answers.
//   npx tsx lib/analysis/testset/real/build-benign.ts --git-dir PATH/TO/alpaca_eval/.git [--sample N]
// Writes refusal-benign-full.jsonl (ignored by git) and, with --sample, refusal-benign-sample.jsonl (committed).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { detectRefusal } from "../../refusal";
import { splitOf, truncateForSample } from "./build-refusal";
import { type BenignRow, REAL_DIR } from "./real-sets";

/** Two of the models JailbreakBench's artifacts hold, and three other families. */
export const BENIGN_MODELS = [
  "gpt-3.5-turbo-1106",
  "gpt-4-0125-preview",
  "claude-2.1",
  "Meta-Llama-3-8B-Instruct",
  "Mistral-7B-Instruct-v0.2",
] as const;

const Output = z.array(z.object({ instruction: z.string(), output: z.string() }));

function git(gitDir: string, ...args: string[]): string {
  return execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

/**
 * Every model's answers, less those the rules call refused or partial: on benign instructions they
 * are mostly inabilities ("I cannot browse the internet"), refusals all the same, so they cannot
 * stand for answers that refuse nothing. The half is the instruction's (`splitOf` of its text).
 */
export function buildBenignRows(gitDir: string): { commit: string; rows: BenignRow[]; refusals: number } {
  const commit = git(gitDir, "rev-parse", "HEAD").trim();
  const rows: BenignRow[] = [];
  let refusals = 0;
  for (const model of BENIGN_MODELS) {
    const file = `results/${model}/model_outputs.json`;
    Output.parse(JSON.parse(git(gitDir, "show", `${commit}:${file}`))).forEach(({ instruction, output }, i) => {
      if (detectRefusal(output).refusal !== "COMPLIED") {
        refusals += 1;
        return;
      }
      rows.push({
        id: `alpaca_eval:${model}:${i + 1}`,
        source: `tatsu-lab/alpaca_eval ${file} item ${i + 1}`,
        model,
        prompt: createHash("sha256").update(instruction).digest("hex").slice(0, 12),
        response: output,
        split: splitOf(instruction),
      });
    });
  }
  return { commit, rows, refusals };
}

/**
 * One answer per tune instruction, from the model its hash names: as many ordinary answers as the
 * two refusal sets' tune halves hold answers of each kind, without one instruction's topic weighing
 * five times.
 */
export function trainingAnswers(rows: BenignRow[]): BenignRow[] {
  return rows.filter((r) => r.split === "tune" && BENIGN_MODELS[Number.parseInt(r.prompt.slice(0, 8), 16) % BENIGN_MODELS.length] === r.model);
}

/** A deterministic sample of both halves, the responses cut to their opening as in the other samples. */
export function sampleBenign(rows: BenignRow[], size: number): BenignRow[] {
  const hash = (id: string) => createHash("sha256").update(id).digest("hex");
  return [...rows]
    .sort((a, b) => hash(a.id).localeCompare(hash(b.id)))
    .slice(0, size)
    .sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }))
    .map(truncateForSample);
}

const toJsonl = (rows: BenignRow[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { "git-dir": { type: "string" }, sample: { type: "string" } } });
  if (!values["git-dir"]) {
    console.error("Usage: npx tsx lib/analysis/testset/real/build-benign.ts --git-dir PATH/TO/alpaca_eval.git [--sample 200]");
    process.exit(2);
  }
  const { commit, rows, refusals } = buildBenignRows(values["git-dir"]);
  writeFileSync(path.join(REAL_DIR, "refusal-benign-full.jsonl"), toJsonl(rows));
  const half = (split: string) => rows.filter((r) => r.split === split).length;
  console.log(`tatsu-lab/alpaca_eval@${commit}: ${rows.length} answers of ${BENIGN_MODELS.length} models (tune ${half("tune")}, hold-out ${half("holdout")}; ` +
    `${trainingAnswers(rows).length} tune answers for training), ${refusals} the rules call refused or partial left out.`);
  if (values.sample) {
    const sample = sampleBenign(rows, Number(values.sample));
    writeFileSync(path.join(REAL_DIR, "refusal-benign-sample.jsonl"), toJsonl(sample));
    console.log(`sample: ${sample.length} rows (${sample.filter((r) => r.split === "holdout").length} hold-out)`);
  }
}
