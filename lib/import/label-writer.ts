// Writes the labels of one import batch inside the import's transaction, after the batch's
// responses: reviewers resolved (unknown ones become placeholder accounts that cannot sign in),
// each label attached to its response, inserted with multi-row INSERT … ON CONFLICT. One reviewer
// has one label per response: a label already stored for the same response and reviewer counts as
// present when identical and is a row error when it differs — an import never overwrites a label.
import { createHash } from "node:crypto";
import type pg from "pg";
import { join, param, raw, sql } from "../db/sql";
import { DIMENSIONS, LABEL_DIMENSIONS, type LabelDimension } from "../labels";
import { labelColumns, labelColumnsAsValues, labelsUnnest, labelValueParams } from "../labels/label-sql";
import type { ImportedLabel } from "./label-fields";
import type { LabelsOnlyRow, NormalizedRow, RowError } from "./types";

/** The rows whose labels are written: a response row (its response was just written) or a labels-only row. */
type LabelledRow = Pick<NormalizedRow, "line" | "promptKey" | "checkpoint" | "sampleIndex" | "context"> & {
  labels?: ImportedLabel[];
};

/** "task 12: " before a message about a row that came from a peer's task or record. */
const about = (row: { context?: string }) => (row.context !== undefined ? `${row.context}: ` : "");

/** Labels per INSERT: 14 parameters each (one per dimension and three more), well under PostgreSQL's 65,535. */
const INSERT_CHUNK = 2000;
/** Labels of this import remembered with their line, for "differs from line N" (bounded). */
const LINE_MEMORY_LIMIT = 100_000;
const REVIEWER_CACHE_LIMIT = 10_000;
const PLACEHOLDER_DOMAIN = "imported.invalid";

/** What two labels are compared on: every dimension, named in messages as files name it. */
type ComparedValues = Pick<ImportedLabel, LabelDimension>;

/** The judgement of a label, comparable: who gave it, when and in which version do not count. */
function judgement(label: ComparedValues): string[] {
  return LABEL_DIMENSIONS.map((d) => {
    const value = label[d];
    return JSON.stringify(Array.isArray(value) ? [...value].sort() : value);
  });
}

function differences(a: ComparedValues, b: ComparedValues): string[] {
  const x = judgement(a);
  const y = judgement(b);
  return LABEL_DIMENSIONS.filter((_, i) => x[i] !== y[i]).map((d) => DIMENSIONS[d].field);
}

/** How reviewers are matched: e-mail addresses case-insensitively, names case-insensitively among placeholders. */
export function reviewerKey(reviewer: string): string {
  return reviewer.includes("@") ? reviewer.toLowerCase() : `name:${reviewer.toLowerCase()}`;
}

/** The local part of a placeholder's synthetic address: the name in [a-z0-9-], or a hash of it. */
export function placeholderSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
  return slug !== "" ? slug : `reviewer-${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
}

interface Candidate {
  row: LabelledRow;
  label: ImportedLabel;
  responseId: number;
  reviewerId: number;
}

interface StoredLabel extends ComparedValues {
  response_id: number;
  reviewer_id: number;
  id: number;
  version: number;
  draft: boolean;
}

export class LabelWriter {
  inserted = 0;
  alreadyPresent = 0;
  /** Adjudicated labels (`adjudicated_<field>` columns) written, and those stored already the same. */
  adjudicationsInserted = 0;
  adjudicationsPresent = 0;
  placeholdersCreated = 0;
  private readonly reviewers = new Map<string, number>();
  private readonly insertedOnLine = new Map<string, number>();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly studyId: number,
    private readonly addError: (error: RowError) => void,
    /** True once no more errors can be listed: then checking and writing stop. */
    private readonly failed: () => boolean,
  ) {}

  /**
   * The labels of a batch whose responses are already written. A response row whose response is
   * missing had an error of its own; a labels-only row whose response is missing is an error here.
   */
  async writeBatch(responseRows: NormalizedRow[], labelsOnlyRows: LabelsOnlyRow[]): Promise<void> {
    // In file order, so that a repeat is reported on the later line.
    const rows: [LabelledRow, boolean][] = [
      ...responseRows.map((r): [LabelledRow, boolean] => [r, false]),
      ...labelsOnlyRows.map((r): [LabelledRow, boolean] => [r, true]),
    ].sort((a, b) => a[0].line - b[0].line);
    const responseIds = await this.responsesFor(rows);
    await this.resolveReviewers(rows);
    if (this.failed()) return;

    // One label per response and reviewer in the batch; a repeat must be identical.
    const candidates = new Map<string, Candidate>();
    const adjudications = new Map<number, { row: LabelledRow; label: ImportedLabel }>();
    for (const [row] of rows) {
      const responseId = responseIds.get(targetKey(row));
      if (responseId === undefined) continue;
      for (const label of row.labels ?? []) {
        if (label.adjudicated) {
          const earlier = adjudications.get(responseId);
          if (earlier === undefined) adjudications.set(responseId, { row, label });
          else this.compareAdjudication(row, label, earlier.label, `on line ${earlier.row.line}`);
          continue;
        }
        const reviewerId = this.reviewers.get(reviewerKey(label.reviewer));
        if (reviewerId === undefined)
          throw new Error(`The reviewer ${JSON.stringify(label.reviewer)} was not resolved.`);
        const key = `${responseId}:${reviewerId}`;
        const earlier = candidates.get(key);
        if (earlier === undefined) candidates.set(key, { row, label, responseId, reviewerId });
        else this.compareRepeat({ row, label, responseId, reviewerId }, earlier.label, earlier.row.line);
      }
    }
    if (this.failed()) return;
    if (adjudications.size > 0) await this.writeAdjudications(adjudications);
    if (this.failed() || candidates.size === 0) return;

    const list = [...candidates.values()];
    const notInserted: Candidate[] = [];
    for (let start = 0; start < list.length; start += INSERT_CHUNK) {
      notInserted.push(...(await this.insert(list.slice(start, start + INSERT_CHUNK))));
    }
    if (notInserted.length > 0) await this.compareWithStored(notInserted);
  }

  /** An adjudicated label met again (later in the file, or stored): the same, or an error naming what differs. */
  private compareAdjudication(row: LabelledRow, label: ImportedLabel, earlier: ComparedValues, where: string) {
    const differing = differences(label, earlier);
    if (differing.length === 0) {
      this.adjudicationsPresent += 1;
      return;
    }
    this.addError({
      line: row.line,
      field: label.reviewerField,
      message:
        `${about(row)}this response's adjudicated label differs from the one ${where} (${differing.join(", ")}); ` +
        "a response has one adjudicated label, and an import never overwrites one — clear it in Parallax first, or leave this row out",
    });
  }

  /** The batch's adjudicated labels: inserted (source IMPORT), or compared with the one stored. */
  private async writeAdjudications(adjudications: Map<number, { row: LabelledRow; label: ImportedLabel }>) {
    const list = [...adjudications];
    for (let start = 0; start < list.length; start += INSERT_CHUNK) {
      const chunk = list.slice(start, start + INSERT_CHUNK);
      const study = param(this.studyId);
      const rows = labelsUnnest(
        "a",
        chunk.map(([, { label }]) => label),
        [{ name: "response_id", type: "int", values: chunk.map(([responseId]) => responseId) }],
      );
      const written = await this.client.query<{ response_id: number }>(
        sql`INSERT INTO adjudication (response_id, study_id, source, ${labelColumns()}, created_at, updated_at)
         SELECT a.response_id, ${study}, 'IMPORT', ${rows.values}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
         FROM ${rows.from}
         ON CONFLICT (response_id) DO NOTHING RETURNING response_id`.toQuery(),
      );
      this.adjudicationsInserted += written.rowCount ?? 0;
      const inserted = new Set(written.rows.map((r) => r.response_id));
      const stored = chunk.filter(([responseId]) => !inserted.has(responseId));
      if (stored.length === 0) continue;
      const found = await this.client.query<ComparedValues & { response_id: number; source: string }>(
        sql`SELECT response_id, source, ${labelColumnsAsValues()}
         FROM adjudication WHERE response_id = ANY(${stored.map(([responseId]) => responseId)}::int[])`.toQuery(),
      );
      const byResponse = new Map(found.rows.map((r) => [r.response_id, r]));
      for (const [responseId, { row, label }] of stored) {
        const existing = byResponse.get(responseId);
        if (existing === undefined) continue; // cleared meanwhile: cannot happen under the import's lock
        this.compareAdjudication(
          row,
          label,
          existing,
          existing.source === "IMPORT" ? "imported earlier" : "set in Parallax",
        );
      }
    }
  }

  private compareRepeat(repeat: Candidate, earlier: ComparedValues, earlierLine: number | null) {
    const differing = differences(repeat.label, earlier);
    if (differing.length === 0) {
      this.alreadyPresent += 1;
      return;
    }
    this.addError({
      line: repeat.row.line,
      field: repeat.label.reviewerField,
      message:
        `${about(repeat.row)}reviewer ${JSON.stringify(repeat.label.reviewer)} labels this response differently ${earlierLine !== null ? `on line ${earlierLine}` : "earlier in this file"} ` +
        `(${differing.join(", ")}); a reviewer gives one label per response`,
    });
  }

  /** Response ids of the rows, by prompt key, checkpoint name and sample index; labels-only rows that miss one are errors. */
  private async responsesFor(rows: [LabelledRow, boolean][]): Promise<Map<string, number>> {
    const targets = new Map<string, LabelledRow>();
    for (const [row] of rows) if (!targets.has(targetKey(row))) targets.set(targetKey(row), row);
    const list = [...targets.values()];
    const found = await this.client.query<{
      i: string;
      prompt_id: number | null;
      checkpoint_id: number | null;
      response_id: number | null;
    }>(
      `SELECT k.i, p.id AS prompt_id, c.id AS checkpoint_id, r.id AS response_id
       FROM unnest($2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS k(prompt_key, checkpoint, sample_index, i)
       LEFT JOIN prompt p ON p.study_id = $1 AND p.key = k.prompt_key
       LEFT JOIN checkpoint c ON c.study_id = $1 AND c.name = k.checkpoint
       LEFT JOIN response r ON r.prompt_id = p.id AND r.checkpoint_id = c.id AND r.sample_index = k.sample_index`,
      [this.studyId, list.map((r) => r.promptKey), list.map((r) => r.checkpoint), list.map((r) => r.sampleIndex)],
    );
    const ids = new Map<string, number>();
    const missing = new Map<string, string>();
    for (const f of found.rows) {
      const row = list[Number(f.i) - 1]!;
      if (f.response_id !== null) ids.set(targetKey(row), f.response_id);
      else
        missing.set(
          targetKey(row),
          f.prompt_id === null
            ? `there is no prompt_id ${JSON.stringify(row.promptKey)} in this study`
            : f.checkpoint_id === null
              ? `there is no checkpoint ${JSON.stringify(row.checkpoint)} in this study`
              : `prompt_id ${JSON.stringify(row.promptKey)} has no response from checkpoint ${JSON.stringify(row.checkpoint)} with sample_index ${row.sampleIndex}`,
        );
    }
    for (const [row, labelsOnly] of rows) {
      const why = missing.get(targetKey(row));
      if (labelsOnly && why !== undefined) {
        this.addError({
          line: row.line,
          field: "prompt_id",
          message: `${about(row)}${why}; a row without prompt and response labels a response already in the study (or given earlier in this file)`,
        });
      }
    }
    return ids;
  }

  /** Fills the reviewer cache for the batch's reviewers, creating placeholders for unknown ones. */
  private async resolveReviewers(rows: [LabelledRow, boolean][]): Promise<void> {
    const names: string[] = [];
    for (const [row] of rows) for (const label of row.labels ?? []) if (!label.adjudicated) names.push(label.reviewer);
    await this.resolveReviewerNames(names);
  }

  /**
   * The ids of these reviewers (names or e-mail addresses), creating placeholders for unknown ones
   * (also used for the preferences of the import).
   */
  async reviewerIds(names: Iterable<string>): Promise<Map<string, number>> {
    const list = [...names];
    await this.resolveReviewerNames(list);
    const ids = new Map<string, number>();
    for (const name of list) {
      const id = this.reviewers.get(reviewerKey(name));
      if (id === undefined) throw new Error(`The reviewer ${JSON.stringify(name)} was not resolved.`);
      ids.set(name, id);
    }
    return ids;
  }

  private async resolveReviewerNames(given: Iterable<string>): Promise<void> {
    const batch = new Map<string, string>();
    for (const name of given) if (!batch.has(reviewerKey(name))) batch.set(reviewerKey(name), name);
    let unknown = [...batch].filter(([key]) => !this.reviewers.has(key));
    if (unknown.length === 0) return;
    // Bounded: start afresh when full, resolving every reviewer of this batch again.
    if (this.reviewers.size + unknown.length > REVIEWER_CACHE_LIMIT) {
      this.reviewers.clear();
      unknown = [...batch];
    }
    const emails = new Map(unknown.filter(([, reviewer]) => reviewer.includes("@")));
    const names = new Map(unknown.filter(([, reviewer]) => !reviewer.includes("@")));
    if (emails.size > 0) await this.resolveEmails(emails);
    if (names.size > 0) await this.resolveNames(names);
  }

  private async resolveEmails(emails: Map<string, string>): Promise<void> {
    const find = async (keys: string[]) => {
      // The oldest account when several differ only in case.
      const found = await this.client.query<{ key: string; id: number }>(
        `SELECT DISTINCT ON (lower(email)) lower(email) AS key, id FROM "user" WHERE lower(email) = ANY($1::text[]) ORDER BY lower(email), id`,
        [keys],
      );
      for (const r of found.rows) this.reviewers.set(r.key, r.id);
    };
    await find([...emails.keys()]);
    const unknown = [...emails].filter(([key]) => !this.reviewers.has(key));
    if (unknown.length === 0) return;
    const created = await this.client.query<{ key: string; id: number }>(
      `INSERT INTO "user" (email, role, placeholder, disabled, created_at, updated_at)
       SELECT e, 'REVIEWER', true, true, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' FROM unnest($1::text[]) AS e
       ON CONFLICT (email) DO NOTHING RETURNING lower(email) AS key, id`,
      [unknown.map(([, email]) => email)],
    );
    this.placeholdersCreated += created.rowCount ?? 0;
    for (const r of created.rows) this.reviewers.set(r.key, r.id);
    // Created meanwhile by a concurrent import (into another study).
    const left = unknown.filter(([key]) => !this.reviewers.has(key)).map(([key]) => key);
    if (left.length > 0) await find(left);
  }

  /**
   * A bare name is an existing placeholder with that name, or a new one with a synthetic address
   * `<slug>@imported.invalid` (`<slug>-2@…` when the address is taken by someone else).
   */
  private async resolveNames(names: Map<string, string>): Promise<void> {
    const existing = await this.client.query<{ key: string; id: number }>(
      `SELECT DISTINCT ON (lower(name)) 'name:' || lower(name) AS key, id FROM "user"
       WHERE placeholder AND lower(name) = ANY($1::text[]) ORDER BY lower(name), id`,
      [[...names.keys()].map((key) => key.slice(5))],
    );
    for (const r of existing.rows) this.reviewers.set(r.key, r.id);
    for (const [key, name] of names) {
      if (this.reviewers.has(key)) continue;
      const slug = placeholderSlug(name);
      for (let attempt = 1; ; attempt++) {
        if (attempt > 1000) throw new Error(`Could not find a free placeholder address for reviewer "${name}".`);
        const email = `${attempt === 1 ? slug : `${slug}-${attempt}`}@${PLACEHOLDER_DOMAIN}`;
        const created = await this.client.query<{ id: number }>(
          `INSERT INTO "user" (email, name, role, placeholder, disabled, created_at, updated_at)
           VALUES ($1, $2, 'REVIEWER', true, true, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
           ON CONFLICT (email) DO NOTHING RETURNING id`,
          [email, name],
        );
        if (created.rows[0]) {
          this.placeholdersCreated += 1;
          this.reviewers.set(key, created.rows[0].id);
          break;
        }
        // Taken: by this very placeholder (a concurrent import created it), or by someone else.
        const holder = await this.client.query<{ id: number; same: boolean }>(
          `SELECT id, placeholder AND lower(name) = lower($2) AS same FROM "user" WHERE email = $1`,
          [email, name],
        );
        if (holder.rows[0]?.same) {
          this.reviewers.set(key, holder.rows[0].id);
          break;
        }
      }
    }
  }

  /** Inserts a chunk; returns the candidates a label already existed for (response, reviewer). */
  private async insert(chunk: Candidate[]): Promise<Candidate[]> {
    const study = param(this.studyId);
    const now = raw("now() AT TIME ZONE 'UTC'");
    const tuples = chunk.map(({ label, responseId, reviewerId }) => {
      // Timestamps are UTC wall time, as Prisma writes them; created_at = submitted_at, as far as the file tells.
      const submittedAt = param(label.submittedAt);
      const submitted = sql`(coalesce(${submittedAt}::timestamptz, now()) AT TIME ZONE 'UTC')`;
      return sql`(${study}, ${responseId}::int, ${reviewerId}::int, ${labelValueParams(label)}, ${submitted}, ${submitted}, ${now}, 1, 'IMPORT')`;
    });
    const result = await this.client.query<{ response_id: number; reviewer_id: number }>(
      sql`INSERT INTO label (study_id, response_id, reviewer_id, ${labelColumns()}, submitted_at, created_at, updated_at, version, source)
       VALUES ${join(tuples)}
       ON CONFLICT (response_id, reviewer_id) DO NOTHING RETURNING response_id, reviewer_id`.toQuery(),
    );
    this.inserted += result.rowCount ?? 0;
    const written = new Set(result.rows.map((r) => `${r.response_id}:${r.reviewer_id}`));
    const byKey = new Map(chunk.map((c) => [`${c.responseId}:${c.reviewerId}`, c]));
    for (const key of written) {
      if (this.insertedOnLine.size < LINE_MEMORY_LIMIT) this.insertedOnLine.set(key, byKey.get(key)!.row.line);
    }
    return chunk.filter((c) => !written.has(`${c.responseId}:${c.reviewerId}`));
  }

  /** Labels that were already stored (before the import, or earlier in this file): identical, or an error. */
  private async compareWithStored(candidates: Candidate[]): Promise<void> {
    const stored = await this.client.query<StoredLabel>(
      sql`SELECT l.response_id, l.reviewer_id, l.id, l.version, l.submitted_at IS NULL AS draft, ${labelColumnsAsValues("l")}
       FROM label l JOIN unnest(${candidates.map((c) => c.responseId)}::int[], ${candidates.map((c) => c.reviewerId)}::int[])
            AS k(response_id, reviewer_id) USING (response_id, reviewer_id)`.toQuery(),
    );
    const byKey = new Map(stored.rows.map((r) => [`${r.response_id}:${r.reviewer_id}`, r]));
    for (const candidate of candidates) {
      const key = `${candidate.responseId}:${candidate.reviewerId}`;
      const label = byKey.get(key);
      if (label === undefined) continue; // deleted meanwhile: cannot happen under the import's lock
      const line = this.insertedOnLine.get(key);
      if (line !== undefined) {
        this.compareRepeat(candidate, label, line);
        continue;
      }
      const differing = differences(candidate.label, label);
      if (differing.length === 0 && !label.draft) {
        this.alreadyPresent += 1;
        continue;
      }
      this.addError({
        line: candidate.row.line,
        field: candidate.label.reviewerField,
        message:
          `${about(candidate.row)}reviewer ${JSON.stringify(candidate.label.reviewer)} already has ${label.draft ? "an unsubmitted (draft)" : "a different"} label for this response ` +
          `(label ${label.id}, version ${label.version}${differing.length > 0 ? `; differs in ${differing.join(", ")}` : ""}); ` +
          "an import never overwrites a label — leave this row out, or change the label in Parallax",
      });
    }
  }
}

function targetKey(row: LabelledRow): string {
  return `${row.promptKey}\u0000${row.checkpoint}\u0000${row.sampleIndex}`;
}
