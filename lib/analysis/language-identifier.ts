// The language identifier (eld, "Efficient Language Detector", extra-small database), consulted
// only for clauses the script and function-word pass cannot decide: see README "Automatic signals"
// for the measurements behind the choice.
import { eld } from "eld/extrasmall";

const LATIN = [
  "az",
  "ca",
  "cs",
  "da",
  "de",
  "en",
  "es",
  "et",
  "eu",
  "fi",
  "fr",
  "hr",
  "hu",
  "is",
  "it",
  "lt",
  "lv",
  "ms",
  "nl",
  "no",
  "pl",
  "pt",
  "ro",
  "sk",
  "sl",
  "sq",
  "sv",
  "tl",
  "tr",
  "vi",
  "yo",
];
const CYRILLIC = ["be", "bg", "ru", "sr", "uk"];
const ARABIC = ["ar", "fa", "ku", "ur"];
const DEVANAGARI = ["hi", "mr"];

function restricted(languages: string[]) {
  const instance = eld.newInstance();
  instance.setLanguageSubset(languages);
  return instance;
}

const detectors = {
  latin: restricted(LATIN),
  cyrillic: restricted(CYRILLIC),
  arabic: restricted(ARABIC),
  devanagari: restricted(DEVANAGARI),
};

/** The large languages of Europe, for single words (see `foreignWordLanguage`). */
const european = restricted(["en", "es", "fr", "de", "it", "pt", "nl"]);

/** Least score (0…1) the identifier gives a single word's language before it is believed. */
const FOREIGN_WORD_SCORE = 0.75;

export type IdentifierScript = keyof typeof detectors;

export interface Identified {
  language: string | null;
  reliable: boolean;
}

/** How often the identifier was asked (for the benchmark). */
export const identifierCalls = { count: 0, chars: 0 };

/** The language of `text`, among the languages written in `script`. */
export function identifyLanguage(text: string, script: IdentifierScript): Identified {
  identifierCalls.count += 1;
  identifierCalls.chars += text.length;
  const result = detectors[script].detect(text);
  return { language: result.language || null, reliable: result.language !== "" && result.isReliable() };
}

/**
 * The language of one lower-case word when it is plainly not English ("ejemplo", "beispiel"): the
 * identifier, among the large languages of Europe, scores one at least FOREIGN_WORD_SCORE and English
 * not at all. English terms that are not everyday words ("serializer", "frontend", "schema") keep
 * some English score and are left alone. Null otherwise.
 */
export function foreignWordLanguage(word: string): string | null {
  const { language, scores } = europeanScores(word);
  if (!language || language === "en") return null;
  if ((scores.en ?? 0) > 0 || (scores[language] ?? 0) < FOREIGN_WORD_SCORE) return null;
  return language;
}

/** Least English score of a word that reads as English ("nutrition" 0.67; "stdout", "json" 0). */
const ENGLISH_WORD_SCORE = 0.6;

/**
 * One lower-case word reads as an English word, not an identifier or an abbreviation: the
 * identifier gives English at least ENGLISH_WORD_SCORE among the large languages of Europe.
 */
export function readsAsEnglish(word: string): boolean {
  return (europeanScores(word).scores.en ?? 0) >= ENGLISH_WORD_SCORE;
}

function europeanScores(word: string): { language: string; scores: Record<string, number> } {
  identifierCalls.count += 1;
  identifierCalls.chars += word.length;
  const result = european.detect(word);
  return { language: result.language, scores: result.getScores() as Record<string, number> };
}
