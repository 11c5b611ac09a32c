// With a reviewer or date filter no stored judgement applies: the selected labels are aggregated
// per response on the request. Failure rates and signals against labels both need that whole
// aggregation, so the page computes it once, in one query, and counts it in one pass: a hash
// aggregate with two grouping sets over the judged responses, one per strategy, category, split
// and checkpoint (the failure counts), one per combination of votes and signals (the responses
// behind signals against labels). Both answers are then summed from those few hundred rows, so the
// per-response rows are never materialised or read twice. Reviewer agreement, which needs only the
// pairs of selected labels and a count per response, runs beside it on another connection.
import type pg from "pg";
import { FORMAT_HINTS } from "../analysis/format-hints";
import type { FailureRules } from "../study/failure-rules";
import { param, raw, sql } from "../db/sql";
import {
  failureCountColumns,
  failureRatesFromRows,
  failureRuleParams,
  failureSumsSql,
  type CountRow,
  type FailureRate,
  type Grouping,
} from "./failure-rates";
import { analyticsParams, type AnalyticsFilters } from "./filters";
import { judgedResponsesSql, storedForDates } from "./judgement";
import {
  JUDGEMENT_VOTE_COLUMNS,
  signalCountsSql,
  signalPins,
  signalsFromRow,
  type FilteredSignalEvaluation,
} from "./signal-agreement";

export interface SelectedLabelAnswers<G extends Grouping> {
  rates: Record<G, FailureRate[]>;
  signals: FilteredSignalEvaluation;
}

/**
 * failureRatesByGroupings and signalAgreement for filters with a reviewer or date filter
 * (judgementBasis "labels"), from one aggregation of the selected labels.
 */
export async function answersFromSelectedLabels<G extends Grouping>(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  rules: FailureRules,
  filters: AnalyticsFilters,
  groupings: readonly G[],
): Promise<SelectedLabelAnswers<G>> {
  // The votes under votesSql's names, which none of the failure counts' names repeats.
  const votes = JUDGEMENT_VOTE_COLUMNS.map(([column]) => `j.${column}`).join(", ");
  const votesNamed = JUDGEMENT_VOTE_COLUMNS.map(([column, vote]) => `j.${column} AS ${vote}`).join(", ");
  const voteNames = JUDGEMENT_VOTE_COLUMNS.map(([, vote]) => `c.${vote}`).join(", ");
  // GROUPING(j.strategy) is 0 on the rows of the first set, 1 on those of the second.
  const p = { ...analyticsParams(studyId, filters), partial: param(rules.partialCountsAsRefusal) };
  const { rows } = await db.query<{ rates: CountRow[] | null; signals: Record<string, number> }>(
    sql`WITH c AS MATERIALIZED (
       SELECT GROUPING(j.strategy) AS grouping_set, j.strategy, j.prompt_category, j.prompt_split, j.checkpoint_id, ${raw(votesNamed)},
              count(*) AS responses, ${failureCountColumns(failureRuleParams(rules))}
       FROM (${judgedResponsesSql("labels", p, storedForDates(filters))}) j
       GROUP BY GROUPING SETS ((j.strategy, j.prompt_category, j.prompt_split, j.checkpoint_id), (${raw(votes)})))
     SELECT (SELECT json_agg(r ORDER BY r.strategy, r.grp NULLS LAST)
             FROM (${failureSumsSql(groupings, raw("c j WHERE j.grouping_set = 0"))}) r) AS rates,
            (SELECT row_to_json(s)
             FROM (${signalCountsSql(raw(`SELECT ${voteNames}, c.responses FROM c WHERE c.grouping_set = 1`), true)}) s) AS signals`.toQuery(
      signalPins(p.study, param(FORMAT_HINTS)),
    ),
  );
  const row = rows[0]!;
  return {
    rates: failureRatesFromRows(row.rates ?? [], groupings),
    signals: signalsFromRow(row.signals),
  };
}
