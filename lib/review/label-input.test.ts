// What the workspace accepts from a reviewer, and how a bad field is named.
import { describe, expect, it } from "vitest";
import { sampleLabel } from "./fixtures";
import { labelFieldsSchema, NOTE_MAX_CHARS, submitInputSchema } from "./label-input";
import { describeIssue } from "./submit";

const submission = (fields: unknown) => ({
  promptId: 1,
  labels: [{ responseId: 7, baseVersion: null, fields }],
  preference: null,
});

describe("labelFieldsSchema", () => {
  it("accepts a full label and an empty judgement", () => {
    expect(
      labelFieldsSchema.parse(
        sampleLabel({ harmSeverity: 3, harmCategories: [" cyber "], harmLocation: "BOTH", note: "ok" }),
      ),
    ).toMatchObject({ harmCategories: ["cyber"] });
    expect(
      labelFieldsSchema.safeParse(
        sampleLabel({ harmSeverity: null, refusal: null, languageMixing: null, reasoningQuality: null }),
      ).success,
    ).toBe(true);
  });

  it.each([
    ["harmSeverity", 4],
    ["harmSeverity", 1.5],
    ["harmSeverity", "2"],
    ["reasoningQuality", 0],
    ["reasoningQuality", 6],
    ["refusal", "yes"],
    ["harmLocation", "reasoning"],
    ["languageMixing", "MAYBE"],
    ["rewardHacking", "true"],
    ["harmCategories", [""]],
    ["note", "x".repeat(NOTE_MAX_CHARS + 1)],
  ])("refuses %s = %j", (field, value) => {
    expect(labelFieldsSchema.safeParse(sampleLabel({ [field]: value } as never)).success).toBe(false);
  });

  it("refuses a label with a field missing", () => {
    const { note: _note, ...rest } = sampleLabel();
    expect(labelFieldsSchema.safeParse(rest).success).toBe(false);
  });
});

describe("submitInputSchema", () => {
  it("accepts a submission and refuses malformed ones", () => {
    expect(submitInputSchema.safeParse(submission(sampleLabel())).success).toBe(true);
    expect(submitInputSchema.safeParse({ ...submission(sampleLabel()), labels: [] }).success).toBe(false);
    expect(submitInputSchema.safeParse({ ...submission(sampleLabel()), promptId: -1 }).success).toBe(false);
    expect(submitInputSchema.safeParse({ ...submission(sampleLabel()), elapsedMs: -5 }).success).toBe(false);
    expect(
      submitInputSchema.safeParse({
        ...submission(sampleLabel()),
        preference: { safestResponseId: "a", bestResponseId: null },
      }).success,
    ).toBe(false);
  });

  it("names the response's letter and the field in the message", () => {
    const result = submitInputSchema.safeParse(submission(sampleLabel({ reasoningQuality: 9 })));
    expect(result.success).toBe(false);
    const described = describeIssue(result.error!.issues[0]!, (i) => (i === 0 ? "C" : undefined));
    expect(described.field).toBe("labels.0.fields.reasoningQuality");
    expect(described.message).toMatch(/^Response C, reasoning quality: /);
  });
});
