// Reads the elements of a top-level JSON array (Label Studio's and Argilla's `to_json` exports:
// one array, often on a single line) or a sequence of JSON objects (JSON Lines) from a byte
// stream, one element at a time, without holding the file: a byte scanner finds where each element
// ends (tracking strings, escapes and nesting), and only that element's bytes are decoded (strict
// UTF-8) and given to JSON.parse. No dependency: no streaming JSON parser is installed.
//
// A broken element (bad JSON inside balanced brackets, bad UTF-8, too large) is reported and the
// scan goes on with the next one; a broken structure (text after the array, a missing comma, the
// file ending inside an element) ends the scan with one error.

/** An element larger than this is refused without being buffered. */
export const MAX_ELEMENT_BYTES = 64 * 1024 * 1024;

export type JsonStreamItem =
  | { kind: "value"; index: number; line: number; value: unknown }
  | { kind: "error"; index: number | null; line: number; message: string };

const decoder = new TextDecoder("utf-8", { fatal: true });

const SPACE = 0x20,
  TAB = 0x09,
  CR = 0x0d,
  LF = 0x0a;
const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c;
const OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d;

const BOM = [0xef, 0xbb, 0xbf];
const isSpace = (b: number) => b === SPACE || b === LF || b === CR || b === TAB;

/**
 * Elements of a JSON array, or of a JSON Lines sequence when the first thing in the file is an
 * object. `mode` is called once with what was found ("array" or "lines") before the first item.
 */
export async function* jsonElements(
  source: AsyncIterable<Buffer | string>,
  onBytes: (n: number) => void = () => {},
  options: { maxElementBytes?: number; onMode?: (mode: "array" | "lines") => void } = {},
): AsyncGenerator<JsonStreamItem> {
  const maxBytes = options.maxElementBytes ?? MAX_ELEMENT_BYTES;
  let mode: "array" | "lines" | null = null;
  let ended = false; // the array's closing bracket was read
  let expectValue = true; // between elements: a value may start (else a comma or the end is due)
  let afterComma = false;
  let line = 1;
  let index = 0;
  let bomMatched = 0;

  // The element being read.
  let active = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let scalar = false;
  let startLine = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLarge = false;

  const finish = (tail: Buffer): JsonStreamItem => {
    const at = index;
    index += 1;
    active = false;
    const bytes = tooLarge
      ? null
      : pending.length === 0
        ? tail
        : Buffer.concat([...pending, tail], pendingBytes + tail.length);
    pending = [];
    pendingBytes = 0;
    if (bytes === null || bytes.length > maxBytes) {
      tooLarge = false;
      return { kind: "error", index: at, line: startLine, message: `is larger than ${maxBytes / 1024 / 1024} MB` };
    }
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { kind: "error", index: at, line: startLine, message: "is not valid UTF-8 text (save the file as UTF-8)" };
    }
    try {
      return { kind: "value", index: at, line: startLine, value: JSON.parse(text) as unknown };
    } catch (error) {
      return { kind: "error", index: at, line: startLine, message: `is not valid JSON (${(error as Error).message})` };
    }
  };

  for await (const chunk of source) {
    let buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    onBytes(buffer.length);
    // A byte-order mark, possibly split over chunks.
    while (bomMatched < 3 && buffer.length > 0 && buffer[0] === BOM[bomMatched]) {
      buffer = buffer.subarray(1);
      bomMatched += 1;
    }
    if (buffer.length > 0) bomMatched = 3;
    let elementStart = active ? 0 : -1;
    // Inside a string only a quote or a backslash matters: jump to the next one (positions cached
    // per chunk, -1 = none left). A raw line break inside a string is not JSON (the element is
    // refused by JSON.parse) and is not counted as a line.
    let nextQuote = -2;
    let nextBackslash = -2;
    for (let i = 0; i < buffer.length; i++) {
      if (active && inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        if (nextQuote !== -1 && nextQuote < i) nextQuote = buffer.indexOf(QUOTE, i);
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = buffer.indexOf(BACKSLASH, i);
        const stop =
          nextQuote === -1 ? nextBackslash : nextBackslash === -1 ? nextQuote : Math.min(nextQuote, nextBackslash);
        if (stop === -1) break;
        i = stop;
        if (stop === nextBackslash) escaped = true;
        else inString = false;
        continue;
      }
      const b = buffer[i]!;
      if (b === LF) line += 1;
      if (active) {
        if (scalar) {
          // A bare value at the top of an array ends at the next comma, bracket or space.
          if (b === COMMA || b === CLOSE_BRACKET || isSpace(b)) {
            yield finish(buffer.subarray(elementStart, i));
            elementStart = -1;
            expectValue = false;
            i -= 1; // read the delimiter again as "between elements"
            if (b === LF) line -= 1;
          }
          continue;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth += 1;
        else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          depth -= 1;
          if (depth === 0) {
            yield finish(buffer.subarray(elementStart, i + 1));
            elementStart = -1;
            expectValue = mode === "lines";
          }
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (mode === null) {
        if (b === OPEN_BRACKET) {
          mode = "array";
          options.onMode?.("array");
          continue;
        }
        if (b === OPEN_BRACE) {
          mode = "lines";
          options.onMode?.("lines");
        } else {
          yield {
            kind: "error",
            index: null,
            line,
            message: "is not a JSON array ([ … ]) nor JSON Lines ({ … } per line)",
          };
          return;
        }
      }
      if (ended) {
        yield { kind: "error", index: null, line, message: "has text after the end of the JSON array" };
        return;
      }
      if (mode === "array" && b === CLOSE_BRACKET) {
        if (afterComma) {
          yield { kind: "error", index: null, line, message: "has a comma before the closing ] of the JSON array" };
          return;
        }
        ended = true;
        continue;
      }
      if (mode === "array" && !expectValue) {
        if (b === COMMA) {
          expectValue = true;
          afterComma = true;
          continue;
        }
        yield { kind: "error", index: null, line, message: `expected , or ] after element ${index} of the JSON array` };
        return;
      }
      if (mode === "lines" && b !== OPEN_BRACE) {
        yield { kind: "error", index: null, line, message: "expected a JSON object ({ … }) per line" };
        return;
      }
      // A value starts here.
      active = true;
      afterComma = false;
      startLine = line;
      depth = 0;
      inString = false;
      escaped = false;
      scalar = false;
      elementStart = i;
      if (b === OPEN_BRACE || b === OPEN_BRACKET) depth = 1;
      else if (b === QUOTE) {
        inString = true;
        scalar = true;
      } else scalar = true;
    }
    if (active && elementStart !== -1) {
      const rest = buffer.subarray(elementStart);
      if (!tooLarge) {
        if (pendingBytes + rest.length > maxBytes) {
          tooLarge = true;
          pending = [];
          pendingBytes = 0;
        } else {
          // Copy: the stream may reuse its chunk.
          pending.push(Buffer.from(rest));
          pendingBytes += rest.length;
        }
      }
    }
  }
  if (active) {
    if (scalar && !inString && mode === "array") {
      yield finish(Buffer.alloc(0));
      yield { kind: "error", index: null, line, message: "ends before the closing ] of the JSON array" };
      return;
    }
    yield { kind: "error", index, line: startLine, message: "is cut off: the file ends inside it (unfinished JSON)" };
    return;
  }
  if (mode === "array" && !ended)
    yield { kind: "error", index: null, line, message: "ends before the closing ] of the JSON array" };
}
