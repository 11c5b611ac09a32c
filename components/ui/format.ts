// Number formatting shared by tables and summaries (fixed locale so server and client agree).
const integer = new Intl.NumberFormat("en-US");
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });

export const formatCount = (value: number): string => integer.format(value);

export const formatHours = (value: number): string => oneDecimal.format(value);

export const formatShare = (part: number, whole: number): string => (whole === 0 ? "—" : percent.format(part / whole));

export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${formatCount(count)} ${count === 1 ? one : many}`;

/** An instant as "2026-11-25 14:03 UTC": unambiguous for a team across time zones, and the same on server and client. */
export const formatInstant = (date: Date): string => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** A calendar day as "2026-11-25" (UTC). */
export const formatDay = (date: Date): string => date.toISOString().slice(0, 10);
