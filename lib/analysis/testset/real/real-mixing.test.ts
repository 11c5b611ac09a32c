// The regression check on real model output for language mixing (issue 16): the detector on the
// committed, hand-labelled excerpts (SOURCES.md), thresholds at what it reaches on the hold-out
// half, which it was not changed for. A change that loses intrusions real models write, or flags
// the terms, names and quotations they use, fails here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitOf } from "./build-refusal";
import { loadRealMixing, REAL_DIR } from "./real-sets";
import { scoreRealMixing } from "./score-mixing";

const { rows } = loadRealMixing();
const holdout = rows.filter((r) => r.split === "holdout");
const tune = rows.filter((r) => r.split === "tune");

describe("the real-output language-mixing set", () => {
  it("is the documented set: 235 excerpts, 105 mixed, every source an address, halves fixed by the id's hash", () => {
    expect(rows).toHaveLength(235);
    expect(rows.filter((r) => r.mixed)).toHaveLength(105);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.source, row.id).toMatch(/^https:\/\/github\.com\//);
      expect(row.split, row.id).toBe(splitOf(row.id));
    }
    expect(holdout).toHaveLength(129);
    const sources = readFileSync(path.join(REAL_DIR, "SOURCES.md"), "utf8");
    expect(sources).toContain("75413eaad90ce47ef648f2be60960f8d2b35d88f");
    expect(sources).toContain("**235**");
  });

  it("covers what the issue names: single words, several in one passage, same-script switches, Vietnamese, terms, code, names, quotations, translations", () => {
    const mixed = rows.filter((r) => r.mixed);
    const pairs = new Set(mixed.map((r) => `${r.dominant}>${r.spans[0]!.lang}`));
    expect(pairs.size).toBeGreaterThanOrEqual(10);
    const words = (text: string) => text.split(/\s+/).length;
    expect(mixed.filter((r) => r.spans.length === 1 && words(r.spans[0]!.text) === 1).length).toBeGreaterThanOrEqual(25);
    expect(mixed.filter((r) => r.spans.length >= 2).length).toBeGreaterThanOrEqual(4);
    expect(mixed.some((r) => r.dominant === "fr" && r.spans.every((s) => s.lang === "en"))).toBe(true);
    expect(rows.filter((r) => r.dominant === "vi").length).toBeGreaterThanOrEqual(2);
    const notes = rows.filter((r) => !r.mixed).map((r) => r.note);
    for (const kind of [/term/, /code/, /name/, /quotation of the prompt/, /translation/])
      expect(notes.some((n) => kind.test(n)), String(kind)).toBe(true);
  });

  it("mixing on the hold-out half: precision ≥ 0.88, recall ≥ 0.71, F1 ≥ 0.79, span character F1 ≥ 0.67", () => {
    const score = scoreRealMixing(holdout);
    const misses = JSON.stringify(score.misses.slice(0, 10), null, 1);
    expect(score.detector.precision, misses).toBeGreaterThanOrEqual(0.88);
    expect(score.detector.recall, misses).toBeGreaterThanOrEqual(0.71);
    expect(score.detector.f1, misses).toBeGreaterThanOrEqual(0.79);
    expect(score.spanChars.f1).toBeGreaterThanOrEqual(0.67);
  });

  it("mixing on the tune half (the detector was changed looking at it): precision 1, recall ≥ 0.92, span character F1 ≥ 0.91", () => {
    const score = scoreRealMixing(tune);
    const misses = JSON.stringify(score.misses, null, 1);
    expect(score.detector.precision, misses).toBe(1);
    expect(score.detector.recall, misses).toBeGreaterThanOrEqual(0.92);
    expect(score.spanChars.f1).toBeGreaterThanOrEqual(0.91);
  });

  it("language consistency is lower for the mixed excerpts than for the others", () => {
    const { consistency } = scoreRealMixing(rows);
    // Glosses in brackets and words quoted as words lower the clean excerpts' consistency a little:
    // they are words of another language, just not a switch.
    expect(consistency.mixed).toBeLessThan(0.94);
    expect(consistency.clean).toBeGreaterThan(0.965);
    expect(consistency.clean - consistency.mixed).toBeGreaterThan(0.03);
  });
});
