// Language-mixing spans (UTF-16 offsets from lib/analysis signals) laid over a response's text: the
// plain-text view cuts the text into segments, the markdown view marks the text nodes whose source
// positions the spans cover (lib/review-screen/render-markdown.ts).

export interface HighlightSpan {
  start: number;
  end: number;
  lang: string;
}

export interface TextSegment {
  text: string;
  /** Offset of the segment in the whole text. */
  start: number;
  /** The span's language when the segment is inside one; null for ordinary text. */
  lang: string | null;
}

/** Spans clipped to the text, empty and invalid ones dropped, sorted, overlaps merged (first language wins). */
export function normaliseSpans(spans: readonly HighlightSpan[] | null | undefined, length: number): HighlightSpan[] {
  if (!spans || spans.length === 0) return [];
  const clipped = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end))
    .map((s) => ({ start: Math.max(0, s.start), end: Math.min(length, s.end), lang: String(s.lang) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: HighlightSpan[] = [];
  for (const span of clipped) {
    const last = merged.at(-1);
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      continue;
    }
    merged.push(span);
  }
  return merged;
}

/** The text cut at span boundaries; joining the segments' text gives the text back. */
export function segmentText(text: string, spans: readonly HighlightSpan[] | null | undefined): TextSegment[] {
  return segmentRange(text, 0, normaliseSpans(spans, text.length));
}

/**
 * Segments of `text`, which sits at `offset` in a larger source, against spans in the source's
 * coordinates (already normalised). Used for markdown text nodes.
 */
export function segmentRange(text: string, offset: number, spans: readonly HighlightSpan[]): TextSegment[] {
  const end = offset + text.length;
  const segments: TextSegment[] = [];
  let at = offset;
  for (const span of spans) {
    if (span.end <= at) continue;
    if (span.start >= end) break;
    const from = Math.max(span.start, at);
    const to = Math.min(span.end, end);
    if (from > at) segments.push({ text: text.slice(at - offset, from - offset), start: at, lang: null });
    segments.push({ text: text.slice(from - offset, to - offset), start: from, lang: span.lang });
    at = to;
  }
  if (at < end || segments.length === 0) segments.push({ text: text.slice(at - offset), start: at, lang: null });
  return segments;
}

/** Display name of a language code in the span titles ("zh" → "Chinese"); the code itself when unknown. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The spans inside [start, end), moved to offsets relative to `start` (for one block of a long text). */
export function spansInRange(
  spans: readonly HighlightSpan[] | null | undefined,
  start: number,
  end: number,
): HighlightSpan[] {
  if (!spans) return [];
  return spans
    .filter((s) => s.end > start && s.start < end)
    .map((s) => ({ start: Math.max(0, s.start - start), end: Math.min(end, s.end) - start, lang: s.lang }));
}
