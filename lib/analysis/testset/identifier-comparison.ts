// The measurement behind the choice of language identifier (README "Automatic signals"): each
// candidate alone — the text cut into clauses, every clause identified — against Parallax's
// pipeline (scripts and function words first, eld only for undecided clauses), on the project's
// test set (mixing F1, languages right) and on the benchmark corpus (speed). franc-min and tinyld
// are loaded only if installed: the table in the README keeps their figures.
import { analyzeLanguages } from "../language-mix";
import { binaryMetrics, emptyConfusion, tally } from "../metrics";
import { MIXING_CASES } from "./mixing-cases";

export interface IdentifierRow {
  name: string;
  mixingF1: number | null;
  languageAccuracy: number;
  megabytesPerSecond: number;
}

type Identify = (text: string) => string | null;

const ISO3: Record<string, string> = {
  eng: "en",
  cmn: "zh",
  zho: "zh",
  deu: "de",
  fra: "fr",
  spa: "es",
  rus: "ru",
  jpn: "ja",
  kor: "ko",
  por: "pt",
  ita: "it",
  nld: "nl",
  ukr: "uk",
  arb: "ar",
  ara: "ar",
  ell: "el",
  pol: "pl",
  tur: "tr",
  bul: "bg",
  srp: "sr",
  hin: "hi",
};

const CLAUSE = /[^.!?;:,，。！？；：\n"“”«»()[\]]+/gu;
const SCRIPT_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+|[\p{Script=Hangul}]+|[\p{Script=Cyrillic}]+(?:[\s\-'’]+[\p{Script=Cyrillic}]+)*|[\p{Script=Greek}]+(?:\s+[\p{Script=Greek}]+)*|[\p{Script=Arabic}]+(?:\s+[\p{Script=Arabic}]+)*|[\p{Script=Latin}'’-]+(?:\s+[\p{Script=Latin}'’-]+)*/gu;

/** The identifier alone: clauses of one script, each identified; mixed when a clause of two or more words disagrees with the whole. */
function identifierAlone(
  text: string,
  identify: Identify,
): { dominant: string | null; mixed: boolean; languages: Set<string> } {
  const dominant = identify(text);
  const languages = new Set<string>();
  if (dominant) languages.add(dominant);
  let mixed = false;
  for (const clause of text.match(CLAUSE) ?? []) {
    for (const run of clause.match(SCRIPT_RUN) ?? []) {
      const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(run);
      if (!cjk && run.trim().split(/\s+/).length < 2) continue;
      if (cjk && run.length < 2) continue;
      const language = identify(run);
      if (language && language !== dominant) {
        mixed = true;
        languages.add(language);
      }
    }
  }
  return { dominant, mixed, languages };
}

function scoreOnTestSet(
  analyse: (text: string, prompt: string) => { dominant: string | null; mixed: boolean; languages: Set<string> },
) {
  const confusion = emptyConfusion();
  let right = 0;
  for (const c of MIXING_CASES) {
    const result = analyse(c.text, c.prompt ?? "");
    tally(confusion, c.mixed, result.mixed);
    const expected = new Set([c.dominant, ...(c.foreign ?? [])]);
    const languagesRight = c.mixed
      ? result.languages.size === expected.size && [...expected].every((l) => result.languages.has(l))
      : result.dominant === c.dominant;
    if (languagesRight) right += 1;
  }
  return { mixingF1: binaryMetrics(confusion).f1, languageAccuracy: right / MIXING_CASES.length };
}

function megabytesPerSecond(texts: readonly string[], run: (text: string) => void, warmUp = 50): number {
  let bytes = 0;
  for (const t of texts) bytes += Buffer.byteLength(t);
  for (const t of texts.slice(0, warmUp)) run(t); // compile before timing
  const started = process.cpuUsage();
  for (const t of texts) run(t);
  const used = process.cpuUsage(started);
  return bytes / 1e6 / ((used.user + used.system) / 1e6);
}

async function candidates(): Promise<{ name: string; identify: Identify }[]> {
  const found: { name: string; identify: Identify }[] = [];
  const { eld } = await import("eld/extrasmall");
  found.push({ name: "eld 2.1 (extra-small database)", identify: (t) => eld.detect(t).language || null });
  // Named through variables so that the project builds without them once they are uninstalled.
  const francPackage = "franc-min";
  const tinyldPackage = "tinyld";
  try {
    const { franc } = (await import(francPackage)) as {
      franc: (text: string, options: { minLength: number }) => string;
    };
    found.push({ name: "franc-min 6.2", identify: (t) => ISO3[franc(t, { minLength: 1 })] ?? null });
  } catch {
    // not installed
  }
  try {
    const tinyld = (await import(tinyldPackage)) as { detect: (text: string) => string };
    found.push({ name: "tinyld 1.3", identify: (t) => tinyld.detect(t) || null });
  } catch {
    // not installed
  }
  return found;
}

/** Compares the candidates and Parallax's pipeline; `texts` is the speed corpus (a few MB is enough for the slow ones). */
export async function compareIdentifiers(texts: readonly string[]): Promise<IdentifierRow[]> {
  const rows: IdentifierRow[] = [];
  for (const candidate of await candidates()) {
    const accuracy = scoreOnTestSet((text) => identifierAlone(text, candidate.identify));
    rows.push({
      name: `${candidate.name} alone, per clause`,
      ...accuracy,
      megabytesPerSecond: megabytesPerSecond(texts, (t) => identifierAlone(t, candidate.identify)),
    });
  }
  const ours = scoreOnTestSet((text, prompt) => {
    const result = analyzeLanguages(text, { promptText: prompt });
    return {
      dominant: result.dominant,
      mixed: result.spans.length > 0,
      languages: new Set([result.dominant ?? "", ...result.spans.map((s) => s.lang)].filter(Boolean)),
    };
  });
  rows.push({
    name: "Parallax: scripts + function words, eld for the rest",
    ...ours,
    megabytesPerSecond: megabytesPerSecond(texts, (t) => analyzeLanguages(t), texts.length),
  });
  return rows;
}
