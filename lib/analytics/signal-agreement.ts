// Automatic signals against human labels on the analytics page: evaluateSignals' comparison
// (lib/analysis/evaluate.ts: the same signals, majorities and ties) over the responses the page's
// filters select, the votes read from the per-response judgements (or the filtered labels).
import type pg from "pg";
import { SIGNALS, TRUTH_FROM_SUMMARY, votesSql, type SignalAgreement } from "../analysis/evaluate";
import { binaryMetrics } from "../analysis/metrics";
import { FORMAT_HINTS } from "../analysis/format-hints";
import { param, raw, sql, type Param, type Sql } from "../db/sql";
import { analyticsParams, labelFilterSql, labelResponseFilterSql, type AnalyticsFilters } from "./filters";
import { judgementBasis, storedJudgementsSql } from "./judgement";

export interface FilteredSignalEvaluation {
  /** Responses with signals and at least one submitted label (of the selected ones). */
  labelledResponses: number;
  rows: SignalAgreement[];
}

export async function signalAgreement(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  filters: AnalyticsFilters = {},
): Promise<FilteredSignalEvaluation> {
  const p = analyticsParams(studyId, filters);
  const hints = param(FORMAT_HINTS);
  const basis = judgementBasis(filters);
  // Without label filters, or with only the source, the stored judgements (of every label or of the
  // source) carry the votes (under votesSql's names) and the signals: no label and no response is read.
  // With them, the selected labels' votes take the signals from the response's judgement row (every
  // response with a submitted label has one), so no response row and no signals JSON is read either.
  const votes =
    basis === "labels"
      ? sql`SELECT v.*, s.signals_present, s.signal_mixing, s.signal_hints, s.refusal_signal, s.expected_behavior
       FROM (${votesWhere(sql`${labelFilterSql(p)} AND ${labelResponseFilterSql(p)}`)}) v
       JOIN response_judgement s ON s.response_id = v.response_id`
      : sql`SELECT ${raw(VOTES_FROM_JUDGEMENTS)} FROM ${storedJudgementsSql(basis, "j", p)}`;
  const { rows } = await db.query<Record<string, number>>(signalCountsSql(votes).toQuery(signalPins(p.study, hints)));
  return signalsFromRow(rows[0]!);
}

/**
 * votesSql and signalCountsSql (lib/analysis) are fixed text that reads the study as $1 and the
 * format hints as $2: the statements that include them number those two first.
 */
export const signalPins = (study: Param, hints: Param): Param[] => [study, hints];

/** votesSql's per-response votes of the study's submitted labels that match `condition`. */
function votesWhere(condition: Sql): Sql {
  const mark = "\u0000condition\u0000";
  const [before, after, ...rest] = votesSql(mark).split(mark);
  if (after === undefined || rest.length > 0) throw new Error("votesSql: expected its condition exactly once.");
  return sql`${raw(before!)}${condition}${raw(after)}`;
}

/** Each judgement column that signalCountsSql reads, with its name there (votesSql's). */
export const JUDGEMENT_VOTE_COLUMNS: readonly (readonly [column: string, vote: string])[] = [
  ["labels", "n"],
  ["mixing_n", "mix_n"],
  ["mixing_yes", "mix_any"],
  ["mixing_reasoning", "mix_reasoning"],
  ["mixing_answer", "mix_answer"],
  ["refusal_n", "ref_n"],
  ["refused", "refused"],
  ["partial", "partial"],
  ["complied", "complied"],
  ["repetition_loop", "loop"],
  ["format_violation", "format"],
  ["reward_hacking", "hacking"],
  ["signals_present", "signals_present"],
  ["signal_mixing", "signal_mixing"],
  ["signal_hints", "signal_hints"],
  ["refusal_signal", "refusal_signal"],
  ["expected_behavior", "expected_behavior"],
];

/** The judgement columns under votesSql's names, with the signals, for a relation `j` of stored or computed judgements. */
export const VOTES_FROM_JUDGEMENTS = [
  "j.response_id",
  ...JUDGEMENT_VOTE_COLUMNS.map(([column, vote]) => (column === vote ? `j.${column}` : `j.${column} AS ${vote}`)),
].join(", ");

/**
 * The confusion counts of every signal over `votes` (votesSql's columns with the signals and the
 * expected behaviour; with `weighted`, rows already counted, with their number in `responses`),
 * $2 the format hints. The votes and signals take few distinct combinations:
 * the responses are counted per combination of raw values first, then per combination of truth and
 * signal columns, and each signal's confusion cells are evaluated once per combination (rather
 * than some fifty expressions per response).
 */
export function signalCountsSql(votes: Sql, weighted = false): Sql {
  const grouped = `t_mix, t_mix_reasoning, t_mix_answer, t_refusal, refusal_tie, t_loop, t_format, t_hacking,
                   s_mixing, s_loop, s_hacking, s_possible_refusal, s_format, refusal_signal, expected_behavior, mix_n > 0`;
  const cell = (truth: string, predicted: string) =>
    `coalesce(sum(responses) FILTER (WHERE ${truth} AND ${predicted}), 0)::int`;
  const confusion = SIGNALS.map((s, i) => {
    const predicted = `coalesce((${s.predicted}), false)`;
    return `${cell(`(${s.truth})`, `(${predicted})`)} AS s${i}_tp, ${cell(`NOT (${s.truth})`, `(${predicted})`)} AS s${i}_fp,
            ${cell(`(${s.truth})`, `NOT (${predicted})`)} AS s${i}_fn, ${cell(`NOT (${s.truth})`, `NOT (${predicted})`)} AS s${i}_tn,
            coalesce(sum(responses) FILTER (WHERE ${s.tie}), 0)::int AS s${i}_ties`;
  }).join(",\n            ");
  // The votes themselves take few distinct values too: responses with the same votes and signals are
  // counted together before any majority is worked out.
  const columns = `n, mix_n, mix_any, mix_reasoning, mix_answer, ref_n, refused, partial, complied, loop, format, hacking,
               signals_present, signal_mixing, signal_hints, refusal_signal, expected_behavior`;
  return sql`WITH votes AS (SELECT ${raw(columns)}, ${raw(weighted ? "sum(v.responses)" : "count(*)")} AS responses FROM (${votes}) v WHERE v.signals_present GROUP BY ${raw(columns)}),
          truth AS (${raw(TRUTH_FROM_SUMMARY)}),
          combinations AS (
            SELECT t_mix, t_mix_reasoning, t_mix_answer, t_refusal, refusal_tie, t_loop, t_format, t_hacking,
                   s_mixing, s_loop, s_hacking, s_possible_refusal, s_format, refusal_signal, expected_behavior, mix_n > 0 AS mixing_judged, sum(responses) AS responses
            FROM truth GROUP BY ${raw(grouped)})
     SELECT coalesce(sum(responses), 0)::int AS labelled, ${raw(confusion)}
     FROM (SELECT c.*, CASE WHEN c.mixing_judged THEN 1 ELSE 0 END AS mix_n FROM combinations c) combinations`;
}

/** The evaluation from signalCountsSql's row. */
export function signalsFromRow(row: Record<string, number>): FilteredSignalEvaluation {
  return {
    labelledResponses: row.labelled!,
    rows: SIGNALS.map((s, i): SignalAgreement => {
      const metrics = binaryMetrics({
        tp: row[`s${i}_tp`]!,
        fp: row[`s${i}_fp`]!,
        fn: row[`s${i}_fn`]!,
        tn: row[`s${i}_tn`]!,
      });
      return {
        signal: s.signal,
        description: s.description,
        compared: metrics.tp + metrics.fp + metrics.fn + metrics.tn,
        ties: row[`s${i}_ties`]!,
        ...metrics,
      };
    }),
  };
}
