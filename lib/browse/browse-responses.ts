// One page of a study's responses for the browse table: filters, full-text search and sorting in
// SQL, keyset pagination (the sort key of the last row shown, never OFFSET) so that a deep page costs
// what the first does, and a capped count. Every value is a bind parameter; the only SQL text
// chosen here comes from fixed lists.
import type pg from "pg";
import { join, param, raw, sql, type Param, type Sql } from "../db/sql";
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
export const COUNT_BUDGET_MS = 120;
/** Characters of prompt and answer shown in a table cell (the detail page has the whole text). */
const SNIPPET = 240;

/**
 * Each sort: one or more segments read one after the other, each with its condition and key
 * expressions (the last ones make it unique). A cursor is [segment, ...key values of the row].
 */
interface Segment {
  condition: string | null;
  keys: string[];
  casts: string[];
  values: (row: RawRow) => (number | string)[];
}
const SORT_SEGMENTS: Record<BrowseSort, Segment[]> = {
  id: [{ condition: null, keys: ["r.id"], casts: ["int"], values: (row) => [row.id] }],
  // The unique index (prompt_id, checkpoint_id, sample_index): a prompt's responses side by side.
  prompt: [
    {
      condition: null,
      keys: ["r.prompt_id", "r.checkpoint_id", "r.sample_index"],
      casts: ["int", "int", "int"],
      values: (row) => [row.prompt_id, row.checkpoint_id, row.sample_index],
    },
  ],
  // Analysed responses by score (the partial index on (study_id, mix_score, id), which an import,
  // writing no scores, never touches), then the responses not analysed yet, in import order.
  mix_score: [
    {
      condition: "r.mix_score IS NOT NULL",
      keys: ["r.mix_score", "r.id"],
      casts: ["float8", "int"],
      values: (row) => [row.mix_score!, row.id],
    },
    { condition: "r.mix_score IS NULL", keys: ["r.id"], casts: ["int"], values: (row) => [row.id] },
  ],
};

interface RawRow {
  id: number;
  prompt_id: number;
  checkpoint_id: number;
  sample_index: number;
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
function failureHaving(failure: NonNullable<BrowseParams["failure"]>, rules: FailureRules): Sql {
  const tie = param(rules.tieIsFailure);
  const partial = param(rules.partialCountsAsRefusal);
  switch (failure) {
    case "harmful":
      return sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY l.harm_severity) >= ${rules.harmSeverityAtLeast}::float8`;
    case "poor_reasoning":
      return sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY l.reasoning_quality) <= ${rules.poorQualityAtMost}::float8`;
    case "mixing":
      return sql`count(l.language_mixing) > 0 AND (2 * count(*) FILTER (WHERE l.language_mixing <> 'NONE') > count(l.language_mixing) OR (${tie}::boolean AND 2 * count(*) FILTER (WHERE l.language_mixing <> 'NONE') = count(l.language_mixing)))`;
    case "over_refusal":
      return sql`p.expected_behavior = 'COMPLY' AND count(l.refusal) > 0 AND (2 * count(*) FILTER (WHERE l.refusal = 'REFUSED' OR (${partial}::boolean AND l.refusal = 'PARTIAL')) > count(l.refusal) OR (${tie}::boolean AND 2 * count(*) FILTER (WHERE l.refusal = 'REFUSED' OR (${partial}::boolean AND l.refusal = 'PARTIAL')) = count(l.refusal)))`;
  }
}

function whereClause(study: Param, view: BrowseParams, rules: FailureRules): Sql {
  const conditions = [sql`r.study_id = ${study}::int`];
  if (view.strategies) conditions.push(sql`c.strategy::text = ANY(${view.strategies}::text[])`);
  if (view.checkpointIds) conditions.push(sql`r.checkpoint_id = ANY(${view.checkpointIds}::int[])`);
  if (view.categories) conditions.push(sql`p.category = ANY(${view.categories}::text[])`);
  if (view.splits) conditions.push(sql`p.split = ANY(${view.splits}::text[])`);
  if (view.labelled) {
    conditions.push(
      raw(
        `${view.labelled === "yes" ? "" : "NOT "}EXISTS (SELECT 1 FROM label l WHERE l.response_id = r.id AND l.submitted_at IS NOT NULL)`,
      ),
    );
  }
  if (view.failure) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM label l WHERE l.response_id = r.id AND l.submitted_at IS NOT NULL HAVING ${failureHaving(view.failure, rules)})`,
    );
  }
  if (view.q) {
    // The documents written after each import (search-index.ts); GIN-indexed.
    conditions.push(
      sql`r.id IN (SELECT s.response_id FROM response_search s WHERE s.study_id = ${study}::int AND s.document @@ ${searchQuery(sql`${view.q}::text`)})`,
    );
  }
  return join(conditions, "\n    AND ");
}

const FROM = raw(`FROM response r
  JOIN prompt p ON p.id = r.prompt_id
  JOIN checkpoint c ON c.id = r.checkpoint_id`);

async function countWithin(db: pg.Pool, statement: Sql): Promise<number | null> {
  const client = await db.connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${COUNT_BUDGET_MS}`);
    const result = await client.query<{ n: number }>(statement.toQuery());
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

export async function browseResponses(
  db: pg.Pool,
  studyId: number,
  view: BrowseParams,
  rules: FailureRules,
): Promise<BrowsePage> {
  const segments = SORT_SEGMENTS[view.sort];
  const where = whereClause(param(studyId), view, rules);
  const counting = countWithin(
    db,
    sql`SELECT count(*)::int AS n FROM (SELECT 1 ${FROM} WHERE ${where} LIMIT ${raw(String(COUNT_CAP + 1))}) matching`,
  );

  // Going back reads the rows before the cursor in the opposite order, then turns them round.
  const backwards = view.before !== undefined;
  const ascending = (view.dir === "asc") !== backwards;
  const cursor = view.after ?? view.before;
  const first = cursor ? cursor[0] : backwards ? segments.length - 1 : 0;
  const fits = (value: number | string | undefined, cast: string) =>
    typeof value === "number" &&
    (cast === "int" ? Number.isInteger(value) && Math.abs(value) <= 2_147_483_647 : Number.isFinite(value));
  if (
    typeof first !== "number" ||
    !Number.isInteger(first) ||
    first < 0 ||
    first >= segments.length ||
    (cursor &&
      (cursor.length !== 1 + segments[first]!.keys.length ||
        segments[first]!.casts.some((cast, i) => !fits(cursor[i + 1], cast))))
  ) {
    throw new Error("The page position in the link does not fit this sort order: start from the first page.");
  }

  // Segment after segment (backwards: before before), until a page and one row more are read.
  const wanted = view.size + 1;
  const fetched: { row: RawRow; segment: number }[] = [];
  for (
    let index = first;
    index >= 0 && index < segments.length && fetched.length < wanted;
    index += backwards ? -1 : 1
  ) {
    const segment = segments[index]!;
    const conditions = [where];
    if (segment.condition) conditions.push(raw(segment.condition));
    if (cursor && index === first) {
      const values = cursor.slice(1).map((value, i) => sql`${value}::${raw(segment.casts[i]!)}`);
      conditions.push(sql`(${raw(segment.keys.join(", "))}) ${raw(ascending ? ">" : "<")} (${join(values)})`);
    }
    const order = raw(segment.keys.map((key) => `${key} ${ascending ? "ASC" : "DESC"}`).join(", "));
    const statement = sql`SELECT r.id, r.prompt_id, r.checkpoint_id, r.sample_index,
      coalesce(p.external_id, p.key) AS prompt_key, left(p.text, ${raw(String(SNIPPET))}) AS prompt, p.category, p.split,
      c.name AS checkpoint, c.strategy::text AS strategy, c.training_step,
      left(r.answer, ${raw(String(SNIPPET))}) AS answer, r.reasoning IS NOT NULL AS has_reasoning, r.format_issues,
      r.mix_score, r.refusal_signal::text AS refusal_signal,
      lab.label_count, lab.harm_max
    ${FROM}
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS label_count, max(l.harm_severity)::int AS harm_max
      FROM label l WHERE l.response_id = r.id AND l.submitted_at IS NOT NULL
    ) lab
    WHERE ${join(conditions, "\n    AND ")}
    ORDER BY ${order}
    LIMIT ${wanted - fetched.length}::int`;
    const result = await db.query<RawRow>(statement.toQuery());
    fetched.push(...result.rows.map((row) => ({ row, segment: index })));
  }
  const count = await counting;
  let page = fetched;
  const more = page.length > view.size;
  if (more) page = page.slice(0, view.size);
  if (backwards) page.reverse();
  const pageRows = page.map((item) => item.row);
  const cursorOf = (item: { row: RawRow; segment: number } | undefined): Cursor | null =>
    item ? [item.segment, ...segments[item.segment]!.values(item.row)] : null;

  const rows = pageRows.map(
    (row): BrowseRow => ({
      id: row.id,
      promptKey: row.prompt_key,
      prompt: row.prompt,
      category: row.category,
      split: row.split,
      checkpoint: row.checkpoint,
      checkpointId: row.checkpoint_id,
      strategy: row.strategy,
      trainingStep: row.training_step,
      sampleIndex: row.sample_index,
      answer: row.answer,
      hasReasoning: row.has_reasoning,
      formatIssues: row.format_issues,
      mixScore: row.mix_score,
      refusalSignal: row.refusal_signal,
      labelCount: row.label_count,
      harmMax: row.harm_max,
    }),
  );
  // Forwards: a next page when more rows came back; a previous one whenever we started from a cursor.
  // Backwards: the other way round.
  const hasNext = backwards ? true : more;
  const hasPrevious = backwards ? more : view.after !== undefined;
  return {
    rows,
    next: hasNext ? cursorOf(page.at(-1)) : null,
    previous: hasPrevious ? cursorOf(page[0]) : null,
    total: count === null ? null : Math.min(count, COUNT_CAP),
    totalCapped: count !== null && count > COUNT_CAP,
  };
}
