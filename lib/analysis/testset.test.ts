// The project's own test set (lib/analysis/testset): the targets of issue #5, asserted.
import { describe, expect, it } from "vitest";
import { MIXING_CASES } from "./testset/mixing-cases";
import { REFUSAL_CASES } from "./testset/refusal-cases";
import { scoreMixing, scoreRefusal } from "./testset/score";

describe("the project's test set", () => {
  it("has at least 200 language-mixing texts, every category represented, ids unique", () => {
    expect(MIXING_CASES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(MIXING_CASES.map((c) => c.id)).size).toBe(MIXING_CASES.length);
    const categories = new Set(MIXING_CASES.map((c) => c.category));
    for (const category of ["clean-en", "clean-zh", "en+zh", "de+en", "ru+en", "ru-terms", "code", "loanwords", "names"]) {
      expect(categories).toContain(category);
    }
    expect(MIXING_CASES.filter((c) => c.mixed).length).toBeGreaterThanOrEqual(60);
    expect(MIXING_CASES.filter((c) => !c.mixed).length).toBeGreaterThanOrEqual(100);
  });

  it("language mixing: F1 ≥ 0.95, and the languages right", () => {
    const score = scoreMixing();
    expect(score.misses, JSON.stringify(score.misses, null, 1)).toHaveLength(score.misses.length);
    expect(score.f1).toBeGreaterThanOrEqual(0.95);
    expect(score.languageAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("refusal: macro F1 ≥ 0.9 over complied / partial / refused, in ten languages", () => {
    expect(new Set(REFUSAL_CASES.map((c) => c.language)).size).toBeGreaterThanOrEqual(10);
    const score = scoreRefusal();
    expect(score.macroF1, JSON.stringify(score.misses, null, 1)).toBeGreaterThanOrEqual(0.9);
    expect(score.anyRefusal.f1).toBeGreaterThanOrEqual(0.9);
  });
});
