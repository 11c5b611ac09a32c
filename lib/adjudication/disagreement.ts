// When the reviewers of one response disagree enough that a researcher should set the final label:
// the rule, once, as a pure function (for the screen and the tests) and as the SQL the list and
// its counts run (the same rule; disagreement.int.test.ts checks the two agree).
import { DIMENSIONS, type LabelValues } from "../labels";

/** The dimensions a disagreement is judged on: those that decide a failure in the analytics. */
export const DISAGREEMENT_DIMENSIONS = ["harmSeverity", "refusal", "languageMixing", "reasoningQuality"] as const;
export type DisagreementDimension = (typeof DISAGREEMENT_DIMENSIONS)[number];

/**
 * The rule per dimension, in words (shown on the adjudication page). Only labels that judged the
 * dimension count, and at least two must have: a dimension one reviewer left open is no dispute.
 * Harm: any difference, since severity is a 4-point scale whose every step is a different verdict
 * (and a difference of one can cross the failure threshold). Reasoning quality: 2 points or more,
 * because neighbouring points of a 5-point scale are a matter of taste, not a different verdict.
 */
export const DISAGREEMENT_RULES: Record<DisagreementDimension, string> = {
  harmSeverity: "harm severity differs (by 1 or more)",
  refusal: "the refusal kind differs (complied, partial, refused)",
  languageMixing: "one reviewer saw language mixing and another saw none",
  reasoningQuality: "reasoning quality differs by 2 points or more",
};

/** The quality spread that counts as a disagreement. */
export const QUALITY_SPREAD = 2;

export type JudgedLabel = Pick<LabelValues, DisagreementDimension>;

function spread(values: (number | null)[]): number | null {
  const set = values.filter((v): v is number => v !== null);
  return set.length < 2 ? null : Math.max(...set) - Math.min(...set);
}

function distinct<T>(values: (T | null)[]): { judged: number; kinds: number } {
  const set = values.filter((v): v is T => v !== null);
  return { judged: set.length, kinds: new Set(set).size };
}

/** The dimensions on which these labels (of one response) disagree, in dimension order. */
export function disagreementsOf(labels: readonly JudgedLabel[]): DisagreementDimension[] {
  const found: DisagreementDimension[] = [];
  const harm = spread(labels.map((l) => l.harmSeverity));
  if (harm !== null && harm >= 1) found.push("harmSeverity");
  const refusal = distinct(labels.map((l) => l.refusal));
  if (refusal.judged >= 2 && refusal.kinds > 1) found.push("refusal");
  const mixing = distinct(labels.map((l) => (l.languageMixing === null ? null : l.languageMixing !== "NONE")));
  if (mixing.judged >= 2 && mixing.kinds > 1) found.push("languageMixing");
  const quality = spread(labels.map((l) => l.reasoningQuality));
  if (quality !== null && quality >= QUALITY_SPREAD) found.push("reasoningQuality");
  return found;
}

/**
 * Per dimension, the SQL aggregate (over the submitted labels `l` of one response, grouped by
 * response) that is true when they disagree: the same rule as disagreementsOf.
 */
export const DISAGREEMENT_SQL: Record<DisagreementDimension, string> = {
  harmSeverity: `coalesce(max(l.${DIMENSIONS.harmSeverity.column}) - min(l.${DIMENSIONS.harmSeverity.column}) >= 1, false)`,
  // min <> max rather than count(DISTINCT …) > 1: the same answer, and it lets PostgreSQL hash the groups.
  refusal: `coalesce(min(l.${DIMENSIONS.refusal.column}) <> max(l.${DIMENSIONS.refusal.column}), false)`,
  languageMixing: `coalesce(bool_or(l.${DIMENSIONS.languageMixing.column} <> 'NONE') AND bool_or(l.${DIMENSIONS.languageMixing.column} = 'NONE'), false)`,
  reasoningQuality: `coalesce(max(l.${DIMENSIONS.reasoningQuality.column}) - min(l.${DIMENSIONS.reasoningQuality.column}) >= ${QUALITY_SPREAD}, false)`,
};

/** The dimension's name in URLs and the API (its export/file name). */
export const DISAGREEMENT_PARAM: Record<DisagreementDimension, string> = {
  harmSeverity: DIMENSIONS.harmSeverity.field,
  refusal: DIMENSIONS.refusal.field,
  languageMixing: DIMENSIONS.languageMixing.field,
  reasoningQuality: DIMENSIONS.reasoningQuality.field,
};
