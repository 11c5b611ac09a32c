// The responses of a study whose reviewers disagree (disagreement.ts), for the adjudication list:
// filtered by dimension, strategy, checkpoint and status, in keyset pages by response id (a study
// may have 100k+ labels: a page reads labels in response order and stops when it has enough).
import type pg from "pg";
import { raw, sql, type Sql } from "../db/sql";
import { DISAGREEMENT_DIMENSIONS, DISAGREEMENT_SQL, type DisagreementDimension } from "./disagreement";

export type AdjudicationStatus = "open" | "done" | "all";

export interface AdjudicationFilters {
  dimension?: DisagreementDimension;
  strategy?: string;
  checkpointId?: number;
  /** open: not adjudicated yet; done: adjudicated; all. */
  status: AdjudicationStatus;
}

export interface DisagreementRow {
  responseId: number;
  promptExcerpt: string;
  checkpoint: string;
  strategy: string;
  labels: number;
  dimensions: DisagreementDimension[];
  adjudicated: boolean;
}

export interface AdjudicationCounts {
  /** Disagreements (with the filters) not adjudicated yet. */
  open: number;
  /** Disagreements (with the filters) that have a final label. */
  done: number;
  /** Responses of the study with a final label, disagreement or not. */
  adjudicatedInStudy: number;
}

export const PAGE_SIZE = 50;

const anyDisagreement = DISAGREEMENT_DIMENSIONS.map((d) => DISAGREEMENT_SQL[d]).join(" OR ");

/** The disagreeing responses' ids and dimensions (labels grouped by response, in response order). */
function disagreementsSql(studyId: number, filters: AdjudicationFilters, range: Sql): Sql {
  const having = filters.dimension ? DISAGREEMENT_SQL[filters.dimension] : anyDisagreement;
  return sql`SELECT l.response_id, count(*)::int AS labels,
         ${raw(DISAGREEMENT_DIMENSIONS.map((d) => `${DISAGREEMENT_SQL[d]} AS "${d}"`).join(", "))}
    FROM label l
   WHERE l.study_id = ${studyId} AND l.submitted_at IS NOT NULL${range}
   GROUP BY l.response_id
  HAVING count(*) >= 2 AND (${raw(having)})`;
}

function responseFilterSql(filters: AdjudicationFilters): Sql {
  const parts: Sql[] = [];
  if (filters.strategy) parts.push(sql` AND c.strategy::text = ${filters.strategy}`);
  if (filters.checkpointId) parts.push(sql` AND c.id = ${filters.checkpointId}`);
  if (filters.status === "open") parts.push(sql` AND a.response_id IS NULL`);
  if (filters.status === "done") parts.push(sql` AND a.response_id IS NOT NULL`);
  return parts.reduce((all, part) => sql`${all}${part}`, sql``);
}

/** One page of disagreements after (or, `direction` "before", before) a response id. */
export async function disagreementPage(
  db: pg.Pool,
  studyId: number,
  filters: AdjudicationFilters,
  cursor: { after?: number; before?: number } = {},
  limit = PAGE_SIZE,
): Promise<DisagreementRow[]> {
  const range =
    cursor.before !== undefined
      ? sql` AND l.response_id < ${cursor.before}`
      : cursor.after !== undefined
        ? sql` AND l.response_id > ${cursor.after}`
        : sql``;
  const order = raw(cursor.before !== undefined ? "DESC" : "ASC");
  const query = sql`SELECT d.response_id AS "responseId", left(p.text, 160) AS "promptExcerpt", c.name AS checkpoint,
         c.strategy::text AS strategy, d.labels,
         ${raw(DISAGREEMENT_DIMENSIONS.map((dim) => `d."${dim}"`).join(", "))},
         a.response_id IS NOT NULL AS adjudicated
    FROM (${disagreementsSql(studyId, filters, range)}) d
    JOIN response r ON r.id = d.response_id
    JOIN prompt p ON p.id = r.prompt_id
    JOIN checkpoint c ON c.id = r.checkpoint_id
    LEFT JOIN adjudication a ON a.response_id = d.response_id
   WHERE true${responseFilterSql(filters)}
   ORDER BY d.response_id ${order}
   LIMIT ${limit}`.toQuery();
  const { rows } = await db.query<Omit<DisagreementRow, "dimensions"> & Record<DisagreementDimension, boolean>>(
    query.text,
    query.values,
  );
  const page = rows.map((row) => ({
    responseId: row.responseId,
    promptExcerpt: row.promptExcerpt,
    checkpoint: row.checkpoint,
    strategy: row.strategy,
    labels: row.labels,
    adjudicated: row.adjudicated,
    dimensions: DISAGREEMENT_DIMENSIONS.filter((d) => row[d]),
  }));
  return cursor.before !== undefined ? page.reverse() : page;
}

/** How many disagreements (with the filters, whatever the status) are open and adjudicated. */
export async function adjudicationCounts(
  db: pg.Pool,
  studyId: number,
  filters: AdjudicationFilters,
): Promise<AdjudicationCounts> {
  const query = sql`SELECT count(*) FILTER (WHERE a.response_id IS NULL)::int AS open,
         count(*) FILTER (WHERE a.response_id IS NOT NULL)::int AS done,
         (SELECT count(*)::int FROM adjudication WHERE study_id = ${studyId}) AS "adjudicatedInStudy"
    FROM (${disagreementsSql(studyId, filters, sql``)}) d
    ${filters.strategy || filters.checkpointId ? sql`JOIN response r ON r.id = d.response_id JOIN checkpoint c ON c.id = r.checkpoint_id` : sql``}
    LEFT JOIN adjudication a ON a.response_id = d.response_id
   WHERE true${responseFilterSql({ ...filters, status: "all" })}`.toQuery();
  const { rows } = await db.query<AdjudicationCounts>(query.text, query.values);
  return rows[0]!;
}
