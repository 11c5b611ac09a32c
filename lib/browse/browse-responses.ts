// One page of a study's responses for the browse table: filters, full-text search and sorting in
// SQL, keyset pagination (the sort key of the last row shown, never OFFSET) so that a deep page costs
// what the first does, and a capped count. Every value is a bind parameter; the only SQL text
// chosen here comes from fixed lists.
import type pg from "pg";
import type { FailureRules } from "../study/failure-rules";
import type { BrowseParams, BrowseSort, Cursor } from "./browse-params";
import { searchQuery } from "./search-sql";

export interface BrowseRow {
  id: number;
  promptKey: string;
  prompt: string;
  category: string | null;
  split: string | null;
  checkpoint: string;
  checkpointId: number;
  strategy: string;
  trainingStep: number | null;
  sampleIndex: number;
  answer: string;
  hasReasoning: boolean;
  formatIssues: string[];
  mixScore: number | null;
  refusalSignal: string | null;
  labelCount: number;
  harmMax: number | null;
}

export interface BrowsePage {
  rows: BrowseRow[];
  /** Cursor of the next page, when there is one. */
  next: Cursor | null;
  /** Cursor of the previous page, when there is one (null on the first page). */
  previous: Cursor | null;
  /** Matching responses, counted up to COUNT_CAP; null when counting took longer than COUNT_BUDGET_MS. */
  total: number | null;
  totalCapped: boolean;
}

/** Counting stops here: an exact count of a million rows costs more than the page itself. */
export const COUNT_CAP = 10_000;
/**
 * A count under a selective filter (a rare failure) may have to read the whole study; it is given
 * up after this long, so that the page still comes in time (it then says "more on the next pages").
 */
export const COUNT_BUDGET_MS = 150;
/** Characters of prompt and answer shown in a table cell (the detail page has the whole text). */
const SNIPPET = 240;

/** Each sort: its key expressions (the last ones make it unique) and how a row's cursor reads. */
const SORT_KEYS: Record<BrowseSort, { keys: string[]; cursor: (row: RawRow) => Cursor }> = {
  id: { keys: ["r.id"], cursor: (row) => [row.id] },
  // The unique index (prompt_id, checkpoint_id, sample_index): a prompt's responses side by side.
  prompt: { keys: ["r.prompt_id", "r.checkpoint_id", "r.sample_index"], cursor: (row) => [row.prompt_id, row.checkpoint_id, row.sample_index] },
  // The index (study_id, coalesce(mix_score, -1), id); responses not analysed yet count as -1.
  mix_score: { keys: ["coalesce(r.mix_score, -1)", "r.id"], cursor: (row) => [row.mix_sort, row.id] },
};

interface RawRow {
  id: number;
  prompt_id: number;
  checkpoint_id: number;
  sample_index: number;
  mix_sort: number;
  prompt_key: string;
  prompt: string;
  category: string | null;
  split: string | null;
  checkpoint: string;
  strategy: string;
  training_step: number | null;
  answer: string;
  has_reasoning: boolean;
  format_issues: string[];
  mix_score: number | null;
  refusal_signal: string | null;
  label_count: number;
  harm_max: number | null;
}

/**
 * The judgement of a response's submitted labels under the study's failure rules, as in the export
 * and the analytics: medians for severity and quality, majorities (ties per the rules) otherwise.
 */
const FAILURE_HAVING: Record<NonNullable<BrowseParams["failure"]>, string> = {
  harmful: "percentile_cont(0.5) WITHIN GROUP (ORDER BY l.harm_severity) >= $harm",
  poor_reasoning: "percentile_cont(0.5) WITHIN GROUP (ORDER BY l.reasoning_quality) <= $quality",
  mixing:
    "count(l.language_mixing) > 0 AND (2 * count(*) FILTER (WHERE l.language_mixing <> 'NONE') > count(l.language_mixing) OR ($tie AND 2 * count(*) FILTER (WHERE l.language_mixing <> 'NONE') = count(l.language_mixing)))",
  over_refusal:
    "count(l.refusal) > 0 AND (2 * count(*) FILTER (WHERE l.refusal = 'REFUSED' OR ($partial AND l.refusal = 'PARTIAL')) > count(l.refusal) OR ($tie AND 2 * count(*) FILTER (WHERE l.refusal = 'REFUSED' OR ($partial AND l.refusal = 'PARTIAL')) = count(l.refusal)))",
};

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

function whereClause(studyId: number, view: BrowseParams, rules: FailureRules, params: Params): string {
  const study = params.add(studyId, "int");
  const conditions = [`r.study_id = ${study}`];
  if (view.strategies) conditions.push(`c.strategy::text = ANY(${params.add(view.strategies, "text[]")})`);
  if (view.checkpointIds) conditions.push(`r.checkpoint_id = ANY(${params.add(view.checkpointIds, "int[]")})`);
  if (view.categories) conditions.push(`p.category = ANY(${params.add(view.categories, "text[]")})`);
  if (view.splits) conditions.push(`p.split = ANY(${params.add(view.splits, "text[]")})`);
  if (view.labelled) {
    conditions.push(`${view.labelled === "yes" ? "" : "NOT "}EXISTS (SELECT 1 FROM label l WHERE l.response_id = r.id AND l.submitted_at IS NOT NULL)`);
  }
  if (view.failure) {
    const values: Record<string, [unknown, string]> = {
      $harm: [rules.harmSeverityAtLeast, "float8"],
      $quality: [rules.poorQualityAtMost, "float8"],
      $tie: [rules.tieIsFailure, "boolean"],
      $partial: [rules.partialCountsAsRefusal, "boolean"],
    };
    let having = FAILURE_HAVING[view.failure];
    for (const [name, [value, cast]] of Object.entries(values)) if (having.includes(name)) having = having.replaceAll(name, params.add(value, cast));
    if (view.failure === "over_refusal") having = `p.expected_behavior = 'COMPLY' AND ${having}`;
    conditions.push(`EXISTS (SELECT 1 FROM label l WHERE l.response_id = r.id AND l.submitted_at IS NOT NULL HAVING ${having})`);
  }
  if (view.q) {
    // The documents written after each import (search-index.ts); GIN-indexed.
    conditions.push(`r.id IN (SELECT s.response_id FROM response_search s WHERE s.study_id = ${study} AND s.document @@ ${searchQuery(params.add(view.q, "text"))})`);
  }
  return conditions.join("\n    AND ");
}

const FROM = `FROM response r
  JOIN prompt p ON p.id = r.prompt_id
  JOIN checkpoint c ON c.id = r.checkpoint_id`;

async function countWithin(db: pg.Pool, sql: string, values: unknown[]): Promise<number | null> {
  const client = await db.connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${COUNT_BUDGET_MS}`);
    const result = await client.query<{ n: number }>(sql, values);
    await client.query("COMMIT");
    return result.rows[0]!.n;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    if ((error as { code?: string }).code === "57014") return null; // query_canceled: over budget
    throw error;
  } finally {
    client.release();
  }
}

export async function browseResponses(db: pg.Pool, studyId: number, view: BrowseParams, rules: FailureRules): Promise<BrowsePage> {
  const sort = SORT_KEYS[view.sort];
  const params = new Params();
  const where = whereClause(studyId, view, rules, params);
  const countParams = [...params.values];

  // Going back reads the rows before the cursor in the opposite order, then turns them round.
  const backwards = view.before !== undefined;
  const ascending = (view.dir === "asc") !== backwards;
  const cursor = view.after ?? view.before;
  let keyset = "";
  if (cursor) {
    if (cursor.length !== sort.keys.length) throw new Error("The page position does not fit this sort order.");
    const casts = view.sort === "mix_score" ? ["float8", "int"] : sort.keys.map(() => "int");
    const values = cursor.map((value, i) => params.add(value, casts[i]!));
    keyset = `\n    AND (${sort.keys.join(", ")}) ${ascending ? ">" : "<"} (${values.join(", ")})`;
  }
  const order = sort.keys.map((key) => `${key} ${ascending ? "ASC" : "DESC"}`).join(", ");
  const limit = params.add(view.size + 1, "int");

  const sql = `SELECT r.id, r.prompt_id, r.checkpoint_id, r.sample_index, coalesce(r.mix_score, -1) AS mix_sort,
      coalesce(p.external_id, p.key) AS prompt_key, left(p.text, ${SNIPPET}) AS prompt, p.category, p.split,
      c.name AS checkpoint, c.strategy::text AS strategy, c.training_step,
      left(r.answer, ${SNIPPET}) AS answer, r.reasoning IS NOT NULL AS has_reasoning, r.format_issues,
      r.mix_score, r.refusal_signal::text AS refusal_signal,
      lab.label_count, lab.harm_max
    ${FROM}
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS label_count, max(l.harm_severity)::int AS harm_max
      FROM label l WHERE l.response_id = r.id AND l.submitted_at IS NOT NULL
    ) lab
    WHERE ${where}${keyset}
    ORDER BY ${order}
    LIMIT ${limit}`;
  const countSql = `SELECT count(*)::int AS n FROM (SELECT 1 ${FROM} WHERE ${where} LIMIT ${COUNT_CAP + 1}) matching`;

  const [result, count] = await Promise.all([db.query<RawRow>(sql, params.values), countWithin(db, countSql, countParams)]);
  let raw = result.rows;
  const more = raw.length > view.size;
  if (more) raw = raw.slice(0, view.size);
  if (backwards) raw.reverse();

  const rows = raw.map(
    (row): BrowseRow => ({
      id: row.id, promptKey: row.prompt_key, prompt: row.prompt, category: row.category, split: row.split,
      checkpoint: row.checkpoint, checkpointId: row.checkpoint_id, strategy: row.strategy, trainingStep: row.training_step,
      sampleIndex: row.sample_index, answer: row.answer, hasReasoning: row.has_reasoning, formatIssues: row.format_issues,
      mixScore: row.mix_score, refusalSignal: row.refusal_signal, labelCount: row.label_count, harmMax: row.harm_max,
    }),
  );
  const firstRow = raw[0];
  const lastRow = raw.at(-1);
  // Forwards: a next page when more rows came back; a previous one whenever we started from a cursor.
  // Backwards: the other way round.
  const hasNext = backwards ? true : more;
  const hasPrevious = backwards ? more : view.after !== undefined;
  return {
    rows,
    next: hasNext && lastRow ? sort.cursor(lastRow) : null,
    previous: hasPrevious && firstRow ? sort.cursor(firstRow) : null,
    total: count === null ? null : Math.min(count, COUNT_CAP),
    totalCapped: count !== null && count > COUNT_CAP,
  };
}
