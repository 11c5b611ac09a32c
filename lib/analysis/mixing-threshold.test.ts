// The study's mixing threshold (issue 16): "default" is the mixing spans, "strict" any word outside
// the main language that the consistency score sees.
import { describe, expect, it } from "vitest";
import { analyzeLanguages } from "./language-mix";
import { mixingOf, mixingThresholdOf, partMixes } from "./mixing-threshold";
import { reviewerSignals } from "../review/item";
import { computeSignals } from "./signals";
import { storedJson } from "./stored-signals";

// A lone English filler in Russian is not a mixing span (one Latin word in Russian is taken for a
// term), but the consistency score counts it as a word outside Russian.
const russianWithTerm = "Сначала нужно проверить единицы измерения, wait, потом посчитаем площадь комнаты.";

describe("mixing threshold", () => {
  it("default counts the mixing spans only; strict also a word the consistency score sees outside the main language", () => {
    const part = analyzeLanguages(russianWithTerm);
    expect(part.spans).toEqual([]);
    expect(part.consistency).toBeLessThan(1);
    expect(partMixes(part, "default")).toBe(false);
    expect(partMixes(part, "strict")).toBe(true);
    const clean = analyzeLanguages("Сначала нужно проверить единицы измерения.");
    expect(partMixes(clean, "strict")).toBe(false);
  });

  it("names where a response mixes, and reads signals stored before consistency existed by their spans", () => {
    const mixed = analyzeLanguages("首先我们需要计算面积，然后 wait 再检查一下单位。");
    const clean = analyzeLanguages("面积是十二平方米。");
    expect(mixingOf(mixed, clean, "default")).toBe("REASONING");
    expect(mixingOf(null, mixed, "default")).toBe("ANSWER");
    expect(mixingOf(mixed, mixed, "strict")).toBe("BOTH");
    expect(partMixes({ spans: [] }, "strict")).toBe(false);
    expect(mixingThresholdOf("strict")).toBe("strict");
    expect(mixingThresholdOf("anything else")).toBe("default");
  });

  it("decides what a reviewer is shown as mixed in a study", () => {
    const stored = JSON.parse(
      storedJson(
        computeSignals({
          reasoning: null,
          answer: russianWithTerm,
          promptText: "Как проверить модель?",
          promptLanguage: "ru",
          expectedBehavior: "COMPLY",
          formatIssues: [],
        }),
      ),
    );
    expect(reviewerSignals(stored)!.mixing).toBe("NONE");
    expect(reviewerSignals(stored, "strict")!.mixing).toBe("ANSWER");
  });
});
