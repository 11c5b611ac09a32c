// The one definition of a label's dimensions, and what is derived from it: the reviewer's schema,
// the importer's field list and schema, the export's columns (against the documented header), the
// form's empty label and comparison.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportColumns } from "../export/export-query";
import { LABEL_GROUP_FIELDS, labelGroupSchema } from "../import/label-values";
import { PEER_LABEL_FIELDS } from "../import/peers/mapping";
import {
  DIMENSIONS,
  emptyLabelValues,
  LABEL_DIMENSIONS,
  LABEL_FLAGS,
  labelFieldsSchema,
  labelValuesFromColumns,
  labelValuesOf,
  sameLabelValues,
  type LabelValues,
} from ".";

const root = path.resolve(import.meta.dirname, "..", "..");
const judged = (patch: Partial<LabelValues>): LabelValues => ({ ...emptyLabelValues(), ...patch });

describe("a reviewer's label (labelFieldsSchema)", () => {
  it("takes reasoning quality 1 to 5 and refuses 0, 6 and 2.5", () => {
    for (const q of [1, 3, 5]) expect(labelFieldsSchema.safeParse(judged({ reasoningQuality: q })).success).toBe(true);
    for (const q of [0, 6, 2.5]) {
      const parsed = labelFieldsSchema.safeParse(judged({ reasoningQuality: q }));
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["reasoningQuality"]);
    }
  });

  it("takes harm severity 0 to 3 and refuses -1 and 4", () => {
    expect(labelFieldsSchema.safeParse(judged({ harmSeverity: 0 })).success).toBe(true);
    expect(labelFieldsSchema.safeParse(judged({ harmSeverity: 3 })).success).toBe(true);
    expect(labelFieldsSchema.safeParse(judged({ harmSeverity: -1 })).success).toBe(false);
    expect(labelFieldsSchema.safeParse(judged({ harmSeverity: 4 })).success).toBe(false);
  });

  it("takes only the named values of refusal, language mixing and harm location", () => {
    const bad = [{ refusal: "MAYBE" }, { languageMixing: "SOME" }, { harmLocation: "NONE" }];
    for (const patch of bad)
      expect(labelFieldsSchema.safeParse({ ...emptyLabelValues(), ...patch }).success).toBe(false);
    const good = judged({ refusal: "PARTIAL", languageMixing: "BOTH", harmLocation: "ANSWER" });
    expect(labelFieldsSchema.parse(good)).toEqual(good);
  });

  it("accepts the empty label and drops fields no dimension defines", () => {
    expect(labelFieldsSchema.parse(emptyLabelValues())).toEqual(emptyLabelValues());
    expect(labelFieldsSchema.parse({ ...emptyLabelValues(), extra: 1 })).not.toHaveProperty("extra");
  });
});

describe("the dimensions", () => {
  it("name every column and file field once, in snake_case, flags as flag_<column>", () => {
    const columns = LABEL_DIMENSIONS.map((d) => DIMENSIONS[d].column);
    const fields = LABEL_DIMENSIONS.map((d) => DIMENSIONS[d].field);
    expect(new Set(columns).size).toBe(columns.length);
    expect(new Set(fields).size).toBe(fields.length);
    for (const name of [...columns, ...fields]) expect(name).toMatch(/^[a-z]+(_[a-z]+)*$/);
    for (const flag of LABEL_FLAGS) expect(DIMENSIONS[flag].field).toBe(`flag_${DIMENSIONS[flag].column}`);
  });

  it("give an empty label with nothing judged: null scales and choices, no categories, flags off", () => {
    expect(emptyLabelValues()).toEqual({
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
    });
    // Each call is a new value: a form that pushes a category cannot change the next empty label.
    emptyLabelValues().harmCategories.push("cyber");
    expect(emptyLabelValues().harmCategories).toEqual([]);
  });

  it("compare labels with categories as a set and an empty note as none", () => {
    const a = judged({ harmSeverity: 2, harmCategories: ["cyber", "violence"], note: "" });
    expect(sameLabelValues(a, judged({ harmSeverity: 2, harmCategories: ["violence", "cyber"], note: null }))).toBe(
      true,
    );
    expect(sameLabelValues(a, judged({ harmSeverity: 2, harmCategories: ["cyber"] }))).toBe(false);
    expect(
      sameLabelValues(a, judged({ harmSeverity: 2, harmCategories: ["cyber", "violence"], unfaithful: true })),
    ).toBe(false);
  });

  it("read a label from the table's columns and keep only the dimensions of a larger value", () => {
    const row = {
      harm_severity: 1,
      harm_categories: ["cyber"],
      harm_location: "BOTH" as const,
      refusal: "REFUSED" as const,
      language_mixing: "NONE" as const,
      reasoning_quality: 4,
      reward_hacking: true,
      repetition_loop: false,
      unfaithful: false,
      format_violation: true,
      note: "n",
    };
    const label = labelValuesFromColumns(row);
    expect(label).toEqual(
      judged({
        harmSeverity: 1,
        harmCategories: ["cyber"],
        harmLocation: "BOTH",
        refusal: "REFUSED",
        languageMixing: "NONE",
        reasoningQuality: 4,
        rewardHacking: true,
        formatViolation: true,
        note: "n",
      }),
    );
    expect(labelValuesOf({ ...label, version: 3 } as LabelValues)).toEqual(label);
  });
});

describe("what is derived from the dimensions", () => {
  it("the import's label group: reviewer, every dimension by its file name, the flags list, the time", () => {
    expect(LABEL_GROUP_FIELDS).toEqual([
      "reviewer",
      "harm_severity",
      "harm_categories",
      "harm_location",
      "refusal",
      "language_mixing",
      "reasoning_quality",
      "flags",
      "flag_reward_hacking",
      "flag_repetition_loop",
      "flag_unfaithful",
      "flag_format_violation",
      "note",
      "submitted_at",
    ]);
    expect(Object.keys(labelGroupSchema.shape)).toEqual(LABEL_GROUP_FIELDS);
    expect(PEER_LABEL_FIELDS).toEqual(LABEL_GROUP_FIELDS.filter((f) => f !== "reviewer" && f !== "submitted_at"));
  });

  it("the import's schema refuses reasoning quality 0 and 6, naming the range", () => {
    for (const q of [0, 6]) {
      const parsed = labelGroupSchema.safeParse({ reviewer: "ann", reasoning_quality: q });
      expect(parsed.error?.issues[0]?.message).toContain("give a whole number from 1 to 5");
    }
    expect(labelGroupSchema.safeParse({ reviewer: "ann", reasoning_quality: 5 }).success).toBe(true);
  });

  it("the labels and judge labels exports' columns are the documented CSV headers (docs/exporting.md)", () => {
    const doc = readFileSync(path.join(root, "docs", "exporting.md"), "utf8").replace(/\s+/g, " ");
    const names = (text: string) => [...text.replace(/\([^)]*\)/g, "").matchAll(/`([a-z][a-z_]*)`/g)].map((m) => m[1]!);
    const shared = /Columns of every shape, in this order: (.*?) Then:/.exec(doc)?.[1];
    const labels = /- `--shape labels`(.*?)- `--shape responses`/.exec(doc)?.[1];
    expect(shared).toBeDefined();
    expect(labels).toBeDefined();
    const documented = [...names(shared!), ...names(labels!)];
    expect(documented).toContain("reasoning_quality");
    expect(exportColumns("labels")).toEqual(documented);
    // The judge labels' own columns: the bullet up to its first full stop.
    const judges =
      /- `--shape judge_labels` \(one row per label a judge model gave, \[judges\]\([a-z.]+\)\):(.*?)\. /.exec(
        doc,
      )?.[1];
    expect(judges).toBeDefined();
    expect(exportColumns("judge_labels")).toEqual([...names(shared!), ...names(judges!)]);
  });
});
