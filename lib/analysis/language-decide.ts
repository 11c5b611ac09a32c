// Gives every clause found by the scan a language: by script where the script tells (Han, Hangul,
// Greek …), by function-word votes for Latin and Cyrillic, by the language identifier when the votes
// are missing or thin, and by the neighbouring clauses when a clause is too short to tell.
import {
  CYRILLIC_VOTING,
  FUNCTION_WORDS,
  LATIN_VOTING,
  LOANWORD_PHRASES,
  MAX_FUNCTION_WORD_LENGTH,
  VOTING_LANGUAGES,
  wordHash,
} from "./function-words";
import { identifyLanguage, type IdentifierScript } from "./language-identifier";
import { votePool, type Segment } from "./language-scan";

const VOTERS = VOTING_LANGUAGES.length;
import { SCRIPT_LANGUAGE, Script } from "./scripts";

/** A clause with fewer letters than this (in words that are not names) is never sent to the identifier. */
export const MIN_IDENTIFIER_LETTERS = 24;
/** Below this share of function words, a clause's votes are too thin to trust on their own. */
const MIN_VOTE_DENSITY = 0.15;
const UNKNOWN = "?";

const LOANWORD_PHRASE = new RegExp(
  `(?<![\\p{L}])(?:${LOANWORD_PHRASES.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?![\\p{L}])`,
  "giu",
);
const WORD = /[\p{L}\p{M}][\p{L}\p{M}'’-]*/gu;

function identifierScript(script: number): IdentifierScript | null {
  switch (script) {
    case Script.LATIN:
      return "latin";
    case Script.CYRILLIC:
      return "cyrillic";
    case Script.ARABIC:
      return "arabic";
    case Script.DEVANAGARI:
      return "devanagari";
    default:
      return null;
  }
}

/** The clause's text for the identifier, without loanword phrases. */
function identifierText(text: string, seg: Segment): string {
  return text.slice(seg.start, seg.end).replace(LOANWORD_PHRASE, " ");
}

function identify(text: string, seg: Segment): { language: string; reliable: boolean } | null {
  const script = identifierScript(seg.script);
  if (script === null || seg.wordLetters < MIN_IDENTIFIER_LETTERS) return null;
  const result = identifyLanguage(identifierText(text, seg), script);
  return result.language ? { language: result.language, reliable: result.reliable } : null;
}

/**
 * Decides the language of each clause. Returns the clauses in order; a clause whose function
 * words clearly belong to two languages is split into runs of each.
 */
/** The last language seen per script, reused between calls (a part has few scripts, a study many parts). */
const SCRIPTS = 32;
const context: (string | undefined)[] = new Array<string | undefined>(SCRIPTS);

export function decideLanguages(text: string, segments: Segment[]): Segment[] {
  const hasKana = segments.some((s) => s.kana > 0);
  // A new list only once a clause is split; until then the clauses are decided in place.
  let out: Segment[] | null = null;
  context.fill(undefined);
  for (let index = 0; index < segments.length; index++) {
    const seg = segments[index]!;
    if (seg.words === 0) {
      seg.lang = null; // names, acronyms only: no language
      out?.push(seg);
      continue;
    }
    switch (seg.script) {
      case Script.HAN:
        seg.lang = hasKana ? "ja" : "zh";
        seg.strong = true;
        break;
      case Script.LATIN:
      case Script.CYRILLIC: {
        // Vietnamese shares "là", "de", "ta" … with the voting languages but has letters no other does.
        if (seg.script === Script.LATIN && isVietnamese(text, seg)) {
          seg.lang = "vi";
          seg.strong = true;
          break;
        }
        const split = decideByVotes(
          text,
          seg,
          seg.script === Script.LATIN ? LATIN_VOTING : CYRILLIC_VOTING,
          context[seg.script],
        );
        if (split) {
          out ??= segments.slice(0, index);
          for (const part of split) out.push(part);
          const last = split[split.length - 1]!;
          if (last.lang) context[seg.script] = last.lang;
          continue;
        }
        break;
      }
      case Script.ARABIC:
      case Script.DEVANAGARI: {
        const found = identify(text, seg);
        seg.lang = found?.reliable ? found.language : SCRIPT_LANGUAGE[seg.script as keyof typeof SCRIPT_LANGUAGE]!;
        seg.strong = true;
        break;
      }
      default:
        seg.lang = SCRIPT_LANGUAGE[seg.script as keyof typeof SCRIPT_LANGUAGE] ?? `und-${seg.script}`;
        seg.strong = true;
    }
    if (seg.lang && seg.lang !== UNKNOWN) context[seg.script] = seg.lang;
    out?.push(seg);
  }
  const decided = out ?? segments;
  fillUnknown(decided);
  return decided;
}

/** Latin or Cyrillic clause: decided in place, or split into runs (returned). */
function decideByVotes(text: string, seg: Segment, bits: number[], context: string | undefined): Segment[] | null {
  if (seg.votes < 0) {
    // No function word at all: a language that has a list would have shown some, so the identifier
    // is only believed for one that has none ("butter, sugar, flour" is not Italian; Polish can be).
    const cue = seg.script === Script.CYRILLIC ? cyrillicLetterCue(text, seg) : null;
    const found = cue === null ? identify(text, seg) : null;
    const believed = found?.reliable && !VOTING_LANGUAGES.includes(found.language as (typeof VOTING_LANGUAGES)[number]);
    seg.lang = cue ?? (believed ? found!.language : UNKNOWN);
    seg.strong = cue !== null || Boolean(believed);
    // Bulgarian without a single ъ is far more likely Russian the identifier could not place.
    if (seg.lang === "bg" && !/ъ/i.test(text.slice(seg.start, seg.end))) seg.lang = "ru";
    return null;
  }
  // This clause's votes: pool[at + bit] is language bit's score, pool[at + VOTERS + bit] its distinct words.
  const pool = votePool.data;
  const at = seg.votes;
  const contextBit = context ? VOTING_LANGUAGES.indexOf(context as (typeof VOTING_LANGUAGES)[number]) : -1;
  let best = -1;
  let second = -1;
  for (const bit of bits) {
    const better =
      best < 0 || pool[at + bit]! > pool[at + best]! || (pool[at + bit]! === pool[at + best]! && bit === contextBit);
    if (better) {
      second = best;
      best = bit;
    } else if (second < 0 || pool[at + bit]! > pool[at + second]!) second = bit;
  }
  const density = seg.matched / seg.words;
  const rivals = second >= 0 && pool[at + VOTERS + second]! > 0;
  if (rivals && pool[at + VOTERS + best]! >= 1 && pool[at + best]! >= 2 && pool[at + second]! >= 2) {
    // Function words of two languages: the clause may switch language midway.
    const runs = splitMixedClause(text, seg, best, second);
    if (runs) return runs;
  }
  if (pool[at + VOTERS + best]! >= 2 && (density >= MIN_VOTE_DENSITY || seg.wordLetters < MIN_IDENTIFIER_LETTERS)) {
    seg.lang = VOTING_LANGUAGES[best]!;
    seg.strong = true;
    return null;
  }
  if (pool[at + VOTERS + best]! === 1 && !rivals && density >= MIN_VOTE_DENSITY) {
    // One function word of one language and none of another: enough to name it, not to call it foreign.
    seg.lang = VOTING_LANGUAGES[best]!;
    seg.strong = false;
    return null;
  }
  // Thin evidence: the identifier decides when the clause is long enough — but a language with a
  // function-word list that got no vote is not believed ("Keep the villain voice light" is not
  // Italian); one without a list (Polish, Turkish …) could not have got any.
  if (contextBit >= 0 && pool[at + contextBit]! === pool[at + best]!) {
    // As much for the language around it as for any other ("ps aux" among English): stay with it.
    seg.lang = context!;
    seg.strong = false;
    return null;
  }
  const cue = seg.script === Script.CYRILLIC ? cyrillicLetterCue(text, seg) : null;
  const found = cue === null ? identify(text, seg) : { language: cue, reliable: true };
  const foundLanguage = found?.language === "bg" && !/ъ/i.test(text.slice(seg.start, seg.end)) ? "ru" : found?.language;
  const foundBit = VOTING_LANGUAGES.indexOf(foundLanguage as (typeof VOTING_LANGUAGES)[number]);
  if (found?.reliable && foundLanguage && (foundBit < 0 || pool[at + foundBit]! > 0)) {
    seg.lang = foundLanguage;
    seg.strong = true;
  } else {
    seg.lang = contextBit >= 0 && pool[at + contextBit]! === pool[at + best]! ? context! : VOTING_LANGUAGES[best]!;
    seg.strong = false;
  }
  return null;
}

/** Loanword phrases by their first word, each as its lower-case words. */
const PHRASES_BY_FIRST_WORD = (() => {
  const map = new Map<string, string[][]>();
  for (const phrase of LOANWORD_PHRASES) {
    const words = phrase.toLowerCase().match(/[\p{L}\p{M}][\p{L}\p{M}'’-]*/gu) ?? [];
    if (words.length === 0) continue;
    const list = map.get(words[0]!) ?? [];
    list.push(words);
    map.set(words[0]!, list);
  }
  return map;
})();

/** How many words of a loanword phrase start at words[w] (0 for none). */
function loanwordPhraseAt(words: RegExpMatchArray[], w: number): number {
  const candidates = PHRASES_BY_FIRST_WORD.get(words[w]![0].toLowerCase());
  if (!candidates) return 0;
  for (const phrase of candidates) {
    if (w + phrase.length > words.length) continue;
    if (phrase.every((p, k) => words[w + k]![0].toLowerCase() === p)) return phrase.length;
  }
  return 0;
}

function isUpperInitial(word: string): boolean {
  const first = word.charAt(0);
  return first !== first.toLowerCase();
}

/** The identifier names `lang` for this stretch (too short to decide alone, long enough to confirm). */
export function confirmedByIdentifier(text: string, script: number, start: number, end: number, lang: string): boolean {
  const which = identifierScript(script);
  if (which === null) return false;
  return identifyLanguage(text.slice(start, end).replace(LOANWORD_PHRASE, " "), which).language === lang;
}

/** Letters a stretch needs before the identifier is asked to confirm a single function word. */
export const MIN_CONFIRM_LETTERS = 12;

/**
 * A clause with function words of two languages (`a`, `b`): runs of words by language. Null when
 * it does not really switch (every run but one rests on less than two votes, unconfirmed).
 */
function splitMixedClause(text: string, seg: Segment, a: number, b: number): Segment[] | null {
  const clause = text.slice(seg.start, seg.end);
  const pair = (1 << a) | (1 << b);
  interface Run {
    lang: number;
    start: number;
    end: number;
    votes: number;
    words: number;
    letters: number;
  }
  const runs: Run[] = [];
  let current: Run | null = null;
  const words = [...clause.matchAll(WORD)];
  for (let w = 0; w < words.length; w++) {
    const phrase = loanwordPhraseAt(words, w);
    if (phrase > 0) {
      // "je ne sais quoi" in English: part of the run it stands in, no votes.
      if (current) current.end = seg.start + words[w + phrase - 1]!.index + words[w + phrase - 1]![0].length;
      w += phrase - 1;
      continue;
    }
    const word = words[w]![0];
    const start = seg.start + words[w]!.index;
    // Only the two languages in play: "je" is French here even though Dutch has it too.
    let mask = word.length <= MAX_FUNCTION_WORD_LENGTH ? FUNCTION_WORDS.get(wordHash(word)) & pair : 0;
    if (word === "I") mask = (1 << 0) & pair;
    if (mask === pair) mask = 0; // shared by both: no side taken
    // Inside the clause, a capitalised word is a name ("Der Spiegel", "Los Angeles"): no vote, no weight.
    const capitalised = w > 0 && word !== "I" && isUpperInitial(word);
    if (capitalised && (mask === 0 || (w + 1 < words.length && isUpperInitial(words[w + 1]![0])))) {
      if (current) current.end = start + word.length;
      continue;
    }
    const lang = mask ? 31 - Math.clz32(mask) : -1;
    if (current === null || (lang >= 0 && lang !== current.lang && current.lang >= 0)) {
      current = { lang, start, end: start, votes: 0, words: 0, letters: 0 };
      runs.push(current);
    } else if (current.lang < 0 && lang >= 0) current.lang = lang;
    current.end = start + word.length;
    current.words += 1;
    current.letters += word.length;
    if (lang >= 0) current.votes += 1;
  }
  const stands = (run: Run) =>
    run.votes >= 2 ||
    (run.votes === 1 &&
      run.words >= 3 &&
      run.letters >= MIN_CONFIRM_LETTERS &&
      confirmedByIdentifier(text, seg.script, run.start, run.end, VOTING_LANGUAGES[run.lang]!));
  // A run that does not stand joins the run before it (or after it, at the start).
  const merged: Run[] = [];
  for (const run of runs) {
    const previous = merged[merged.length - 1];
    if (previous && (run.lang === previous.lang || !stands(run))) {
      previous.end = run.end;
      previous.words += run.words;
      previous.letters += run.letters;
      if (run.lang === previous.lang) previous.votes += run.votes;
    } else if (previous && merged.length === 1 && !stands(previous)) {
      run.start = previous.start;
      run.words += previous.words;
      run.letters += previous.letters;
      merged[0] = run;
    } else merged.push(run);
  }
  if (merged.length < 2) return null;
  return merged.map((run) => ({
    ...seg,
    start: run.start,
    end: run.end,
    weight: run.letters,
    words: run.words,
    wordLetters: run.letters,
    votes: -1,
    matched: run.votes,
    lang: run.lang >= 0 ? VOTING_LANGUAGES[run.lang]! : UNKNOWN,
    strong: true,
  }));
}

/** Letters only Vietnamese uses among the Latin-script languages (ơ ư đ, and the stacked-diacritic block). */
const VIETNAMESE_LETTER = /[\u1EA0-\u1EF9\u01A0\u01A1\u01AF\u01B0\u0110\u0111]/g;
const LOWER_START = /\p{Ll}/u;
const LETTER_BEFORE = /\p{L}/u;

/**
 * Two Vietnamese letters in the clause's lower-case words: one could be a borrowed word ("phở"),
 * and names keep their letters in any language ("Nguyễn Văn An and Đặng Thu Hà wrote…").
 */
function isVietnamese(text: string, seg: Segment): boolean {
  const clause = text.slice(seg.start, seg.end);
  if (clause.search(VIETNAMESE_LETTER) < 0) return false;
  let found = 0;
  VIETNAMESE_LETTER.lastIndex = 0;
  for (let m = VIETNAMESE_LETTER.exec(clause); m !== null; m = VIETNAMESE_LETTER.exec(clause)) {
    let start = m.index;
    while (start > 0 && LETTER_BEFORE.test(clause[start - 1]!)) start--;
    if (LOWER_START.test(clause[start]!) && ++found === 2) return true;
  }
  return false;
}

/** Letters only one Cyrillic language uses: і ї є ґ (Ukrainian), ў (Belarusian), ы э ё (Russian), ђ ћ џ љ њ ј (Serbian). */
function cyrillicLetterCue(text: string, seg: Segment): string | null {
  const clause = text.slice(seg.start, seg.end);
  if (/[іїєґІЇЄҐ]/.test(clause)) return /[ыэЫЭ]/.test(clause) ? null : "uk";
  if (/[ўЎ]/.test(clause)) return "be";
  if (/[ђћџљњјЂЋЏЉЊЈ]/.test(clause)) return "sr";
  if (/[ыэёЫЭЁ]/.test(clause)) return "ru";
  return null;
}

/** Clauses too short to tell take the language of the nearest clause of the same script. */
function fillUnknown(segments: Segment[]) {
  let unknown = false;
  context.fill(undefined);
  for (const seg of segments) {
    if (seg.lang === UNKNOWN) {
      const known = context[seg.script];
      if (known) seg.lang = known;
      else unknown = true;
    } else if (seg.lang) context[seg.script] = seg.lang;
  }
  if (!unknown) return;
  context.fill(undefined);
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i]!;
    if (seg.lang === UNKNOWN)
      seg.lang = context[seg.script] ?? SCRIPT_LANGUAGE[seg.script as keyof typeof SCRIPT_LANGUAGE] ?? "und";
    else if (seg.lang) context[seg.script] = seg.lang;
  }
}
