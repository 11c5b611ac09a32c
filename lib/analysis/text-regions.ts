// What is not natural language in model output — code, URLs, formulas, markup, redaction markers —
// and the character classes the scan needs to tell it: kept apart from the scan itself.
import { BMP_SCRIPT, Script } from "./scripts";

/** A letter or digit of any script. */
export function isWordChar(c: number): boolean {
  const t = BMP_SCRIPT[c];
  return t !== undefined && t !== Script.NEUTRAL && t !== Script.CJK_PUNCT && t !== Script.MARK;
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0xa0 || c === 0x3000;
}

const CODE_NEIGHBOURS = new Uint8Array(128);
for (const ch of "/\\=#$@&%~+^*<>|{}") CODE_NEIGHBOURS[ch.charCodeAt(0)] = 1;

/** Characters that make an adjacent word code or a formula: `os.path`, `x=y`, `/usr/bin`, `#tag`. */
export function isCodeNeighbour(c: number): boolean {
  return c < 128 && CODE_NEIGHBOURS[c] === 1;
}

/** Characters next to which a word needs a closer look (code, formulas, paths, URLs, e-mail). */
export const SPECIAL_NEIGHBOURS = new Uint8Array(0x10000);
for (const ch of "/\\=#$@&%~+^*<>|{}.:(-") SPECIAL_NEIGHBOURS[ch.charCodeAt(0)] = 1;

/** Whether the word s[start, end) is code or part of a formula, judging by its neighbours. */
export function isCodeWord(s: string, start: number, end: number, prev: number, next: number): boolean {
  if (isCodeNeighbour(prev) || isCodeNeighbour(next) || next === 0x28) return true;
  if (prev === 0x2d && (start < 2 || isSpace(s.charCodeAt(start - 2)) || s.charCodeAt(start - 2) === 0x2d)) return true; // -af, --verbose
  if (next === 0x2e && isWordChar(s.charCodeAt(end + 1))) return true; // os.path, file.txt
  if (prev === 0x2e && start >= 2 && isWordChar(s.charCodeAt(start - 2))) return true;
  if (next === 0x3a && s.charCodeAt(end + 1) === 0x3a) return true; // std::vector
  if (start >= 2 && isSpace(prev) && isCodeNeighbour(s.charCodeAt(start - 2)) && s.charCodeAt(start - 2) !== 0x2a)
    return true; // x = y
  return false;
}

/** Characters after which the next word starts a new clause. */
export function isClauseBreak(c: number, next: number): boolean {
  switch (c) {
    case 0x0a:
    case 0x22:
    case 0x28:
    case 0x29:
    case 0x5b:
    case 0x5d: // \n " ( ) [ ]
    case 0x201c:
    case 0x201d:
    case 0x201e:
    case 0xab:
    case 0xbb:
    case 0x2014:
    case 0x2013: // “ ” „ « » — –
    case 0x3002:
    case 0xff01:
    case 0xff1f:
    case 0xff1b:
    case 0xff1a:
    case 0x300c:
    case 0x300d: // 。！？；： 「 」
    case 0xff08:
    case 0xff09: // （ ）
      return true;
    case 0x2e:
    case 0x21:
    case 0x3f:
    case 0x3b:
    case 0x3a:
    case 0x2026: // . ! ? ; : …
      return Number.isNaN(next) || isSpace(next) || next === 0x22 || next === 0x201d || next === 0x29; // NaN at the end
    default:
      return false;
  }
}

function lineEnd(s: string, from: number): number {
  const at = s.indexOf("\n", from);
  return at < 0 ? s.length : at;
}

/**
 * Skips a region that is not natural language, starting at s[i]; returns where it ends, or -1.
 * `fence` is set when the region was a block (code fence, display math) that ends a clause.
 */
export function skipRegion(s: string, i: number, c: number, out: { block: boolean }): number {
  out.block = false;
  if (c === 0x60) {
    // ```fenced code``` (to the closing fence, or to the end), or `inline code` on one line.
    if (s.charCodeAt(i + 1) === 0x60 && s.charCodeAt(i + 2) === 0x60) {
      const close = s.indexOf("```", i + 3);
      out.block = true;
      return close < 0 ? s.length : close + 3;
    }
    const close = s.indexOf("`", i + 1);
    if (close > i && close - i < 400 && close <= lineEnd(s, i)) return close + 1;
    return -1;
  }
  if (c === 0x24) {
    if (s.charCodeAt(i + 1) === 0x24) {
      const close = s.indexOf("$$", i + 2);
      out.block = true;
      return close < 0 ? -1 : close + 2;
    }
    // $x^2$ but not "$5 and $10": no space just inside the dollars, no digit right after the close.
    const close = s.indexOf("$", i + 1);
    if (
      close > i + 1 &&
      close - i < 300 &&
      close <= lineEnd(s, i) &&
      !isSpace(s.charCodeAt(i + 1)) &&
      !isSpace(s.charCodeAt(close - 1))
    ) {
      const after = s.charCodeAt(close + 1);
      if (!(after >= 0x30 && after <= 0x39)) return close + 1;
    }
    return -1;
  }
  if (c === 0x5c) {
    const next = s.charCodeAt(i + 1);
    if (next === 0x28 || next === 0x5b) {
      // \( … \) and \[ … \]
      const close = s.indexOf(next === 0x28 ? "\\)" : "\\]", i + 2);
      out.block = next === 0x5b;
      return close < 0 ? -1 : close + 2;
    }
    // \command{argument}{argument}: LaTeX, all of it.
    let j = i + 1;
    while (j < s.length && (s.charCodeAt(j) | 0x20) >= 0x61 && (s.charCodeAt(j) | 0x20) <= 0x7a) j++;
    if (j === i + 1) return -1;
    while (s.charCodeAt(j) === 0x7b) {
      let depth = 0;
      let k = j;
      for (; k < s.length && k - j < 400; k++) {
        const d = s.charCodeAt(k);
        if (d === 0x7b) depth++;
        else if (d === 0x7d && --depth === 0) break;
      }
      if (depth !== 0) break;
      j = k + 1;
    }
    return j;
  }
  if (c === 0x3c) {
    // <tag attr="…"> and </tag>, on one line.
    const next = s.charCodeAt(i + 1);
    if (!((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7a) && next !== 0x2f && next !== 0x21) return -1;
    const close = s.indexOf(">", i + 1);
    if (close > i && close - i < 300 && close <= lineEnd(s, i)) return close + 1;
    return -1;
  }
  if (c === 0x5b) {
    // Redaction markers: [REDACTED], [details omitted …].
    const close = s.indexOf("]", i + 1);
    if (
      close > i &&
      close - i < 200 &&
      close <= lineEnd(s, i) &&
      /omitted|redacted|removed|elided|placeholder|censored/i.test(s.slice(i + 1, close))
    ) {
      return close + 1;
    }
    return -1;
  }
  return -1;
}
