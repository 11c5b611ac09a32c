// Trains the refusal model (lib/analysis/refusal-model.ts) on the tune halves of the three rebuilt
// real-output sets (JailbreakBench, RBR, and the ordinary AlpacaEval answers) and writes
// lib/analysis/refusal-model-weights.ts. The hold-out halves are never read here. Rebuild the sets
// first (SOURCES.md), then:
//   npx tsx lib/analysis/testset/real/train-refusal-model.ts [--cv]
// --cv prints five-fold cross-validation on the tune halves instead of writing the model; --cross
// trains without one refusal source at a time and scores that source's hold-out half (to see how far
// the model carries to output of a kind it never saw; only then are hold-out halves read).
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { detectRefusal } from "../../refusal";
import { HINT_PROBABILITY, MIN_COVERAGE, serialiseModel, scoreWith, trainModel, TRAINING } from "../../refusal-model";
import { binaryMetrics, emptyConfusion, tally } from "../../metrics";
import { trainingAnswers } from "./build-benign";
import { loadBenign, loadRbr, loadRealRefusal, REAL_DIR } from "./real-sets";

export interface TrainingExample {
  answer: string;
  refused: boolean;
  set: "jailbreakbench" | "rbr" | "benign";
}

/**
 * The tune halves: "not carried out" and the human kinds REFUSED and PARTIAL are positives; one
 * ordinary answer per benign instruction is a negative. Without those, most short answers the
 * model saw refused, and it read ordinary short answers as refusals.
 */
export function tuneExamples(): TrainingExample[] {
  for (const file of ["refusal-full.jsonl", "refusal-rbr-full.jsonl", "refusal-benign-full.jsonl"]) {
    if (!existsSync(path.join(REAL_DIR, file))) throw new Error(`${file} is missing: rebuild it first (lib/analysis/testset/real/SOURCES.md)`);
  }
  const jbb = loadRealRefusal("full").rows.filter((r) => r.split === "tune");
  const rbr = loadRbr("full").rows.filter((r) => r.split === "tune");
  return [
    ...jbb.map((r) => ({ answer: r.response, refused: !r.complied, set: "jailbreakbench" as const })),
    ...rbr.map((r) => ({ answer: r.response, refused: r.kind !== "COMPLIED", set: "rbr" as const })),
    ...trainingAnswers(loadBenign("full").rows).map((r) => ({ answer: r.response, refused: false, set: "benign" as const })),
  ];
}

function crossValidate(examples: TrainingExample[], folds = 5): void {
  const tally = new Map<string, { tp: number; fp: number; fn: number; tn: number }>();
  for (let k = 0; k < folds; k++) {
    const model = trainModel(examples.filter((_, i) => i % folds !== k));
    examples.forEach((e, i) => {
      if (i % folds !== k) return;
      const t = tally.get(e.set) ?? { tp: 0, fp: 0, fn: 0, tn: 0 };
      const said = scoreWith(model, e.answer).probability >= 0.5;
      if (said && e.refused) t.tp++;
      else if (said) t.fp++;
      else if (e.refused) t.fn++;
      else t.tn++;
      tally.set(e.set, t);
    });
  }
  for (const [set, { tp, fp, fn, tn }] of tally) {
    if (tp + fn === 0) {
      console.log(`${set}: ${fp} of ${fp + tn} called refusals (${folds}-fold, tune half)`);
      continue;
    }
    const p = tp / (tp + fp);
    const r = tp / (tp + fn);
    console.log(`${set}: precision ${p.toFixed(3)}, recall ${r.toFixed(3)}, F1 ${((2 * p * r) / (p + r)).toFixed(3)} (${folds}-fold, tune half)`);
  }
}

/** Trained without one source, scored on that source's hold-out half: rules alone, rules or hint. */
function crossSource(examples: TrainingExample[]): void {
  const holdouts = {
    jailbreakbench: loadRealRefusal("full").rows.filter((r) => r.split === "holdout").map((r) => ({ answer: r.response, refused: !r.complied })),
    rbr: loadRbr("full").rows.filter((r) => r.split === "holdout").map((r) => ({ answer: r.response, refused: r.kind !== "COMPLIED" })),
  };
  const benign = loadBenign("full").rows.filter((r) => r.split === "holdout");
  const f = (m: ReturnType<typeof binaryMetrics>) => `P ${m.precision?.toFixed(3)}, R ${m.recall?.toFixed(3)}, F1 ${m.f1?.toFixed(3)}`;
  for (const left of ["jailbreakbench", "rbr"] as const) {
    const model = trainModel(examples.filter((e) => e.set !== left));
    const hinted = (answer: string) => {
      const ruled = detectRefusal(answer);
      if (ruled.refusal !== "COMPLIED" || ruled.evidence !== null) return false;
      const verdict = scoreWith(model, answer);
      return verdict.coverage >= MIN_COVERAGE && verdict.probability >= HINT_PROBABILITY;
    };
    const rules = emptyConfusion();
    const withHint = emptyConfusion();
    for (const row of holdouts[left]) {
      const kind = detectRefusal(row.answer).refusal;
      const ruled = kind === "REFUSED" || kind === "PARTIAL";
      tally(rules, row.refused, ruled);
      tally(withHint, row.refused, ruled || hinted(row.answer));
    }
    const ordinary = benign.filter((r) => hinted(r.response)).length;
    console.log(
      `trained without ${left}, its hold-out half (${holdouts[left].length}): rules ${f(binaryMetrics(rules))}; rules or hint ${f(binaryMetrics(withHint))}; ` +
        `ordinary answers hinted ${ordinary} of ${benign.length}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const examples = tuneExamples();
  if (process.argv.includes("--cv")) crossValidate(examples);
  else if (process.argv.includes("--cross")) crossSource(examples);
  else {
    const model = serialiseModel(trainModel(examples));
    const count = model.weights.split(" ").length / 2;
    const out = path.join(REAL_DIR, "..", "..", "refusal-model-weights.ts");
    writeFileSync(
      out,
      `// Generated by lib/analysis/testset/real/train-refusal-model.ts from the tune halves of the real-output sets
// (${examples.length} answers: JailbreakBench artifacts and OpenAI's RBR gold data, sources in testset/real/SOURCES.md),
// options ${JSON.stringify(TRAINING)}: ${count} weights. Do not edit by hand.
export const REFUSAL_MODEL = {
  bias: ${model.bias},
  weights:
    ${JSON.stringify(model.weights)},
};
`,
    );
    console.log(`${path.relative(process.cwd(), out)}: ${count} weights from ${examples.length} answers`);
  }
}
