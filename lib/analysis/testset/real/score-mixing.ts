// Scores language-mixing detection on real model output (lib/analysis/testset/real/mixing.jsonl)
// against the project's hand labels: per excerpt (mixed or not), per language pair, and how well the
// reported spans cover the labelled ones (character F1).
import { analyzeLanguages, type LanguageSpan } from "../../language-mix";
import { binaryMetrics, emptyConfusion, tally, type Confusion } from "../../metrics";
import type { RealMixingRow } from "./real-sets";
import { withIntervals, type ScoredMetrics } from "./score-real";

/** A letter or combining mark: spans are compared on these, so spaces and punctuation at the edges do not count. */
const LETTER = /[\p{L}\p{M}]/u;

function letterSet(text: string, spans: readonly { start: number; end: number }[]): Set<number> {
  const set = new Set<number>();
  for (const span of spans) for (let i = span.start; i < span.end; i++) if (LETTER.test(text[i]!)) set.add(i);
  return set;
}

export interface MixingMiss {
  id: string;
  truth: boolean;
  detected: LanguageSpan[];
  labelled: { text: string; lang: string }[];
  excerpt: string;
}

export interface RealMixingScore {
  rows: number;
  /** Positive: the excerpt mixes languages. */
  detector: ScoredMetrics;
  /** Per language pair "main>intruding": labelled pairs for the mixed excerpts, detected pairs for false alarms. */
  byPair: Record<string, ScoredMetrics>;
  /** Letters inside labelled spans against letters inside reported spans, over all excerpts. */
  spanChars: { precision: number | null; recall: number | null; f1: number | null; labelled: number; reported: number };
  /** Mean language consistency of the excerpts labelled mixed and of the others. */
  consistency: { mixed: number; clean: number };
  misses: MixingMiss[];
}

export function scoreRealMixing(rows: readonly RealMixingRow[]): RealMixingScore {
  const detector = emptyConfusion();
  const pairs = new Map<string, Confusion>();
  const pairOf = (key: string) => {
    let c = pairs.get(key);
    if (!c) pairs.set(key, (c = emptyConfusion()));
    return c;
  };
  let overlap = 0;
  let labelledLetters = 0;
  let reportedLetters = 0;
  const consistency = { mixed: [] as number[], clean: [] as number[] };
  const misses: MixingMiss[] = [];
  for (const row of rows) {
    const result = analyzeLanguages(row.text, { promptText: row.prompt });
    const detected = result.spans.length > 0;
    tally(detector, row.mixed, detected);
    (row.mixed ? consistency.mixed : consistency.clean).push(result.consistency);
    if (row.mixed) {
      const key = `${row.dominant}>${row.spans[0]!.lang}`;
      tally(pairOf(key), true, detected);
    } else if (detected) {
      tally(pairOf(`${row.dominant}>${result.spans[0]!.lang}`), false, true);
    }
    const labelled = letterSet(row.text, row.spans);
    const reported = letterSet(row.text, result.spans);
    for (const i of reported) if (labelled.has(i)) overlap += 1;
    labelledLetters += labelled.size;
    reportedLetters += reported.size;
    if (row.mixed !== detected)
      misses.push({
        id: row.id,
        truth: row.mixed,
        detected: result.spans,
        labelled: row.spans.map((s) => ({ text: s.text, lang: s.lang })),
        excerpt: row.text.slice(0, 200),
      });
  }
  const spanChars = binaryMetrics({ tp: overlap, fp: reportedLetters - overlap, fn: labelledLetters - overlap, tn: 0 });
  const mean = (xs: number[]) => (xs.length === 0 ? 1 : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    rows: rows.length,
    detector: withIntervals(binaryMetrics(detector)),
    byPair: Object.fromEntries(
      [...pairs].sort(([a], [b]) => a.localeCompare(b)).map(([key, c]) => [key, withIntervals(binaryMetrics(c))]),
    ),
    spanChars: {
      precision: spanChars.precision,
      recall: spanChars.recall,
      f1: spanChars.f1,
      labelled: labelledLetters,
      reported: reportedLetters,
    },
    consistency: { mixed: mean(consistency.mixed), clean: mean(consistency.clean) },
    misses,
  };
}
