// Language mixing in one part of a response (reasoning or answer): the languages present with
// their shares, the spans in another language than the part's dominant one, and a mixing score.
// What counts as mixing and what does not is listed in README "Automatic signals".
import { MIN_CONFIRM_LETTERS, confirmedByIdentifier, decideLanguages } from "./language-decide";
import { foreignWordLanguage, readsAsEnglish } from "./language-identifier";
import { isKatakana, isWordInnerKana, scanText, type Segment, type TokenStream } from "./language-scan";
import { EVERYDAY_ENGLISH_WORDS } from "./everyday-english";
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
  let dominantScript = scriptOfLanguage(segments, dominant);
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
    // The dominant language can change with the relabelling ("My честный recommendation": Russian is
    // the only strongly decided clause, English the most text): its script with it.
    dominantScript = scriptOfLanguage(segments, dominant);
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
  // A prompt that asks for a translation is answered in another language on purpose.
  const translation = context.promptText !== undefined && asksForTranslation(context.promptText);
  // Lower-case Latin words in Chinese, Japanese or Korean text that are not everyday vocabulary:
  // they count only beside an intrusion that does ("laughterと playfulnessに"), see below.
  let deferred: Candidate[] | null = null;
  const notAQuotation = (c: Candidate) =>
    !isMention(text, c) &&
    !namedAsWord(text, c, dominantScript) &&
    !isGlossed(text, c) &&
    !(
      context.promptText &&
      promptScriptsOf(context.promptText).has(c.script === Script.KANA ? Script.HAN : c.script) &&
      quotesPrompt(text, c.start, c.end, context.promptText)
    );
  for (const candidate of candidates) {
    if (translation) break;
    if (!countsAsMixing(text, candidate, dominantScript)) {
      if (isCjk(dominantScript) && latinWordInCjk(text, candidate)) (deferred ??= []).push(candidate);
      continue;
    }
    if (!notAQuotation(candidate)) continue;
    mixedWeight += candidate.weight;
    if (spans.length < MAX_SPANS) spans.push({ start: candidate.start, end: candidate.end, lang: candidate.lang });
  }
  // Several separate one-word intrusions in one passage: once an everyday word has slipped in, the
  // other lower-case words of the same kind near it have too, even when they are rarer words.
  if (deferred !== null && spans.length > 0) {
    const anchors = spans.filter((s) => s.lang === "en");
    let added = false;
    for (const c of deferred) {
      if (!anchors.some((a) => Math.abs(a.start - c.start) <= NEAR_INTRUSION) || !notAQuotation(c)) continue;
      mixedWeight += c.weight;
      if (spans.length < MAX_SPANS) spans.push({ start: c.start, end: c.end, lang: c.lang });
      added = true;
    }
    if (added) spans.sort((a, b) => a.start - b.start);
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
    consistency: consistencyOf(text, segments, dominant, dominantScript, spans),
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
 * ("attention mechanism"), left out, unless they are everyday words or a reported span.
 */
function consistencyOf(
  text: string,
  segments: Segment[],
  dominant: string,
  dominantScript: number,
  spans: readonly LanguageSpan[],
): number {
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
      const words = text.slice(seg.start, seg.end).split(/[^A-Za-z]+/);
      const everyday = (w: string) =>
        EVERYDAY_LATIN.has(w.toLowerCase()) || (isCjk(dominantScript) && /^[a-z]{3,}$/.test(w) && isEverydayEnglish(w));
      // A word the spans report (an item slipped out of a list, a word of another language) counts too.
      if (!words.some(everyday) && !spans.some((s) => s.start <= seg.start && seg.end <= s.end)) continue;
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

/**
 * The size rules: what is too small, or too name-like, to be a switch of language. Another script
 * than the part's counts from one character or one word (an intruding "честный", "路" or "크" is
 * mixing: those scripts are not used for technical terms); Latin words inside non-Latin text count
 * from three words, two with a function word, or one or two everyday words that are not used as
 * a term (see `everydayLatin`).
 */
function countsAsMixing(text: string, c: Candidate, dominantScript: number): boolean {
  if (c.script === dominantScript) return c.strong && c.words >= 2; // German in English: clause-level evidence
  if (isCjk(c.script)) {
    // Hangul in Japanese, Hanja in Korean, a Hangul or kana syllable anywhere: from one character.
    // One Chinese character in alphabetic text counts inside a word ("the路") or with Chinese
    // punctuation ("嗯，"); "the character 水" is a mention.
    if (isCjk(dominantScript) || c.script !== Script.HAN) return c.weight >= 3; // a Hangul or kana syllable is a word
    return c.weight / 3 >= 2 || isGlued(text, c) || isCjkPunctuation(text.charCodeAt(c.end));
  }
  if (c.script === Script.LATIN) {
    // English terms in Russian or Chinese text ("attention mechanism", "Python") are usage, a
    // phrase with grammar ("the safety implications") is a switch; so is an everyday word.
    if (c.votes === 0 && LIST_SEPARATOR.test(text.slice(c.start, c.end))) return false; // "hotmail・gmail・yahoo": names
    if (GLOSS_CUE.test(text.slice(Math.max(0, c.start - 48), c.start))) return false; // "英語に直訳すると fire department"
    if (NAMED_AFTER.test(text.slice(c.end, c.end + 8))) return false; // "merci と言います": a word named as a word
    if (c.words >= 2 && c.votes >= 1) return true;
    // Three words or more without a function word are a phrase only in everyday words; with a rarer
    // one they are a term ("longest common subsequence", "attention mechanism layer").
    if (c.words >= 3) return everydayWords(text.slice(c.start, c.end));
    // One or two everyday words count in Chinese, Japanese or Korean text. Russian technical prose
    // keeps English terms in lower case ("attention", "items"), so there they stay terms.
    if (!isCjk(dominantScript)) return false;
    if (everydayLatin(text, c) || splitWord(text, c) || insideKatakanaWord(text, c) || cjkListItem(text, c))
      return true;
    return foreignWord(text, c);
  }
  // Cyrillic, Greek, Arabic …: a word, or letters inside a word of another script ("でоれます",
  // "redeплoys"); a lone letter is a symbol (α, π).
  return (c.words >= 1 && c.end - c.start >= 2) || isGlued(text, c);
}

const LIST_SEPARATOR = /[・、/|]/;
const LETTER = /\p{L}/u;

/** The stretch touches a letter of another script: it sits inside a word. */
function isGlued(text: string, c: Candidate): boolean {
  return (c.start > 0 && LETTER.test(text[c.start - 1]!)) || (c.end < text.length && LETTER.test(text[c.end]!));
}

/** Every lower-case word of three letters or more is everyday English. */
function everydayWords(stretch: string): boolean {
  for (const word of stretch.split(/[^A-Za-z]+/))
    if (word.length >= 3 && /^[a-z]+$/.test(word) && !isEverydayEnglish(word)) return false;
  return true;
}

/** English endings that finish a Chinese or Japanese stem in Latin letters ("山ous", "同時ously"). */
const ENGLISH_ENDING = /^[a-z]{0,2}(?:ous|ously|ly|ness|less|ful|ment|ing|ed)$/;

/**
 * One lower-case Latin word in Japanese text that is the rest of a word begun in kana ("マentoring",
 * "クリーamy") or between kana particles ("ターンにattleを"), or an English ending put on a
 * Chinese character ("山ous"): a word split between scripts, which terms are not ("requestsモジュール",
 * "Pythonで" start in Latin letters). The checks of `everydayLatin` but the vocabulary still apply.
 */
function splitWord(text: string, c: Candidate): boolean {
  if (c.words !== 1 || c.start === 0) return false;
  const stretch = text.slice(c.start, c.end);
  if (!/^[a-z]{2,}$/.test(stretch)) return false;
  const code = text.charCodeAt(c.start - 1);
  const before = BMP_SCRIPT[code];
  // After katakana the word goes on; after hiragana (a particle) only with more hiragana straight
  // after it, inside the clause's grammar: "特にezweb）" is a name.
  const katakana = (code >= 0x30a1 && code <= 0x30fa) || code === 0x30fc;
  const split =
    (before === Script.KANA && (katakana || BMP_SCRIPT[text.charCodeAt(c.end)] === Script.KANA)) ||
    (before === Script.HAN && stretch.length <= 6 && ENGLISH_ENDING.test(stretch) && !isEverydayEnglish(stretch));
  return split && everydayLatin(text, c, false);
}

/** Latin letters between katakana and a kana that cannot begin a word: "アットWOッド". */
function insideKatakanaWord(text: string, c: Candidate): boolean {
  return (
    c.words === 1 &&
    c.start > 0 &&
    isKatakana(text.charCodeAt(c.start - 1)) &&
    isWordInnerKana(text.charCodeAt(c.end)) &&
    /^[A-Za-z]+$/.test(text.slice(c.start, c.end))
  );
}

const LIST_COMMA = new Set(["、", "，", ","]);

/** The next character that is not a space, from `at` going by `step` (-1 or 1); -1 past the text. */
function skipSpaces(text: string, at: number, step: number): number {
  while (at >= 0 && at < text.length && text[at] === " ") at += step;
  return at >= 0 && at < text.length ? at : -1;
}

/** A Chinese, Japanese or Korean character at `at`. */
function cjkAt(text: string, at: number): boolean {
  return at >= 0 && isCjk(BMP_SCRIPT[text.charCodeAt(at)]!);
}

/**
 * One or two lower-case Latin words as one item of a list whose items on both sides are Chinese,
 * Japanese or Korean words: "睡眠、 nutrition、和諧的ストレス管理", "「苦」「 origination 」「滅」". The
 * list is in the part's language and one item slipped out of it; a list of names keeps its Latin
 * neighbours ("hotmail・gmail・yahoo", "DIY、vlog"), and an item that does not read as an English
 * word is an identifier ("出力先は、stdout、ファイル").
 */
function cjkListItem(text: string, c: Candidate): boolean {
  if (c.words > 2 || !/^[a-z]+(?: [a-z]+)?$/.test(text.slice(c.start, c.end))) return false;
  const before = skipSpaces(text, c.start - 1, -1);
  const after = skipSpaces(text, c.end, 1);
  if (before < 0 || after < 0) return false;
  let listed = false;
  if (LIST_COMMA.has(text[before]!) && LIST_COMMA.has(text[after]!))
    listed = cjkAt(text, skipSpaces(text, before - 1, -1)) && cjkAt(text, skipSpaces(text, after + 1, 1));
  else if (text[before] === "「" && text[after] === "」") {
    // Brackets side by side: 「苦」「 … 」「滅 」
    const closeBefore = skipSpaces(text, before - 1, -1);
    const openAfter = skipSpaces(text, after + 1, 1);
    listed =
      closeBefore >= 0 &&
      text[closeBefore] === "」" &&
      cjkAt(text, skipSpaces(text, closeBefore - 1, -1)) &&
      openAfter >= 0 &&
      text[openAfter] === "「" &&
      cjkAt(text, skipSpaces(text, openAfter + 1, 1));
  }
  if (!listed || !everydayLatin(text, c, false)) return false;
  // The item is a word, not an identifier or an abbreviation ("stdout", "json").
  return text
    .slice(c.start, c.end)
    .split(" ")
    .every((w) => isEverydayEnglish(w) || readsAsEnglish(w));
}

/**
 * One lower-case word of another European language than English in Chinese, Japanese or Korean
 * text ("簡単な ejemplo が"): terms there are English, and names are capitalised. The identifier
 * names the language (see `foreignWordLanguage`), which becomes the span's.
 */
function foreignWord(text: string, c: Candidate): boolean {
  // Five letters and fewer leave the identifier too little: "cache", "queue" read as French.
  if (c.words !== 1 || c.end - c.start < 6) return false;
  const word = text.slice(c.start, c.end);
  if (!/^[a-zà-öø-ÿ]+$/.test(word) || isEverydayEnglish(word)) return false;
  if (!everydayLatin(text, c, false)) return false;
  const lang = foreignWordLanguage(word);
  if (lang === null) return false;
  c.lang = lang;
  return true;
}

let everydaySet: Set<string> | null = null;

/** Common spoken English (SUBTLEX-US) and the reasoning fillers of EVERYDAY_LATIN. */
export function isEverydayEnglish(word: string): boolean {
  everydaySet ??= new Set([...EVERYDAY_ENGLISH_WORDS.split(" "), ...EVERYDAY_LATIN]);
  return everydaySet.has(word);
}

/** Everyday words that name a programming language or tool in lower case ("用 python 写"). */
const TOOL_NAMES = new Set(
  "python java ruby rust swift perl shell bash pandas spring flask react node express excel windows docker kotlin scala julia dart".split(
    " ",
  ),
);

/** How far apart (UTF-16 units) two one-word intrusions may be to be one passage's. */
const NEAR_INTRUSION = 200;

/**
 * One lower-case Latin word (four letters or more) in Chinese, Japanese or Korean text, not used
 * as a term (the checks of `everydayLatin` but the vocabulary): an intrusion if others are near.
 */
function latinWordInCjk(text: string, c: Candidate): boolean {
  if (c.script !== Script.LATIN || c.words !== 1 || c.votes > 0) return false;
  if (!/^[a-z]{4,}$/.test(text.slice(c.start, c.end))) return false;
  if (GLOSS_CUE.test(text.slice(Math.max(0, c.start - 48), c.start))) return false;
  return everydayLatin(text, c, false);
}

/** A technical noun right after a Latin word makes it a name: "requestsモジュール", "while ループ", "capacity 字段". */
const TERM_NOUN =
  /^\s?(?:モジュール|ライブラリ|パッケージ|関数|メソッド|クラス|ループ|変数|コマンド|ファイル|タグ|属性|キー|フィールド|オプション|モデル|メカニズム|機構|アルゴリズム|フレームワーク|レイヤー|層|模块|函数|方法|类|循环|变量|命令|文件|字段|标签|属性|参数|库|包|接口|选项|模型|机制|算法|框架|模式|层|모듈|라이브러리|패키지|함수|메서드|클래스|루프|변수|명령|파일|태그|속성|키|필드|옵션|모델|메커니즘|알고리즘|프레임워크|레이어)/;
/** A word named as a word by what follows it: "merci と言います", "carpe diem という言葉", "dépaysement 这个词". */
const NAMED_AFTER = /^\s?(?:と(?:言|いう|いい|呼)|って(?:言|いう)|这个词|这个单词|一词|이라는|라는|라고)/;
/** A gloss: "英語に直訳するとfire department", "英文叫 …", "in English, …". */
const GLOSS_CUE = /(?:英語|英语|英文|영어|English|英訳|翻訳|翻译|번역)[^。\n]{0,40}$/;
/**
 * A word of another script named as a word in alphabetic text: "the word さくら", "in Japanese,
 * ありがとう", "pronounced 你好". What follows such a cue is a mention, not a switch.
 */
const NAMED_BEFORE =
  /\b(?:words?|terms?|phrases?|characters?|kanji|hiragana|katakana|hangul|hanja|pinyin|called|say|says|written|writes|pronounced|means|Japanese|Chinese|Korean|Mandarin|Cantonese|Russian)[\s,:]*$/i;

/** A short stretch in another script than the part's, named as a word by the words before it. */
function namedAsWord(text: string, c: Candidate, dominantScript: number): boolean {
  if (isCjk(dominantScript) || c.script === dominantScript) return false;
  const size = isCjk(c.script) ? c.weight / 3 / 2 : c.words;
  return size <= MAX_MENTION_WORDS && NAMED_BEFORE.test(text.slice(Math.max(0, c.start - 24), c.start));
}

/**
 * One or two lower-case Latin words in non-Latin text that are everyday vocabulary ("softly",
 * "occupied", "wind whistling") or a function word of a voting language ("deux"), and are not used
 * as a term: not glued to code punctuation, not followed by a technical noun, a gloss or a colon,
 * not the name of something written as code elsewhere in the part ("acc.capacity").
 */
function everydayLatin(text: string, c: Candidate, vocabulary = true): boolean {
  if (c.words > 2) return false;
  const stretch = text.slice(c.start, c.end);
  const words = stretch.split(" ");
  if (words.length > 2 || words.some((w) => TOOL_NAMES.has(w))) return false;
  for (const word of words) {
    // Names, acronyms and identifiers are not everyday words; a capital is allowed only for the
    // reasoning fillers that open a sentence ("Therefore", "Wait").
    if (/^[a-zà-öø-ÿ]{2,}$/.test(word)) continue;
    if (!/^[A-Z][a-z]+$/.test(word) || !EVERYDAY_LATIN.has(word.toLowerCase())) return false;
  }
  if (vocabulary && c.votes === 0 && !words.every((w) => w.length >= 3 && isEverydayEnglish(w.toLowerCase())))
    return false;
  const before = c.start > 0 ? text[c.start - 1]! : " ";
  const after = c.end < text.length ? text[c.end]! : " ";
  if (/[.`_/#@$<-]/.test(before) || /[.`_/(=<-]/.test(after)) return false;
  const rest = text.slice(c.end, c.end + 8);
  if (TERM_NOUN.test(rest) || /^\s?[:：]/.test(rest) || (/^\s?[(（]/.test(rest) && !usedThenGlossed(text, c)))
    return false;
  return !writtenAsCode(text, words[0]!);
}

/** The word appears in the part as code: after a dot, before a bracket or "=", or between backticks. */
function writtenAsCode(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = at > 0 ? text[at - 1]! : " ";
    let next = at + word.length;
    while (text[next] === " ") next++;
    const after = text[next] ?? " ";
    if (before === "." || before === "`" || before === "_" || "(_`=[{.".includes(after)) return true;
  }
  return false;
}

/**
 * One everyday English word written into a Japanese clause's grammar, straight after a hiragana
 * ending, and only then explained in brackets ("内面的なwealth（幸せや満足）"): the writer used the
 * word, the gloss does not make it a mention. A term glossed where it is introduced stands apart
 * ("capacity（容量）" at the start of a line).
 */
function usedThenGlossed(text: string, c: Candidate): boolean {
  if (c.words !== 1 || c.start === 0 || c.script !== Script.LATIN) return false;
  const before = text.charCodeAt(c.start - 1);
  if (before < 0x3041 || before > 0x3096) return false;
  const word = text.slice(c.start, c.end);
  return /^[a-z]{3,}$/.test(word) && isEverydayEnglish(word);
}

/** A stretch followed by a gloss in brackets ("早晨好 (zǎo chén hǎo)", "capacity（容量）"), or inside one. */
function isGlossed(text: string, c: Candidate): boolean {
  let after = c.end;
  while (after < text.length && (text[after] === " " || text[after] === "*")) after++;
  if (text[after] === "(" || text[after] === "（") return !usedThenGlossed(text, c);
  // An example phrase whose last word reads as a call ("against the wind(風に対して)"): the gloss
  // follows that word.
  if (c.script === Script.LATIN) {
    let word = after;
    while (word < text.length && BMP_SCRIPT[text.charCodeAt(word)] === Script.LATIN) word++;
    if (
      word > after &&
      word - after <= 20 &&
      (text[word] === "(" || text[word] === "（") &&
      isCjk(BMP_SCRIPT[text.charCodeAt(word + 1)]!)
    )
      return true;
  }
  let before = c.start - 1;
  while (before >= 0 && text[before] === " ") before--;
  return (text[before] === "(" || text[before] === "（") && (text[c.end] === ")" || text[c.end] === "）");
}

/** Prompts that ask for a translation: the answer is in another language on purpose. */
export const TRANSLATION =
  /translat|翻译|翻譯|übersetz|tradu[cz]|перевед|перевод|traduzi|vertaal|how (?:do (?:you|i) |to |would you )say|怎么说|怎麼說|言い方|どう言う|어떻게 말/i;

function asksForTranslation(prompt: string): boolean {
  const entry = promptEntry(prompt);
  entry.translation ??= TRANSLATION.test(prompt);
  return entry.translation;
}

/** Inside 「…」 or 『…』 on one line: a label or a quotation ("「白アイコン on 黒背景」"). */
function insideCornerBrackets(text: string, c: Candidate): boolean {
  const open = Math.max(text.lastIndexOf("「", c.start), text.lastIndexOf("『", c.start));
  if (open < 0 || c.start - open > 40) return false;
  const between = text.slice(open, c.start);
  if (between.includes("」") || between.includes("』") || between.includes("\n")) return false;
  const close = text.slice(c.end, c.end + 40).search(/[」』\n]/);
  return close >= 0 && text[c.end + close] !== "\n";
}

function isMention(text: string, c: Candidate): boolean {
  // Letters of Cyrillic, Hangul … inside a word of another script are a broken word, brackets or not
  // ("「スラムダンк」"); Latin ones may be a term's ("「Pythonモジュール」").
  // One item of a bracketed list of the part's own words is not quoted, it slipped out of the list.
  if (c.script === Script.LATIN && text[skipSpaces(text, c.start - 1, -1)] === "「" && cjkListItem(text, c))
    return false;
  if (insideCornerBrackets(text, c) && (c.script === Script.LATIN || !isGlued(text, c))) return true;
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
  translation: boolean | null;
}

/** Prompts normalised, with the scripts they are written in, kept per prompt text. */
const prompts = new PromptCache<PromptEntry>(() => ({ normalized: null, scripts: null, translation: null }));

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
