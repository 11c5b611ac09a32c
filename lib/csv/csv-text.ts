// Small CSV as text (RFC 4180) for data already in memory, such as one chart's rows: fields with a
// comma, quote or line break are quoted, and text a spreadsheet would run as a formula (starting
// with = + - @, tab or CR) gets a leading apostrophe, as the export does (OWASP's advice against CSV
// injection). Numbers stay numbers. The streaming export of whole studies is lib/export.
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row and one line per row, CRLF-separated as RFC 4180 has it. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  const lines = [columns.map((c) => csvField(c)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}
