// Small CSV as text (RFC 4180) for data already in memory, such as one chart's rows: fields with a
// comma, quote or line break are quoted, and text a spreadsheet would run as a formula gets a
// leading apostrophe, by the same rule as the export (formula-cells.ts: OWASP's advice against CSV
// injection, leading whitespace and full-width forms included). Numbers stay numbers. The streaming
// export of whole studies is lib/export.
import { startsLikeFormula } from "./formula-cells";

export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = startsLikeFormula(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row and one line per row, CRLF-separated as RFC 4180 has it. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  const lines = [columns.map((c) => csvField(c)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}
