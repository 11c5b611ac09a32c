// The analytics API's and command line's options: the page's filters (parseUrlFilters, the same
// names and messages) plus the output format and, for CSV, which table.
import { z } from "zod";
import { ANALYTICS_TABLES, type AnalyticsTable } from "./analytics-rows";
import type { AnalyticsFilters } from "./filters";
import { parseUrlFilters, type SearchParams } from "./url-filters";

export interface AnalyticsRequest {
  format: "json" | "csv";
  table: AnalyticsTable;
  filters: AnalyticsFilters;
}

const optionsSchema = z.object({
  format: z.enum(["json", "csv"], { message: 'format must be "json" or "csv"' }).default("json"),
  table: z
    .enum(ANALYTICS_TABLES, { message: `table must be one of ${ANALYTICS_TABLES.join(", ")}` })
    .default("results"),
});

export function parseAnalyticsRequest(
  params: SearchParams,
): { ok: true; request: AnalyticsRequest } | { ok: false; errors: string[] } {
  const single = (name: string) => {
    const value = params[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const options = optionsSchema.safeParse({
    format: single("format") || undefined,
    table: single("table") || undefined,
  });
  const filters = parseUrlFilters(params);
  const errors = [
    ...(options.success ? [] : options.error.issues.map((i) => i.message)),
    ...(filters.ok ? [] : filters.errors),
  ];
  if (!options.success || !filters.ok) return { ok: false, errors };
  return { ok: true, request: { ...options.data, filters: filters.filters } };
}
