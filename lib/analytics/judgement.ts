// One judgement per labelled response from its reviewers' labels, in SQL, shared by the analytics
// and the export: read from response_judgement (kept by triggers on label) when every label
// counts, from response_source_judgement (the same per label source, kept by the same triggers)
// when the only label filter is the source, aggregated from the selected labels when a reviewer or
// date filter is set. There, medians come from counts per value instead of percentile_cont, an
// ordered-set aggregate that sorts every response's handful of labels separately (which was most
// of the page's time).
import { empty, join, raw, sql, type Param, type Sql } from "../db/sql";
import { CURRENT_RUBRIC_SQL } from "../judges/rubric-version";
import {
  judgeOfBasis,
  labelFilterSql,
  labelResponseFilterSql,
  type AnalyticsFilters,
  type AnalyticsParams,
} from "./filters";

/**
 * percentile_cont(0.5) of a label column whose values are the whole numbers lo…hi (CHECK
 * constraints hold them there), as an expression over aggregates of the group: the k-th smallest
 * value (0-based) is lo plus the number of values v in lo…hi−1 with fewer than k+1 labels ≤ v, and
 * the median is the mean of the (n−1)/2-th and n/2-th. Exact (halves are exact in float8).
 */
export function medianSql(column: string, lo: number, hi: number): string {
  const kth = (k: string) => {
    const steps = [];
    for (let v = lo; v < hi; v++) steps.push(`(count(*) FILTER (WHERE ${column} <= ${v}) <= ${k})::int`);
    return `(${lo} + ${steps.join(" + ")})`;
  };
  return `CASE WHEN count(${column}) = 0 THEN NULL ELSE (${kth(`(count(${column}) - 1) / 2`)} + ${kth(`count(${column}) / 2`)})::float8 / 2 END`;
}

/** Median harm severity (0–3) and reasoning quality (1–5) of a group of labels `l`. */
export const SEVERITY_MEDIAN = medianSql("l.harm_severity", 0, 3);
export const QUALITY_MEDIAN = medianSql("l.reasoning_quality", 1, 5);

/**
 * Where the per-response judgements of a request come from: the stored ones of every label
 * ("all"), the adjudicated ones where a response has one and those of every label otherwise
 * ("adjudicated", the default without label filters), the stored ones of one label source when that
 * is the only label filter ("source"), or the selected labels themselves ("labels": a reviewer or
 * date filter), or the labels of one judge ("judge": basis judge:<name>, label filters not applied).
 */
export type JudgementBasis = "all" | "adjudicated" | "source" | "labels" | "judge";

export function judgementBasis(filters: AnalyticsFilters): JudgementBasis {
  if (judgeOfBasis(filters) !== null) return "judge";
  if (filters.reviewerIds?.length || filters.from || filters.to) return "labels";
  if (filters.source) return "source";
  return filters.basis === "reviewers" ? "all" : "adjudicated";
}

/**
 * The basis analytics report: whether adjudicated labels were read (where responses have them), or
 * the judge's labels ("judge:<name>").
 */
export function reportedBasis(filters: AnalyticsFilters): "adjudicated" | "reviewers" | `judge:${string}` {
  const judge = judgeOfBasis(filters);
  if (judge !== null) return `judge:${judge}`;
  return judgementBasis(filters) === "adjudicated" ? "adjudicated" : "reviewers";
}

/** The stored judgement columns every reader of storedJudgementsSql may use (both tables have them). */
const storedColumns = () =>
  [
    "response_id",
    "study_id",
    ...RESPONSE_COLUMNS,
    ...COUNT_COLUMNS.filter((c) => c !== "refusal_yes"),
    "first_submitted_at",
    "last_submitted_at",
  ].join(", ");

/**
 * The adjudicated judgement of every response of the study that has one, and the judgement of all
 * its labels for the others: response_source_judgement's ADJUDICATED rows (an adjudication may
 * exist without labels, e.g. imported) and response_judgement without them.
 */
function adjudicatedJudgementsSql(p: AnalyticsParams): Sql {
  return sql`(
    SELECT ${raw(storedColumns())} FROM response_source_judgement
    WHERE study_id = ${p.study} AND source = 'ADJUDICATED'
    UNION ALL
    SELECT ${raw(storedColumns())} FROM response_judgement x
    WHERE x.study_id = ${p.study}
      AND NOT EXISTS (SELECT 1 FROM response_source_judgement y WHERE y.response_id = x.response_id AND y.source = 'ADJUDICATED'))`;
}

/**
 * One judge's labels under its current rubric version as judgements, with storedColumns' columns:
 * one label per response (its values are the "median" and the only vote), the response's
 * attributes and signals read from the response, its checkpoint and prompt (a judged response may
 * have no human label, hence no response_judgement row). Judges do not answer the four flags.
 */
function judgeJudgementsSql(p: AnalyticsParams): Sql {
  return sql`(
    SELECT jl.response_id, jl.study_id, c.strategy, r.checkpoint_id, r.prompt_id, pr.category AS prompt_category,
           pr.split AS prompt_split, pr.expected_behavior, r.signals IS NOT NULL AS signals_present,
           r.signals ->> 'mixing' AS signal_mixing, signal_hint_kinds(r.signals) AS signal_hints, r.refusal_signal,
           1 AS labels, jl.harm_severity::float8 AS severity, (jl.harm_severity IS NOT NULL)::int AS severity_n,
           jl.reasoning_quality::float8 AS quality, (jl.reasoning_quality IS NOT NULL)::int AS quality_n,
           (jl.language_mixing IS NOT NULL)::int AS mixing_n, (jl.language_mixing <> 'NONE')::int AS mixing_yes,
           (jl.language_mixing IN ('REASONING', 'BOTH'))::int AS mixing_reasoning,
           (jl.language_mixing IN ('ANSWER', 'BOTH'))::int AS mixing_answer,
           (jl.refusal IS NOT NULL)::int AS refusal_n, (jl.refusal = 'REFUSED')::int AS refused,
           (jl.refusal = 'PARTIAL')::int AS partial, (jl.refusal = 'COMPLIED')::int AS complied,
           0 AS reward_hacking, 0 AS repetition_loop, 0 AS unfaithful, 0 AS format_violation,
           jl.created_at AS first_submitted_at, jl.created_at AS last_submitted_at
    FROM judge j
    JOIN judge_label jl ON jl.judge_id = j.id AND jl.rubric = ${raw(CURRENT_RUBRIC_SQL)}
    JOIN response r ON r.id = jl.response_id
    JOIN checkpoint c ON c.id = r.checkpoint_id
    JOIN prompt pr ON pr.id = r.prompt_id
    WHERE j.study_id = ${p.study} AND j.name = ${p.judge}::text)`;
}

/**
 * The stored judgements of the study as `alias`, with the response filters: response_judgement
 * when no label filter is set, with the adjudicated ones in place where responses have them on the
 * adjudicated basis, response_source_judgement of the filtered source when the source is the only
 * label filter.
 */
export function storedJudgementsSql(basis: Exclude<JudgementBasis, "labels">, alias: string, p: AnalyticsParams): Sql {
  const a = raw(alias);
  const table =
    basis === "adjudicated"
      ? adjudicatedJudgementsSql(p)
      : basis === "judge"
        ? judgeJudgementsSql(p)
        : raw(basis === "all" ? "response_judgement" : "response_source_judgement");
  const where = basis === "source" ? sql` AND ${a}.source = ${p.source}::text::"LabelSource"` : empty;
  return sql`${table} ${a}
  WHERE ${a}.study_id = ${p.study}${where} AND ${labelResponseFilterSql(p, alias)}`;
}

/** The judged responses' counts, in the order every branch of judgedResponsesSql gives them. */
const COUNT_COLUMNS = [
  "labels",
  "severity",
  "severity_n",
  "quality",
  "quality_n",
  "mixing_n",
  "mixing_yes",
  "mixing_reasoning",
  "mixing_answer",
  "refusal_n",
  "refusal_yes",
  "refused",
  "partial",
  "complied",
  "reward_hacking",
  "repetition_loop",
  "unfaithful",
  "format_violation",
];
/** The response's attributes and signals, after the counts. */
const RESPONSE_COLUMNS = [
  "strategy",
  "checkpoint_id",
  "prompt_id",
  "prompt_category",
  "prompt_split",
  "expected_behavior",
  "signals_present",
  "signal_mixing",
  "signal_hints",
  "refusal_signal",
];
const columnsOf = (alias: string, columns: string[]) => columns.map((c) => `${alias}.${c}`).join(", ");

/**
 * Which stored judgements can stand in for the responses whose labels all fall inside a date range,
 * read from their first and last submission times: with a date filter and no reviewer filter, those
 * of every label ("all") or, with a source filter too, those of the source ("source"); otherwise
 * none (every selected label is aggregated).
 */
export type StoredForDates = "none" | "all" | "source";

export function storedForDates(filters: AnalyticsFilters): StoredForDates {
  if (filters.reviewerIds?.length || !(filters.from || filters.to)) return "none";
  return filters.source ? "source" : "all";
}

/**
 * For storedForDates' "all" or "source": the stored judgement rows `t` (`table`) of the study of
 * every label or of the filtered source (`condition`), and `inside`, whether all of a row's labels
 * fall inside the date range. A row without times counts as not inside, so that its labels are aggregated.
 */
export function judgementsInsideDatesSql(
  stored: Exclude<StoredForDates, "none">,
  p: AnalyticsParams,
): { table: Sql; condition: Sql; inside: Sql } {
  return {
    table: raw(stored === "all" ? "response_judgement t" : "response_source_judgement t"),
    condition:
      stored === "all"
        ? sql`t.study_id = ${p.study}`
        : sql`t.study_id = ${p.study} AND t.source = ${p.source}::text::"LabelSource"`,
    inside: sql`coalesce(t.first_submitted_at >= coalesce(${p.from}::timestamp, '-infinity') AND t.last_submitted_at < coalesce(${p.to}::timestamp, 'infinity'), false)`,
  };
}

/**
 * Of the stored judgements `t` not inside a date range, those with at most one label inside it: a
 * response with at most two labels (of the filtered source) that are not all inside the range has
 * at most one of them inside. Its stored times must be known: a row without them counts as not
 * inside whatever its labels, so its labels are aggregated like any other's.
 */
export const atMostOneLabelInsideSql = sql`t.labels <= 2 AND t.first_submitted_at IS NOT NULL AND t.last_submitted_at IS NOT NULL`;

/**
 * One row per judged response of the study: its response_id, the counts behind each failure kind
 * (COUNT_COLUMNS: severity and quality medians, mixing and refusal votes; refusal_yes counts partial
 * refusals when `partial` is true), then its strategy, checkpoint, prompt, category, split and expected
 * behaviour and its signals (RESPONSE_COLUMNS); from the stored judgements (judgementBasis "all",
 * "adjudicated" or "source") or from the selected labels ("labels").
 * With `stored` (storedForDates: a date filter without reviewers) the responses whose labels (of the
 * filtered source) all fall inside the range are read from their stored judgement and only the
 * others' selected labels are aggregated, so the more of the labels a range keeps, the less is
 * aggregated; of those, a response with at most two labels has at most one inside the range and
 * takes its values without aggregation. `partial`: whether partial refusals count as refused (a boolean).
 */
export function judgedResponsesSql(
  basis: JudgementBasis,
  p: AnalyticsParams & { partial: Param },
  stored: StoredForDates = "none",
): Sql {
  const partial = p.partial;
  // A stored judgement's counts, refusal_yes worked out from its refused and partial votes.
  const storedCounts = (alias: string) =>
    join(
      COUNT_COLUMNS.map((c) =>
        c === "refusal_yes"
          ? sql`${raw(alias)}.refused + CASE WHEN ${partial}::boolean THEN ${raw(alias)}.partial ELSE 0 END AS refusal_yes`
          : raw(`${alias}.${c}`),
      ),
    );
  if (basis !== "labels") {
    return sql`
  SELECT j.response_id, ${storedCounts("j")}, ${raw(columnsOf("j", RESPONSE_COLUMNS))}
  FROM ${storedJudgementsSql(basis, "j", p)}`;
  }
  // What each selected label adds to its response's counts: `count(*) FILTER (WHERE …)` over a
  // response's labels, or 1 / 0 for a response with one selected label (the second branch below).
  // In COUNT_COLUMNS' order: the mixing votes after mixing_n, the refusal ones after refusal_n.
  type Votes = [column: string, condition: Sql][];
  const mixingVotes: Votes = [
    ["mixing_yes", sql`l.language_mixing <> 'NONE'`],
    ["mixing_reasoning", sql`l.language_mixing IN ('REASONING', 'BOTH')`],
    ["mixing_answer", sql`l.language_mixing IN ('ANSWER', 'BOTH')`],
  ];
  const refusalVotes: Votes = [
    ["refusal_yes", sql`l.refusal = 'REFUSED' OR (${partial}::boolean AND l.refusal = 'PARTIAL')`],
    ["refused", sql`l.refusal = 'REFUSED'`],
    ["partial", sql`l.refusal = 'PARTIAL'`],
    ["complied", sql`l.refusal = 'COMPLIED'`],
    ["reward_hacking", sql`l.reward_hacking`],
    ["repetition_loop", sql`l.repetition_loop`],
    ["unfaithful", sql`l.unfaithful`],
    ["format_violation", sql`l.format_violation`],
  ];
  const voteCounts = (votes: Votes, count: (condition: Sql) => Sql) =>
    join(
      votes.map(([column, condition]) => sql`${count(condition)} AS ${raw(column)}`),
      ",\n         ",
    );
  const filtered = (condition: Sql) => sql`count(*) FILTER (WHERE ${condition})`;
  const single = (condition: Sql) => sql`CASE WHEN ${condition} THEN 1 ELSE 0 END`;
  // The label filters on `l`, and the response filters on its copies of the response's attributes.
  const selected = sql`l.study_id = ${p.study} AND l.submitted_at IS NOT NULL AND ${labelFilterSql(p)} AND ${labelResponseFilterSql(p)}`;
  // The response's attributes and signals from its judgement row (every response with a submitted
  // label has one): cheaper than min() over its labels' copies, text ones above all. The labels come
  // in response order (the (study_id, response_id) index, or a sort), so that they are aggregated
  // one response at a time: hashing every response's two dozen counts at once (tens of MB of
  // states) took half as long again on 100,000 labels.
  const aggregated = (onlyResponses: Sql) => sql`
  SELECT g.response_id, ${raw(columnsOf("g", COUNT_COLUMNS))}, ${raw(columnsOf("s", RESPONSE_COLUMNS))}
  FROM (
  SELECT l.response_id,
         count(*) AS labels,
         ${raw(SEVERITY_MEDIAN)} AS severity,
         count(l.harm_severity) AS severity_n,
         ${raw(QUALITY_MEDIAN)} AS quality,
         count(l.reasoning_quality) AS quality_n,
         count(l.language_mixing) AS mixing_n,
         ${voteCounts(mixingVotes, filtered)},
         count(l.refusal) AS refusal_n,
         ${voteCounts(refusalVotes, filtered)}
  FROM (SELECT l.response_id, l.harm_severity, l.reasoning_quality, l.language_mixing, l.refusal,
               l.reward_hacking, l.repetition_loop, l.unfaithful, l.format_violation
        FROM label l
        WHERE ${selected}${onlyResponses}
        ORDER BY l.response_id) l
  GROUP BY l.response_id) g
  JOIN response_judgement s ON s.response_id = g.response_id`;
  if (stored === "none") return aggregated(empty);
  const { table, condition, inside } = judgementsInsideDatesSql(stored, p);
  // Such a response's judgement is its one label's values, with no aggregation (a median of one
  // value is the value).
  const oneLabel = atMostOneLabelInsideSql;
  return sql`
  SELECT t.response_id, ${storedCounts("t")}, ${raw(columnsOf("t", RESPONSE_COLUMNS))}
  FROM ${table} WHERE ${condition} AND ${inside} AND ${labelResponseFilterSql(p, "t")}
  UNION ALL
  SELECT t.response_id, 1 AS labels,
         l.harm_severity::float8 AS severity, (l.harm_severity IS NOT NULL)::int AS severity_n,
         l.reasoning_quality::float8 AS quality, (l.reasoning_quality IS NOT NULL)::int AS quality_n,
         (l.language_mixing IS NOT NULL)::int AS mixing_n, ${voteCounts(mixingVotes, single)},
         (l.refusal IS NOT NULL)::int AS refusal_n, ${voteCounts(refusalVotes, single)},
         ${raw(columnsOf("t", RESPONSE_COLUMNS))}
  FROM label l JOIN ${table} ON t.response_id = l.response_id
  WHERE ${selected} AND ${condition} AND ${oneLabel} AND NOT ${inside}
  UNION ALL ${aggregated(sql`
          AND l.response_id IN (SELECT t.response_id FROM ${table} WHERE ${condition} AND NOT ${inside} AND NOT (${oneLabel}))`)}`;
}
