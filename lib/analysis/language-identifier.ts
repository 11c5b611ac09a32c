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
