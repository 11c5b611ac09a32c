// Repetition loops: the same clause over and over ("Wait, let me re-check that." ×12), or a short
// run of words or characters repeating inside one clause, found from the token hashes the
// language scan leaves behind (no second pass over the text).
import { safeSlice } from "./safe-slice";
import type { TokenStream } from "./language-scan";

export interface RepetitionLoop {
  /** How many times the repeated unit occurs. */
  repeats: number;
  /** Its length in tokens (words, or characters of Chinese/Japanese). */
  unitTokens: number;
  /** UTF-16 offset where its first occurrence starts, and a sample of it. */
  start: number;
  sample: string;
}

/** A clause must come back this often … */
const MIN_CLAUSE_REPEATS = 5;
/** … and fill this share of the stretch from its first to its last occurrence. */
const MIN_CLAUSE_COVERAGE = 0.3;
const MAX_PERIOD = 4;

/** Clause hash → count, length, first and last position; sized to the text, kept between calls. */
interface ClauseTable {
  keys: Int32Array;
  counts: Int32Array;
  tokens: Int32Array;
  first: Int32Array;
  last: Int32Array;
  used: Int32Array;
  usedCount: number;
}

let shared: ClauseTable | null = null;

function clauseTable(tokens: number): ClauseTable {
  // Clauses are fewer than tokens / 2; twice that keeps the table at most a quarter full.
  let size = 1024;
  while (size < tokens) size *= 2;
  if (shared === null || shared.keys.length < size) {
    shared = {
      keys: new Int32Array(size),
      counts: new Int32Array(size),
      tokens: new Int32Array(size),
      first: new Int32Array(size),
      last: new Int32Array(size),
      used: new Int32Array(size),
      usedCount: 0,
    };
  }
  return shared;
}

export function detectRepetition(tokens: TokenStream, text: string): RepetitionLoop | null {
  const { hashes, starts, count } = tokens;
  let period: RepetitionLoop | null = null;
  let best: RepetitionLoop | null = null;

  // One pass over the tokens for both kinds of loop.
  // Short periods inside a clause ("and and and …", "好的好的好的…"): runs[p] counts the tokens in a
  // row that equalled the one p before them. Whole clauses of two or more tokens go into a reused
  // open-addressing table.
  const runs = [0, 0, 0, 0, 0];
  const table = clauseTable(count);
  const size = table.keys.length;
  let hash = 0x811c9dc5 | 0;
  let length = 0;
  let clauseStart = 0;
  for (let i = 0; i <= count; i++) {
    const h = i < count ? hashes[i]! : 0;
    if (h !== 0) {
      if (length === 0) clauseStart = i;
      hash = Math.imul(hash ^ h, 0x01000193);
      length += 1;
      if (
        i < MAX_PERIOD ||
        (h !== hashes[i - 1] && h !== hashes[i - 2] && h !== hashes[i - 3] && h !== hashes[i - 4])
      ) {
        runs[1] = runs[2] = runs[3] = runs[4] = 0;
        continue;
      }
      for (let p = 1; p <= MAX_PERIOD; p++) {
        if (hashes[i - p] === h) {
          runs[p]! += 1;
          if (runs[p] === Math.max(16, 6 * p)) {
            const first = i - runs[p]! - p + 1;
            const repeats = Math.floor((runs[p]! + p) / p);
            if (period === null || repeats > period.repeats)
              period = {
                repeats,
                unitTokens: p,
                start: starts[first]!,
                sample: sampleAt(text, starts, first, p, count),
              };
          }
        } else runs[p] = 0;
      }
      continue;
    }
    runs[1] = runs[2] = runs[3] = runs[4] = 0;
    if (length >= 2) {
      const key = (hash ^ length) | 1; // never 0, the empty slot
      let slot = key & (size - 1);
      while (table.keys[slot] !== 0 && table.keys[slot] !== key) slot = (slot + 1) & (size - 1);
      if (table.keys[slot] === 0) {
        table.keys[slot] = key;
        table.counts[slot] = 1;
        table.tokens[slot] = length;
        table.first[slot] = clauseStart;
        table.used[table.usedCount++] = slot;
      } else table.counts[slot]! += 1;
      table.last[slot] = i;
    }
    hash = 0x811c9dc5 | 0;
    length = 0;
  }
  for (let u = 0; u < table.usedCount; u++) {
    const slot = table.used[u]!;
    const repeats = table.counts[slot]!;
    const tokensPerClause = table.tokens[slot]!;
    const first = table.first[slot]!;
    table.keys[slot] = 0; // leave the table empty for the next call
    if (repeats < MIN_CLAUSE_REPEATS) continue;
    if ((repeats * tokensPerClause) / (table.last[slot]! - first) < MIN_CLAUSE_COVERAGE) continue;
    if (best === null || repeats > best.repeats) {
      best = {
        repeats,
        unitTokens: tokensPerClause,
        start: starts[first]!,
        sample: sampleAt(text, starts, first, tokensPerClause, count),
      };
    }
  }
  table.usedCount = 0;
  return period ?? best;
}

function sampleAt(text: string, starts: Int32Array, first: number, tokens: number, count: number): string {
  const from = starts[first]!;
  const last = Math.min(first + tokens, count);
  const to = last < count ? starts[last]! : text.length;
  return safeSlice(text, from, Math.min(to, from + 80)).trim();
}
