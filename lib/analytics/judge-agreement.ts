// Judges against human labels: a row per judge of the study for the analytics page's "signals against
// human labels" table. Each judge's labels (its current rubric version) are compared with the human
// judgement of the same responses on the question its rubric answers, as the signals are: refused
// (majority of refusal labels), language mixing anywhere (majority), harmful (median severity at
// least the study's harm threshold) or poor reasoning (median quality at most its threshold). The
// human side is the stored judgement of the page's human basis (adjudicated where set, or the
// reviewers'; or one source): a judge basis or a reviewer / date filter reads the default one.
import type pg from "pg";
import type { SignalAgreement } from "../analysis/evaluate";
import { binaryMetrics } from "../analysis/metrics";
import { raw, sql } from "../db/sql";
import { CURRENT_RUBRIC_SQL } from "../judges/rubric-version";
import type { FailureRules } from "../study/failure-rules";
import { failureRuleParams } from "./failure-rates";
import { analyticsParams, type AnalyticsFilters } from "./filters";
import { judgementBasis, storedJudgementsSql } from "./judgement";

export interface JudgeAgreement extends SignalAgreement {
  /** The judge's name and the rubric version of its labels compared. */
  judge: string;
  rubric: string;
  /** Share of the compared responses on which judge and humans agree, or null when none. */
  agreement: number | null;
}

const QUESTIONS: Record<string, string> = {
  "refusal-kind": "refused (judge) vs the reviewers' majority",
  "language-mixing": "mixing anywhere (judge) vs the reviewers' majority",
  "harm-severity": "harmful (severity at the study's threshold) vs the median human severity",
  "llama-guard": "unsafe (judge) vs harmful by the median human severity",
  "reasoning-quality": "poor reasoning (at the study's threshold) vs the median human quality",
};

/** The human basis judges are compared with: the page's, when it is a stored human one. */
function humanBasis(filters: AnalyticsFilters): "all" | "adjudicated" | "source" {
  const basis = judgementBasis(filters);
  if (basis === "all" || basis === "adjudicated" || basis === "source") return basis;
  return filters.basis === "reviewers" ? "all" : "adjudicated";
}

export async function judgeAgreement(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  rules: FailureRules,
  filters: AnalyticsFilters = {},
): Promise<JudgeAgreement[]> {
  const p = analyticsParams(studyId, filters);
  const r = failureRuleParams(rules);
  const { rows } = await db.query<{
    judge: string;
    rubric: string;
    rubric_id: string;
    tp: number;
    fp: number;
    fn: number;
    tn: number;
    ties: number;
  }>(
    sql`SELECT c.judge, c.rubric, c.rubric_id,
           count(*) FILTER (WHERE c.answered AND NOT c.tie AND c.truth AND c.predicted)::int AS tp,
           count(*) FILTER (WHERE c.answered AND NOT c.tie AND NOT c.truth AND c.predicted)::int AS fp,
           count(*) FILTER (WHERE c.answered AND NOT c.tie AND c.truth AND NOT c.predicted)::int AS fn,
           count(*) FILTER (WHERE c.answered AND NOT c.tie AND NOT c.truth AND NOT c.predicted)::int AS tn,
           count(*) FILTER (WHERE c.answered AND c.tie)::int AS ties
     FROM (
       SELECT j.name AS judge, jl.rubric, j.rubric_id,
              CASE j.rubric_id
                WHEN 'refusal-kind' THEN h.refusal_n > 0 AND jl.refusal IS NOT NULL
                WHEN 'language-mixing' THEN h.mixing_n > 0 AND jl.language_mixing IS NOT NULL
                WHEN 'reasoning-quality' THEN h.quality_n > 0 AND jl.reasoning_quality IS NOT NULL
                ELSE h.severity_n > 0 AND jl.harm_severity IS NOT NULL END AS answered,
              CASE j.rubric_id
                WHEN 'refusal-kind' THEN 2 * h.refused = h.refusal_n
                WHEN 'language-mixing' THEN 2 * h.mixing_yes = h.mixing_n
                ELSE false END AS tie,
              coalesce(CASE j.rubric_id
                WHEN 'refusal-kind' THEN 2 * h.refused > h.refusal_n
                WHEN 'language-mixing' THEN 2 * h.mixing_yes > h.mixing_n
                WHEN 'reasoning-quality' THEN h.quality <= ${r.quality}::float8
                ELSE h.severity >= ${r.harm}::float8 END, false) AS truth,
              coalesce(CASE j.rubric_id
                WHEN 'refusal-kind' THEN jl.refusal = 'REFUSED'
                WHEN 'language-mixing' THEN jl.language_mixing <> 'NONE'
                WHEN 'reasoning-quality' THEN jl.reasoning_quality <= ${r.quality}::float8
                ELSE jl.harm_severity >= ${r.harm}::float8 END, false) AS predicted
       FROM judge j
       JOIN judge_label jl ON jl.judge_id = j.id AND jl.rubric = ${raw(CURRENT_RUBRIC_SQL)}
       JOIN (SELECT h.* FROM ${storedJudgementsSql(humanBasis(filters), "h", p)}) h ON h.response_id = jl.response_id
       WHERE j.study_id = ${p.study}) c
     GROUP BY c.judge, c.rubric, c.rubric_id
     ORDER BY c.judge`.toQuery(),
  );
  return rows.map((row) => {
    const metrics = binaryMetrics({ tp: row.tp, fp: row.fp, fn: row.fn, tn: row.tn });
    const compared = row.tp + row.fp + row.fn + row.tn;
    return {
      signal: `judge ${row.judge}`,
      description: `${row.rubric}: ${QUESTIONS[row.rubric_id] ?? "its labels vs the human judgement"}`,
      judge: row.judge,
      rubric: row.rubric,
      compared,
      ties: row.ties,
      agreement: compared === 0 ? null : (row.tp + row.tn) / compared,
      ...metrics,
    };
  });
}
