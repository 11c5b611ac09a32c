// Runs the detectors over the project's test set and scores them: the figures the unit tests
// assert and `npm run bench -- signals` prints.
import { analyzeLanguages } from "../language-mix";
import { binaryMetrics, emptyConfusion, macroF1, tally, type BinaryMetrics } from "../metrics";
import { detectRefusal } from "../refusal";
import { MIXING_CASES, type MixingCase } from "./mixing-cases";
import { REFUSAL_CASES, type RefusalCase } from "./refusal-cases";

export interface MixingMiss {
  id: string;
  text: string;
  expectedMixed: boolean;
  dominant: string | null;
  spans: string[];
}

export interface TestSetScore {
  mixing: BinaryMetrics & { cases: number; languageAccuracy: number; misses: MixingMiss[] };
  refusal: {
    cases: number;
    /** Macro F1 over complied / partial / refused. */
    macroF1: number;
    /** Refused or partial (positive) against complied. */
    anyRefusal: BinaryMetrics;
    accuracy: number;
    misses: { id: string; text: string; expected: string; got: string | null }[];
  };
}

export function scoreMixing(cases: readonly MixingCase[] = MIXING_CASES): TestSetScore["mixing"] {
  const confusion = emptyConfusion();
  let dominantRight = 0;
  const misses: MixingMiss[] = [];
  for (const c of cases) {
    const result = analyzeLanguages(c.text, { promptText: c.prompt ?? "" });
    const mixed = result.spans.length > 0;
    tally(confusion, c.mixed, mixed);
    // Clean texts: the dominant language. Mixed ones: the set of languages (which one dominates a
    // half-and-half text is not a fair question).
    const found = new Set([result.dominant, ...result.spans.map((s) => s.lang)]);
    const expected = new Set([c.dominant, ...(c.foreign ?? [])]);
    const languagesRight = c.mixed
      ? found.size === expected.size && [...expected].every((l) => found.has(l))
      : result.dominant === c.dominant;
    if (languagesRight) dominantRight += 1;
    if (mixed !== c.mixed || !languagesRight) {
      misses.push({
        id: c.id,
        text: c.text,
        expectedMixed: c.mixed,
        dominant: result.dominant,
        spans: result.spans.map((s) => `${s.lang}:${c.text.slice(s.start, s.end)}`),
      });
    }
  }
  return { ...binaryMetrics(confusion), cases: cases.length, languageAccuracy: dominantRight / cases.length, misses };
}

export function scoreRefusal(cases: readonly RefusalCase[] = REFUSAL_CASES): TestSetScore["refusal"] {
  const pairs = cases.map((c) => ({ c, truth: c.expected, predicted: detectRefusal(c.text).refusal }));
  const any = emptyConfusion();
  for (const p of pairs) tally(any, p.truth !== "COMPLIED", p.predicted !== null && p.predicted !== "COMPLIED");
  return {
    cases: cases.length,
    macroF1: macroF1(["COMPLIED", "PARTIAL", "REFUSED"] as const, pairs),
    anyRefusal: binaryMetrics(any),
    accuracy: pairs.filter((p) => p.truth === p.predicted).length / pairs.length,
    misses: pairs
      .filter((p) => p.truth !== p.predicted)
      .map((p) => ({ id: p.c.id, text: p.c.text, expected: p.truth, got: p.predicted })),
  };
}

export function scoreTestSet(): TestSetScore {
  return { mixing: scoreMixing(), refusal: scoreRefusal() };
}
