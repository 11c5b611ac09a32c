// label-fields.ts (label columns, groups, labels-only rows) and label-values.ts (spellings, value maps).
import { describe, expect, it } from "vitest";
import { readLabels, type ImportedLabel } from "./label-fields";
import { compileLabelValueMap, labelValueMapFromArguments, type CompiledLabelValueMap } from "./label-values";
import { normalizeRecord } from "./normalize-record";
import type { RowError } from "./types";

const NOW = Date.parse("2025-11-25T12:00:00Z");

function read(record: Record<string, unknown>, valueMap?: CompiledLabelValueMap, line = 3) {
  const errors: RowError[] = [];
  const result = readLabels(Object.entries(record), line, { maxFieldBytes: 1024 * 1024, valueMap, now: NOW }, errors);
  return { ...result, errors };
}

function labelsOf(record: Record<string, unknown>, valueMap?: CompiledLabelValueMap): ImportedLabel[] {
  const result = read(record, valueMap);
  if (result.errors.length > 0)
    throw new Error("expected labels, got errors: " + JSON.stringify(result.errors, null, 2));
  return result.labels;
}

function compiled(map: Record<string, Record<string, string>>): CompiledLabelValueMap {
  const result = compileLabelValueMap(map);
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.map;
}

const empty: Omit<ImportedLabel, "reviewer" | "reviewerField"> = {
  harmSeverity: null,
  harmCategories: [],
  harmLocation: null,
  refusal: null,
  languageMixing: null,
  reasoningQuality: null,
  rewardHacking: false,
  repetitionLoop: false,
  unfaithful: false,
  formatViolation: false,
  note: null,
  submittedAt: null,
};

const response = {
  prompt_id: "p1",
  prompt: "How do I pick a lock?",
  checkpoint: "rl-1",
  strategy: "rl",
  response: "No.",
};

describe("readLabels: label_ fields", () => {
  it("reads every field of a label_ group", () => {
    expect(
      labelsOf({
        label_reviewer: " ann@lab.example ",
        label_harm_severity: 2,
        label_harm_categories: ["cyber", "fraud"],
        label_harm_location: "answer",
        label_refusal: "partial",
        label_language_mixing: "reasoning",
        label_reasoning_quality: 4,
        label_flags: ["reward_hacking"],
        label_flag_unfaithful: true,
        label_note: "Leaky refusal.",
        label_submitted_at: "2025-11-20T14:03:05.123Z",
      }),
    ).toEqual([
      {
        reviewer: "ann@lab.example",
        reviewerField: "label_reviewer",
        harmSeverity: 2,
        harmCategories: ["cyber", "fraud"],
        harmLocation: "ANSWER",
        refusal: "PARTIAL",
        languageMixing: "REASONING",
        reasoningQuality: 4,
        rewardHacking: true,
        repetitionLoop: false,
        unfaithful: true,
        formatViolation: false,
        note: "Leaky refusal.",
        submittedAt: "2025-11-20T14:03:05.123Z",
      } satisfies ImportedLabel,
    ]);
  });

  it("reads CSV text: numbers, booleans, separated lists, case and spacing", () => {
    const [label] = labelsOf({
      "Label Reviewer": "Ann Lee",
      "LABEL-HARM-SEVERITY": "3.0",
      label_harm_categories: " cyber ; fraud,cyber ",
      label_refusal: "Full Refusal",
      label_language_mixing: "NONE",
      label_reasoning_quality: "2",
      label_flags: "repetition loop; Format-Violation",
      label_flag_reward_hacking: "yes",
      label_flag_unfaithful: "f",
      label_note: "",
      label_submitted_at: "",
    });
    expect(label).toEqual({
      ...empty,
      reviewer: "Ann Lee",
      reviewerField: "Label Reviewer",
      harmSeverity: 3,
      harmCategories: ["cyber", "fraud"],
      refusal: "REFUSED",
      languageMixing: "NONE",
      reasoningQuality: 2,
      rewardHacking: true,
      repetitionLoop: true,
      formatViolation: true,
    });
  });

  it.each([
    ["harm_severity", "none", 0],
    ["harm_severity", "Minor", 1],
    ["harm_severity", "moderate", 2],
    ["harm_severity", "SEVERE", 3],
    ["harm_severity", "low", 1],
    ["harm_severity", "medium", 2],
    ["harm_severity", "high", 3],
    ["harm_severity", "0", 0],
    ["refusal", "full_refusal", "REFUSED"],
    ["refusal", "refused", "REFUSED"],
    ["refusal", "refusal", "REFUSED"],
    ["refusal", 2, "REFUSED"],
    ["refusal", "2", "REFUSED"],
    ["refusal", "1", "PARTIAL"],
    ["refusal", "partially refused", "PARTIAL"],
    ["refusal", "complied", "COMPLIED"],
    ["refusal", 0, "COMPLIED"],
    ["harm_location", "Both", "BOTH"],
    ["harm_location", "cot", "REASONING"],
    ["language_mixing", "in answer", "ANSWER"],
    ["language_mixing", "both", "BOTH"],
    ["reasoning_quality", "excellent", 5],
    ["reasoning_quality", 1, 1],
  ])("%s %j reads as %j", (field, value, expected) => {
    const [label] = labelsOf({ label_reviewer: "r", [`label_${field}`]: value });
    const key = {
      harm_severity: "harmSeverity",
      refusal: "refusal",
      harm_location: "harmLocation",
      language_mixing: "languageMixing",
      reasoning_quality: "reasoningQuality",
    }[field]!;
    expect(label![key as keyof ImportedLabel]).toBe(expected);
  });

  it.each([true, "true", "TRUE", "t", "yes", "Y", "1", 1, "on"])("reads %j as true", (value) => {
    expect(labelsOf({ label_reviewer: "r", label_flag_repetition_loop: value })[0]!.repetitionLoop).toBe(true);
  });

  it.each([false, "false", "F", "no", "n", "0", 0, "off"])("reads %j as false", (value) => {
    // A group whose only content is a false flag is no label; give it something else.
    expect(
      labelsOf({ label_reviewer: "r", label_harm_severity: 0, label_flag_repetition_loop: value })[0]!.repetitionLoop,
    ).toBe(false);
  });

  it("reads a JSON list in a CSV cell, and keeps categories as written", () => {
    const [label] = labelsOf({
      label_reviewer: "r",
      label_harm_categories: '["Cyber", "self-harm"]',
      label_flags: '["unfaithful"]',
    });
    expect(label).toMatchObject({ harmCategories: ["Cyber", "self-harm"], unfaithful: true });
  });

  it("reads dates: date only, no offset (UTC), offsets, a space for T", () => {
    const at = (value: string) => labelsOf({ label_reviewer: "r", label_submitted_at: value })[0]!.submittedAt;
    expect(at("2025-11-20")).toBe("2025-11-20T00:00:00.000Z");
    expect(at("2025-11-20T14:03")).toBe("2025-11-20T14:03:00.000Z");
    expect(at("2025-11-20 14:03:05")).toBe("2025-11-20T14:03:05.000Z");
    expect(at("2025-11-20T14:03:05.123456+01:00")).toBe("2025-11-20T13:03:05.123Z");
    expect(at("2025-11-20T14:03:05-0530")).toBe("2025-11-20T19:33:05.000Z");
  });
});

describe("readLabels: several reviewers, the export's names, export-only columns", () => {
  it("reads numbered groups in order, skipping an empty one whose flags say f", () => {
    const result = read({
      label_2_reviewer: "bob",
      label_2_harm_severity: "1",
      label_1_reviewer: "ann",
      label_1_harm_severity: "2",
      label_3_reviewer: "",
      label_3_harm_severity: "",
      label_3_flag_reward_hacking: "f",
    });
    expect(result.errors).toEqual([]);
    expect(result.labels.map((l) => [l.reviewer, l.harmSeverity, l.reviewerField])).toEqual([
      ["ann", 2, "label_1_reviewer"],
      ["bob", 1, "label_2_reviewer"],
    ]);
  });

  it("reads the export's own column names when the record has a reviewer column", () => {
    const exported = {
      reviewer: "reviewer1@demo.parallax.local",
      label_source: "review",
      harm_severity: "1",
      harm_categories: "weapons;violence",
      harm_location: "answer",
      refusal: "complied",
      language_mixing: "none",
      reasoning_quality: "3",
      flag_reward_hacking: "f",
      flag_repetition_loop: "t",
      flag_unfaithful: "f",
      flag_format_violation: "f",
      note: "Fine.",
      label_version: "3",
      submitted_at: "2025-11-18T09:12:44.512Z",
    };
    const result = read(exported);
    expect(result.errors).toEqual([]);
    expect(result.metadata).toBeNull();
    expect(result.labels).toEqual([
      {
        reviewer: "reviewer1@demo.parallax.local",
        reviewerField: "reviewer",
        harmSeverity: 1,
        harmCategories: ["weapons", "violence"],
        harmLocation: "ANSWER",
        refusal: "COMPLIED",
        languageMixing: "NONE",
        reasoningQuality: 3,
        rewardHacking: false,
        repetitionLoop: true,
        unfaithful: false,
        formatViolation: false,
        note: "Fine.",
        submittedAt: "2025-11-18T09:12:44.512Z",
      },
    ]);
  });

  it("leaves the export's names in metadata when the record has no reviewer column", () => {
    const result = read({ note: "sampled at T=0.7", refusal: "whatever" });
    expect(result.errors).toEqual([]);
    expect(result.labels).toEqual([]);
    expect(result.present).toBe(false);
    expect(result.metadata).toEqual([
      ["note", "sampled at T=0.7", "note"],
      ["refusal", "whatever", "refusal"],
    ]);
  });

  it("ignores the aggregate columns of --shape responses, recognised by label_count", () => {
    const aggregates = {
      label_count: "2",
      harm_severity_median: "2.5",
      harmful: "t",
      language_mixing: "f",
      flag_unfaithful_votes: "1",
      over_refusal: "",
    };
    const result = read(aggregates);
    expect(result).toMatchObject({ errors: [], labels: [], present: false, metadata: null });
    // Without label_count, such names are a file's own fields.
    expect(read({ harmful: "yes" }).metadata).toEqual([["harmful", "yes", "harmful"]]);
  });

  it("through normalizeRecord: label columns travel on the row, export-only columns are dropped, unknown ones stay metadata", () => {
    const result = normalizeRecord(
      {
        ...response,
        study: "r1-safety-demo",
        response_id: "17",
        label_id: "4",
        format_issues: "no_answer",
        signal_mix_score: "0.2",
        signal_refusal: "refused",
        run: "eval-7",
        label_reviewer: "ann",
        label_harm_severity: "severe",
      },
      5,
    );
    if (!result.ok || result.row === undefined) throw new Error(JSON.stringify(result));
    expect(result.row.metadata).toEqual({ run: "eval-7" });
    expect(result.row.labels).toEqual([
      { ...empty, reviewer: "ann", reviewerField: "label_reviewer", harmSeverity: 3 },
    ]);
    const plain = normalizeRecord(response, 1);
    expect(plain.ok && plain.row !== undefined && "labels" in plain.row).toBe(false);
  });
});

describe("readLabels: errors name the line and the field as written", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      "a severity out of range",
      { label_reviewer: "r", label_harm_severity: 4 },
      "label_harm_severity",
      /4 is not a harm severity: give 0–3/,
    ],
    [
      "a severity word it does not know",
      { label_reviewer: "r", "Label Harm Severity": "catastrophic" },
      "Label Harm Severity",
      /"catastrophic" is not a harm severity.*--map harm_severity:VALUE=CANONICAL/,
    ],
    [
      "a quality of 0",
      { label_reviewer: "r", label_reasoning_quality: "0" },
      "label_reasoning_quality",
      /"0" is not a reasoning quality/,
    ],
    [
      "a quality of 2.5",
      { label_reviewer: "r", label_reasoning_quality: 2.5 },
      "label_reasoning_quality",
      /2.5 is not a reasoning quality/,
    ],
    [
      "a refusal it does not know",
      { label_reviewer: "r", label_refusal: "maybe" },
      "label_refusal",
      /"maybe" is not one of complied, partial, refused/,
    ],
    ["a refusal of 3", { label_reviewer: "r", label_refusal: 3 }, "label_refusal", /3 is not one of complied/],
    [
      "mixing said yes (where?)",
      { label_reviewer: "r", label_language_mixing: "yes" },
      "label_language_mixing",
      /"yes" is not one of none, reasoning, answer, both/,
    ],
    [
      "a location of none",
      { label_reviewer: "r", label_harm_location: "none" },
      "label_harm_location",
      /"none" is not one of reasoning, answer, both/,
    ],
    [
      "a boolean it does not know",
      { label_reviewer: "r", label_flag_unfaithful: "perhaps" },
      "label_flag_unfaithful",
      /"perhaps" is not true or false/,
    ],
    [
      "a flag it does not know",
      { label_reviewer: "r", label_flags: "reward_hacking;toxic" },
      "label_flags",
      /holds "toxic", which is not one of reward_hacking/,
    ],
    [
      "categories that are not a list",
      { label_reviewer: "r", label_harm_categories: { a: 1 } },
      "label_harm_categories",
      /must be a list.*not an object/,
    ],
    ["a label without reviewer", { label_harm_severity: 1 }, "label_reviewer", /missing: a label needs its reviewer/],
    ["a numbered label without reviewer", { label_2_refusal: "refused" }, "label_2_reviewer", /missing/],
    ["an export row with an empty reviewer", { reviewer: "", harm_severity: "1" }, "reviewer", /missing/],
    [
      "a reviewer that is half an e-mail",
      { label_reviewer: "@ann", label_harm_severity: 1 },
      "label_reviewer",
      /"@ann" is not an e-mail address/,
    ],
    [
      "a reviewer with a control character",
      { label_reviewer: "ann\u0007", label_harm_severity: 1 },
      "label_reviewer",
      /control character/,
    ],
    ["a NUL in the note", { label_reviewer: "r", label_note: "a\u0000b" }, "label_note", /NUL/],
    [
      "a 30th of February",
      { label_reviewer: "r", label_submitted_at: "2025-02-30" },
      "label_submitted_at",
      /"2025-02-30" is not an ISO 8601 date/,
    ],
    [
      "a date that is not ISO",
      { label_reviewer: "r", label_submitted_at: "20/11/2025" },
      "label_submitted_at",
      /not an ISO 8601 date/,
    ],
    [
      "a date in the future",
      { label_reviewer: "r", label_submitted_at: "2026-01-01" },
      "label_submitted_at",
      /"2026-01-01" is in the future/,
    ],
    [
      "a reviewer given twice",
      { label_reviewer: "ann", reviewer: "bob", label_harm_severity: 1 },
      "reviewer",
      /given twice \(also as "label_reviewer"\)/,
    ],
    [
      "a flag listed and said false",
      { label_reviewer: "r", label_flags: "unfaithful", label_flag_unfaithful: "no" },
      "label_flag_unfaithful",
      /is false, but label_flags lists unfaithful/,
    ],
  ];
  for (const [name, record, field, message] of cases) {
    it(name, () => {
      const result = read(record, undefined, 9);
      expect(result.present).toBe(true);
      expect(result.labels).toEqual([]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({ line: 9, field });
      expect(result.errors[0]!.message).toMatch(message);
    });
  }

  it("reports each bad group, and keeps the good ones", () => {
    const result = read({
      label_1_reviewer: "ann",
      label_1_refusal: "refused",
      label_2_reviewer: "bob",
      label_2_refusal: "nope",
      label_2_harm_severity: 9,
    });
    expect(result.labels.map((l) => l.reviewer)).toEqual(["ann"]);
    expect(result.errors.map((e) => e.field).sort()).toEqual(["label_2_harm_severity", "label_2_refusal"]);
  });
});

describe("label value maps", () => {
  it("maps spellings of a file to canonical values, case-insensitively, before the built-in spellings", () => {
    const map = compiled({
      refusal: { Declined: "refused", "1": "refused" },
      harm_severity: { "Level 2": "moderate" },
      language_mixing: { yes: "both" },
      flags: { hack: "reward_hacking" },
      harm_categories: { "Cyber-Crime": "cyber" },
      label_reviewer: { "A. Lee": "ann@lab.example" },
      flag_unfaithful: { x: "true" },
    });
    const [label] = labelsOf(
      {
        label_reviewer: "a. lee",
        label_refusal: "DECLINED",
        label_harm_severity: "level 2",
        label_language_mixing: "Yes",
        label_flags: "Hack",
        label_harm_categories: "cyber crime;fraud",
        label_flag_unfaithful: "X",
      },
      map,
    );
    expect(label).toMatchObject({
      reviewer: "ann@lab.example",
      refusal: "REFUSED",
      harmSeverity: 2,
      languageMixing: "BOTH",
      rewardHacking: true,
      harmCategories: ["cyber", "fraud"],
      unfaithful: true,
    });
    // The map overrides a built-in spelling: a yes/no column where 1 means refused.
    expect(labelsOf({ label_reviewer: "r", label_refusal: 1 }, map)[0]!.refusal).toBe("REFUSED");
  });

  it("refuses an unknown field or a canonical value Parallax cannot read", () => {
    const result = compileLabelValueMap({
      verdict: { a: "b" },
      refusal: { nope: "banana" },
      harm_severity: { x: "7" },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toMatch(/"verdict" is not a label field that can be mapped/);
    expect(result.problems[1]).toMatch(/refusal: "nope" → "banana" is not one of complied, partial, refused$/);
    expect(result.problems[2]).toMatch(/harm_severity: "x" → "7" is not a harm severity/);
    expect(compileLabelValueMap({ refusal: "refused" }).ok).toBe(false);
  });

  it("reads --map field:value=canonical arguments", () => {
    expect(
      labelValueMapFromArguments([
        "refusal:declined=refused",
        "refusal:Not Answered=refused",
        "harm_severity:a=b:c=severe",
        "note:=x",
      ]),
    ).toEqual({
      ok: true,
      map: {
        refusal: { declined: "refused", "Not Answered": "refused" },
        harm_severity: { "a=b:c": "severe" },
        note: { "": "x" },
      },
    });
    const bad = labelValueMapFromArguments(["refused", "refusal=refused"]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]).toMatch(/write it as field:value=canonical/);
  });
});

describe("normalizeRecord: labels-only rows", () => {
  it("keys labels without prompt and response by prompt_id, checkpoint and sample_index", () => {
    const result = normalizeRecord(
      {
        prompt_id: " p7 ",
        checkpoint: "rl-1",
        sample_index: "2",
        strategy: "rl",
        label_reviewer: "ann",
        label_refusal: "refused",
      },
      4,
    );
    expect(result).toEqual({
      ok: true,
      labelsOnly: {
        line: 4,
        promptKey: "p7",
        checkpoint: "rl-1",
        sampleIndex: 2,
        labels: [{ ...empty, reviewer: "ann", reviewerField: "label_reviewer", refusal: "REFUSED" }],
      },
    });
  });

  it("needs a prompt_id and a checkpoint", () => {
    const result = normalizeRecord({ label_reviewer: "ann", label_refusal: "refused" }, 6);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [6, "checkpoint"],
      [6, "prompt_id"],
    ]);
    expect(result.errors[1]!.message).toMatch(/named by prompt_id, checkpoint and sample_index/);
  });

  it("reports a bad label value, not a missing prompt or response", () => {
    const result = normalizeRecord(
      { prompt_id: "p7", checkpoint: "rl-1", label_reviewer: "ann", label_refusal: "sort of" },
      2,
    );
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 2, field: "label_refusal", message: expect.stringMatching(/"sort of" is not one of/) }],
    });
  });

  it("a row with a prompt but no response is still a response row", () => {
    const result = normalizeRecord(
      { prompt_id: "p7", prompt: "Text", checkpoint: "rl-1", label_reviewer: "ann", label_refusal: "refused" },
      2,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(["response"]);
  });
});

describe("readLabels: the adjudicated label (adjudicated_ fields)", () => {
  it("reads adjudicated_<field> as the response's adjudicated label, which needs no reviewer", () => {
    const labels = labelsOf({
      label_1_reviewer: "ann",
      label_1_refusal: "refused",
      adjudicated_refusal: "partial",
      adjudicated_note: "two of three",
    });
    expect(labels).toHaveLength(2);
    expect(labels[0]).toMatchObject({ reviewer: "ann", refusal: "REFUSED" });
    expect(labels[0]!.adjudicated).toBeUndefined();
    expect(labels[1]).toMatchObject({ adjudicated: true, refusal: "PARTIAL", note: "two of three" });
  });

  it("maps the adjudicated values with the same value map as the reviewers' (XSTest's spellings)", () => {
    const map = compiled({ refusal: { "3_partial_refusal": "partial" } });
    expect(labelsOf({ adjudicated_refusal: "3_partial_refusal" }, map)).toEqual([
      expect.objectContaining({ adjudicated: true, refusal: "PARTIAL" }),
    ]);
  });

  it("names the adjudicated column in a bad value's error, and ignores adjudicated_ names that are no label field", () => {
    const bad = read({ adjudicated_harm_severity: "7" });
    expect(bad.labels).toEqual([]);
    expect(bad.errors).toEqual([expect.objectContaining({ line: 3, field: "adjudicated_harm_severity" })]);
    expect(read({ adjudicated_by: "x", adjudicated_reviewer: "y" })).toMatchObject({
      labels: [],
      present: false,
      errors: [],
    });
  });
});
