// An audit event's details as plain text for people: the page shows it (as text, never HTML) and
// the CSV carries it beside the raw JSON. Changes are stored as { field: { from, to } }; anything
// else is shown as field: value. Nothing here trusts the stored JSON's shape.

const MAX_VALUE = 300;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return isRecord(value) && Object.keys(value).length === 2 && "from" in value && "to" in value;
}

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** One value as text: none as "—", lists joined, small objects as key=value pairs. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return clip(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "none" : clip(value.map(valueText).join(", "));
  if (isRecord(value))
    return clip(
      Object.entries(value)
        .map(([k, v]) => `${k}=${isRecord(v) || Array.isArray(v) ? JSON.stringify(v) : valueText(v)}`)
        .join(", "),
    );
  return clip(String(value));
}

/** The details as one line: "name: Old → New; overlap: 1 → 2" or "member: a@b; role: — → REVIEWER". */
export function auditSummary(detail: unknown): string {
  if (!isRecord(detail)) return detail === null || detail === undefined ? "" : valueText(detail);
  return Object.entries(detail)
    .map(([key, value]) =>
      isChange(value) ? `${key}: ${valueText(value.from)} → ${valueText(value.to)}` : `${key}: ${valueText(value)}`,
    )
    .join("; ");
}

/** What the event is about: the member, user, run, checkpoint, token or response it names, else the study. */
export function auditTarget(event: { action: string; studySlug: string | null; detail: unknown }): string {
  const d = isRecord(event.detail) ? event.detail : {};
  const text = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : undefined);
  if (event.action === "checkpoint.merge" && text(d.from) && text(d.into)) return `${text(d.from)} → ${text(d.into)}`;
  return (
    text(d.member) ??
    text(d.user) ??
    text(d.run) ??
    text(d.checkpoint) ??
    text(d.token) ??
    (text(d.response) ? `response ${text(d.response)}` : undefined) ??
    event.studySlug ??
    ""
  );
}
