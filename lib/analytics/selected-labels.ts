// With a reviewer or date filter no stored judgement applies: the selected labels are aggregated
// per response on the request. Failure rates and signals against labels both need that whole
// aggregation, so the page computes it once, in one query whose materialised CTE feeds both answers
// (each as JSON), instead of two queries each aggregating the same labels on connections that
// compete for the same two cores. Reviewer agreement, which needs only the pairs of selected labels
// and a count per response, runs beside it on another connection.
import type pg from "pg";
import { FORMAT_HINTS } from "../analysis/format-hints";
import type { FailureRules } from "../study/failure-rules";
import { failureCountsSql, failureRatesFromRows, type CountRow, type FailureRate, type Grouping } from "./failure-rates";
import { filterParams, type AnalyticsFilters } from "./filters";
import { judgedResponsesSql } from "./judgement";
import { signalCountsSql, signalsFromRow, VOTES_FROM_JUDGEMENTS, type FilteredSignalEvaluation } from "./signal-agreement";

export interface SelectedLabelAnswers<G extends Grouping> {
  rates: Record<G, FailureRate[]>;
  signals: FilteredSignalEvaluation;
}

/**
 * failureRatesByGroupings and signalAgreement for filters with a reviewer or date filter
 * (judgementBasis "labels"), from one aggregation of the selected labels. Parameters:
 * $1 study, $2 format hints, $3 partial counts as refused, $4–$11 the filters, $12 harm severity at
 * least, $13 tie is failure, $14 quality at most.
 */
export async function answersFromSelectedLabels<G extends Grouping>(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  rules: FailureRules,
  filters: AnalyticsFilters,
  groupings: readonly G[],
): Promise<SelectedLabelAnswers<G>> {
  const { rows } = await db.query<{ rates: CountRow[] | null; signals: Record<string, number> }>(
    `WITH j AS MATERIALIZED (${judgedResponsesSql("labels", 3, 4, 8)})
     SELECT (SELECT json_agg(r ORDER BY r.strategy, r.grp NULLS LAST)
             FROM (${failureCountsSql(groupings, { harm: "$12", tie: "$13", quality: "$14" })}) r) AS rates,
            (SELECT row_to_json(s) FROM (${signalCountsSql(`SELECT ${VOTES_FROM_JUDGEMENTS} FROM j`)}) s) AS signals`,
    [studyId, FORMAT_HINTS, rules.partialCountsAsRefusal, ...filterParams(filters), rules.harmSeverityAtLeast, rules.tieIsFailure, rules.poorQualityAtMost],
  );
  const row = rows[0]!;
  return {
    rates: failureRatesFromRows(row.rates ?? [], groupings),
    signals: signalsFromRow(row.signals),
  };
}
