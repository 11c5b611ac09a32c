// Which text cells a spreadsheet could run as a formula, for every CSV that Parallax writes: the
// in-memory one (csv-text.ts) and the export streamed out of PostgreSQL (export/export-query.ts),
// both built from these two lists so they cannot drift apart. OWASP's advice against CSV injection
// names = + - @ TAB and CR as the first character; spreadsheets also trim leading spaces (Excel,
// LibreOffice) and take the full-width ＝＋－＠ as their ASCII forms (Excel in East Asian locales),
// so a cell counts as a formula when, after any run of leading whitespace, the next character is
// one of FORMULA_STARTS. Such a cell is written with a leading apostrophe.

/** = + - @ TAB CR and the full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20). */
export const FORMULA_STARTS: readonly string[] = [
  "=",
  "+",
  "-",
  "@",
  "\t",
  "\r",
  "\uFF1D",
  "\uFF0B",
  "\uFF0D",
  "\uFF20",
];

/**
 * Leading whitespace a spreadsheet may skip before reading a formula: Unicode's White_Space
 * characters (space, no-break space, line and paragraph breaks, the typographic spaces, the
 * ideographic space…) and the invisible ones that editors leave at a cell's start (zero-width
 * space, word joiner, byte-order mark, Mongolian vowel separator). TAB and CR are in
 * FORMULA_STARTS instead: a cell whose leading whitespace holds either is neutralised.
 */
export const LEADING_SPACE: readonly string[] = [
  "\n",
  "\v",
  "\f",
  " ",
  "\u0085",
  "\u00A0",
  "\u1680",
  "\u180E",
  "\u2000",
  "\u2001",
  "\u2002",
  "\u2003",
  "\u2004",
  "\u2005",
  "\u2006",
  "\u2007",
  "\u2008",
  "\u2009",
  "\u200A",
  "\u200B",
  "\u2028",
  "\u2029",
  "\u202F",
  "\u205F",
  "\u2060",
  "\u3000",
  "\uFEFF",
];

const FORMULA_SET = new Set(FORMULA_STARTS);
const SPACE_SET = new Set(LEADING_SPACE);

/** True when a spreadsheet could read `text` as a formula (see the file comment). */
export function startsLikeFormula(text: string): boolean {
  for (const char of text) {
    if (FORMULA_SET.has(char)) return true;
    if (!SPACE_SET.has(char)) return false;
  }
  return false;
}

const codes = (chars: readonly string[]) => chars.map((c) => c.codePointAt(0)!).join(", ");
const sqlChars = (chars: readonly string[]) =>
  `U&'${chars.map((c) => `\\${c.codePointAt(0)!.toString(16).padStart(4, "0")}`).join("")}'`;

/**
 * The SQL for `expression` as a CSV cell: with a leading apostrophe when startsLikeFormula would
 * say so. Most cells cost one look at their first character (substr(…, 1, 1) reads only the start
 * of a long TOASTed text; ascii() compares its code point against a list PostgreSQL hashes); only a
 * cell that starts with whitespace or a formula character is read whole by ltrim.
 */
export function sqlFormulaGuard(expression: string): string {
  return `CASE WHEN ascii(substr(${expression}, 1, 1)) IN (${codes([...FORMULA_STARTS, ...LEADING_SPACE])})
      AND ascii(ltrim(${expression}, ${sqlChars(LEADING_SPACE)})) IN (${codes(FORMULA_STARTS)})
    THEN '''' || (${expression}) ELSE ${expression} END`;
}
