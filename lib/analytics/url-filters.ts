// The analytics filters as they appear in a page's URL (?strategy=RL&split=jailbreak&from=2026-11-01),
// turned into AnalyticsFilters through analyticsFiltersSchema, with readable messages for bad values.
import { analyticsFiltersSchema, type AnalyticsFilters } from "./filters";

export type SearchParams = Record<string, string | string[] | undefined>;

/** URL query parameters as the filter parser reads them (repeated ones as lists). */
export function searchParamsRecord(params: URLSearchParams): SearchParams {
  const record: SearchParams = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? values[0] : values;
  }
  return record;
}

/** The URL parameters the analytics page understands (the form's field names). */
export const FILTER_PARAMS = [
  "strategy",
  "checkpoint",
  "category",
  "split",
  "reviewer",
  "source",
  "from",
  "to",
  "basis",
] as const;

export type UrlFilterValues = Record<(typeof FILTER_PARAMS)[number], string[]>;

export type ParsedUrlFilters =
  | { ok: true; filters: AnalyticsFilters; values: UrlFilterValues }
  | { ok: false; errors: string[]; values: UrlFilterValues };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Non-empty values of each known parameter (an empty form field means "no filter"). */
function valuesOf(params: SearchParams): UrlFilterValues {
  const entries = FILTER_PARAMS.map((name) => {
    const raw = params[name];
    const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
      .map((v) => v.trim())
      .filter((v) => v !== "");
    return [name, list] as const;
  });
  return Object.fromEntries(entries) as UrlFilterValues;
}

/** A UTC calendar day; `to` days are inclusive, so they end at the next midnight. */
function parseDay(value: string, endOfDay: boolean): Date | undefined {
  if (!DAY.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return undefined;
  if (endOfDay) date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

export function parseUrlFilters(params: SearchParams): ParsedUrlFilters {
  const values = valuesOf(params);
  const errors: string[] = [];

  const reviewerIds = values.reviewer.map((v) => (/^\d{1,9}$/.test(v) ? Number(v) : Number.NaN));
  if (reviewerIds.some((id) => Number.isNaN(id)))
    errors.push(`reviewer must be a reviewer's number (got "${values.reviewer.join(", ")}").`);

  // Checkpoints by number, repeated or comma-separated (?checkpoint=3,4), as the export API takes them.
  const checkpoints = values.checkpoint
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  if (checkpoints.some((v) => !/^\d{1,9}$/.test(v) || Number(v) === 0))
    errors.push(`checkpoint must be checkpoint numbers (got "${checkpoints.join(", ")}").`);

  const sources = values.source.map((v) => v.toUpperCase());
  if (sources.length > 1) errors.push("source can be given once: review or import.");
  // A judge's name keeps its case (judge:GPT-judge); adjudicated / reviewers are read in any case.
  const bases = values.basis.map((v) => (/^judge:/i.test(v) ? `judge:${v.slice(6)}` : v.toLowerCase()));
  if (bases.length > 1) errors.push("basis can be given once: adjudicated, reviewers or judge:NAME.");

  const [from, to] = (["from", "to"] as const).map((name) => {
    if (values[name].length > 1) errors.push(`${name} can be given once.`);
    const value = values[name][0];
    if (value === undefined) return undefined;
    const date = parseDay(value, name === "to");
    if (!date) errors.push(`${name} must be a date as YYYY-MM-DD (got "${value}").`);
    return date;
  });
  if (from && to && from >= to) errors.push("from must be on or before to.");

  const parsed = analyticsFiltersSchema.safeParse({
    strategies: values.strategy.length ? values.strategy.map((v) => v.toUpperCase()) : undefined,
    checkpointIds:
      checkpoints.length && !errors.some((e) => e.startsWith("checkpoint")) ? checkpoints.map(Number) : undefined,
    categories: values.category.length ? values.category : undefined,
    splits: values.split.length ? values.split : undefined,
    reviewerIds: reviewerIds.length && errors.length === 0 ? reviewerIds : undefined,
    source: sources[0],
    from,
    to,
    basis: bases[0],
  });
  if (!parsed.success) {
    const names: Record<string, string> = {
      strategies: "strategy",
      checkpointIds: "checkpoint",
      categories: "category",
      splits: "split",
      reviewerIds: "reviewer",
    };
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      const name = names[field] ?? field;
      errors.push(
        name === "strategy"
          ? `strategy must be one of SFT, RL, HYBRID, BASE (got "${values.strategy.join(", ")}").`
          : name === "source"
            ? `source must be review or import (got "${values.source.join(", ")}").`
            : name === "basis"
              ? `basis must be adjudicated, reviewers or judge:NAME (got "${values.basis.join(", ")}").`
              : `${name}: ${issue.message}`,
      );
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: [...new Set(errors)], values };
  return { ok: true, filters: parsed.data, values };
}

/** The query string of a set of filter values (for links that keep the current view). */
export function filterQuery(values: UrlFilterValues): string {
  const query = new URLSearchParams();
  for (const name of FILTER_PARAMS) for (const value of values[name]) query.append(name, value);
  return query.toString();
}
