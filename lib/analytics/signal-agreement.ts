// Automatic signals against human labels on the analytics page: evaluateSignals' comparison
// (lib/analysis/evaluate.ts: the same signals, majorities and ties) over the responses the page's
// filters select, the votes read from the per-response judgements (or the filtered labels).
import type pg from "pg";
import { SIGNALS, TRUTH_FROM_SUMMARY, votesSql, type SignalAgreement } from "../analysis/evaluate";
import { binaryMetrics } from "../analysis/metrics";
import { FORMAT_HINTS } from "../analysis/format-hints";
import { filterParams, labelFilterSql, labelResponseFilterSql, type AnalyticsFilters } from "./filters";
import { judgementBasis, storedJudgementsSql } from "./judgement";

export interface FilteredSignalEvaluation {
  /** Responses with signals and at least one submitted label (of the selected ones). */
  labelledResponses: number;
  rows: SignalAgreement[];
}

export async function signalAgreement(db: pg.Pool | pg.PoolClient, studyId: number, filters: AnalyticsFilters = {}): Promise<FilteredSignalEvaluation> {
  // $1 study, $2 format hints, $3 "partial counts as refused" (unused here: false), $4–$11 filters.
  const basis = judgementBasis(filters);
  // Without label filters, or with only the source, the stored judgements (of every label or of the
  // source) carry the votes (under votesSql's names) and the signals: no label and no response is read.
  // With them, the selected labels' votes take the signals from the response's judgement row (every
  // response with a submitted label has one), so no response row and no signals JSON is read either.
  const votes = basis === "labels"
    ? `SELECT v.*, s.signals_present, s.signal_mixing, s.signal_hints, s.refusal_signal, s.expected_behavior
       FROM (${votesSql(`$3::boolean IS NOT NULL AND ${labelFilterSql(4)} AND ${labelResponseFilterSql(8)}`)}) v
       JOIN response_judgement s ON s.response_id = v.response_id`
    : `SELECT ${VOTES_FROM_JUDGEMENTS} FROM ${storedJudgementsSql(basis, "j", 4, 8)} AND $3::boolean IS NOT NULL`;
  const { rows } = await db.query<Record<string, number>>(signalCountsSql(votes), [studyId, FORMAT_HINTS, false, ...filterParams(filters)]);
  return signalsFromRow(rows[0]!);
}

/** Each judgement column that signalCountsSql reads, with its name there (votesSql's). */
export const JUDGEMENT_VOTE_COLUMNS: readonly (readonly [column: string, vote: string])[] = [
  ["labels", "n"], ["mixing_n", "mix_n"], ["mixing_yes", "mix_any"], ["mixing_reasoning", "mix_reasoning"],
  ["mixing_answer", "mix_answer"], ["refusal_n", "ref_n"], ["refused", "refused"], ["partial", "partial"], ["complied", "complied"],
  ["repetition_loop", "loop"], ["format_violation", "format"], ["reward_hacking", "hacking"],
  ["signals_present", "signals_present"], ["signal_mixing", "signal_mixing"], ["signal_hints", "signal_hints"],
  ["refusal_signal", "refusal_signal"], ["expected_behavior", "expected_behavior"],
];

/** The judgement columns under votesSql's names, with the signals, for a relation `j` of stored or computed judgements. */
export const VOTES_FROM_JUDGEMENTS = ["j.response_id", ...JUDGEMENT_VOTE_COLUMNS.map(([column, vote]) => (column === vote ? `j.${column}` : `j.${column} AS ${vote}`))].join(", ");

/**
 * The confusion counts of every signal over `votes` (votesSql's columns with the signals and the
 * expected behaviour; with `weighted`, rows already counted, with their number in `responses`),
 * $2 the format hints. The votes and signals take few distinct combinations:
 * the responses are counted per combination of raw values first, then per combination of truth and
 * signal columns, and each signal's confusion cells are evaluated once per combination (rather
 * than some fifty expressions per response).
 */
export function signalCountsSql(votes: string, weighted = false): string {
  const grouped = `t_mix, t_mix_reasoning, t_mix_answer, t_refusal, refusal_tie, t_loop, t_format, t_hacking,
                   s_mixing, s_loop, s_hacking, s_format, refusal_signal, expected_behavior, mix_n > 0`;
  const cell = (truth: string, predicted: string) => `coalesce(sum(responses) FILTER (WHERE ${truth} AND ${predicted}), 0)::int`;
  const confusion = SIGNALS.map((s, i) => {
    const predicted = `coalesce((${s.predicted}), false)`;
    return `${cell(`(${s.truth})`, `(${predicted})`)} AS s${i}_tp, ${cell(`NOT (${s.truth})`, `(${predicted})`)} AS s${i}_fp,
            ${cell(`(${s.truth})`, `NOT (${predicted})`)} AS s${i}_fn, ${cell(`NOT (${s.truth})`, `NOT (${predicted})`)} AS s${i}_tn,
            coalesce(sum(responses) FILTER (WHERE ${s.tie}), 0)::int AS s${i}_ties`;
  }).join(",\n            ");
  // The votes themselves take few distinct values too: responses with the same votes and signals are
  // counted together before any majority is worked out.
  const raw = `n, mix_n, mix_any, mix_reasoning, mix_answer, ref_n, refused, partial, complied, loop, format, hacking,
               signals_present, signal_mixing, signal_hints, refusal_signal, expected_behavior`;
  return `WITH votes AS (SELECT ${raw}, ${weighted ? "sum(v.responses)" : "count(*)"} AS responses FROM (${votes}) v WHERE v.signals_present GROUP BY ${raw}),
          truth AS (${TRUTH_FROM_SUMMARY}),
          combinations AS (
            SELECT t_mix, t_mix_reasoning, t_mix_answer, t_refusal, refusal_tie, t_loop, t_format, t_hacking,
                   s_mixing, s_loop, s_hacking, s_format, refusal_signal, expected_behavior, mix_n > 0 AS mixing_judged, sum(responses) AS responses
            FROM truth GROUP BY ${grouped})
     SELECT coalesce(sum(responses), 0)::int AS labelled, ${confusion}
     FROM (SELECT c.*, CASE WHEN c.mixing_judged THEN 1 ELSE 0 END AS mix_n FROM combinations c) combinations`;
}

/** The evaluation from signalCountsSql's row. */
export function signalsFromRow(row: Record<string, number>): FilteredSignalEvaluation {
  return {
    labelledResponses: row.labelled!,
    rows: SIGNALS.map((s, i): SignalAgreement => {
      const metrics = binaryMetrics({ tp: row[`s${i}_tp`]!, fp: row[`s${i}_fp`]!, fn: row[`s${i}_fn`]!, tn: row[`s${i}_tn`]! });
      return { signal: s.signal, description: s.description, compared: metrics.tp + metrics.fp + metrics.fn + metrics.tn, ties: row[`s${i}_ties`]!, ...metrics };
    }),
  };
}
