// The filters every analytics question accepts (they live in the page's URL), validated with zod
// and turned into positional SQL parameters: $4–$7 on labels, $8–$11 on responses.
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
