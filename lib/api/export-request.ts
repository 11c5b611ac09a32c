// GET /api/v1/studies/{slug}/export: the query string (format, shape, bom, reveal and the analytics
// page's filters) turned into an export request for lib/export, with messages naming the parameter.
import { z } from "zod";
import type { AnalyticsFilters } from "../analytics/filters";
import { parseUrlFilters, searchParamsRecord } from "../analytics/url-filters";
import { EXPORT_SHAPES, type ExportFormat, type ExportShape, judgeShapeFilterErrors } from "../export/export-query";

export interface ExportQuery {
  format: ExportFormat;
  shape: ExportShape;
  bom: boolean;
  /** Reviewer e-mail addresses instead of pseudonyms; the route allows it for admins only. */
  reveal: boolean;
  filters: AnalyticsFilters;
}

const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

const optionsSchema = z.object({
  format: z.enum(["csv", "jsonl"], { message: 'format must be "csv" or "jsonl"' }).default("csv"),
  shape: z.enum(EXPORT_SHAPES, { message: 'shape must be "labels", "responses" or "judge_labels"' }).default("labels"),
  bom: flag.default(false),
  reveal: flag.default(false),
});

export function parseExportQuery(
  params: URLSearchParams,
): { ok: true; query: ExportQuery } | { ok: false; errors: string[] } {
  const single = (name: string) => params.get(name) ?? undefined;
  const options = optionsSchema.safeParse({
    format: single("format"),
    shape: single("shape"),
    bom: single("bom"),
    reveal: single("reveal"),
  });
  const errors: string[] = options.success
    ? []
    : options.error.issues.map((issue) =>
        issue.message.includes(String(issue.path[0])) ? issue.message : `${String(issue.path[0])}: ${issue.message}`,
      );
  const filters = parseUrlFilters(searchParamsRecord(params));
  if (!filters.ok) errors.push(...filters.errors);
  else if (options.success && options.data.shape === "judge_labels")
    errors.push(...judgeShapeFilterErrors(filters.filters, (name) => name));
  else if (filters.filters.basis?.startsWith("judge:"))
    errors.push(
      "basis: the labels and responses shapes read human labels (adjudicated or reviewers); judges' labels are exported with shape=judge_labels.",
    );

  if (errors.length > 0 || !options.success || !filters.ok) return { ok: false, errors };
  return {
    ok: true,
    query: {
      ...options.data,
      filters: filters.filters,
    },
  };
}
