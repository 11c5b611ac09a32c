// The filters every analytics question accepts (they live in the page's URL), validated with zod
// and turned into SQL parameters (lib/db/sql.ts) that the conditions below reference by name.
import { z } from "zod";
import { TrainingStrategy } from "../db/generated/enums";
import { param, raw, sql, type Param, type Sql } from "../db/sql";

const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).max(200).optional();

export const analyticsFiltersSchema = z.object({
  strategies: list(z.enum(Object.values(TrainingStrategy) as [TrainingStrategy, ...TrainingStrategy[]])),
  checkpointIds: list(z.number().int().positive()),
  categories: list(z.string().max(200)),
  splits: list(z.string().max(200)),
  reviewerIds: list(z.number().int().positive()),
  /** "REVIEW" for labels given here, "IMPORT" for imported ones; both when absent. */
  source: z.enum(["REVIEW", "IMPORT"]).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  /**
   * Which judgement a response counts with: its adjudicated label where it has one and its
   * reviewers' aggregate otherwise ("adjudicated", the default), or always the reviewers' aggregate
   * ("reviewers"). A reviewer, source or date filter selects reviewers' labels, so reads "reviewers".
   * "judge:<name>": the labels of the study's judge of that name (its current rubric version), never
   * mixed with human labels; reviewer, source and date filters do not apply to them.
   */
  basis: z
    .union([
      z.enum(["adjudicated", "reviewers"]),
      z.string().regex(/^judge:[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/, "basis judge:<name> names a judge of the study"),
    ])
    .optional(),
});

export type AnalyticsFilters = z.infer<typeof analyticsFiltersSchema>;

const orNull = <T>(values: T[] | undefined) => (values && values.length > 0 ? values : null);

/** Timestamps are stored as UTC wall time (timestamp without time zone). */
const utc = (date: Date | undefined) => (date ? date.toISOString().replace("T", " ").replace("Z", "") : null);

/** The filters as parameters, each referenced wherever a statement needs it (numbered once). */
export interface FilterParams {
  reviewers: Param;
  source: Param;
  from: Param;
  to: Param;
  strategies: Param;
  checkpoints: Param;
  categories: Param;
  splits: Param;
  /** The judge's name on a judge basis (judge:<name>), else null. */
  judge: Param;
}

/** The judge's name of a judge basis (`judge:<name>`), or null for a human basis. */
export function judgeOfBasis(filters: AnalyticsFilters): string | null {
  return filters.basis?.startsWith("judge:") ? filters.basis.slice("judge:".length) : null;
}

export function filterParams(filters: AnalyticsFilters): FilterParams {
  return {
    reviewers: param(orNull(filters.reviewerIds)),
    source: param(filters.source ?? null),
    from: param(utc(filters.from)),
    to: param(utc(filters.to)),
    strategies: param(orNull(filters.strategies)),
    checkpoints: param(orNull(filters.checkpointIds)),
    categories: param(orNull(filters.categories)),
    splits: param(orNull(filters.splits)),
    judge: param(judgeOfBasis(filters)),
  };
}

/** The study and the filters of one analytics statement. */
export interface AnalyticsParams extends FilterParams {
  study: Param;
}

export function analyticsParams(studyId: number, filters: AnalyticsFilters): AnalyticsParams {
  return { study: param(studyId), ...filterParams(filters) };
}

/**
 * Conditions on the label `l` (or another alias) from the four label filters.
 * The source is compared as the enum, so that the planner estimates the share of labels it keeps
 * from the column's statistics (a comparison as text is guessed at 0.5% of them, which made it
 * sort rather than hash).
 */
export function labelFilterSql(f: FilterParams, alias = "l"): Sql {
  const a = raw(alias);
  return sql`(${f.reviewers}::int[] IS NULL OR ${a}.reviewer_id = ANY(${f.reviewers}::int[]))
    AND (${f.source}::text IS NULL OR ${a}.source = ${f.source}::text::"LabelSource")
    AND (${f.from}::timestamp IS NULL OR ${a}.submitted_at >= ${f.from}::timestamp)
    AND (${f.to}::timestamp IS NULL OR ${a}.submitted_at < ${f.to}::timestamp)`;
}

/**
 * The same four response filters on a label `l` (or a response_judgement row) alone, through the copies of its response's
 * checkpoint, strategy, prompt category and split that the label carries (no join with response).
 */
export function labelResponseFilterSql(f: FilterParams, alias = "l"): Sql {
  const a = raw(alias);
  return sql`(${f.strategies}::text[] IS NULL OR ${a}.strategy::text = ANY(${f.strategies}::text[]))
    AND (${f.checkpoints}::int[] IS NULL OR ${a}.checkpoint_id = ANY(${f.checkpoints}::int[]))
    AND (${f.categories}::text[] IS NULL OR ${a}.prompt_category = ANY(${f.categories}::text[]))
    AND (${f.splits}::text[] IS NULL OR ${a}.prompt_split = ANY(${f.splits}::text[]))`;
}

/**
 * The label filters on one label of a stored pair `p` (label_pair: side "a" or "b"); `source`
 * false leaves the source out.
 */
export function pairLabelFilterSql(f: FilterParams, side: "a" | "b", source = true): Sql {
  const s = raw(side);
  return sql`(${f.reviewers}::int[] IS NULL OR p.reviewer_${s} = ANY(${f.reviewers}::int[]))
    AND ${source ? sql`(${f.source}::text IS NULL OR p.${s}_source = ${f.source}::text::"LabelSource")` : raw("TRUE")}
    AND (${f.from}::timestamp IS NULL OR p.${s}_submitted_at >= ${f.from}::timestamp)
    AND (${f.to}::timestamp IS NULL OR p.${s}_submitted_at < ${f.to}::timestamp)`;
}
