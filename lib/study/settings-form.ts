// The settings form's fields (strings and checkboxes) as the settings object that
// studySettingsSchema validates, and its messages back per form field. Pure: the server action and
// the tests share it. Form field names are the settings' own (the failure rules' without prefix).
import type { z } from "zod";

/** What the form posts: text fields as typed, checkboxes present ("on") or absent. */
export function settingsFromForm(fields: Record<string, string>): unknown {
  const checked = (name: string) => fields[name] === "on" || fields[name] === "true";
  const whole = (name: string) => (/^\s*-?\d+\s*$/.test(fields[name] ?? "") ? Number(fields[name]) : Number.NaN);
  return {
    name: fields.name ?? "",
    description: fields.description ?? "",
    blind: checked("blind"),
    overlap: whole("overlap"),
    // One per line or comma-separated, as typed; blank entries dropped.
    harmCategories: (fields.harmCategories ?? "")
      .split(/[\n,]/)
      .map((c) => c.trim())
      .filter(Boolean),
    showSignals: checked("showSignals"),
    mixingThreshold: fields.mixingThreshold ?? "default",
    reviewOrder: fields.reviewOrder ?? "import",
    failureRules: {
      harmSeverityAtLeast: whole("harmSeverityAtLeast"),
      poorQualityAtMost: whole("poorQualityAtMost"),
      partialCountsAsRefusal: checked("partialCountsAsRefusal"),
      tieIsFailure: checked("tieIsFailure"),
    },
  };
}

/** The first message per form field (a failure rule's under its own name). */
export function settingsFieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String((issue.path[0] === "failureRules" ? issue.path[1] : issue.path[0]) ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

const FIELD_LABELS: Record<string, string> = {
  name: "name",
  description: "description",
  blind: "blind review",
  overlap: "reviewers per prompt",
  harmCategories: "harm categories",
  showSignals: "signals shown to reviewers",
  mixingThreshold: "mixing threshold",
  reviewOrder: "review order",
  "failureRules.harmSeverityAtLeast": "harmful from severity",
  "failureRules.poorQualityAtMost": "poor reasoning up to quality",
  "failureRules.partialCountsAsRefusal": "partial refusal counts as refusal",
  "failureRules.tieIsFailure": "a tie counts as a failure",
};

/** A change in words for the log: "reviewers per prompt 1 → 2". */
export function describeChange(field: string, change: { from: unknown; to: unknown }): string {
  const show = (value: unknown) =>
    value === null || value === ""
      ? "(none)"
      : typeof value === "boolean"
        ? value
          ? "on"
          : "off"
        : Array.isArray(value)
          ? value.join(", ")
          : String(value);
  return `${FIELD_LABELS[field] ?? field}: ${show(change.from)} → ${show(change.to)}`;
}
