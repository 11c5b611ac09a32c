// One pass over a text that cuts it into clauses of one script, counts letters and function-word
// votes per clause, and sets aside what is not natural language: code, URLs, e-mail addresses,
// formulas, markup, identifiers, numbers, acronyms. Written for speed (20 MB/s per core is the
// target): one loop over UTF-16 code units, no regular expressions, no strings per word.
import { FUNCTION_WORDS, MAX_FUNCTION_WORD_LENGTH, VOTING_LANGUAGES, lowerCode } from "./function-words";
import { BMP_SCRIPT, Script, isCjk, scriptOfAstral } from "./scripts";
import { SPECIAL_NEIGHBOURS, isClauseBreak, isCodeWord, isSpace, skipRegion } from "./text-regions";

export interface Segment {
  /** Script of the clause; HAN stands for a Chinese or Japanese run (its kana are counted in `kana`). */
  script: number;
  /** UTF-16 offsets of the first letter and after the last letter. */
  start: number;
  end: number;
  /** Letters of its words but names (alphabetic scripts), or 3 per character (Chinese, Japanese, Korean). */
  weight: number;
  /** Words that are not names, acronyms or identifiers (CJK: characters). */
  words: number;
  /** Letters of those words: the evidence a language identifier would get. */
  wordLetters: number;
  kana: number;
  /**
   * Where the clause's function-word votes start in the vote pool (see `votes`), or -1 for none:
   * per voting language the score (2 per function word of that language alone, 1 per shared one),
   * then per voting language the count of words of that language alone.
   */
  votes: number;
  /** Words that are function words of some voting language. */
  matched: number;
  /** Decided later (language-decide.ts). */
  lang: string | null;
  /** True when the language rests on enough evidence to call the clause foreign. */
  strong: boolean;
}

/** Token hashes for repetition detection; 0 marks a clause boundary. Reused between calls. */
export interface TokenStream {
  hashes: Int32Array;
  starts: Int32Array;
  count: number;
}

export function newTokenStream(capacity = 1 << 14): TokenStream {
  return { hashes: new Int32Array(capacity), starts: new Int32Array(capacity), count: 0 };
}

/** Makes room for `more` tokens. */
function reserve(tokens: TokenStream, more: number) {
  if (tokens.count + more <= tokens.hashes.length) return;
  let size = tokens.hashes.length * 2;
  while (size < tokens.count + more) size *= 2;
  const hashes = new Int32Array(size);
  hashes.set(tokens.hashes.subarray(0, tokens.count));
  const starts = new Int32Array(size);
  starts.set(tokens.starts.subarray(0, tokens.count));
  tokens.hashes = hashes;
  tokens.starts = starts;
}

function push(tokens: TokenStream, hash: number, start: number) {
  if (tokens.count === tokens.hashes.length) {
    const hashes = new Int32Array(tokens.hashes.length * 2);
    hashes.set(tokens.hashes);
    const starts = new Int32Array(tokens.starts.length * 2);
    starts.set(tokens.starts);
    tokens.hashes = hashes;
    tokens.starts = starts;
  }
  tokens.hashes[tokens.count] = hash;
  tokens.starts[tokens.count++] = start;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const VOTERS = VOTING_LANGUAGES.length;
const BIT_EN = 0;
const BIT_FR = VOTING_LANGUAGES.indexOf("fr");
const BIT_IT = VOTING_LANGUAGES.indexOf("it");
const WWW = ((): number => {
  let h = FNV_OFFSET;
  for (const ch of "www") h = Math.imul(h ^ ch.charCodeAt(0), FNV_PRIME);
  return h;
})();

function newSegment(script: number, start: number): Segment {
  return {
    script,
    start,
    end: start,
    weight: 0,
    words: 0,
    wordLetters: 0,
    kana: 0,
    votes: -1,
    matched: 0,
    lang: null,
    strong: false,
  };
}

/** English contractions (don't, it's, we'll) and French/Italian elisions (l'homme, c'est, dell'uomo). */
function apostropheVote(s: string, start: number, end: number, apos: number): number {
  // Read as character codes: contractions are frequent in English reasoning, strings per word are not cheap.
  const at = start + apos;
  const before = apos;
  const after = end - at - 1;
  const a1 = after >= 1 ? lowerCode(s.charCodeAt(at + 1)) : 0;
  const a2 = after >= 2 ? lowerCode(s.charCodeAt(at + 2)) : 0;
  if (after === 1 && (a1 === 0x73 || a1 === 0x6d || a1 === 0x64)) return 1 << BIT_EN; // 's 'm 'd
  if (after === 1 && a1 === 0x74 && lowerCode(s.charCodeAt(at - 1)) === 0x6e) return 1 << BIT_EN; // n't
  if (after === 2 && ((a1 === 0x6c && a2 === 0x6c) || (a1 === 0x72 && a2 === 0x65) || (a1 === 0x76 && a2 === 0x65)))
    return 1 << BIT_EN; // 'll 're 've
  if (after >= 2 && before === 1) {
    const b = lowerCode(s.charCodeAt(start));
    if (b === 0x6c || b === 0x64 || b === 0x63) return (1 << BIT_FR) | (1 << BIT_IT); // l' d' c'
    if (b === 0x73 || b === 0x6e || b === 0x6a || b === 0x6d || b === 0x74) return 1 << BIT_FR; // s' n' j' m' t'
  }
  if (
    after >= 2 &&
    before === 2 &&
    lowerCode(s.charCodeAt(start)) === 0x71 &&
    lowerCode(s.charCodeAt(start + 1)) === 0x75
  )
    return 1 << BIT_FR; // qu'
  if (after >= 1 && before >= 2 && before <= 4) {
    const word = s.slice(start, at).toLowerCase();
    if (word === "dell" || word === "nell" || word === "all" || word === "un" || word === "sull" || word === "dall")
      return 1 << BIT_IT;
  }
  return 0;
}

const region = { block: false };

const DIGIT = 1;
const UNDERSCORE = 2;
const CAMEL = 4;
const FIRST_UPPER = 8;
const ALL_UPPER = 16;

/** What readWord found (one object, reused: a word must not cost an allocation). */
const word = { script: -1, letters: 0, hash: 0, flags: 0, apos: -1, next: 0x20 };

/** Reads the word starting at s[i]: letters of one script, digits, underscores, marks, inner ' and -. Returns its end. */
function readWord(s: string, i: number, n: number, firstScript: number): number {
  let j = i;
  // The script of the word is that of its first letter (digits and underscores have none).
  let wscript = firstScript >= 2 ? firstScript : -1;
  let letters = 0;
  let hash = -2128831035; // FNV-1a offset basis
  let flags = ALL_UPPER;
  let prevLower = false;
  let apos = -1;
  while (j < n) {
    const d = s.charCodeAt(j);
    if (d === 0x20) break; // most words end here
    if (d >= 0x61 && d <= 0x7a && wscript === 2 /* LATIN */) {
      // the hot path: a lower-case ASCII letter inside a Latin word
      flags &= ~ALL_UPPER;
      prevLower = true;
      letters++;
      hash = Math.imul(hash ^ d, 0x01000193);
      j++;
      continue;
    }
    const t = BMP_SCRIPT[d]!;
    if (t === 1 /* DIGIT */) {
      flags |= DIGIT;
      hash = Math.imul(hash ^ d, 0x01000193);
    } else if (d === 0x5f) {
      flags |= UNDERSCORE;
    } else if (t === 26 /* MARK */) {
      // part of the letter before
    } else if (t >= 2 /* LATIN */ && t !== 27 /* CJK_PUNCT */ && t !== 7 && t !== 8 && t !== 9) {
      if (wscript === -1) wscript = t;
      else if (t !== wscript) break;
      const lower = lowerCode(d);
      if (lower !== d) {
        if (letters === 0) flags |= FIRST_UPPER;
        else if (prevLower) flags |= CAMEL;
        prevLower = false;
      } else {
        if ((d >= 0x61 && d <= 0x7a) || d > 0xdf) flags &= ~ALL_UPPER;
        prevLower = true;
      }
      letters++;
      hash = Math.imul(hash ^ lower, 0x01000193);
    } else if (
      (d === 0x27 || d === 0x2019 || d === 0x2d) &&
      letters > 0 &&
      j + 1 < n &&
      BMP_SCRIPT[s.charCodeAt(j + 1)] === wscript
    ) {
      if (d !== 0x2d && apos < 0) apos = j - i;
      hash = Math.imul(hash ^ (d === 0x2d ? 0x2d : 0x27), 0x01000193);
    } else break;
    j++;
  }
  word.script = wscript;
  word.letters = letters;
  word.hash = hash;
  word.flags = flags;
  word.apos = apos;
  word.next = j < n ? s.charCodeAt(j) : 0x20;
  return j;
}

/**
 * Cuts `s` into clauses of one script with their counts. When `tokens` is given, every word (and
 * every CJK character) is also appended to it as a hash, with 0 at clause boundaries.
 */
export function scanText(s: string, tokens: TokenStream | null): Segment[] {
  votePool.used = 0;
  const segments: Segment[] = [];
  let seg: Segment | null = null;
  let brk = true; // the next word starts a new clause
  const n = s.length;
  let i = 0;

  // The character before s[i], and the last one before the current run of spaces: a word's
  // left neighbours without reading the string again.
  let last = 0x20;
  let beforeSpaces = 0x20;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (last !== 0x20) beforeSpaces = last;
      last = 0x20;
      i++;
      continue;
    }
    let sc: number = BMP_SCRIPT[c]!;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      sc = scriptOfAstral(s.codePointAt(i)!);
      width = 2;
    }

    if (isCjk(sc)) {
      const group = sc === 9 /* HANGUL */ ? 9 /* HANGUL */ : 7 /* HAN */;
      if (seg === null || brk || seg.script !== group) {
        seg = newSegment(group, i);
        segments.push(seg);
        brk = false;
      }
      seg.weight += 3;
      seg.words += 1;
      seg.wordLetters += 3;
      if (sc === 8 /* KANA */) seg.kana += 1;
      seg.end = i + width;
      if (tokens) {
        if (tokens.count === tokens.hashes.length) push(tokens, c | 0x40000000, i);
        else {
          tokens.hashes[tokens.count] = c | 0x40000000;
          tokens.starts[tokens.count++] = i;
        }
      }
      last = c;
      i += width;
      continue;
    }

    if (
      seg !== null &&
      !brk &&
      last === 0x20 &&
      SPECIAL_NEIGHBOURS[beforeSpaces] !== 1 &&
      seg.script === sc &&
      (sc === 2 || sc === 3)
    ) {
      // Inside a Latin or Cyrillic clause: a run of plain lower-case words, one space apart, the
      // bulk of any text, counted without the general word path's checks.
      const end = plainWords(s, i, n, seg, sc === 2 ? 0x61 : 0x430, sc === 2 ? 0x7a : 0x44f, tokens);
      if (end > i) {
        // Either after the space that followed the last word, or on the punctuation that ended it.
        last = s.charCodeAt(end - 1) === 0x20 ? 0x20 : 0x61;
        beforeSpaces = 0x61;
        i = end;
        continue;
      }
    }

    if (
      sc === 1 /* DIGIT */ ||
      c === 0x5f ||
      (sc >= 2 /* LATIN */ && sc !== 26 /* MARK */ && sc !== 27) /* CJK_PUNCT */
    ) {
      // A word: letters of one script, with digits, underscores, marks, inner apostrophes and hyphens.
      const start = i;
      let j = readWord(s, i, n, sc);
      const wscript = word.script;
      const letters = word.letters;
      let hash = word.hash;
      const flags = word.flags;
      const digit = (flags & DIGIT) !== 0;
      const underscore = (flags & UNDERSCORE) !== 0;
      const camel = (flags & CAMEL) !== 0;
      const firstUpper = (flags & FIRST_UPPER) !== 0;
      const allUpper = (flags & ALL_UPPER) !== 0;
      const apos = word.apos;
      if (j === start) j = start + 1; // a lone surrogate or the like
      hash |= 0;
      if (hash === 0) hash = 1;

      // "I" is the one single letter that is a word worth counting (English, distinctively).
      const pronounI = letters === 1 && c === 0x49 && j === i + 1;
      const prev = last;
      const next = word.next;
      // One letter of an alphabet other than Latin or Greek touching a Chinese, Japanese or Korean
      // character is a letter inside a word ("完Ь複", "スラムダンк"), not a symbol (α, x).
      const glued =
        letters === 1 &&
        wscript >= Script.CYRILLIC &&
        wscript !== Script.GREEK &&
        (isCjk(BMP_SCRIPT[prev]!) || isCjk(BMP_SCRIPT[next]!));
      let natural = wscript !== -1 && !digit && !underscore && !camel && (letters >= 2 || pronounI || glued);
      // Capitals between katakana and a kana that cannot begin a word (ッ, ャ, ー …) are letters inside
      // a katakana word ("アットWOッド"), not an acronym: "APIキー" is followed by a word's first kana.
      if (natural && allUpper && letters <= 6 && !pronounI && !glued && !(isKatakana(prev) && isWordInnerKana(next)))
        natural = false; // acronym: API, GPU, RLHF
      if (
        natural &&
        (SPECIAL_NEIGHBOURS[prev] === 1 ||
          SPECIAL_NEIGHBOURS[next] === 1 ||
          (prev === 0x20 && SPECIAL_NEIGHBOURS[beforeSpaces] === 1)) &&
        isCodeWord(s, start, j, prev, next)
      ) {
        natural = false;
      }
      // URLs: scheme:// or www. up to the next space.
      if (next === 0x3a && s.charCodeAt(j + 1) === 0x2f && s.charCodeAt(j + 2) === 0x2f) {
        natural = false;
        while (j < n && !isSpace(s.charCodeAt(j))) j++;
      } else if (hash === WWW && next === 0x2e) {
        natural = false;
        while (j < n && !isSpace(s.charCodeAt(j))) j++;
      } else if (next === 0x40) {
        // e-mail address: to the next space
        natural = false;
        while (j < n && !isSpace(s.charCodeAt(j))) j++;
      }

      if (natural) {
        if (seg === null || brk || seg.script !== wscript) {
          // A clause's first word may be capitalised without being a name — unless the clause
          // starts mid-sentence, where the script changes ("… 的 Python 的 …").
          const sentenceStart = brk || seg === null;
          seg = newSegment(wscript, start);
          segments.push(seg);
          brk = false;
          // A capitalised word that runs on into kana or Hangul without a space is not a name written
          // as a word but the first part of one split between scripts ("Пелопоンネス").
          const runsOn =
            wscript !== Script.LATIN && (BMP_SCRIPT[next] === Script.KANA || BMP_SCRIPT[next] === Script.HANGUL);
          countWord(seg, s, start, j, letters, hash, apos, !sentenceStart && firstUpper && !allUpper && !runsOn);
        } else if (
          !firstUpper &&
          apos < 0 &&
          letters > 1 &&
          (j - start > MAX_FUNCTION_WORD_LENGTH || FUNCTION_WORDS.get(hash) === 0)
        ) {
          // the common case: a lower-case word that is no function word
          seg.weight += letters;
          seg.words += 1;
          seg.wordLetters += letters;
        } else {
          countWord(seg, s, start, j, letters, hash, apos, firstUpper && !allUpper);
        }
        seg.end = j;
      }
      if (tokens) {
        if (tokens.count === tokens.hashes.length) push(tokens, hash, start);
        else {
          tokens.hashes[tokens.count] = hash;
          tokens.starts[tokens.count++] = start;
        }
      }
      i = j;
      last = 0x61; // a letter
      continue;
    }

    // Neutral: spaces, punctuation, symbols, emoji — and regions that are not natural language.
    if (c === 0x60 || c === 0x24 || c === 0x5c || c === 0x3c || c === 0x5b) {
      const to = skipRegion(s, i, c, region);
      if (to > i) {
        if ((region.block || c === 0x5b) && !brk) {
          brk = true;
          if (tokens) push(tokens, 0, i);
        }
        i = to;
        last = 0x20;
        beforeSpaces = 0x20;
        continue;
      }
    }
    if (!brk && isClauseBreak(c, i + 1 < n ? s.charCodeAt(i + 1) : NaN)) {
      brk = true;
      if (tokens) push(tokens, 0, i);
    }
    last = c;
    i += width;
  }
  return segments;
}

/** A katakana letter or the long-vowel mark. */
export function isKatakana(c: number): boolean {
  return (c >= 0x30a1 && c <= 0x30fa) || c === 0x30fc;
}

/** Small katakana and the long-vowel mark: they continue a word and never begin one. */
export function isWordInnerKana(c: number): boolean {
  return (
    c === 0x30fc ||
    c === 0x30c3 ||
    c === 0x30a1 ||
    c === 0x30a3 ||
    c === 0x30a5 ||
    c === 0x30a7 ||
    c === 0x30a9 ||
    c === 0x30e3 ||
    c === 0x30e5 ||
    c === 0x30e7 ||
    c === 0x30ee
  );
}

/**
 * Counts the plain words (letters in [low, high] only, at least two) starting at s[i], each followed
 * by one space, into `seg`; stops before the first word that is anything else and returns where.
 */
function plainWords(
  s: string,
  i: number,
  n: number,
  seg: Segment,
  low: number,
  high: number,
  tokens: TokenStream | null,
): number {
  // Room for every word the rest of the text could hold, so the loop needs no capacity checks.
  if (tokens) reserve(tokens, (n - i) / 2 + 1);
  const hashes = tokens?.hashes;
  const starts = tokens?.starts;
  let count = tokens?.count ?? 0;
  let weight = 0;
  let words = 0;
  let k = i;
  let stop = i;
  for (;;) {
    let hash = -2128831035; // FNV-1a offset basis
    let m = k;
    while (m < n) {
      const d = s.charCodeAt(m);
      if (d < low || d > high) break;
      hash = Math.imul(hash ^ d, 0x01000193);
      m++;
    }
    const letters = m - k;
    if (letters < 2 || m >= n) break; // the general path takes this word
    const after = s.charCodeAt(m);
    // A word ends at a space, a line break, or punctuation followed by a space ("word, word").
    const ends =
      after === 0x20
        ? 1
        : after === 0x0a
          ? 0
          : isPlainPunctuation(after) && (m + 1 >= n || isSpace(s.charCodeAt(m + 1)))
            ? 0
            : -1;
    if (ends < 0) break;
    hash |= 0;
    if (hash === 0) hash = 1;
    weight += letters;
    words += 1;
    seg.end = m;
    if (letters <= MAX_FUNCTION_WORD_LENGTH) {
      const mask = FUNCTION_WORDS.get(hash);
      if (mask !== 0) vote(seg, mask);
    }
    if (hashes) {
      hashes[count] = hash;
      starts![count++] = k;
    }
    if (ends === 0) {
      stop = m; // the main loop handles the punctuation or line break
      break;
    }
    k = m + 1;
    stop = k;
    if (k >= n) break;
    const next = s.charCodeAt(k);
    if (next < low || next > high) break;
  }
  seg.weight += weight;
  seg.words += words;
  seg.wordLetters += weight;
  if (tokens) tokens.count = count;
  return stop;
}

/** , . ; : ! ? — ending a plain word when a space follows. */
function isPlainPunctuation(c: number): boolean {
  return c === 0x2c || c === 0x2e || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f;
}

function countWord(
  seg: Segment,
  s: string,
  start: number,
  end: number,
  letters: number,
  hash: number,
  apos: number,
  capitalised: boolean,
) {
  let mask = 0;
  if (seg.script === Script.LATIN || seg.script === Script.CYRILLIC) {
    if (letters === 1)
      mask = seg.script === Script.LATIN ? 1 << BIT_EN : 0; // "I"; a lone Cyrillic letter is no vote
    else if (apos >= 0) mask = apostropheVote(s, start, end, apos);
    else if (end - start <= MAX_FUNCTION_WORD_LENGTH) mask = FUNCTION_WORDS.get(hash);
  }
  // A capitalised word inside a clause is a name (or a German noun): no evidence either way —
  // unless it is a function word ("The" after a switch of script).
  if (capitalised && mask === 0) return;
  seg.weight += letters;
  seg.words += 1;
  seg.wordLetters += letters;
  if (mask === 0) return;
  vote(seg, mask);
}

/** Adds one function word with this language mask to the clause's votes. */
function vote(seg: Segment, mask: number) {
  if (seg.votes < 0) seg.votes = allocateVotes();
  seg.matched += 1;
  const pool = votePool.data;
  if ((mask & (mask - 1)) === 0) {
    const bit = 31 - Math.clz32(mask);
    pool[seg.votes + bit]! += 2;
    pool[seg.votes + VOTERS + bit]! += 1;
    return;
  }
  for (let rest = mask; rest !== 0; rest &= rest - 1) pool[seg.votes + 31 - Math.clz32(rest & -rest)]! += 1;
}

/**
 * Function-word votes of the clauses of the last scan, side by side in one typed array: one
 * allocation per clause would cost more than the scan. Valid until the next scan.
 */
export const votePool = { data: new Int16Array(2 * VOTERS * 1024), used: 0 };

function allocateVotes(): number {
  const size = 2 * VOTERS;
  if (votePool.used + size > votePool.data.length) {
    const grown = new Int16Array(votePool.data.length * 2);
    grown.set(votePool.data);
    votePool.data = grown;
  }
  const at = votePool.used;
  votePool.data.fill(0, at, at + size);
  votePool.used += size;
  return at;
}
