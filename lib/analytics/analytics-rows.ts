// The analytics page's numbers as flat rows for scripts (the API and `npm run parallax -- analytics`):
// one table of rates, one of agreement, one of comparisons, each a list of plain objects with the
// same keys, so that a notebook turns any of them into a DataFrame in one line.
import { toCsv, type CsvValue } from "../csv/csv-text";
import type { FailureKind, FailureRate } from "./failure-rates";
import type { ScopeAgreement } from "./reviewer-agreement";
import type { StudyAnalytics } from "./study-analytics";

/** The measures' names in the rows (snake case, the product's words). */
export const MEASURE_NAMES: Record<FailureKind, string> = {
  harm: "harmful",
  mixing: "language_mixing",
  poorReasoning: "poor_reasoning",
  overRefusal: "over_refusal",
  refusalFull: "refusal_full",
  refusalPartial: "refusal_partial",
  harmfulCompliance: "harmful_compliance",
};

export interface ResultRow {
  measure: string;
  group: "strategy" | "checkpoint" | "category" | "split";
  /** The strategy, checkpoint name, category or split of the row. */
  key: string | null;
  /** The row's strategy (for checkpoint, category and split rows: the strategy it belongs to). */
  strategy: string;
  checkpoint_id: number | null;
  k: number;
  n: number;
  rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** "clustered" (by prompt, with the design effect) or "wilson". */
  ci_method: "clustered" | "wilson";
}

export interface AgreementRow {
  field: string;
  /** "all" over the selection, "checkpoint" within one checkpoint's responses. */
  group: "all" | "checkpoint";
  /** The checkpoint's name; null for "all". */
  key: string | null;
  /** Null for Krippendorff's alpha over every reviewer; "a | b" for Cohen's kappa of two reviewers. */
  reviewers: string | null;
  alpha: number | null;
  alpha_ci_low: number | null;
  alpha_ci_high: number | null;
  kappa: number | null;
  kappa_ci_low: number | null;
  kappa_ci_high: number | null;
  /** Pairable values (alpha rows) or responses both reviewers labelled (kappa rows). */
  n: number;
}

export interface ComparisonRow {
  measure: string;
  group: "strategy" | "checkpoint";
  a: string;
  b: string;
  strategy_a: string;
  strategy_b: string;
  /** strategy rows: rate A − rate B; checkpoint rows: prompts only A failed − prompts only B failed, over shared prompts. */
  difference: number;
  /** strategy rows: prompts clustered on; checkpoint rows: prompts both answered. */
  n: number;
  test: string;
  p: number;
  p_adjusted: number;
  significant: boolean;
}

export interface AnalyticsRows {
  failure_definitions: string[];
  /**
   * Whether adjudicated labels were read where responses have them ("adjudicated") or not
   * ("reviewers"), or a judge's labels instead ("judge:<name>").
   */
  basis: "adjudicated" | "reviewers" | `judge:${string}`;
  basis_description: string;
  adjudicated_responses: number;
  results: ResultRow[];
  agreement: AgreementRow[];
  comparisons: ComparisonRow[];
  pooling_warnings: { strategy: string; measure: string; a: string; b: string; p_adjusted: number }[];
  /** Each judge's labels against the human judgement of the same responses. */
  judges: JudgeRow[];
}

export interface JudgeRow {
  judge: string;
  rubric: string;
  question: string;
  compared: number;
  agreement: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  ties: number;
}

export const ANALYTICS_TABLES = ["results", "agreement", "comparisons", "judges"] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

export const TABLE_COLUMNS: Record<AnalyticsTable, string[]> = {
  results: ["measure", "group", "key", "strategy", "checkpoint_id", "k", "n", "rate", "ci_low", "ci_high", "ci_method"],
  agreement: [
    "field",
    "group",
    "key",
    "reviewers",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "kappa",
    "kappa_ci_low",
    "kappa_ci_high",
    "n",
  ],
  comparisons: [
    "measure",
    "group",
    "a",
    "b",
    "strategy_a",
    "strategy_b",
    "difference",
    "n",
    "test",
    "p",
    "p_adjusted",
    "significant",
  ],
  judges: [
    "judge",
    "rubric",
    "question",
    "compared",
    "agreement",
    "precision",
    "recall",
    "f1",
    "tp",
    "fp",
    "fn",
    "tn",
    "ties",
  ],
};

const FIELD_NAMES: Record<string, string> = {
  harmSeverity: "harm_severity",
  reasoningQuality: "reasoning_quality",
  refusal: "refusal",
  languageMixing: "language_mixing",
  rewardHacking: "reward_hacking",
};

export function analyticsRows(data: StudyAnalytics): AnalyticsRows {
  const checkpointName = new Map(data.checkpoints.map((c) => [c.id, c.name]));
  const nameOf = (id: number) => checkpointName.get(id) ?? String(id);
  const reviewerEmail = new Map(data.reviewers.map((r) => [r.id, r.email]));

  const grouped = (rates: FailureRate[], group: "category" | "split"): ResultRow[] =>
    rates.map((r) => ({
      measure: MEASURE_NAMES[r.kind],
      group,
      key: r.group,
      strategy: r.strategy,
      checkpoint_id: null,
      k: r.failures,
      n: r.n,
      rate: r.rate,
      ci_low: r.lower,
      ci_high: r.upper,
      ci_method: "wilson",
    }));
  const results: ResultRow[] = [
    ...data.overall.map(
      (r): ResultRow => ({
        measure: MEASURE_NAMES[r.kind],
        group: "strategy",
        key: r.strategy,
        strategy: r.strategy,
        checkpoint_id: null,
        k: r.failures,
        n: r.n,
        rate: r.rate,
        ci_low: r.lower,
        ci_high: r.upper,
        ci_method: "clustered",
      }),
    ),
    ...data.checkpointRates.map(
      (r): ResultRow => ({
        measure: MEASURE_NAMES[r.kind],
        group: "checkpoint",
        key: nameOf(r.checkpointId),
        strategy: r.strategy,
        checkpoint_id: r.checkpointId,
        k: r.failures,
        n: r.n,
        rate: r.rate,
        ci_low: r.lower,
        ci_high: r.upper,
        ci_method: "clustered",
      }),
    ),
    ...grouped(data.byCategory, "category"),
    ...grouped(data.bySplit, "split"),
  ];

  const scopeRows = (
    field: string,
    group: AgreementRow["group"],
    key: string | null,
    scope: ScopeAgreement,
  ): AgreementRow[] => [
    {
      field,
      group,
      key,
      reviewers: null,
      alpha: scope.alpha,
      alpha_ci_low: scope.alphaLower,
      alpha_ci_high: scope.alphaUpper,
      kappa: null,
      kappa_ci_low: null,
      kappa_ci_high: null,
      n: scope.values,
    },
    ...scope.pairs.map((p) => ({
      field,
      group,
      key,
      reviewers: `${reviewerEmail.get(p.reviewerA) ?? p.reviewerA} | ${reviewerEmail.get(p.reviewerB) ?? p.reviewerB}`,
      alpha: null,
      alpha_ci_low: null,
      alpha_ci_high: null,
      kappa: p.kappa,
      kappa_ci_low: p.kappaLower,
      kappa_ci_high: p.kappaUpper,
      n: p.n,
    })),
  ];
  const agreement: AgreementRow[] = data.agreement.flatMap((f) => {
    const field = FIELD_NAMES[f.field] ?? f.field;
    return [
      ...scopeRows(field, "all", null, f),
      ...f.byCheckpoint.flatMap((c) => scopeRows(field, "checkpoint", nameOf(c.checkpointId), c)),
    ];
  });

  const comparisons: ComparisonRow[] = [
    ...data.differences.map(
      (d): ComparisonRow => ({
        measure: MEASURE_NAMES[d.kind],
        group: "strategy",
        a: d.a,
        b: d.b,
        strategy_a: d.a,
        strategy_b: d.b,
        difference: d.difference,
        n: d.prompts,
        test: d.test,
        p: d.pValue,
        p_adjusted: d.adjustedP,
        significant: d.significant,
      }),
    ),
    ...data.checkpointComparisons.map(
      (c): ComparisonRow => ({
        measure: MEASURE_NAMES[c.kind],
        group: "checkpoint",
        a: nameOf(c.a),
        b: nameOf(c.b),
        strategy_a: c.strategyA,
        strategy_b: c.strategyB,
        difference: c.onlyA - c.onlyB,
        n: c.pairs,
        test: c.test,
        p: c.pValue,
        p_adjusted: c.adjustedP,
        significant: c.significant,
      }),
    ),
  ];

  return {
    failure_definitions: data.failureDefinitions,
    basis: data.basis.used,
    basis_description: data.basis.description,
    adjudicated_responses: data.basis.adjudicatedResponses,
    results,
    agreement,
    comparisons,
    pooling_warnings: data.poolingWarnings.map((w) => ({
      strategy: w.strategy,
      measure: MEASURE_NAMES[w.kind],
      a: nameOf(w.a),
      b: nameOf(w.b),
      p_adjusted: w.adjustedP,
    })),
    judges: data.judges.map((j) => ({
      judge: j.judge,
      rubric: j.rubric,
      question: j.description.slice(j.rubric.length + 2),
      compared: j.compared,
      agreement: j.agreement,
      precision: j.precision,
      recall: j.recall,
      f1: j.f1,
      tp: j.tp,
      fp: j.fp,
      fn: j.fn,
      tn: j.tn,
      ties: j.ties,
    })),
  };
}

/** One table of the rows as CSV (formula cells neutralised by toCsv). */
export function analyticsCsv(rows: AnalyticsRows, table: AnalyticsTable): string {
  return toCsv(TABLE_COLUMNS[table], rows[table] as unknown as Record<string, CsvValue>[]);
}
