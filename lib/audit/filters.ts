// The audit log's filters, one zod schema for the page's query string, the API's and the command
// line's: who (part of the actor's email), what (an action or a family of them), which study (its
// slug, deleted studies included), when (a UTC date range, both ends included) and free text on
// the target (the member, checkpoint, user or token named in the event's details).
import { z } from "zod";

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ACTION = /^[a-z][a-z-]*(\.[a-z][a-z-]*)*$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A keyset cursor: the last event's time (UTC, milliseconds) and id, as the page links carry it. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})_(\d{1,19})$/;

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : typeof value === "string" ? value.trim() : value;

const optionalText = (field: string, max: number) =>
  z.preprocess(blankToUndefined, z.string().max(max, `${field}: at most ${max} characters.`).optional());

function validDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const day = (field: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(DAY, `${field}: a date as YYYY-MM-DD (UTC).`)
      .refine((value) => !DAY.test(value) || validDay(value), `${field}: not a date of the calendar.`)
      .optional(),
  );

export const auditFiltersSchema = z
  .object({
    actor: optionalText("actor", 200),
    action: z.preprocess(
      blankToUndefined,
      z
        .string()
        .max(64, "action: at most 64 characters.")
        .regex(ACTION, "action: an action such as study.delete, or a family such as study.member.")
        .optional(),
    ),
    study: z.preprocess(
      blankToUndefined,
      z.string().regex(SLUG, "study: a study's slug (lower-case letters, digits and dashes).").optional(),
    ),
    from: day("from"),
    to: day("to"),
    q: optionalText("q", 200),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "to: the range ends before it starts.", path: ["to"] });

export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export interface AuditCursor {
  /** created_at as PostgreSQL's timestamp text, UTC, milliseconds. */
  at: string;
  id: string;
}

export const auditPageSchema = z.object({
  before: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(CURSOR, "before: the cursor of a page link (time_id); start from the first page.")
      .transform((value): AuditCursor => {
        const match = CURSOR.exec(value)!;
        return { at: match[1]!, id: match[2]! };
      })
      .optional(),
  ),
  limit: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: "limit: a whole number from 1 to 500." })
      .int("limit: a whole number from 1 to 500.")
      .min(1, "limit: a whole number from 1 to 500.")
      .max(500, "limit: a whole number from 1 to 500.")
      .default(50),
  ),
});

export type AuditPage = z.infer<typeof auditPageSchema>;

export function cursorText(cursor: AuditCursor): string {
  return `${cursor.at}_${cursor.id}`;
}

const FILTER_KEYS = ["actor", "action", "study", "from", "to", "q"] as const;

/** The filters and page of a query string; errors name the parameter. */
export function parseAuditQuery(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): { ok: true; filters: AuditFilters; page: AuditPage } | { ok: false; errors: string[] } {
  const get = (key: string): string | undefined => {
    if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const raw: Record<string, string | undefined> = {};
  for (const key of [...FILTER_KEYS, "before", "limit"]) raw[key] = get(key);
  const filters = auditFiltersSchema.safeParse(raw);
  const page = auditPageSchema.safeParse(raw);
  const errors = [...(filters.error?.issues ?? []), ...(page.error?.issues ?? [])].map((issue) => issue.message);
  if (!filters.success || !page.success) return { ok: false, errors };
  return { ok: true, filters: filters.data, page: page.data };
}

/** The filters as query-string pairs (for page links and the CSV link), without empty ones. */
export function filterParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined) params.set(key, value);
  }
  return params;
}
