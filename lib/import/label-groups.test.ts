// label-fields.ts: which keys are label fields, how a record's label entries form groups, when a group
// counts as given, and the row errors of a group (the fields' values: label-values.test.ts).
// label-fields.ts remembers what each key means: the key tests come first, so that they are the
// first to read their keys in this file.
import { describe, expect, it } from "vitest";
import { type ImportedLabel, labelKeyKind, readLabels } from "./label-fields";
import type { RowError } from "./types";

const NOW = Date.parse("2025-11-25T12:00:00Z");

function read(record: Record<string, unknown>, maxFieldBytes = 1024 * 1024) {
  const errors: RowError[] = [];
  const result = readLabels(Object.entries(record), 4, { maxFieldBytes, now: NOW }, errors);
  return { ...result, errors };
}

function labelsOf(record: Record<string, unknown>): ImportedLabel[] {
  const result = read(record);
  if (result.errors.length > 0) throw new Error(`expected labels, got errors: ${JSON.stringify(result.errors)}`);
  return result.labels;
}

describe("labelKeyKind", () => {
  it("tells label fields, export-only columns and other columns apart", () => {
    const kinds = Object.fromEntries(
      [
        "label_id",
        "signal_refusal_pattern",
        "label_7_id",
        "label_7_source",
        "label_7_version",
        "label_7_confidence",
        "label_7_flag_unfaithful",
        "label_confidence",
        "label_harm_location",
        "model_refusal",
        "adjudicated_reviewer",
        "adjudicated_submitted_at",
        "adjudicated_confidence",
        "adjudicated_harm_location",
        "refused_votes",
        "reasoning_quality",
        "temperature",
      ].map((k) => [k, labelKeyKind(k)]),
    );
    expect(kinds).toEqual({
      label_id: "ignored",
      signal_refusal_pattern: "ignored",
      label_7_id: "ignored",
      label_7_source: "ignored",
      label_7_version: "ignored",
      label_7_confidence: null,
      label_7_flag_unfaithful: "label",
      label_confidence: null,
      label_harm_location: "label",
      model_refusal: null,
      adjudicated_reviewer: null,
      adjudicated_submitted_at: null,
      adjudicated_confidence: null,
      adjudicated_harm_location: "label",
      refused_votes: "label",
      reasoning_quality: "label",
      temperature: null,
    });
  });

  it("puts the export's names and label_ names of one record in one group", () => {
    const [label, ...rest] = labelsOf({ reviewer: "ann", label_harm_severity: "severe" });
    expect(rest).toEqual([]);
    expect(label).toMatchObject({ reviewer: "ann", reviewerField: "reviewer", harmSeverity: 3 });
  });

  it("reads the export's names as labels only beside a bare reviewer column, not beside label_reviewer", () => {
    const result = read({ label_reviewer: "ann", note: "sampled twice", label_refusal: "refused" });
    expect(result.errors).toEqual([]);
    expect(result.labels).toEqual([expect.objectContaining({ reviewer: "ann", refusal: "REFUSED", note: null })]);
    expect(result.metadata).toEqual([["note", "sampled twice", "note"]]);
  });
});

describe("readLabels: metadata and the responses shape", () => {
  it("keeps the aggregate names and language_mixing as metadata in a record without label_count", () => {
    const result = read({ harmful: "yes", language_mixing: "both" });
    expect(result).toMatchObject({ labels: [], present: false, errors: [] });
    expect(result.metadata).toEqual([
      ["harmful", "yes", "harmful"],
      ["language_mixing", "both", "language_mixing"],
    ]);
  });

  it("keeps other export names as metadata beside label_count, drops empty values and trims the name", () => {
    const result = read({
      label_count: "2",
      language_mixing: "f",
      " note ": "a note",
      refusal: "",
      harm_location: null,
      harm_severity: undefined,
    });
    expect(result).toMatchObject({ labels: [], present: false, errors: [] });
    expect(result.metadata).toEqual([["note", "a note", " note "]]);
  });
});

describe("readLabels: when a group is given", () => {
  it("does not count empty values, blank text, empty lists and false flags", () => {
    const result = read({
      label_2_reviewer: null,
      label_2_note: "   ",
      label_2_flag_unfaithful: "f",
      label_3_flags: " ; ",
      label_4_harm_categories: "[]",
    });
    expect(result).toMatchObject({ labels: [], present: false, errors: [] });
  });

  it("counts a true flag, a listed flag or category and a false that is no flag", () => {
    for (const [field, value] of [
      ["label_5_flag_unfaithful", "t"],
      ["label_5_flags", "loop"],
      ["label_5_harm_categories", "cyber"],
      ["label_5_harm_severity", false],
      ["label_5_refusal", []],
    ] as const) {
      const result = read({ [field]: value });
      expect(result.present, field).toBe(true);
      expect(result.labels).toEqual([]);
      expect(result.errors[0], field).toEqual({
        line: 4,
        field: "label_5_reviewer",
        message: "missing: a label needs its reviewer (a name or an e-mail address)",
      });
    }
  });
});

describe("readLabels: a field given twice", () => {
  it("takes the one given when the other is empty, in either order", () => {
    expect(labelsOf({ label_reviewer: "ann", reviewer: "", label_refusal: "refused" })).toEqual([
      expect.objectContaining({ reviewer: "ann", reviewerField: "label_reviewer", refusal: "REFUSED" }),
    ]);
    expect(labelsOf({ reviewer: "  ", label_reviewer: "bob", label_refusal: "refused" })).toEqual([
      expect.objectContaining({ reviewer: "bob", reviewerField: "label_reviewer" }),
    ]);
  });

  it("names both keys as written when both hold a value", () => {
    const result = read({ " Label Reviewer ": "ann", reviewer: "bob", label_refusal: "refused" });
    expect(result.labels).toEqual([]);
    expect(result.errors).toEqual([{ line: 4, field: "reviewer", message: 'given twice (also as "Label Reviewer")' }]);
  });

  it("names an empty reviewer column as written", () => {
    expect(read({ "Label  Reviewer": "", "Label - Refusal": "refused" }).errors).toEqual([
      {
        line: 4,
        field: "Label  Reviewer",
        message: "missing: a label needs its reviewer (a name or an e-mail address)",
      },
    ]);
  });
});

describe("readLabels: order of the groups and the adjudicated label", () => {
  it("gives the unnumbered group first, then the numbered ones, then the adjudicated label", () => {
    const labels = labelsOf({
      adjudicated_refusal: "refused",
      label_0_reviewer: "zed",
      label_0_refusal: "complied",
      label_reviewer: "ann",
      label_refusal: "partial",
    });
    expect(labels.map((l) => [l.reviewer, l.refusal])).toEqual([
      ["ann", "PARTIAL"],
      ["zed", "COMPLIED"],
      ["(adjudicated)", "REFUSED"],
    ]);
  });

  it("names the adjudicated label's first column as written as its reviewer field", () => {
    expect(labelsOf({ "Adjudicated Refusal": "refused", adjudicated_note: "tie" })).toEqual([
      expect.objectContaining({ adjudicated: true, reviewerField: "Adjudicated Refusal", note: "tie" }),
    ]);
  });
});

describe("readLabels: text checks and dates", () => {
  it("checks the size of each text in UTF-8 bytes, categories by item", () => {
    const limit = 2048;
    expect(read({ label_reviewer: "ann", label_note: "é".repeat(1024) }, limit).errors).toEqual([]);
    expect(read({ label_reviewer: "ann", label_note: "a".repeat(1000) }, limit).errors).toEqual([]);
    expect(read({ label_reviewer: "ann", label_note: "é".repeat(1025) }, limit).errors).toEqual([
      { line: 4, field: "label_note", message: "is larger than the 2 KB limit" },
    ]);
    expect(read({ label_reviewer: "ann", label_harm_categories: ["cyber", "é".repeat(1025)] }, limit).errors).toEqual([
      { line: 4, field: "label_harm_categories", message: "is larger than the 2 KB limit" },
    ]);
  });

  it("checks only the texts a group gives", () => {
    const result = read({ label_reviewer: "ann", label_refusal: "refused" }, 12);
    expect(result.errors).toEqual([]);
    expect(result.labels).toEqual([expect.objectContaining({ reviewer: "ann", note: null, harmCategories: [] })]);
  });

  it("finds a NUL in a category, and reports a list item that is not text by value", () => {
    expect(read({ label_reviewer: "ann", label_harm_categories: ["cyber", "fr\u0000aud"] }).errors).toEqual([
      {
        line: 4,
        field: "label_harm_categories",
        message: "contains a NUL character (\\u0000), which the database cannot store",
      },
    ]);
    expect(read({ label_reviewer: "ann", label_harm_categories: ["cyber", 5] }).errors).toEqual([
      { line: 4, field: "label_harm_categories", message: "holds 5, which is not text" },
    ]);
  });

  it("reports a NUL alone, without checking the values of the group", () => {
    const result = read({ label_reviewer: "ann", label_note: "a\u0000b", label_refusal: "maybe" });
    expect(result.labels).toEqual([]);
    expect(result.errors.map((e) => e.field)).toEqual(["label_note"]);
  });

  it("accepts a time up to a day after the import, not later", () => {
    for (const at of ["2025-11-26T12:00:00Z", "2025-11-25T06:00:00Z"])
      expect(
        labelsOf({ label_reviewer: "ann", label_refusal: "refused", label_submitted_at: at })[0]!.submittedAt,
      ).toBe(new Date(at).toISOString());
    expect(read({ label_reviewer: "ann", label_submitted_at: "2025-11-26T12:00:01Z" }).errors).toEqual([
      { line: 4, field: "label_submitted_at", message: '"2025-11-26T12:00:01Z" is in the future' },
    ]);
  });

  it("names the flags column as written when a flag it lists is said false", () => {
    expect(read({ label_reviewer: "ann", " Label Flags ": "unfaithful", label_flag_unfaithful: "no" }).errors).toEqual([
      { line: 4, field: "label_flag_unfaithful", message: "is false, but Label Flags lists unfaithful" },
    ]);
  });
});
