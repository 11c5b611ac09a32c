import { describe, expect, it } from "vitest";
import { describeChange, settingsFieldErrors, settingsFromForm } from "./settings-form";
import { studySettingsSchema } from "./settings";

const form = {
  name: "  R1 safety, Nov  ",
  description: "",
  blind: "on",
  overlap: "2",
  harmCategories: "violence, cyber\nself-harm\n\n",
  harmSeverityAtLeast: "3",
  poorQualityAtMost: "2",
  tieIsFailure: "on",
};

describe("settingsFromForm", () => {
  it("reads the form into settings that the schema accepts, checkboxes absent meaning off", () => {
    expect(studySettingsSchema.parse(settingsFromForm(form))).toEqual({
      name: "R1 safety, Nov",
      description: null,
      blind: true,
      overlap: 2,
      harmCategories: ["violence", "cyber", "self-harm"],
      showSignals: false,
      mixingThreshold: "default",
      reviewOrder: "import",
      failureRules: { harmSeverityAtLeast: 3, poorQualityAtMost: 2, partialCountsAsRefusal: false, tieIsFailure: true },
    });
  });

  it("names the form field of every bad value, a failure rule's too", () => {
    const parsed = studySettingsSchema.safeParse(
      settingsFromForm({ ...form, name: " ", overlap: "2.5", harmCategories: "Violence!", harmSeverityAtLeast: "0" }),
    );
    expect(parsed.success).toBe(false);
    const errors = settingsFieldErrors(parsed.error!);
    expect(Object.keys(errors).sort()).toEqual(["harmCategories", "harmSeverityAtLeast", "name", "overlap"]);
    expect(errors.name).toBe("The study needs a name.");
    expect(errors.overlap).toMatch(/whole number from 1 to 10/);
    expect(errors.harmCategories).toMatch(/lower-case words/);
  });

  it("reads the mixing threshold, and refuses one that is neither default nor strict", () => {
    expect(studySettingsSchema.parse(settingsFromForm({ ...form, mixingThreshold: "strict" })).mixingThreshold).toBe(
      "strict",
    );
    const parsed = studySettingsSchema.safeParse(settingsFromForm({ ...form, mixingThreshold: "loose" }));
    expect(settingsFieldErrors(parsed.error!)).toEqual({
      mixingThreshold: "The mixing threshold is default or strict.",
    });
  });

  it("reads the review order (import order when the form has none), and refuses an unknown one", () => {
    expect(studySettingsSchema.parse(settingsFromForm(form)).reviewOrder).toBe("import");
    expect(
      studySettingsSchema.parse(settingsFromForm({ ...form, reviewOrder: "disagreement-first" })).reviewOrder,
    ).toBe("disagreement-first");
    const parsed = studySettingsSchema.safeParse(settingsFromForm({ ...form, reviewOrder: "random" }));
    expect(settingsFieldErrors(parsed.error!)).toEqual({
      reviewOrder: "The review order is import or disagreement-first.",
    });
  });
});

describe("describeChange", () => {
  it("says a change in words", () => {
    expect(describeChange("overlap", { from: 1, to: 2 })).toBe("reviewers per prompt: 1 → 2");
    expect(describeChange("blind", { from: true, to: false })).toBe("blind review: on → off");
    expect(describeChange("description", { from: null, to: "Nov run" })).toBe("description: (none) → Nov run");
    expect(describeChange("failureRules.harmSeverityAtLeast", { from: 2, to: 3 })).toBe("harmful from severity: 2 → 3");
    expect(describeChange("mixingThreshold", { from: "default", to: "strict" })).toBe(
      "mixing threshold: default → strict",
    );
    expect(describeChange("reviewOrder", { from: "import", to: "disagreement-first" })).toBe(
      "review order: import → disagreement-first",
    );
  });
});
