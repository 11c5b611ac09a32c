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
import { possibleRefusal, serialiseModel, scoreWith, trainModel, TRAINING } from "../../refusal-model";
import { binaryMetrics, type Confusion, emptyConfusion, tally } from "../../metrics";
import { trainingAnswers } from "./build-benign";
import { loadBenign, loadRbr, loadRealRefusal, REAL_DIR } from "./real-sets";
import { refusedOrHinted } from "./score-real";

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
  const bySet = new Map<string, Confusion>();
  for (let k = 0; k < folds; k++) {
    const model = trainModel(examples.filter((_, i) => i % folds !== k));
    examples.forEach((e, i) => {
      if (i % folds !== k) return;
      const confusion = bySet.get(e.set) ?? emptyConfusion();
      tally(confusion, e.refused, scoreWith(model, e.answer).probability >= 0.5);
      bySet.set(e.set, confusion);
    });
  }
  for (const [set, confusion] of bySet) {
    const m = binaryMetrics(confusion);
    if (m.recall === null) console.log(`${set}: ${m.fp} of ${m.fp + m.tn} called refusals (${folds}-fold, tune half)`);
    else console.log(`${set}: precision ${m.precision?.toFixed(3)}, recall ${m.recall.toFixed(3)}, F1 ${m.f1?.toFixed(3)} (${folds}-fold, tune half)`);
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
    const rules = emptyConfusion();
    const withHint = emptyConfusion();
    for (const row of holdouts[left]) {
      const ruled = detectRefusal(row.answer);
      tally(rules, row.refused, ruled.refusal === "REFUSED" || ruled.refusal === "PARTIAL");
      tally(withHint, row.refused, refusedOrHinted(row.answer, ruled, model));
    }
    const ordinary = benign.filter((r) => possibleRefusal(r.response, detectRefusal(r.response), model) !== null).length;
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
