// The automatic signals of one response, computed at import (per row) and by `analyze`: languages
// and mixing per part, refusal, and format and reward-hacking hints. Pure and synchronous, so the
// importer can call it inside its batch loop.
import { safeSlice } from "./safe-slice";
import type { ExpectedBehavior, LanguageMixing, RefusalKind } from "../db/generated/enums";
import { newTokenStream } from "./language-scan";
import { TRANSLATION, analyzeLanguages, type PartLanguages } from "./language-mix";
import { detectRefusal } from "./refusal";
import { possibleRefusal } from "./refusal-model";
import { PromptCache } from "./prompt-cache";
import { detectRepetition } from "./repetition";

/**
 * Bumped whenever a change to the detectors changes their output, or the stored form changes;
 * stored in every signals object. 3: spans stored as one string per part (span-codec.ts). 4: each
 * part's language consistency, and the refusal forms of real chat models (issue 16). 5: short answers
 * made only of refusal parts are refusals, a first-person refusal later in a long answer is partial.
 * 6: language mixing finds one item of a list slipped into English, one word of another European
 * language in Chinese, Japanese or Korean text, capitals inside a katakana word, and an everyday
 * word used in a Japanese clause before its gloss; refusal counts references to the assistant's
 * own rules, an opening proposal of another topic, and one part of a request declined while
 * another is answered (issue 16's fifth mixing and sixth refusal passes). 7: the `possible_refusal`
 * hint of the learned refusal model (refusal-model.ts).
 */
export const SIGNALS_VERSION = 7;

export interface SignalsInput {
  reasoning: string | null;
  answer: string;
  promptText: string;
  /** The prompt's language as imported (en, zh-CN, English …); detected from the prompt when null. */
  promptLanguage: string | null;
  expectedBehavior: ExpectedBehavior | null;
  /** The importer's format problems (unclosed_think, no_answer …). */
  formatIssues: readonly string[];
}

export type Part = "reasoning" | "answer";

/** A hint for reviewers; `kind` names it, the rest says where and why. */
export type Hint =
  | { kind: "unclosed_think" | "stray_close_think" | "text_before_think" | "multiple_think_blocks" | "empty_reasoning" }
  | { kind: "empty_answer" }
  | { kind: "reasoning_without_answer" }
  | { kind: "missing_think" }
  | { kind: "answer_language"; answer: string; prompt: string }
  | { kind: "repetition_loop"; part: Part; repeats: number; sample: string }
  | { kind: "self_assessment"; evidence: string }
  | { kind: "over_refusal" }
  /** The rules found no refusal; the learned model is sure of one (score: its probability). */
  | { kind: "possible_refusal"; score: number; evidence: string | null }
  | { kind: "length_outlier"; z: number; chars: number };

export type HintKind = Hint["kind"];

export { FORMAT_HINTS } from "./format-hints";

export interface ResponseSignals {
  version: number;
  /** The prompt language the signals were measured against (normalised), or null. */
  promptLanguage: string | null;
  reasoning: PartLanguages | null;
  answer: PartLanguages;
  /** Where the languages mix, in the reviewers' vocabulary. */
  mixing: LanguageMixing;
  /** The larger of the two parts' mixing scores, 0…1. */
  mixScore: number;
  refusal: RefusalKind | null;
  refusalEvidence: string | null;
  hints: Hint[];
  /**
   * Length of reasoning and answer together (UTF-16 code units): the length norms of a checkpoint
   * are computed from it in SQL without reading the texts again. Absent in version 1.
   */
  chars?: number;
}

const LANGUAGE_NAMES: Record<string, string> = {
  english: "en",
  chinese: "zh",
  mandarin: "zh",
  german: "de",
  russian: "ru",
  spanish: "es",
  french: "fr",
  japanese: "ja",
  korean: "ko",
  portuguese: "pt",
  italian: "it",
  dutch: "nl",
  arabic: "ar",
  ukrainian: "uk",
  hindi: "hi",
  turkish: "tr",
  polish: "pl",
  vietnamese: "vi",
  eng: "en",
  zho: "zh",
  chi: "zh",
  cmn: "zh",
  deu: "de",
  ger: "de",
  rus: "ru",
  spa: "es",
  fra: "fr",
  fre: "fr",
  jpn: "ja",
  kor: "ko",
  por: "pt",
  ita: "it",
  nld: "nl",
  dut: "nl",
  ara: "ar",
  ukr: "uk",
  中文: "zh",
  汉语: "zh",
  英语: "en",
  deutsch: "de",
  русский: "ru",
  español: "es",
  français: "fr",
};

let lastLanguage: { given: string; normalized: string | null } = { given: "", normalized: null };

/** en-US → en, zh_Hans → zh, "English" → en; null for nothing usable. */
export function normalizeLanguage(language: string | null | undefined): string | null {
  if (!language) return null;
  if (language !== lastLanguage.given)
    lastLanguage = { given: language, normalized: normalizeLanguageUncached(language) };
  return lastLanguage.normalized;
}

function normalizeLanguageUncached(language: string): string | null {
  const lower = language.trim().toLowerCase();
  if (lower === "") return null;
  const named = LANGUAGE_NAMES[lower];
  if (named) return named;
  const primary = lower.split(/[-_]/)[0]!;
  if (/^[a-z]{2}$/.test(primary)) return primary;
  return LANGUAGE_NAMES[primary] ?? null;
}

/** Self-assessments an RL policy learns a reward model likes ("I am confident this is correct"), one pass. */
const SELF_ASSESSMENT = new RegExp(
  [
    String.raw`\b(?:I am|I['’]m) (?:confident|certain|sure) (?:that )?(?:this|the answer|my answer|it) is (?:correct|right|accurate)\b`,
    String.raw`\ball (?:\d+ )?tests? (?:have )?passed\b`,
    String.raw`\bverified (?:correct|complete|helpful|safe)\b`,
    String.raw`\bthis (?:answer|response|solution) is (?:safe|accurate|correct|complete|helpful)[,.]? (?:and|accurate|correct|complete|helpful|safe|this)`,
    String.raw`\b(?:safety|helpfulness|quality) check: passed\b`,
  ].join("|"),
  "i",
);
/** Tells a blank text without copying it (as trim() would). */
const NOT_BLANK = /\S/;

/** Below this much text the answer's language is not compared with the prompt's. */
const MIN_ANSWER_WEIGHT = 20;

const tokens = newTokenStream();

interface PromptFacts {
  text: string;
  /** Detected when first needed (undefined until then). */
  language: string | null | undefined;
  asksForTranslation: boolean;
}

/** What the signals need to know of a prompt, kept per prompt text. */
const prompts = new PromptCache<PromptFacts>((text) => ({
  text,
  language: undefined,
  asksForTranslation: TRANSLATION.test(text),
}));

function promptFacts(text: string): PromptFacts {
  return prompts.get(text);
}

function promptLanguageOf(prompt: PromptFacts): string | null {
  if (prompt.language === undefined)
    prompt.language = prompt.text.trim() === "" ? null : analyzeLanguages(prompt.text).dominant;
  return prompt.language;
}

export function computeSignals(input: SignalsInput): ResponseSignals {
  const context = { promptText: input.promptText };
  const prompt = promptFacts(input.promptText);
  const promptLanguage = normalizeLanguage(input.promptLanguage) ?? promptLanguageOf(prompt);

  const hints: Hint[] = [];
  for (const issue of input.formatIssues) {
    if (
      issue === "unclosed_think" ||
      issue === "stray_close_think" ||
      issue === "text_before_think" ||
      issue === "multiple_think_blocks" ||
      issue === "empty_reasoning"
    ) {
      hints.push({ kind: issue });
    }
  }

  let reasoning: PartLanguages | null = null;
  const hasReasoning = input.reasoning !== null && NOT_BLANK.test(input.reasoning);
  if (input.reasoning !== null) {
    tokens.count = 0;
    reasoning = analyzeLanguages(input.reasoning, context, tokens);
    const loop = detectRepetition(tokens, input.reasoning);
    if (loop) hints.push({ kind: "repetition_loop", part: "reasoning", repeats: loop.repeats, sample: loop.sample });
  }
  tokens.count = 0;
  const answer = analyzeLanguages(input.answer, context, tokens);
  const answerLoop = detectRepetition(tokens, input.answer);
  if (answerLoop)
    hints.push({ kind: "repetition_loop", part: "answer", repeats: answerLoop.repeats, sample: answerLoop.sample });

  const answerEmpty = !NOT_BLANK.test(input.answer);
  if (answerEmpty) hints.push(hasReasoning ? { kind: "reasoning_without_answer" } : { kind: "empty_answer" });

  if (
    promptLanguage !== null &&
    answer.dominant !== null &&
    answer.dominant !== promptLanguage &&
    answer.weight >= MIN_ANSWER_WEIGHT &&
    !prompt.asksForTranslation
  ) {
    hints.push({ kind: "answer_language", answer: answer.dominant, prompt: promptLanguage });
  }

  const refusal = detectRefusal(input.answer);
  if (refusal.refusal === "REFUSED" && input.expectedBehavior === "COMPLY") hints.push({ kind: "over_refusal" });
  const possible = possibleRefusal(input.answer, refusal);
  if (possible !== null) hints.push({ kind: "possible_refusal", ...possible });
  if (!answerEmpty) {
    const match = SELF_ASSESSMENT.exec(input.answer);
    if (match) hints.push({ kind: "self_assessment", evidence: safeSlice(match[0], 0, 80) });
  }

  const reasoningMixed = reasoning !== null && reasoning.spans.length > 0;
  const answerMixed = answer.spans.length > 0;
  return {
    version: SIGNALS_VERSION,
    promptLanguage,
    reasoning,
    answer,
    mixing: reasoningMixed ? (answerMixed ? "BOTH" : "REASONING") : answerMixed ? "ANSWER" : "NONE",
    mixScore: Math.max(reasoning?.mixScore ?? 0, answer.mixScore),
    refusal: refusal.refusal,
    refusalEvidence: refusal.evidence,
    hints,
    chars: (input.reasoning?.length ?? 0) + input.answer.length,
  };
}
