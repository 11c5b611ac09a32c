// How language-mixing spans are stored inside the signals JSON: one string per part,
// "start-end:lang start-end:lang …" (UTF-16 offsets), instead of an array of objects. PostgreSQL
// parses a jsonb string far faster than an array of objects with numbers (each number becomes a
// numeric): for a reasoning text with sixty spans, the signals' share of the import's COPY halved.
// Signals stored before (version 2) hold arrays; every reader goes through decodeSpans.
import type { LanguageSpan } from "./language-mix";

const SPAN = /^(\d{1,9})-(\d{1,9}):([a-z]{2,3}|und)$/;

export function encodeSpans(spans: readonly LanguageSpan[]): string {
  let out = "";
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    out += (i === 0 ? "" : " ") + s.start + "-" + s.end + ":" + s.lang;
  }
  return out;
}

/** Spans from a stored part's `spans`: the string form or the older array form; malformed entries are dropped. */
export function decodeSpans(stored: unknown): LanguageSpan[] {
  if (typeof stored === "string") {
    const spans: LanguageSpan[] = [];
    if (stored === "") return spans;
    for (const piece of stored.split(" ")) {
      const m = SPAN.exec(piece);
      if (m) spans.push({ start: Number(m[1]), end: Number(m[2]), lang: m[3]! });
    }
    return spans;
  }
  if (!Array.isArray(stored)) return [];
  return stored
    .filter(
      (s): s is LanguageSpan =>
        !!s &&
        typeof s === "object" &&
        Number.isInteger(s.start) &&
        Number.isInteger(s.end) &&
        typeof s.lang === "string",
    )
    .map((s) => ({ start: s.start, end: s.end, lang: s.lang }));
}

/** Stored signals with each part's spans as arrays (for pages that show them); anything else unchanged. */
export function withDecodedSpans(stored: unknown): unknown {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return stored;
  const signals = { ...(stored as Record<string, unknown>) };
  for (const part of ["reasoning", "answer"]) {
    const value = signals[part];
    if (value && typeof value === "object" && !Array.isArray(value)) {
      signals[part] = {
        ...(value as Record<string, unknown>),
        spans: decodeSpans((value as { spans?: unknown }).spans),
      };
    }
  }
  return signals;
}
