// Unicode scripts of characters, looked up in one table: the first, cheap pass of language
// detection (Han, Cyrillic, Arabic … need no language identifier).

/** Script classes. NEUTRAL covers spaces, punctuation, symbols, emoji; DIGIT is kept apart for identifiers. */
export const Script = {
  NEUTRAL: 0,
  DIGIT: 1,
  LATIN: 2,
  CYRILLIC: 3,
  GREEK: 4,
  ARABIC: 5,
  HEBREW: 6,
  HAN: 7,
  KANA: 8,
  HANGUL: 9,
  DEVANAGARI: 10,
  THAI: 11,
  ARMENIAN: 12,
  GEORGIAN: 13,
  BENGALI: 14,
  TAMIL: 15,
  TELUGU: 16,
  GUJARATI: 17,
  GURMUKHI: 18,
  KANNADA: 19,
  MALAYALAM: 20,
  ETHIOPIC: 21,
  KHMER: 22,
  LAO: 23,
  MYANMAR: 24,
  SINHALA: 25,
  /** A combining mark: belongs to the letter before it. */
  MARK: 26,
  /** CJK and fullwidth punctuation: neutral, but part of a Chinese/Japanese run. */
  CJK_PUNCT: 27,
} as const;
export type ScriptClass = (typeof Script)[keyof typeof Script];

/** The language a script stands for when nothing finer is known (ISO 639-1). */
export const SCRIPT_LANGUAGE: Partial<Record<ScriptClass, string>> = {
  [Script.LATIN]: "en",
  [Script.CYRILLIC]: "ru",
  [Script.GREEK]: "el",
  [Script.ARABIC]: "ar",
  [Script.HEBREW]: "he",
  [Script.HAN]: "zh",
  [Script.KANA]: "ja",
  [Script.HANGUL]: "ko",
  [Script.DEVANAGARI]: "hi",
  [Script.THAI]: "th",
  [Script.ARMENIAN]: "hy",
  [Script.GEORGIAN]: "ka",
  [Script.BENGALI]: "bn",
  [Script.TAMIL]: "ta",
  [Script.TELUGU]: "te",
  [Script.GUJARATI]: "gu",
  [Script.GURMUKHI]: "pa",
  [Script.KANNADA]: "kn",
  [Script.MALAYALAM]: "ml",
  [Script.ETHIOPIC]: "am",
  [Script.KHMER]: "km",
  [Script.LAO]: "lo",
  [Script.MYANMAR]: "my",
  [Script.SINHALA]: "si",
};

/** Scripts written without spaces between words, where one character carries about a word's weight. */
export function isCjk(script: number): boolean {
  return script === Script.HAN || script === Script.KANA || script === Script.HANGUL;
}

const RANGES: [number, number, ScriptClass][] = [
  [0x30, 0x39, Script.DIGIT],
  [0x41, 0x5a, Script.LATIN],
  [0x61, 0x7a, Script.LATIN],
  [0xaa, 0xaa, Script.LATIN],
  [0xba, 0xba, Script.LATIN],
  [0xc0, 0xd6, Script.LATIN],
  [0xd8, 0xf6, Script.LATIN],
  [0xf8, 0x24f, Script.LATIN],
  [0x250, 0x2af, Script.LATIN], // IPA
  [0x300, 0x36f, Script.MARK],
  [0x370, 0x3ff, Script.GREEK],
  [0x400, 0x52f, Script.CYRILLIC],
  [0x483, 0x489, Script.MARK],
  [0x531, 0x58f, Script.ARMENIAN],
  [0x591, 0x5c7, Script.MARK],
  [0x5d0, 0x5f4, Script.HEBREW],
  [0x600, 0x6ff, Script.ARABIC],
  [0x660, 0x669, Script.DIGIT],
  [0x6f0, 0x6f9, Script.DIGIT],
  [0x60c, 0x60c, Script.NEUTRAL],
  [0x61b, 0x61f, Script.NEUTRAL],
  [0x64b, 0x65f, Script.MARK],
  [0x750, 0x77f, Script.ARABIC],
  [0x8a0, 0x8ff, Script.ARABIC],
  [0x900, 0x97f, Script.DEVANAGARI],
  [0x964, 0x965, Script.NEUTRAL],
  [0x966, 0x96f, Script.DIGIT],
  [0x980, 0x9ff, Script.BENGALI],
  [0xa00, 0xa7f, Script.GURMUKHI],
  [0xa80, 0xaff, Script.GUJARATI],
  [0xb80, 0xbff, Script.TAMIL],
  [0xc00, 0xc7f, Script.TELUGU],
  [0xc80, 0xcff, Script.KANNADA],
  [0xd00, 0xd7f, Script.MALAYALAM],
  [0xd80, 0xdff, Script.SINHALA],
  [0xe00, 0xe7f, Script.THAI],
  [0xe80, 0xeff, Script.LAO],
  [0x1000, 0x109f, Script.MYANMAR],
  [0x10a0, 0x10ff, Script.GEORGIAN],
  [0x1100, 0x11ff, Script.HANGUL],
  [0x1200, 0x139f, Script.ETHIOPIC],
  [0x1780, 0x17ff, Script.KHMER],
  [0x1ab0, 0x1aff, Script.MARK],
  [0x1c80, 0x1c8f, Script.CYRILLIC],
  [0x1dc0, 0x1dff, Script.MARK],
  [0x1e00, 0x1eff, Script.LATIN],
  [0x1f00, 0x1fff, Script.GREEK],
  [0x200c, 0x200d, Script.MARK], // zero-width (non-)joiner
  [0x20d0, 0x20ff, Script.MARK],
  [0x2c60, 0x2c7f, Script.LATIN],
  [0x2de0, 0x2dff, Script.MARK],
  [0x2e80, 0x2fdf, Script.HAN],
  [0x3000, 0x303f, Script.CJK_PUNCT],
  [0x3005, 0x3007, Script.HAN], // 々 〆 〇
  [0x3040, 0x309f, Script.KANA],
  [0x30a0, 0x30ff, Script.KANA],
  [0x30fb, 0x30fb, Script.CJK_PUNCT], // ・
  [0x30fc, 0x30fc, Script.KANA], // ー
  [0x3130, 0x318f, Script.HANGUL],
  [0x31f0, 0x31ff, Script.KANA],
  [0x3400, 0x4dbf, Script.HAN],
  [0x4e00, 0x9fff, Script.HAN],
  [0xa640, 0xa69f, Script.CYRILLIC],
  [0xa720, 0xa7ff, Script.LATIN],
  [0xac00, 0xd7af, Script.HANGUL],
  [0xf900, 0xfaff, Script.HAN],
  [0xfb1d, 0xfb4f, Script.HEBREW],
  [0xfb50, 0xfdff, Script.ARABIC],
  [0xfe20, 0xfe2f, Script.MARK],
  [0xfe30, 0xfe4f, Script.CJK_PUNCT],
  [0xfe70, 0xfeff, Script.ARABIC],
  [0xfeff, 0xfeff, Script.NEUTRAL],
  [0xff00, 0xff0f, Script.CJK_PUNCT],
  [0xff10, 0xff19, Script.DIGIT],
  [0xff1a, 0xff20, Script.CJK_PUNCT],
  [0xff21, 0xff3a, Script.LATIN],
  [0xff3b, 0xff40, Script.CJK_PUNCT],
  [0xff41, 0xff5a, Script.LATIN],
  [0xff5b, 0xff65, Script.CJK_PUNCT],
  [0xff66, 0xff9f, Script.KANA],
  [0xffa0, 0xffdc, Script.HANGUL],
];

/** Script of every code unit of the Basic Multilingual Plane (later ranges win). */
export const BMP_SCRIPT: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  for (const [from, to, script] of RANGES) table.fill(script, from, to + 1);
  // Surrogates are resolved by scriptOfAstral; a lone one stays neutral.
  return table;
})();

/** Script of a code point outside the BMP: CJK extensions are Han, the rest (emoji, symbols) neutral. */
export function scriptOfAstral(codePoint: number): ScriptClass {
  if (codePoint >= 0x20000 && codePoint <= 0x3ffff) return Script.HAN;
  if (codePoint >= 0x1b000 && codePoint <= 0x1b16f) return Script.KANA;
  if (codePoint >= 0x1d400 && codePoint <= 0x1d7ff) return Script.NEUTRAL; // mathematical alphanumerics
  return Script.NEUTRAL;
}
