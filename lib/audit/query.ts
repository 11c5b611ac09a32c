// Reading the audit log: newest first, in keyset pages over the index on (created_at DESC, id DESC)
// (or (study_slug, created_at DESC, id DESC) for one study), so that a page costs the same at the
// 100 000th event as at the first. (ORDER BY names e.id: a bare "id" would be the text column of the
// select list, which no index has.) Times are read and compared as PostgreSQL timestamp text (UTC, as
// the rows are written), never through JavaScript dates, so a cursor is exact to the millisecond.
import type pg from "pg";
import { empty, join, param, raw, type Sql, sql } from "../db/sql";
import { type AuditCursor, type AuditFilters, cursorText } from "./filters";
import { auditSummary, auditTarget } from "./describe";

export interface AuditEventRow {
  id: string;
  /** UTC, "2026-12-07T11:40:00.123". */
  at: string;
  actor: string;
  actorId: number | null;
  studyId: number | null;
  studySlug: string | null;
  action: string;
  /** Who or what the event is about: the member, checkpoint, user or token (or the study). */
  target: string;
  /** The details as one line of text. */
  summary: string;
  detail: unknown;
}

/** `%text%` for ILIKE, with the pattern's own characters taken literally. */
function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE clause of the filters (and the cursor), every value a parameter. */
export function auditWhere(filters: AuditFilters, before?: AuditCursor): Sql {
  const conditions: Sql[] = [];
  if (filters.actor) conditions.push(sql`actor ILIKE ${contains(filters.actor)}`);
  if (filters.action) conditions.push(sql`(action = ${filters.action} OR action LIKE ${`${filters.action}.%`})`);
  if (filters.study) conditions.push(sql`study_slug = ${filters.study}`);
  if (filters.from) conditions.push(sql`created_at >= ${filters.from}::date`);
  // The whole of the last day: before the next one starts.
  if (filters.to) conditions.push(sql`created_at < ${filters.to}::date + 1`);
  if (filters.q) {
    const pattern = param(contains(filters.q));
    conditions.push(sql`(detail::text ILIKE ${pattern} OR study_slug ILIKE ${pattern})`);
  }
  if (before) conditions.push(sql`(created_at, id) < (${before.at}::timestamp, ${before.id}::bigint)`);
  return conditions.length === 0 ? empty : sql`WHERE ${join(conditions, " AND ")}`;
}

/** One page of events, newest first. */
export function auditPageQuery(filters: AuditFilters, limit: number, before?: AuditCursor): Sql {
  return sql`SELECT id::text AS id, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS at, actor, actor_id AS "actorId",
       study_id AS "studyId", study_slug AS "studySlug", action, detail
  FROM audit_event e ${auditWhere(filters, before)}
 ORDER BY e.created_at DESC, e.id DESC
 LIMIT ${raw(String(Math.trunc(limit)))}`;
}

type StoredRow = Omit<AuditEventRow, "target" | "summary">;

function described(row: StoredRow): AuditEventRow {
  return { ...row, target: auditTarget(row), summary: auditSummary(row.detail) };
}

export interface AuditEventsPage {
  events: AuditEventRow[];
  /** The cursor of the next (older) page; null on the last page. */
  next: string | null;
}

/** A page of the log: one more row than shown is read to know whether another page follows. */
export async function listAuditEvents(
  db: pg.Pool | pg.PoolClient,
  filters: AuditFilters,
  page: { limit: number; before?: AuditCursor },
): Promise<AuditEventsPage> {
  const { rows } = await db.query<StoredRow>(auditPageQuery(filters, page.limit + 1, page.before).toQuery());
  const shown = rows.slice(0, page.limit).map(described);
  const last = shown.at(-1);
  return { events: shown, next: rows.length > page.limit && last ? cursorText({ at: last.at, id: last.id }) : null };
}

/** Every event the filters select, newest first, read a page at a time (for the export). */
export async function* allAuditEvents(
  db: pg.Pool,
  filters: AuditFilters,
  options: { pageSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<AuditEventRow> {
  const pageSize = options.pageSize ?? 1000;
  let before: AuditCursor | undefined;
  for (;;) {
    if (options.signal?.aborted) return;
    const { rows } = await db.query<StoredRow>(auditPageQuery(filters, pageSize, before).toQuery());
    for (const row of rows) yield described(row);
    if (rows.length < pageSize) return;
    const last = rows.at(-1)!;
    before = { at: last.at, id: last.id };
  }
}
