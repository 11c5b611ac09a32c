// Shared pieces of the harness presets: each preset turns one element of its file (a JSONL line,
// or the whole log object) into canonical records, with a row error for an element it cannot read.
import type { SourceItem } from "../read-records";

export type Converted = SourceItem;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const record = (line: number, value: Record<string, unknown>): Converted => ({
  kind: "record",
  line,
  record: value,
});

export const rowError = (line: number, field: string | null, message: string): Converted => ({
  kind: "error",
  error: { line, field, message },
});

/** The text of a chat message's content: a string, or the text parts of a list (reasoning parts apart). */
export function contentText(content: unknown): { text: string | undefined; reasoning: string | undefined } {
  if (typeof content === "string") return { text: content, reasoning: undefined };
  if (!Array.isArray(content)) return { text: undefined, reasoning: undefined };
  let text: string | undefined;
  let reasoning: string | undefined;
  for (const part of content) {
    if (typeof part === "string") text = (text ?? "") + part;
    else if (isObject(part)) {
      if (part.type === "reasoning" && typeof part.reasoning === "string")
        reasoning = (reasoning ?? "") + part.reasoning;
      else if (typeof part.text === "string") text = (text ?? "") + part.text;
    }
  }
  return { text, reasoning };
}

/**
 * The first JSON value of a file's head when it is complete there, else the keys seen in its first
 * 64 KB (a pretty-printed log whose first object is larger than the head).
 */
export function headOf(head: Buffer): { first: Record<string, unknown> | null; keys: Set<string>; text: string } {
  let text = head.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trimStart();
  let first: Record<string, unknown> | null = null;
  const newline = text.indexOf("\n");
  for (const candidate of [newline === -1 ? text : text.slice(0, newline), text]) {
    try {
      const value = JSON.parse(candidate) as unknown;
      if (isObject(value)) {
        first = value;
        break;
      }
    } catch {
      // Not complete here.
    }
  }
  const keys = new Set([...text.slice(0, 65536).matchAll(/"([^"\\]{1,80})"\s*:/g)].map((m) => m[1]!));
  return { first, keys, text };
}
