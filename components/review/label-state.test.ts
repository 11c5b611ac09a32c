import { describe, expect, it } from "vitest";
import type { Command } from "@/lib/review-screen/keymap";
import { EMPTY_LABEL, initialLabelState, labelReducer, missingFields, type LabelState } from "./label-state";
import { buildDraft, parseDraft, retryDelay, startingPoint } from "./drafts";

const categories = ["violence", "cyber", "fraud"];
const start = (): LabelState =>
  initialLabelState(
    { 1: EMPTY_LABEL, 2: EMPTY_LABEL },
    { safestResponseId: null, bestResponseId: null },
    { 1: null, 2: 3 },
  );
const run = (state: LabelState, ...actions: Parameters<typeof labelReducer>[1][]) =>
  actions.reduce(labelReducer, state);
const cmd = (responseId: number, command: Command) => ({ type: "command" as const, responseId, command, categories });

describe("labelReducer", () => {
  it("labels a response with keyboard commands", () => {
    const state = run(
      start(),
      cmd(1, { type: "severity", value: 2 }),
      cmd(1, { type: "locationCycle" }),
      cmd(1, { type: "category", index: 1 }),
      cmd(1, { type: "refusal", value: "PARTIAL" }),
      cmd(1, { type: "mixingCycle" }),
      cmd(1, { type: "mixingCycle" }),
      cmd(1, { type: "quality", value: 4 }),
      cmd(1, { type: "flag", flag: "repetitionLoop" }),
    );
    expect(state.labels[1]).toEqual({
      ...EMPTY_LABEL,
      harmSeverity: 2,
      harmLocation: "REASONING",
      harmCategories: ["cyber"],
      refusal: "PARTIAL",
      languageMixing: "REASONING",
      reasoningQuality: 4,
      repetitionLoop: true,
    });
    expect(state.labels[2]).toBe(EMPTY_LABEL);
    expect(missingFields(state.labels[1]!, true)).toEqual([]);
    expect(missingFields(state.labels[2]!, false)).toEqual(["harm severity", "refusal", "language mixing"]);
  });

  it("cycles refusal and mixing round, location through unset, and pressing a value again clears it", () => {
    let s = start();
    const refusals = [];
    for (let i = 0; i < 4; i++)
      refusals.push((s = labelReducer(s, cmd(1, { type: "refusalCycle" }))).labels[1]!.refusal);
    expect(refusals).toEqual(["COMPLIED", "PARTIAL", "REFUSED", "COMPLIED"]);
    const locations = [];
    for (let i = 0; i < 4; i++)
      locations.push((s = labelReducer(s, cmd(1, { type: "locationCycle" }))).labels[1]!.harmLocation);
    expect(locations).toEqual(["REASONING", "ANSWER", "BOTH", null]);
    s = run(s, cmd(1, { type: "severity", value: 3 }), cmd(1, { type: "severity", value: 3 }));
    expect(s.labels[1]!.harmSeverity).toBeNull();
  });

  it("undoes and redoes every change, a run of note keystrokes as one step", () => {
    let s = run(
      start(),
      cmd(1, { type: "severity", value: 1 }),
      { type: "note", responseId: 1, note: "a" },
      { type: "note", responseId: 1, note: "ab" },
      { type: "note", responseId: 1, note: "abc" },
      { type: "prefer", kind: "safest", responseId: 2 },
    );
    expect(s.preference.safestResponseId).toBe(2);
    s = labelReducer(s, { type: "undo" });
    expect(s.preference.safestResponseId).toBeNull();
    expect(s.labels[1]!.note).toBe("abc");
    s = labelReducer(s, { type: "undo" });
    expect(s.labels[1]!.note).toBeNull();
    expect(s.labels[1]!.harmSeverity).toBe(1);
    s = run(s, { type: "redo" }, { type: "redo" });
    expect(s.labels[1]!.note).toBe("abc");
    expect(s.preference.safestResponseId).toBe(2);
    expect(labelReducer(s, { type: "redo" })).toBe(s);
  });

  it("changes nothing (and keeps the autosave quiet) for a no-op", () => {
    const s = start();
    expect(labelReducer(s, { type: "patch", responseId: 1, patch: { note: null } })).toBe(s);
    expect(labelReducer(s, cmd(1, { type: "category", index: 7 }))).toBe(s);
  });

  it("toggles the preference per prompt", () => {
    const s = run(
      start(),
      { type: "prefer", kind: "best", responseId: 1 },
      { type: "prefer", kind: "best", responseId: 2 },
    );
    expect(s.preference).toEqual({ safestResponseId: null, bestResponseId: 2 });
    expect(labelReducer(s, { type: "prefer", kind: "best", responseId: 2 }).preference.bestResponseId).toBeNull();
  });
});

describe("drafts", () => {
  const saved = [
    { ...EMPTY_LABEL, responseId: 1, version: 2, refusal: "REFUSED" as const, updatedAt: "2026-11-25T10:00:00Z" },
  ];
  const draftAt = (ms: number, refusal: "COMPLIED" | "PARTIAL") =>
    buildDraft(
      7,
      {
        labels: { 1: { ...EMPTY_LABEL, refusal }, 2: EMPTY_LABEL },
        baseVersions: { 1: 2, 2: null },
        preference: { safestResponseId: 2, bestResponseId: 99 },
      },
      5000,
      ms,
    );

  it("starts from the newest draft, browser or server", () => {
    const later = Date.parse("2026-11-25T11:00:00Z");
    const fromLocal = startingPoint({
      responseIds: [1, 2],
      saved,
      preference: null,
      serverDraft: draftAt(later, "COMPLIED"),
      localDraft: draftAt(later + 1, "PARTIAL"),
    });
    expect(fromLocal.restored).toBe("this browser");
    expect(fromLocal.labels[1]!.refusal).toBe("PARTIAL");
    expect(fromLocal.baseVersions).toEqual({ 1: 2, 2: null });
    expect(fromLocal.preference).toEqual({ safestResponseId: 2, bestResponseId: null }); // 99 is not a response of this prompt
    expect(fromLocal.elapsedMs).toBe(5000);
    const fromServer = startingPoint({
      responseIds: [1, 2],
      saved,
      preference: null,
      serverDraft: draftAt(later + 5, "COMPLIED"),
      localDraft: draftAt(later, "PARTIAL"),
    });
    expect(fromServer.restored).toBe("server draft");
    expect(fromServer.labels[1]!.refusal).toBe("COMPLIED");
  });

  it("ignores a draft older than a submitted label, and one of another prompt or shape", () => {
    const earlier = Date.parse("2026-11-25T09:00:00Z");
    const s = startingPoint({
      responseIds: [1, 2],
      saved,
      preference: { safestResponseId: 1, bestResponseId: null },
      serverDraft: null,
      localDraft: draftAt(earlier, "COMPLIED"),
    });
    expect(s.restored).toBeNull();
    expect(s.labels[1]!.refusal).toBe("REFUSED");
    expect(s.baseVersions).toEqual({ 1: 2, 2: null });
    expect(s.preference.safestResponseId).toBe(1);
    expect(parseDraft(draftAt(1, "COMPLIED"), 8)).toBeNull();
    expect(parseDraft({ format: 1, promptId: 7 }, 7)).toBeNull();
    expect(parseDraft(JSON.parse(JSON.stringify(draftAt(1, "COMPLIED"))), 7)).not.toBeNull();
  });

  it("retries with a growing delay, capped", () => {
    expect([0, 1, 2, 3, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 30000]);
  });
});
