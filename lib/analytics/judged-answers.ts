// Failure rates at every grouping, signals against labels and the paired comparisons all start from
// the same thing: one judgement per response (judgedResponsesSql: stored rows without a label
// filter, the selected labels aggregated with a reviewer or date filter). The page reads it once,
// in one statement: each judged response is reduced to where it counts (failureBitsSql, one integer)
// beside its prompt, checkpoint, strategy, category, split and votes, kept as a materialised CTE,
// then
// - a hash aggregate with two grouping sets counts the responses per strategy, category, split,
//   checkpoint and bits value (the failure counts, each bit spread into its column afterwards) and
//   per combination of votes and signals (the responses behind signals against labels, the hints
//   as a code: hintCode); both answers are summed from those few hundred rows;
// - three integer arrays (prompt, checkpoint, bits) carry it to lib/analytics/paired-sums.ts, which
//   sums it per (prompt, checkpoint) for the clustered intervals and the McNemar pairs.
// Reading the judgements once instead of three times (rates, signals, paired) was most of the page's
// time at a million responses (docs/benchmarks.md, Analytics). Reviewer agreement, which needs the
// pairs of labels rather than judgements, runs beside it on another connection.
import type pg from "pg";
import { FORMAT_HINTS } from "../analysis/format-hints";
import type { FailureRules } from "../study/failure-rules";
import { join, param, raw, sql, type Sql } from "../db/sql";
import {
  failureBitsSql,
  failureRatesFromRows,
  failureRuleParams,
  failureSumsSql,
  type CountRow,
  type FailureRate,
  type Grouping,
} from "./failure-rates";
import { analyticsParams, type AnalyticsFilters } from "./filters";
import { judgedResponsesSql, judgementBasis, storedForDates } from "./judgement";
import { type PairedAnalytics, pairedAnalyticsFromRow, pairedSumsFromRow } from "./paired-comparisons";
import { COUNT_COLUMNS } from "./paired-sums";
import {
  JUDGEMENT_VOTE_COLUMNS,
  signalCountsSql,
  signalPins,
  signalsFromRow,
  type FilteredSignalEvaluation,
} from "./signal-agreement";

export interface JudgedAnswers<G extends Grouping> {
  rates: Record<G, FailureRate[]>;
  signals: FilteredSignalEvaluation;
  paired: PairedAnalytics;
}

/**
 * The count columns of the counted rows `c` of one (strategy, category, split, checkpoint, bits):
 * each bit's column holds the row's responses when the bit is set (failureBitsSql's order).
 */
const bitCountColumns = (): Sql =>
  join(
    COUNT_COLUMNS.map((name, i) => raw(`CASE WHEN c.bits & ${1 << i} <> 0 THEN c.responses ELSE 0 END AS ${name}`)),
    ",\n              ",
  );

// The signals' hints are read only for four questions (signalCountsSql, lib/analysis/evaluate.ts):
// whether they include repetition_loop, self_assessment or possible_refusal, whether any format hint ($2). The
// one pass counts the responses per combination of votes and signals; hashing each response's
// array of hints there was a fifth of the statement's time, so each response carries a small code
// instead, and the few counted combinations get an array back that answers the four questions as
// the response's own did (NULL for no hints; a NULL element, which makes the first two unknown
// rather than false, kept as one).
const LOOP_HINT = "repetition_loop";
const HACKING_HINT = "self_assessment";
const REFUSAL_HINT = "possible_refusal";
if ([LOOP_HINT, HACKING_HINT, REFUSAL_HINT].some((hint) => (FORMAT_HINTS as readonly string[]).includes(hint))) {
  throw new Error("judged-answers: the hints' code assumes the format hints are none of the other three.");
}

/**
 * An array of hints as an integer: bit 1 repetition_loop, 2 self_assessment, 4 a format hint, 8 a
 * NULL element, 16 possible_refusal.
 */
export function hintCode(hints: string): string {
  return `CASE WHEN ${hints} IS NULL THEN NULL
              ELSE CASE WHEN '${LOOP_HINT}' = ANY(${hints}) THEN 1 ELSE 0 END | CASE WHEN '${HACKING_HINT}' = ANY(${hints}) THEN 2 ELSE 0 END
                   | CASE WHEN ${hints} && $2::text[] THEN 4 ELSE 0 END | CASE WHEN array_position(${hints}, NULL) IS NOT NULL THEN 8 ELSE 0 END
                   | CASE WHEN '${REFUSAL_HINT}' = ANY(${hints}) THEN 16 ELSE 0 END END`;
}

/** An array of hints with the same answers as the one hintCode read. */
export function hintsFromCode(code: string): string {
  return `CASE WHEN ${code} IS NULL THEN NULL::text[]
              ELSE CASE WHEN ${code} & 1 <> 0 THEN ARRAY['${LOOP_HINT}'] ELSE '{}'::text[] END
                   || CASE WHEN ${code} & 2 <> 0 THEN ARRAY['${HACKING_HINT}'] ELSE '{}'::text[] END
                   || CASE WHEN ${code} & 4 <> 0 THEN ARRAY[($2::text[])[1]] ELSE '{}'::text[] END
                   || CASE WHEN ${code} & 8 <> 0 THEN ARRAY[NULL::text] ELSE '{}'::text[] END
                   || CASE WHEN ${code} & 16 <> 0 THEN ARRAY['${REFUSAL_HINT}'] ELSE '{}'::text[] END END`;
}

/**
 * The statement of judgedAnswers: one row with `rates` (failureSumsSql's rows as JSON), `signals`
 * (signalCountsSql's row as JSON) and pairedAnalyticsSql's columns (checkpoint_strategies and the
 * prompt_id, checkpoint_id and bits arrays of the responses that count somewhere).
 */
export function judgedAnswersSql(
  studyId: number,
  rules: FailureRules,
  filters: AnalyticsFilters,
  groupings: readonly Grouping[],
): { text: string; values: unknown[] } {
  const votes = (alias: string) => JUDGEMENT_VOTE_COLUMNS.map(([, vote]) => `${alias}.${vote}`).join(", ");
  const votesNamed = JUDGEMENT_VOTE_COLUMNS.map(([column, vote]) =>
    column === "signal_hints" ? `${hintCode("j.signal_hints")} AS ${vote}` : `j.${column} AS ${vote}`,
  ).join(", ");
  // The votes' set as signalCountsSql reads it: the hints rebuilt from their code.
  const votesRead = JUDGEMENT_VOTE_COLUMNS.map(([, vote]) =>
    vote === "signal_hints" ? `${hintsFromCode("c.signal_hints")} AS ${vote}` : `c.${vote}`,
  ).join(", ");
  const p = { ...analyticsParams(studyId, filters), partial: param(rules.partialCountsAsRefusal) };
  // GROUPING(o.strategy) is 0 on the rows of the first set, 1 on those of the second.
  return sql`WITH o AS MATERIALIZED (
       SELECT j.prompt_id, j.checkpoint_id, j.strategy, j.prompt_category, j.prompt_split, ${raw(votesNamed)},
              ${failureBitsSql(failureRuleParams(rules))} AS bits
       FROM (${judgedResponsesSql(judgementBasis(filters), p, storedForDates(filters))}) j),
     c AS MATERIALIZED (
       SELECT GROUPING(o.strategy) AS grouping_set, o.strategy, o.prompt_category, o.prompt_split, o.checkpoint_id, o.bits, ${raw(votes("o"))},
              count(*) AS responses
       FROM o
       GROUP BY GROUPING SETS ((o.strategy, o.prompt_category, o.prompt_split, o.checkpoint_id, o.bits), (${raw(votes("o"))})))
     SELECT (SELECT json_agg(r ORDER BY r.strategy, r.grp NULLS LAST)
             FROM (${failureSumsSql(
               groupings,
               sql`(SELECT c.strategy, c.prompt_category, c.prompt_split, c.checkpoint_id, ${bitCountColumns()}
                    FROM c WHERE c.grouping_set = 0) j`,
             )}) r) AS rates,
            (SELECT row_to_json(s)
             FROM (${signalCountsSql(raw(`SELECT ${votesRead}, c.responses FROM c WHERE c.grouping_set = 1`), true)}) s) AS signals,
            (SELECT json_agg(x) FROM (SELECT k.id AS checkpoint_id, k.strategy FROM checkpoint k WHERE k.study_id = ${p.study}) x) AS checkpoint_strategies,
            a.prompt_id, a.checkpoint_id, a.bits
     FROM (SELECT array_agg(o.prompt_id)::text AS prompt_id, array_agg(o.checkpoint_id)::text AS checkpoint_id,
                  array_agg(o.bits)::text AS bits
           FROM o WHERE o.bits <> 0) a`.toQuery(signalPins(p.study, param(FORMAT_HINTS)));
}

/**
 * failureRatesByGroupings, signalAgreement and pairedAnalytics for one set of filters, from one
 * reading of the judgements (tests keep the three equal to their own statements).
 */
export async function judgedAnswers<G extends Grouping>(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  rules: FailureRules,
  filters: AnalyticsFilters,
  groupings: readonly G[],
): Promise<JudgedAnswers<G>> {
  const { rows } = await db.query<{ rates: CountRow[] | null; signals: Record<string, number> }>(
    judgedAnswersSql(studyId, rules, filters, groupings),
  );
  const row = rows[0]!;
  return {
    rates: failureRatesFromRows(row.rates ?? [], groupings),
    signals: signalsFromRow(row.signals),
    paired: pairedAnalyticsFromRow(pairedSumsFromRow(row, rules.tieIsFailure)),
  };
}
