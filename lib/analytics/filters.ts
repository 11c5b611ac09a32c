// The filters every analytics question accepts (they live in the page's URL), validated with zod
// and turned into positional SQL parameters: four on labels, then four on responses.
import { z } from "zod";
import { TrainingStrategy } from "../db/generated/enums";

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
});

export type AnalyticsFilters = z.infer<typeof analyticsFiltersSchema>;

const orNull = <T>(values: T[] | undefined) => (values && values.length > 0 ? values : null);

/** Timestamps are stored as UTC wall time (timestamp without time zone). */
const utc = (date: Date | undefined) => (date ? date.toISOString().replace("T", " ").replace("Z", "") : null);

export function filterParams(filters: AnalyticsFilters): unknown[] {
  return [
    orNull(filters.reviewerIds),
    filters.source ?? null,
    utc(filters.from),
    utc(filters.to),
    orNull(filters.strategies),
    orNull(filters.checkpointIds),
    orNull(filters.categories),
    orNull(filters.splits),
  ];
}

/**
 * Conditions on the label `l` (or another alias), reading the four label filters from $first … $first+3.
 * The source is compared as the enum, so that the planner estimates the share of labels it keeps
 * from the column's statistics (a comparison as text is guessed at 0.5% of them, which made it
 * sort rather than hash).
 */
export function labelFilterSql(first: number, alias = "l"): string {
  return `($${first}::int[] IS NULL OR ${alias}.reviewer_id = ANY($${first}::int[]))
    AND ($${first + 1}::text IS NULL OR ${alias}.source = $${first + 1}::text::"LabelSource")
    AND ($${first + 2}::timestamp IS NULL OR ${alias}.submitted_at >= $${first + 2}::timestamp)
    AND ($${first + 3}::timestamp IS NULL OR ${alias}.submitted_at < $${first + 3}::timestamp)`;
}

/** Conditions on checkpoint `c` and prompt `p`, reading the four response filters from $first … $first+3. */
export function responseFilterSql(first: number): string {
  return `($${first}::text[] IS NULL OR c.strategy::text = ANY($${first}::text[]))
    AND ($${first + 1}::int[] IS NULL OR c.id = ANY($${first + 1}::int[]))
    AND ($${first + 2}::text[] IS NULL OR p.category = ANY($${first + 2}::text[]))
    AND ($${first + 3}::text[] IS NULL OR p.split = ANY($${first + 3}::text[]))`;
}

/**
 * The same four response filters on a label `l` (or a response_judgement row) alone, through the copies of its response's
 * checkpoint, strategy, prompt category and split that the label carries (no join with response).
 */
export function labelResponseFilterSql(first: number, alias = "l"): string {
  return `($${first}::text[] IS NULL OR ${alias}.strategy::text = ANY($${first}::text[]))
    AND ($${first + 1}::int[] IS NULL OR ${alias}.checkpoint_id = ANY($${first + 1}::int[]))
    AND ($${first + 2}::text[] IS NULL OR ${alias}.prompt_category = ANY($${first + 2}::text[]))
    AND ($${first + 3}::text[] IS NULL OR ${alias}.prompt_split = ANY($${first + 3}::text[]))`;
}

/** The four label filter parameters when a query does not read labels: all must be absent (NULL). */
export function noLabelFilterSql(first: number): string {
  return `$${first}::int[] IS NULL AND $${first + 1}::text IS NULL AND $${first + 2}::timestamp IS NULL AND $${first + 3}::timestamp IS NULL`;
}

/**
 * The label filters on one label of a stored pair `p` (label_pair: side "a" or "b"), reading them
 * from $first … $first+3; `source` false leaves the source out (its parameter is still typed).
 */
export function pairLabelFilterSql(first: number, side: "a" | "b", source = true): string {
  return `($${first}::int[] IS NULL OR p.reviewer_${side} = ANY($${first}::int[]))
    AND ${source ? `($${first + 1}::text IS NULL OR p.${side}_source = $${first + 1}::text::"LabelSource")` : `($${first + 1}::text IS NULL OR $${first + 1}::text IS NOT NULL)`}
    AND ($${first + 2}::timestamp IS NULL OR p.${side}_submitted_at >= $${first + 2}::timestamp)
    AND ($${first + 3}::timestamp IS NULL OR p.${side}_submitted_at < $${first + 3}::timestamp)`;
}
