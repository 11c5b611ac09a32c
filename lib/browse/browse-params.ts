// The browse table's view as it lives in the URL (?strategy=RL&q=napalm&sort=mix_score&after=…):
// filters, search, sort and the keyset cursor, validated with messages that name the parameter.
import { z } from "zod";
import { TrainingStrategy } from "../db/generated/enums";

export const SORTS = ["id", "prompt", "mix_score"] as const;
export type BrowseSort = (typeof SORTS)[number];
export const FAILURES = ["harmful", "mixing", "poor_reasoning", "over_refusal"] as const;
export type BrowseFailure = (typeof FAILURES)[number];
export const PAGE_SIZES = [25, 50, 100] as const;

export const SORT_LABELS: Record<BrowseSort, string> = {
  id: "Import order",
  prompt: "Prompt, then checkpoint",
  mix_score: "Mixing score",
};
export const FAILURE_LABELS: Record<BrowseFailure, string> = {
  harmful: "Harmful",
  mixing: "Language mixing",
  poor_reasoning: "Poor reasoning",
  over_refusal: "Over-refusal",
};

/** A position in the sort order: the segment of the sort and the sort key of the last (or first) row shown. */
export type Cursor = (number | string)[];

export interface BrowseParams {
  strategies?: TrainingStrategy[];
  checkpointIds?: number[];
  categories?: string[];
  splits?: string[];
  labelled?: "yes" | "no";
  failure?: BrowseFailure;
  q?: string;
  sort: BrowseSort;
  dir: "asc" | "desc";
  /** Rows after this position (next page) or before it (previous page); neither: the first page. */
  after?: Cursor;
  before?: Cursor;
  size: (typeof PAGE_SIZES)[number];
}

/** The URL parameters of the view, in the order links write them. */
export const BROWSE_PARAMS = [
  "q",
  "strategy",
  "checkpoint",
  "category",
  "split",
  "labelled",
  "failure",
  "sort",
  "dir",
  "size",
  "after",
  "before",
] as const;
export type BrowseUrl = Partial<Record<(typeof BROWSE_PARAMS)[number], string>>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

const cursorSchema = z
  .array(z.union([z.number().finite(), z.string().max(200)]))
  .min(2)
  .max(4);

function decodeCursor(value: string): Cursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
const list = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);

export type ParsedBrowse =
  | { ok: true; params: BrowseParams; url: BrowseUrl }
  | { ok: false; errors: string[]; url: BrowseUrl };

export function parseBrowseParams(search: Record<string, string | string[] | undefined>): ParsedBrowse {
  const url: BrowseUrl = {};
  for (const name of BROWSE_PARAMS) {
    const values =
      name === "strategy" || name === "checkpoint" || name === "category" || name === "split"
        ? list(search[name])
        : [first(search[name])].filter((v): v is string => !!v);
    if (values.length) url[name] = values.join(",");
  }
  const errors: string[] = [];
  const strategies = list(search.strategy).map((v) => v.toUpperCase());
  if (strategies.some((s) => !(s in TrainingStrategy)))
    errors.push(`strategy must be one of SFT, RL, HYBRID, BASE (got "${strategies.join(", ")}").`);
  const checkpoints = list(search.checkpoint);
  if (checkpoints.some((v) => !/^[1-9]\d{0,8}$/.test(v)))
    errors.push(`checkpoint must be checkpoint numbers (got "${checkpoints.join(", ")}").`);
  const labelled = url.labelled;
  if (labelled && labelled !== "yes" && labelled !== "no")
    errors.push(`labelled must be yes or no (got "${labelled}").`);
  const failure = url.failure;
  if (failure && !(FAILURES as readonly string[]).includes(failure))
    errors.push(`failure must be one of ${FAILURES.join(", ")} (got "${failure}").`);
  const sort = url.sort ?? "id";
  if (!(SORTS as readonly string[]).includes(sort))
    errors.push(`sort must be one of ${SORTS.join(", ")} (got "${sort}").`);
  const dir = url.dir ?? (sort === "mix_score" ? "desc" : "asc");
  if (dir !== "asc" && dir !== "desc") errors.push(`dir must be asc or desc (got "${dir}").`);
  const size = Number(url.size ?? 50);
  if (!(PAGE_SIZES as readonly number[]).includes(size))
    errors.push(`size must be one of ${PAGE_SIZES.join(", ")} (got "${url.size}").`);
  const q = url.q;
  if (q && q.length > 200) errors.push("q (the search) can be at most 200 characters.");
  const after = url.after ? decodeCursor(url.after) : undefined;
  const before = url.before ? decodeCursor(url.before) : undefined;
  if ((url.after && !after) || (url.before && !before))
    errors.push("The page position in the link (after / before) is damaged: start from the first page.");
  if (after && before) errors.push("Give after or before, not both.");
  const tooLong = [...list(search.category), ...list(search.split)].some((v) => v.length > 200);
  if (tooLong) errors.push("category and split values can be at most 200 characters.");
  if (errors.length) return { ok: false, errors, url };

  const params: BrowseParams = {
    sort: sort as BrowseSort,
    dir: dir as "asc" | "desc",
    size: size as BrowseParams["size"],
  };
  if (strategies.length) params.strategies = strategies as TrainingStrategy[];
  if (checkpoints.length) params.checkpointIds = checkpoints.map(Number);
  const categories = list(search.category);
  if (categories.length) params.categories = categories;
  const splits = list(search.split);
  if (splits.length) params.splits = splits;
  if (labelled) params.labelled = labelled as "yes" | "no";
  if (failure) params.failure = failure as BrowseFailure;
  if (q) params.q = q;
  if (after) params.after = after;
  if (before) params.before = before;
  return { ok: true, params, url };
}

/** A link to the view with some parameters changed (undefined removes one). */
export function browseHref(base: string, url: BrowseUrl, changes: BrowseUrl = {}): string {
  const merged = { ...url, ...changes };
  const query = new URLSearchParams();
  for (const name of BROWSE_PARAMS) {
    const value = merged[name];
    if (value !== undefined && value !== "") query.set(name, value);
  }
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

/**
 * The list a response was opened from (its detail page's ?list=, the list's own query string),
 * rebuilt from the browse parameters only, so the way back keeps the search, filters and page and
 * nothing else; the plain list when the text is missing or not a valid view.
 */
export function listHrefFrom(base: string, list: string | string[] | undefined): string {
  const text = Array.isArray(list) ? list[0] : list;
  if (!text || text.length > 2000) return base;
  const search: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) (search[name] ??= []).push(value);
  const parsed = parseBrowseParams(search);
  return parsed.ok ? browseHref(base, parsed.url) : base;
}
