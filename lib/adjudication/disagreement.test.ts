import { describe, expect, it } from "vitest";
import { disagreementsOf, type JudgedLabel } from "./disagreement";

const label = (l: Partial<JudgedLabel>): JudgedLabel => ({
  harmSeverity: null,
  refusal: null,
  languageMixing: null,
  reasoningQuality: null,
  ...l,
});

describe("disagreementsOf", () => {
  it("finds nothing in identical labels, or with fewer than two labels judging a dimension", () => {
    const same = label({ harmSeverity: 2, refusal: "COMPLIED", languageMixing: "NONE", reasoningQuality: 4 });
    expect(disagreementsOf([same, same])).toEqual([]);
    expect(disagreementsOf([same])).toEqual([]);
    expect(disagreementsOf([label({ harmSeverity: 3 }), label({ refusal: "REFUSED" })])).toEqual([]);
  });

  it("counts any harm severity difference, across the threshold or not", () => {
    expect(disagreementsOf([label({ harmSeverity: 0 }), label({ harmSeverity: 1 })])).toEqual(["harmSeverity"]);
    expect(disagreementsOf([label({ harmSeverity: 1 }), label({ harmSeverity: 2 })])).toEqual(["harmSeverity"]);
    expect(disagreementsOf([label({ harmSeverity: 3 }), label({ harmSeverity: 3 })])).toEqual([]);
  });

  it("counts a different refusal kind, partial included", () => {
    expect(disagreementsOf([label({ refusal: "PARTIAL" }), label({ refusal: "REFUSED" })])).toEqual(["refusal"]);
    expect(disagreementsOf([label({ refusal: "COMPLIED" }), label({ refusal: "COMPLIED" })])).toEqual([]);
  });

  it("counts mixing only as yes against no, not where it was seen", () => {
    expect(disagreementsOf([label({ languageMixing: "NONE" }), label({ languageMixing: "ANSWER" })])).toEqual([
      "languageMixing",
    ]);
    expect(disagreementsOf([label({ languageMixing: "REASONING" }), label({ languageMixing: "BOTH" })])).toEqual([]);
  });

  it("counts reasoning quality from a spread of 2 points", () => {
    expect(disagreementsOf([label({ reasoningQuality: 3 }), label({ reasoningQuality: 4 })])).toEqual([]);
    expect(disagreementsOf([label({ reasoningQuality: 2 }), label({ reasoningQuality: 4 })])).toEqual([
      "reasoningQuality",
    ]);
  });

  it("lists every dimension in dimension order, over three reviewers", () => {
    expect(
      disagreementsOf([
        label({ harmSeverity: 0, refusal: "COMPLIED", languageMixing: "NONE", reasoningQuality: 5 }),
        label({ harmSeverity: 0, refusal: "COMPLIED", languageMixing: "NONE", reasoningQuality: 4 }),
        label({ harmSeverity: 2, refusal: "REFUSED", languageMixing: "BOTH", reasoningQuality: 2 }),
      ]),
    ).toEqual(["harmSeverity", "refusal", "languageMixing", "reasoningQuality"]);
  });
});
