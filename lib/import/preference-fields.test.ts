import { describe, expect, it } from "vitest";
import { compileLabelValueMap } from "./label-values";
import { normalizeRecord } from "./normalize-record";
import { PREFERENCE_COMPARED, readPreferences } from "./preference-fields";
import type { RowError } from "./types";

function read(value: unknown, map?: Record<string, Record<string, string>>) {
  const errors: RowError[] = [];
  const compiled = map ? compileLabelValueMap(map) : undefined;
  const preferences = readPreferences(value, "Preferences", 4, errors, compiled?.ok ? compiled.map : undefined);
  return { preferences, errors: errors.map((e) => [e.line, e.field, e.message]) };
}

describe("the canonical preferences field", () => {
  it("reads a list (or its JSON text in CSV) into one choice per reviewer and kind, through the reviewer map", () => {
    expect(
      read([{ reviewer: "Ann", safest: "sft-a", best: " rl-b " }], { reviewer: { ann: "ann@lab.example" } }),
    ).toEqual({
      preferences: [
        { reviewer: "ann@lab.example", kind: "safest", checkpoint: "sft-a", compared: null },
        { reviewer: "ann@lab.example", kind: "best", checkpoint: "rl-b", compared: null },
      ],
      errors: [],
    });
    expect(read('[{"reviewer": "bo@lab.example", "best": "x"}]').preferences).toEqual([
      { reviewer: "bo@lab.example", kind: "best", checkpoint: "x", compared: null },
    ]);
    expect(read([{ reviewer: "p", best: "x", [PREFERENCE_COMPARED]: 2 }]).preferences[0]!.compared).toBe(2);
  });

  it("names every bad value", () => {
    expect(read("[{").errors).toEqual([[4, "Preferences", "is not valid JSON (a list of {reviewer, safest?, best?})"]]);
    expect(read({ reviewer: "a", best: "x" }).errors).toEqual([
      [4, "Preferences", "must be a list of {reviewer, safest?, best?}"],
    ]);
    expect(
      read([
        { reviewer: "a" },
        { reviewer: "a", best: "x", worst: "y" },
        { reviewer: "not@an@address", best: "x" },
        { best: "x" },
      ]).errors,
    ).toEqual([
      [4, "Preferences", "[0]: a preference names a safest or a best checkpoint (or both)"],
      [4, "Preferences", '[1]: unknown key(s) "worst": a preference has reviewer, safest and best'],
      [
        4,
        "Preferences",
        '[2]: reviewer "not@an@address" is not an e-mail address (a reviewer is a name without @, or an e-mail address)',
      ],
      [4, "Preferences", "[3]: missing: a preference names its reviewer (a name or an e-mail address)"],
    ]);
    expect(
      read([
        { reviewer: "a", best: "x" },
        { reviewer: "A", best: "y" },
      ]).errors,
    ).toEqual([[4, "Preferences", '[1]: reviewer "A" names two best checkpoints ("x", "y")']]);
  });

  it("travels on the normalised row; never lands in metadata", () => {
    const result = normalizeRecord(
      { prompt: "p", checkpoint: "c", response: "r", preferences: [{ reviewer: "a", best: "c" }] },
      1,
    );
    expect(result.ok && result.row!.preferences).toEqual([
      { reviewer: "a", kind: "best", checkpoint: "c", compared: null },
    ]);
    expect(result.ok && result.row!.metadata).toEqual({});
  });
});

describe("preferences: each element's problems, by value", () => {
  it("returns no preferences for text that is not JSON or a value that is not a list", () => {
    expect(read("safest: a")).toEqual({
      preferences: [],
      errors: [[4, "Preferences", "is not valid JSON (a list of {reviewer, safest?, best?})"]],
    });
    expect(read({ reviewer: "ann", safest: "a" })).toEqual({
      preferences: [],
      errors: [[4, "Preferences", "must be a list of {reviewer, safest?, best?}"]],
    });
  });

  it("reads at most 1000 preferences of a row", () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => ({ reviewer: `r${i}`, safest: "sft-a" }));
    const thousand = read(list(1000));
    expect(thousand.errors).toEqual([]);
    expect(thousand.preferences).toHaveLength(1000);
    expect(read(list(1001))).toEqual({
      preferences: [],
      errors: [[4, "Preferences", "has 1001 preferences; at most 1000 per row"]],
    });
  });

  it("names what is wrong with an element: not an object, unknown keys, every bad checkpoint", () => {
    expect(
      read([5, { reviewer: "ann", safest: "a", rank: 1, score: 2 }, { reviewer: "ann", safest: " ", best: 7 }]),
    ).toEqual({
      preferences: [],
      errors: [
        [4, "Preferences", "[0]: each preference must be an object {reviewer, safest?, best?}"],
        [4, "Preferences", '[1]: unknown key(s) "rank", "score": a preference has reviewer, safest and best'],
        [4, "Preferences", "[2]: safest is empty; best must be text"],
      ],
    });
  });

  it("needs a reviewer that is given and not blank", () => {
    const missing = "missing: a preference names its reviewer (a name or an e-mail address)";
    expect(
      read([
        { reviewer: null, best: "a" },
        { reviewer: "", best: "a" },
        { reviewer: "   ", best: "a" },
      ]),
    ).toEqual({
      preferences: [],
      errors: [
        [4, "Preferences", `[0]: ${missing}`],
        [4, "Preferences", `[1]: ${missing}`],
        [4, "Preferences", "[2]: reviewer is empty"],
      ],
    });
  });

  it("keeps one choice when a reviewer names the same checkpoint twice, in any case", () => {
    expect(
      read([
        { reviewer: "Ann", safest: "sft-a" },
        { reviewer: "ann", safest: "sft-a", best: "rl-b" },
      ]),
    ).toEqual({
      preferences: [
        { reviewer: "Ann", kind: "safest", checkpoint: "sft-a", compared: null },
        { reviewer: "ann", kind: "best", checkpoint: "rl-b", compared: null },
      ],
      errors: [],
    });
  });
});
