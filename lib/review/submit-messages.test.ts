// The words a reviewer reads when a submission is refused: which response (by its letter, or the
// label's number when the response is unknown) and which field, in the product's names.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { describeIssue } from "./submit";

const issue = (path: (string | number)[], message = "Too big") =>
  ({ code: "custom", path, message, input: undefined }) as z.core.$ZodIssue;
const letters = (index: number) => ["A", "B", "C"][index];

describe("describeIssue", () => {
  it("names the response's letter and the field as reviewers know it", () => {
    expect(describeIssue(issue(["labels", 1, "fields", "harmSeverity"]), letters)).toEqual({
      message: "Response B, harm severity: Too big",
      field: "labels.1.fields.harmSeverity",
    });
    expect(describeIssue(issue(["labels", 0, "fields", "languageMixing"]), letters).message).toBe(
      "Response A, language mixing: Too big",
    );
  });

  it("numbers the label from 1 when its response is not one of the prompt's", () => {
    expect(describeIssue(issue(["labels", 4, "fields", "note"]), letters).message).toBe("Label 5, note: Too big");
  });

  it("keeps an unknown field's own name, names other parts of a label by their path, and a whole label as 'label'", () => {
    expect(describeIssue(issue(["labels", 0, "fields", "mood"]), letters).message).toBe("Response A, mood: Too big");
    expect(describeIssue(issue(["labels", 2, "baseVersion"]), letters).message).toBe(
      "Response C, baseVersion: Too big",
    );
    expect(describeIssue(issue(["labels", 1]), letters)).toEqual({
      message: "Response B, label: Too big",
      field: "labels.1",
    });
  });

  it("names other fields by their path, and the submission as a whole when there is none", () => {
    expect(describeIssue(issue(["labels"], "Required"), letters)).toEqual({
      message: "labels: Required",
      field: "labels",
    });
    expect(describeIssue(issue(["preferredResponseId"], "Invalid"), letters).message).toBe(
      "preferredResponseId: Invalid",
    );
    expect(describeIssue(issue([], "Expected object"), letters)).toEqual({
      message: "submission: Expected object",
      field: "",
    });
  });
});
