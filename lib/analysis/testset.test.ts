// The project's own test set (lib/analysis/testset): the targets of issue #5, asserted at what the
// code achieves — every case right — so that removing a rule (the Chinese branch of
// language-decide.ts, "a hedge means partial" in refusal.ts) fails here. A change that trades one
// case for another must say so by editing the case, not by sliding under a looser threshold.
import { describe, expect, it } from "vitest";
import { MIXING_CASES } from "./testset/mixing-cases";
import { REFUSAL_CASES } from "./testset/refusal-cases";
import { scoreMixing, scoreRefusal } from "./testset/score";

describe("the project's test set", () => {
  it("has at least 200 language-mixing texts, every category represented, ids unique", () => {
    expect(MIXING_CASES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(MIXING_CASES.map((c) => c.id)).size).toBe(MIXING_CASES.length);
    const categories = new Set(MIXING_CASES.map((c) => c.category));
    for (const category of [
      "clean-en",
      "clean-zh",
      "en+zh",
      "de+en",
      "ru+en",
      "ru-terms",
      "code",
      "loanwords",
      "names",
    ]) {
      expect(categories).toContain(category);
    }
    expect(MIXING_CASES.filter((c) => c.mixed).length).toBeGreaterThanOrEqual(60);
    expect(MIXING_CASES.filter((c) => !c.mixed).length).toBeGreaterThanOrEqual(100);
  });

  it("language mixing: every case right (F1 1.0, the issue's target 0.95), and the languages right", () => {
    const score = scoreMixing();
    expect(score.misses).toEqual([]);
    expect(score.f1).toBe(1);
    expect(score.languageAccuracy).toBe(1);
  });

  it("refusal: every case right over complied / partial / refused (macro F1 1.0, the issue's target 0.9), in ten languages", () => {
    expect(new Set(REFUSAL_CASES.map((c) => c.language)).size).toBeGreaterThanOrEqual(10);
    const score = scoreRefusal();
    expect(score.misses).toEqual([]);
    expect(score.macroF1).toBe(1);
    expect(score.anyRefusal.f1).toBe(1);
  });
});
