// Language mixing in one part of a response (reasoning or answer): the languages present with
// their shares, the spans in another language than the part's dominant one, and a mixing score.
// What counts as mixing and what does not is listed in README "Automatic signals".
import { MIN_CONFIRM_LETTERS, confirmedByIdentifier, decideLanguages } from "./language-decide";
import { scanText, type Segment, type TokenStream } from "./language-scan";
import { PromptCache } from "./prompt-cache";
import { BMP_SCRIPT, Script, isCjk } from "./scripts";

export interface LanguageShare {
  /** ISO 639-1 code (zh, en, de …). */
  lang: string;
  /** Share of the part's natural-language text (letters; 3 per Chinese/Japanese/Korean character). */
  share: number;
}

export interface LanguageSpan {
  /** UTF-16 offsets into the part's text, as JavaScript indexes strings. */
  start: number;
  end: number;
  lang: string;
}

export interface PartLanguages {
  /** The language of most of the part; null when it has no natural-language text (only code, say). */
  dominant: string | null;
  languages: LanguageShare[];
  /** Stretches in another language that count as mixing, in order (at most MAX_SPANS). */
  spans: LanguageSpan[];
  /** Share of the part's natural-language text inside those spans, 0…1. */
  mixScore: number;
  /** Amount of natural-language text (letters; 3 per CJK character). */
  weight: number;
  /**
   * Language consistency, 0…1: the share of the part's words in its dominant language (Chinese,
   * Japanese and Korean count per character), the quantity DeepSeek-R1's language-consistency reward
   * uses. Unlike `spans`, a single intruding word counts; names, acronyms, identifiers, code and
   * quotations of the prompt are not words here. 1 when the part has no words.
   */
  consistency: number;
}

export interface MixContext {
  /** The prompt's text: a span that quotes the prompt is not mixing. */
  promptText?: string;
}

export const MAX_SPANS = 100;
/** Chinese/Japanese/Korean characters a span needs inside text of another script. */
const MIN_CJK_CHARS = 2;
/** A quoted stretch this short is a mention ("the word «мир»"), not a switch of language. */
const MAX_MENTION_WORDS = 4;
const OPEN_QUOTES = new Set(['"', "'", "“", "‘", "«", "„", "「", "『", "‹", "`"]);
const CLOSE_QUOTES = new Set(['"', "'", "”", "’", "»", "“", "」", "』", "›", "`"]);

interface Candidate {
  lang: string;
  script: number;
  start: number;
  end: number;
  weight: number;
  words: number;
  votes: number;
  strong: boolean;
}

function scriptOfLanguage(segments: Segment[], lang: string): number {
  for (const seg of segments) if (seg.lang === lang) return seg.script;
  return Script.NEUTRAL;
}

/** Analyses one part. `tokens`, when given, receives the word hashes for repetition detection. */
export function analyzeLanguages(
  text: string,
  context: MixContext = {},
  tokens: TokenStream | null = null,
): PartLanguages {
  const segments = decideLanguages(text, scanText(text, tokens));
  // Most parts are in one language: nothing to weigh against, nothing to relabel, no spans.
  let only: string | null = null;
  let onlyWeight = 0;
  for (const seg of segments) {
    if (seg.lang === null) continue;
    if (only !== null && seg.lang !== only) {
      only = null;
      break;
    }
    only = seg.lang;
    onlyWeight += seg.weight;
  }
  if (only !== null && onlyWeight > 0)
    return {
      dominant: only,
      languages: [{ lang: only, share: 1 }],
      spans: [],
      mixScore: 0,
      weight: onlyWeight,
      consistency: 1,
    };

  let weights = weigh(segments);
  // The dominant language rests on clauses decided with evidence, when there are any.
  let dominant = argmax(weigh(segments, true)) ?? argmax(weights);
  if (dominant === null) return { dominant: null, languages: [], spans: [], mixScore: 0, weight: 0, consistency: 1 };

  // Quotations of the prompt are not the part's language, nor a switch: when the dominant language
  // is not clear-cut, or for clauses in another language, they are left out.
  if (context.promptText && removePromptEchoes(text, segments, dominant, weights, context.promptText)) {
    weights = weigh(segments);
    dominant = argmax(weigh(segments, true)) ?? argmax(weights);
    if (dominant === null) return { dominant: null, languages: [], spans: [], mixScore: 0, weight: 0, consistency: 1 };
  }

  // Weakly decided clauses do not stand against the part's dominant language.
  const dominantScript = scriptOfLanguage(segments, dominant);
  let relabelled = false;
  const strongest = new Map<number, string | null>();
  for (const seg of segments) {
    if (seg.lang === null || seg.strong || seg.lang === dominant) continue;
    if (
      seg.script === dominantScript &&
      seg.wordLetters >= MIN_CONFIRM_LETTERS &&
      confirmedByIdentifier(text, seg.script, seg.start, seg.end, seg.lang)
    ) {
      seg.strong = true; // a thin vote the identifier agrees with
      continue;
    }
    if (seg.script === dominantScript) seg.lang = dominant;
    else {
      if (!strongest.has(seg.script)) strongest.set(seg.script, strongestOfScript(segments, seg.script));
      seg.lang = strongest.get(seg.script) ?? seg.lang;
    }
    relabelled = true;
  }
  if (relabelled) {
    weights = weigh(segments);
    dominant = argmax(weights)!;
  }
  let total = 0;
  for (const w of weights.values()) total += w;

  const candidates: Candidate[] = [];
  let current: Candidate | null = null;
  for (const seg of segments) {
    if (seg.lang === null) continue;
    if (seg.lang === dominant) {
      current = null;
      continue;
    }
    if (current && current.lang === seg.lang && seg.start - current.end <= 80) {
      current.end = seg.end;
      current.weight += seg.weight;
      current.words += seg.words;
      current.votes += seg.matched;
      current.strong &&= seg.strong;
    } else {
      current = {
        lang: seg.lang,
        script: seg.script,
        start: seg.start,
        end: seg.end,
        weight: seg.weight,
        words: seg.words,
        votes: seg.matched,
        strong: seg.strong,
      };
      candidates.push(current);
    }
  }

  const spans: LanguageSpan[] = [];
  let mixedWeight = 0;
  for (const candidate of candidates) {
    if (
      !countsAsMixing(candidate, dominantScript) &&
      !(isCjk(candidate.script) && isCjkPunctuation(text.charCodeAt(candidate.end)))
    )
      continue;
    if (isMention(text, candidate)) continue;
    if (
      context.promptText &&
      promptScriptsOf(context.promptText).has(candidate.script === Script.KANA ? Script.HAN : candidate.script)
    ) {
      if (quotesPrompt(text, candidate.start, candidate.end, context.promptText)) continue;
    }
    mixedWeight += candidate.weight;
    if (spans.length < MAX_SPANS) spans.push({ start: candidate.start, end: candidate.end, lang: candidate.lang });
  }

  const languages = [...weights.entries()]
    .map(([lang, w]) => ({ lang, share: round(w / total) }))
    .filter((l) => l.share > 0)
    .sort((a, b) => b.share - a.share);
  return {
    dominant,
    languages,
    spans,
    mixScore: round(mixedWeight / total),
    weight: total,
    consistency: consistencyOf(text, segments, dominant, dominantScript),
  };
}

/**
 * Everyday English words that slip into non-Latin reasoning ("然后 wait 再检查"): they count against
 * consistency even alone, where a lone Latin-script word is otherwise taken for a technical term.
 */
const EVERYDAY_LATIN = new Set([
  "wait",
  "maybe",
  "hmm",
  "okay",
  "ok",
  "so",
  "but",
  "actually",
  "perhaps",
  "alternatively",
  "well",
  "right",
  "yes",
  "no",
  "now",
  "then",
  "first",
  "next",
  "also",
  "again",
  "hold",
  "let",
  "check",
  "hence",
  "therefore",
  "thus",
  "because",
  "since",
  "however",
  "anyway",
  "oh",
  "ah",
  "yeah",
  "sure",
  "think",
  "see",
  "good",
  "great",
  "nice",
  "correct",
  "wrong",
]);

/**
 * Words in the dominant language over all words with a language (prompt quotations already
 * removed). One or two Latin-script words without grammar inside non-Latin text are a term
 * ("attention mechanism"), left out, unless they are everyday words.
 */
function consistencyOf(text: string, segments: Segment[], dominant: string, dominantScript: number): number {
  let inDominant = 0;
  let all = 0;
  for (const seg of segments) {
    if (seg.lang === null || seg.words === 0) continue;
    if (seg.lang === dominant) {
      inDominant += seg.words;
      all += seg.words;
      continue;
    }
    if (seg.script === Script.LATIN && dominantScript !== Script.LATIN && seg.words <= 2 && seg.matched === 0) {
      const words = text
        .slice(seg.start, seg.end)
        .toLowerCase()
        .split(/[^a-z]+/);
      if (!words.some((w) => EVERYDAY_LATIN.has(w))) continue;
    }
    all += seg.words;
  }
  return all === 0 ? 1 : round(inDominant / all);
}

/** A dominant language holding at least this share needs no check of its own clauses for quotations. */
const CLEAR_DOMINANCE = 0.7;

function removePromptEchoes(
  text: string,
  segments: Segment[],
  dominant: string,
  weights: Map<string, number>,
  prompt: string,
): boolean {
  let total = 0;
  for (const w of weights.values()) total += w;
  const clear = (weights.get(dominant) ?? 0) / total >= CLEAR_DOMINANCE;
  let removed = false;
  const scripts = promptScriptsOf(prompt);
  for (const seg of segments) {
    if (seg.lang === null || (clear && seg.lang === dominant) || seg.weight < 6 || !scripts.has(seg.script)) continue;
    if (quotesPrompt(text, seg.start, seg.end, prompt)) {
      seg.lang = null;
      removed = true;
    }
  }
  return removed;
}

/** The size rules: what is too small, or too name-like, to be a switch of language. */
function countsAsMixing(c: Candidate, dominantScript: number): boolean {
  if (c.script === dominantScript) return c.strong && c.words >= 2; // German in English: clause-level evidence
  if (isCjk(c.script)) return c.weight / 3 >= MIN_CJK_CHARS;
  if (c.script === Script.LATIN) {
    // English terms in Russian or Chinese text ("attention mechanism", "Python") are usage, a
    // phrase with grammar ("the safety implications") is a switch.
    return c.words >= 3 || (c.words >= 2 && c.votes >= 1);
  }
  return c.words >= 2;
}

function isMention(text: string, c: Candidate): boolean {
  const size = isCjk(c.script) ? c.weight / 3 / 2 : c.words;
  if (size > MAX_MENTION_WORDS) return false;
  let before = c.start - 1;
  while (before >= 0 && text[before] === " ") before--;
  let after = c.end;
  while (after < text.length && (text[after] === " " || text[after] === "." || text[after] === ",")) after++;
  return before >= 0 && OPEN_QUOTES.has(text[before]!) && after < text.length && CLOSE_QUOTES.has(text[after]!);
}

/** A single CJK character written with CJK punctuation ("嗯，") is writing, not a mention. */
function isCjkPunctuation(c: number): boolean {
  return c === 0xff0c || c === 0x3001 || c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0xff1a || c === 0xff1b;
}

interface PromptEntry {
  normalized: string | null;
  scripts: Set<number> | null;
}

/** Prompts normalised, with the scripts they are written in, kept per prompt text. */
const prompts = new PromptCache<PromptEntry>(() => ({ normalized: null, scripts: null }));

function promptEntry(prompt: string): PromptEntry {
  return prompts.get(prompt);
}

/** A character that normalisation keeps as it is: a lower-case ASCII letter or a Chinese character. */
function isKeptAsIs(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x4e00 && c <= 0x9fff);
}

/** A character normalisation keeps, lower-cased: ASCII upper case too. */
function keptLower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

function normalizedPromptOf(prompt: string): string {
  const entry = promptEntry(prompt);
  entry.normalized ??= normalize(prompt);
  return entry.normalized;
}

/** A clause can only quote the prompt if the prompt has text in the clause's script. */
function promptScriptsOf(prompt: string): Set<number> {
  const entry = promptEntry(prompt);
  if (entry.scripts === null) {
    entry.scripts = new Set();
    for (let i = 0; i < prompt.length; i++) {
      const script = BMP_SCRIPT[prompt.charCodeAt(i)]!;
      entry.scripts.add(script === Script.KANA ? Script.HAN : script);
    }
  }
  return entry.scripts;
}

/**
 * How many code units from `start` normalise to themselves lower-cased: kept characters, and single
 * spaces between two of them; at most PROBE_LENGTH, ending on a kept character.
 */
function keptPrefixLength(text: string, start: number, end: number): number {
  const limit = Math.min(end, start + PROBE_LENGTH);
  let i = start;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (isKeptAsIs(keptLower(c))) i++;
    else if (c === 0x20 && i > start && i + 1 < limit && isKeptAsIs(keptLower(text.charCodeAt(i + 1)))) i++;
    else break;
  }
  return i - start;
}

/** Code units of a stretch normalised first, as a cheap test before the whole stretch is. */
const PROBE_LENGTH = 24;

/**
 * The stretch, normalised, occurs in the prompt, normalised. Most stretches do not, and the start of
 * a stretch that does occurs too: that start is tested first, so only echoes are normalised whole.
 */
function quotesPrompt(text: string, start: number, end: number, prompt: string): boolean {
  const normalizedPrompt = normalizedPromptOf(prompt);
  // The stretch's first characters that normalisation keeps as they are (the usual case: letters,
  // and single spaces between them), up to PROBE_LENGTH, must be in the prompt: most stretches fail
  // here, without a normalised copy of them.
  const kept = keptPrefixLength(text, start, end);
  if (kept >= 3 && !normalizedPrompt.includes(text.slice(start, start + kept).toLowerCase())) return false;
  // Its last character is dropped: how it lower-cases can depend on what follows (Greek final sigma).
  if (
    end - start > PROBE_LENGTH &&
    !normalizedPrompt.includes(normalize(text.slice(start, start + PROBE_LENGTH)).slice(0, -1))
  )
    return false;
  return normalizedPrompt.includes(normalize(text.slice(start, end)));
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, " ")
    .trim();
}

function strongestOfScript(segments: Segment[], script: number): string | null {
  const weights = new Map<string, number>();
  for (const seg of segments)
    if (seg.script === script && seg.strong && seg.lang)
      weights.set(seg.lang, (weights.get(seg.lang) ?? 0) + seg.weight);
  return argmax(weights);
}

function weigh(segments: Segment[], strongOnly = false): Map<string, number> {
  const weights = new Map<string, number>();
  for (const seg of segments) {
    if (seg.lang !== null && (seg.strong || !strongOnly))
      weights.set(seg.lang, (weights.get(seg.lang) ?? 0) + seg.weight);
  }
  return weights;
}

function argmax(weights: Map<string, number>): string | null {
  let best: string | null = null;
  let bestWeight = 0;
  for (const [lang, w] of weights) {
    if (w > bestWeight) {
      best = lang;
      bestWeight = w;
    }
  }
  return best;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
