// The adjudication list's URL: dimension (harm_severity, refusal, language_mixing,
// reasoning_quality), strategy, checkpoint, status (open — the default —, done, all) and the keyset
// cursor (after / before a response id). Unknown values are dropped rather than refused: the list
// is a view, and a stale bookmark should still open it.
import { z } from "zod";
import { DISAGREEMENT_DIMENSIONS, DISAGREEMENT_PARAM, type DisagreementDimension } from "./disagreement";
import type { AdjudicationFilters, AdjudicationStatus } from "./list";

export type ListSearchParams = Record<string, string | string[] | undefined>;

export interface AdjudicationListParams {
  filters: AdjudicationFilters;
  after?: number;
  before?: number;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const id = z.coerce.number().int().positive().max(2_147_483_647);
const STRATEGIES = ["SFT", "RL", "HYBRID", "BASE"];
const STATUSES: AdjudicationStatus[] = ["open", "done", "all"];

export function parseListParams(search: ListSearchParams): AdjudicationListParams {
  const dimensionParam = first(search.dimension);
  const dimension = DISAGREEMENT_DIMENSIONS.find((d) => DISAGREEMENT_PARAM[d] === dimensionParam);
  const strategy = first(search.strategy)?.toUpperCase();
  const checkpoint = id.safeParse(first(search.checkpoint));
  const status = STATUSES.find((s) => s === first(search.status)) ?? "open";
  const after = id.safeParse(first(search.after));
  const before = id.safeParse(first(search.before));
  const filters: AdjudicationFilters = { status };
  if (dimension) filters.dimension = dimension;
  if (strategy && STRATEGIES.includes(strategy)) filters.strategy = strategy;
  if (checkpoint.success) filters.checkpointId = checkpoint.data;
  return {
    filters,
    ...(after.success ? { after: after.data } : {}),
    ...(before.success && !after.success ? { before: before.data } : {}),
  };
}

/** The list's URL query for these filters (and a cursor), the defaults left out. */
export function listQuery(filters: AdjudicationFilters, cursor: { after?: number; before?: number } = {}): string {
  const query = new URLSearchParams();
  if (filters.dimension) query.set("dimension", DISAGREEMENT_PARAM[filters.dimension as DisagreementDimension]);
  if (filters.strategy) query.set("strategy", filters.strategy.toLowerCase());
  if (filters.checkpointId) query.set("checkpoint", String(filters.checkpointId));
  if (filters.status !== "open") query.set("status", filters.status);
  if (cursor.after) query.set("after", String(cursor.after));
  if (cursor.before) query.set("before", String(cursor.before));
  const text = query.toString();
  return text ? `?${text}` : "";
}
