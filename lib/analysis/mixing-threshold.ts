// When a part of a response counts as mixing languages, chosen per study (settings "mixing
// threshold"). "default" is the mixing spans: the rules that keep terms, code, names, quotations
// and requested translations out, and count everything else down to one intruding word, which is
// what reviewers of real output call mixing (lib/analysis/testset/real/SOURCES.md). "strict" also
// counts any word the language-consistency score sees outside the main language: on the real set
// it finds no more mixed excerpts and raises false alarms (precision 1.00 → 0.79 on the tune half),
// so it is for studies that want every stray word surfaced, not the default.
import type { LanguageMixing } from "../db/generated/enums";

export const MIXING_THRESHOLDS = ["default", "strict"] as const;
export type MixingThreshold = (typeof MIXING_THRESHOLDS)[number];

/** A stored value as a threshold; anything unknown is the default. */
export function mixingThresholdOf(value: unknown): MixingThreshold {
  return value === "strict" ? "strict" : "default";
}

interface PartMixingFacts {
  spans: readonly unknown[];
  /** Absent in signals stored before version 4: then only the spans tell. */
  consistency?: number;
}

export function partMixes(part: PartMixingFacts | null, threshold: MixingThreshold): boolean {
  if (part === null) return false;
  if (part.spans.length > 0) return true;
  return threshold === "strict" && part.consistency !== undefined && part.consistency < 1;
}

/** Where a response mixes languages, under the study's threshold. */
export function mixingOf(
  reasoning: PartMixingFacts | null,
  answer: PartMixingFacts,
  threshold: MixingThreshold,
): LanguageMixing {
  const inReasoning = partMixes(reasoning, threshold);
  const inAnswer = partMixes(answer, threshold);
  return inReasoning ? (inAnswer ? "BOTH" : "REASONING") : inAnswer ? "ANSWER" : "NONE";
}
