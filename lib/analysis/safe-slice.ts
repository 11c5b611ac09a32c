// Cutting a sample out of model output for the stored signals without splitting a surrogate pair:
// half an emoji is not valid Unicode, and PostgreSQL's jsonb refuses it.

/** text.slice(start, end), moved in by one code unit at either end that would split a surrogate pair. */
export function safeSlice(text: string, start: number, end: number = text.length): string {
  let from = Math.max(0, start);
  let to = Math.min(text.length, end);
  if (from > 0 && from < text.length && isLow(text.charCodeAt(from)) && isHigh(text.charCodeAt(from - 1))) from += 1;
  if (to > from && to < text.length && isLow(text.charCodeAt(to)) && isHigh(text.charCodeAt(to - 1))) to -= 1;
  return text.slice(from, to);
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
