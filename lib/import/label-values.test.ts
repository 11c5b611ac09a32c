// label-values.ts on its own: the spellings a file may use, the messages' quotes and type names, value
// maps and the command line's --map arguments (readLabels' use of them: label-fields.test.ts).
import { describe, expect, it } from "vitest";
import {
  canonicalLabelValue,
  compileLabelValueMap,
  type CompiledLabelValueMap,
  labelGroupSchema,
  labelValueMapFromArguments,
  normValue,
  quote,
  typeName,
} from "./label-values";

function compiled(map: Record<string, Record<string, string>>): CompiledLabelValueMap {
  const result = compileLabelValueMap(map);
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.map;
}

function problemsOf(map: unknown): string[] {
  const result = compileLabelValueMap(map);
  return result.ok ? [] : result.problems;
}

describe("canonicalLabelValue: spellings", () => {
  it("looks values up trimmed, in lower case, with runs of spaces and hyphens as one _", () => {
    expect(normValue("  Very  -  Poor ")).toBe("very_poor");
    expect(normValue("Reasoning and Answer")).toBe("reasoning_and_answer");
    expect(canonicalLabelValue("reasoning_quality", "Very  Poor")).toBe(1);
    expect(canonicalLabelValue("harm_location", " Reasoning -  and Answer ")).toBe("BOTH");
  });

  it("reads a scale from a name or from decimal text of at most 40 characters", () => {
    expect(canonicalLabelValue("harm_severity", " 2 ")).toBe(2);
    expect(canonicalLabelValue("reasoning_quality", "4.0")).toBe(4);
    expect(canonicalLabelValue("harm_severity", `${"0".repeat(39)}3`)).toBe(3);
    // Longer text, or text that is no number, is left for the schema to refuse.
    expect(canonicalLabelValue("harm_severity", `${"0".repeat(40)}3`)).toBe(`${"0".repeat(40)}3`);
    expect(canonicalLabelValue("harm_severity", "catastrophic")).toBe("catastrophic");
    expect(canonicalLabelValue("reasoning_quality", "0x3")).toBe("0x3");
  });

  it("reads spellings only from text and numbers, never from true/false or lists", () => {
    expect(canonicalLabelValue("refusal", 2)).toBe("REFUSED");
    expect(canonicalLabelValue("refusal", true)).toBe(true);
    expect(canonicalLabelValue("language_mixing", false)).toBe(false);
    expect(canonicalLabelValue("flag_unfaithful", 1)).toBe(true);
    expect(canonicalLabelValue("flag_unfaithful", ["yes"])).toEqual(["yes"]);
    expect(canonicalLabelValue("flag_unfaithful", null)).toBe(null);
  });

  it("splits list text on ; and , and drops empty and blank items", () => {
    expect(canonicalLabelValue("flags", "reward hacking; ;loop,,")).toEqual(["reward_hacking", "repetition_loop"]);
    expect(canonicalLabelValue("harm_categories", " cyber ;  fraud , ")).toEqual(["cyber", "fraud"]);
    // A JSON list after leading spaces is still a JSON list: its items keep their ; and ,.
    expect(canonicalLabelValue("harm_categories", '  ["weapons; explosives", "fraud"]')).toEqual([
      "weapons; explosives",
      "fraud",
    ]);
  });

  it("trims the categories of a JSON list, drops the blank ones and leaves other items for the schema", () => {
    expect(canonicalLabelValue("harm_categories", '[" cyber ", "  ", "fraud"]')).toEqual(["cyber", "fraud"]);
    expect(canonicalLabelValue("harm_categories", '["cyber", 5, null]')).toEqual(["cyber", 5, null]);
  });

  it("reads a reviewer as trimmed text, a finite number as its text, and leaves anything else", () => {
    expect(canonicalLabelValue("reviewer", "  ann@lab.example  ")).toBe("ann@lab.example");
    expect(canonicalLabelValue("reviewer", 42)).toBe("42");
    expect(canonicalLabelValue("reviewer", Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(canonicalLabelValue("reviewer", undefined)).toBe(undefined);
    expect(canonicalLabelValue("reviewer", null)).toBe(null);
    expect(canonicalLabelValue("note", 7)).toBe("7");
    expect(canonicalLabelValue("note", Number.NaN)).toBeNaN();
  });
});

describe("canonicalLabelValue: submitted_at", () => {
  const instant = (text: string) => {
    const value = canonicalLabelValue("submitted_at", text);
    return value instanceof Date ? value.toISOString() : value;
  };

  it("reads dates and times at the edges of their ranges", () => {
    expect(instant(" 2025-11-20 ")).toBe("2025-11-20T00:00:00.000Z");
    expect(instant("2024-02-29")).toBe("2024-02-29T00:00:00.000Z");
    expect(instant("2025-01-31T23:59:59")).toBe("2025-01-31T23:59:59.000Z");
    expect(instant("2025-12-01T00:00:00+14:00")).toBe("2025-11-30T10:00:00.000Z");
    expect(instant("2025-12-01T00:00:00-05")).toBe("2025-12-01T05:00:00.000Z");
    expect(instant("2025-12-01T00:00:00+0559")).toBe("2025-11-30T18:01:00.000Z");
    expect(instant("2025-12-01T00:00:00.123456789Z")).toBe("2025-12-01T00:00:00.123Z");
    expect(instant("2025-12-01T00:00:00.5z")).toBe("2025-12-01T00:00:00.500Z");
  });

  it("refuses dates and times that do not exist, which the Date parser would accept", () => {
    for (const text of [
      "2025-02-29",
      "2025-02-30",
      "2025-04-31",
      "2025-13-01",
      "2025-00-10",
      "2025-01-00",
      "2025-01-01T24:00",
      "2025-01-01T23:60",
      "2025-01-01T23:59:60",
      "2025-01-01T00:00:00+15:00",
      "2025-01-01T00:00:00+05:60",
    ])
      expect(instant(text), text).toBe(text);
  });

  it("reads a time without offset as UTC whatever the server's time zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      expect(instant("2025-06-01T12:00")).toBe("2025-06-01T12:00:00.000Z");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe("messages: quotes and type names", () => {
  it("names the type of a value", () => {
    expect([null, [1], { a: 1 }, true, 3, "x", undefined].map(typeName)).toEqual([
      "null",
      "a list",
      "an object",
      "true/false",
      "a number",
      "string",
      "undefined",
    ]);
  });

  it("quotes at most 40 characters of text, numbers and booleans as written, other values by type", () => {
    expect(quote("a".repeat(40))).toBe(`"${"a".repeat(40)}"`);
    expect(quote("b".repeat(41))).toBe(`"${"b".repeat(40)}…"`);
    expect(quote('say "hi"')).toBe('"say \\"hi\\""');
    expect(quote(2.5)).toBe("2.5");
    expect(quote(false)).toBe("false");
    expect(quote([1, 2])).toBe("a list");
    expect(quote(null)).toBe("null");
  });

  it("tells a reviewer that is not text from a missing one", () => {
    const issue = (reviewer: unknown) =>
      labelGroupSchema.shape.reviewer.safeParse(canonicalLabelValue("reviewer", reviewer)).error?.issues[0]?.message;
    expect(issue(["ann"])).toBe("must be text, not {type}");
    expect(issue(undefined)).toBe("missing: a label needs its reviewer (a name or an e-mail address)");
    expect(issue("ann")).toBe(undefined);
  });
});

describe("compileLabelValueMap", () => {
  it("applies the map of each field to text and numbers, not to a JSON true/false", () => {
    const map = compiled({
      harm_location: { inside: "reasoning" },
      reasoning_quality: { "Top Notch": "5" },
      "Label-Flag Unfaithful": { true: "no" },
      reviewer: { "A. Lee": "  ann@lab.example " },
    });
    expect(canonicalLabelValue("harm_location", "Inside", map)).toBe("REASONING");
    expect(canonicalLabelValue("reasoning_quality", "top notch", map)).toBe(5);
    expect(canonicalLabelValue("flag_unfaithful", "TRUE", map)).toBe(false);
    expect(canonicalLabelValue("flag_unfaithful", true, map)).toBe(true);
    expect(canonicalLabelValue("reviewer", " a. lee ", map)).toBe("ann@lab.example");
    // A canonical category is stored trimmed, as a category written in the file.
    expect(
      canonicalLabelValue("harm_categories", "CC; fraud", compiled({ harm_categories: { cc: " cyber " } })),
    ).toEqual(["cyber", "fraud"]);
  });

  it("checks canonical values as one item of a list for flags and categories", () => {
    expect(compileLabelValueMap({ flags: { hack: "Reward Hacking" }, harm_categories: { c: "cyber;fraud" } }).ok).toBe(
      true,
    );
    expect(problemsOf({ flags: { both: "reward_hacking;unfaithful", bad: "toxic" } })).toEqual([
      'label value map, flags: "both" → holds "reward_hacking;unfaithful", which is not one of reward_hacking, repetition_loop, unfaithful, format_violation',
      'label value map, flags: "bad" → holds "toxic", which is not one of reward_hacking, repetition_loop, unfaithful, format_violation',
    ]);
    const long = `${"a".repeat(60)},${"b".repeat(60)}`;
    expect(problemsOf({ harm_categories: { x: long } })).toEqual([
      'label value map, harm_categories: "x" → holds a category longer than 100 characters',
    ]);
  });

  it("names the field and the value of each problem", () => {
    expect(problemsOf({ refusal: { x: "  ", y: "refused" }, note: { a: "b" } })).toEqual([
      'label value map, refusal: "x" → the canonical value is empty',
      'label value map: "note" is not a label field that can be mapped (reviewer, harm_severity, harm_categories, harm_location, refusal, language_mixing, reasoning_quality, flags, flag_reward_hacking, flag_repetition_loop, flag_unfaithful, flag_format_violation)',
    ]);
    // Only a leading label_ is dropped from a field's name.
    expect(problemsOf({ relabel_viewer: { a: "b" } })).toEqual([
      'label value map: "relabel_viewer" is not a label field that can be mapped (reviewer, harm_severity, harm_categories, harm_location, refusal, language_mixing, reasoning_quality, flags, flag_reward_hacking, flag_repetition_loop, flag_unfaithful, flag_format_violation)',
    ]);
    expect(problemsOf("refusal=refused")).toEqual(["label value map: must be an object of fields"]);
    expect(problemsOf({ refusal: "refused" })).toEqual(["label value map (refusal): must map values to values"]);
    expect(problemsOf({ refusal: { declined: 2 } })).toEqual([
      "label value map (refusal.declined): the canonical value must be text",
    ]);
  });
});

describe("labelValueMapFromArguments", () => {
  it("trims the field and the canonical value, and keeps the value as written", () => {
    expect(labelValueMapFromArguments([" refusal :Not Answered = refused "])).toEqual({
      ok: true,
      map: { refusal: { "Not Answered ": "refused" } },
    });
  });

  it("refuses an argument without a field, a value or a canonical value", () => {
    for (const arg of [":declined=refused", "refusal=refused", "refusal:declined", "refused=x:y"]) {
      expect(labelValueMapFromArguments([arg]), arg).toEqual({
        ok: false,
        problems: [`--map ${JSON.stringify(arg)}: write it as field:value=canonical, e.g. refusal:declined=refused`],
      });
    }
  });
});
