// Setting and clearing a response's final (adjudicated) label: one transaction each, optimistic
// concurrency on the row's version (a save made from an outdated view is refused, never merged),
// and an audit_event row naming who did it. The adjudication table's triggers refresh the
// analytics' ADJUDICATED judgement in the same transaction.
import type pg from "pg";
import { z } from "zod";
import { sql } from "../db/sql";
import { labelFieldsSchema, type LabelValues } from "../labels";
import { labelAssignments, labelColumns, labelValueParams } from "../labels/label-sql";

/**
 * What a caller sends: every label dimension (the note included) and the version it saw — null
 * when the response had no adjudication then.
 */
export const adjudicationInputSchema = labelFieldsSchema.extend({
  version: z.number().int().positive().nullable(),
});
export type AdjudicationInput = z.infer<typeof adjudicationInputSchema>;

export const clearInputSchema = z.object({ version: z.number().int().positive() });

export interface Actor {
  userId: number | null;
  /** As audit_event shows it: the account's email. */
  label: string;
}

export type AdjudicationResult =
  | { ok: true; version: number }
  | { ok: false; reason: "not-found"; message: string }
  | { ok: false; reason: "stale"; message: string; currentVersion: number | null };

function stale(currentVersion: number | null): AdjudicationResult {
  return {
    ok: false,
    reason: "stale",
    currentVersion,
    message:
      currentVersion === null
        ? "Someone cleared this adjudication since you opened it: reload to see the response as it is now."
        : `Someone changed this adjudication since you opened it (now version ${currentVersion}): reload to see their label, then decide again.`,
  };
}

async function inTransaction<T>(db: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The response (of this study) locked for the change, with the study's slug; null when none. */
async function lockResponse(client: pg.PoolClient, studyId: number, responseId: number) {
  const { rows } = await client.query<{ slug: string; version: number | null }>(
    `SELECT s.slug, a.version FROM response r JOIN study s ON s.id = r.study_id
       LEFT JOIN adjudication a ON a.response_id = r.id
      WHERE r.id = $1 AND r.study_id = $2 FOR UPDATE OF r`,
    [responseId, studyId],
  );
  return rows[0] ?? null;
}

const notFound: AdjudicationResult = {
  ok: false,
  reason: "not-found",
  message: "This study has no such response.",
};

async function audit(
  client: pg.PoolClient,
  actor: Actor,
  studyId: number,
  slug: string,
  action: string,
  detail: unknown,
): Promise<void> {
  await client.query(
    `INSERT INTO audit_event (actor_id, actor, study_id, study_slug, action, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
    [actor.userId, actor.label, studyId, slug, action, JSON.stringify(detail)],
  );
}

/** Sets the final label of a response (source REVIEW: set in the app) when `version` is still current. */
export async function saveAdjudication(
  db: pg.Pool,
  studyId: number,
  responseId: number,
  actor: Actor,
  input: AdjudicationInput,
): Promise<AdjudicationResult> {
  const { version, ...values } = input;
  const label: LabelValues = { ...values, note: values.note?.trim() ? values.note : null };
  return inTransaction(db, async (client) => {
    // The response row's lock serialises saves of one response, the first one included.
    const found = await lockResponse(client, studyId, responseId);
    if (!found) return notFound;
    if (found.version !== version) return stale(found.version);
    const statement =
      version === null
        ? sql`INSERT INTO adjudication (response_id, study_id, adjudicator_id, source, ${labelColumns()}, updated_at)
             VALUES (${responseId}, ${studyId}, ${actor.userId}, 'REVIEW', ${labelValueParams(label)}, now()) RETURNING version`
        : sql`UPDATE adjudication SET adjudicator_id = ${actor.userId}, source = 'REVIEW', ${labelAssignments(label)},
                    version = version + 1, updated_at = now()
              WHERE response_id = ${responseId} AND study_id = ${studyId} RETURNING version`;
    const { rows } = await client.query<{ version: number }>(statement.toQuery());
    const saved = rows[0]!.version;
    await audit(client, actor, studyId, found.slug, "adjudication.save", {
      response: responseId,
      version: saved,
      label,
    });
    return { ok: true, version: saved };
  });
}

/** Removes a response's final label when `version` is still current: the reviewers' aggregate counts again. */
export async function clearAdjudication(
  db: pg.Pool,
  studyId: number,
  responseId: number,
  actor: Actor,
  version: number,
): Promise<AdjudicationResult> {
  return inTransaction(db, async (client) => {
    const found = await lockResponse(client, studyId, responseId);
    if (!found) return notFound;
    if (found.version !== version) return stale(found.version);
    await client.query("DELETE FROM adjudication WHERE response_id = $1", [responseId]);
    await audit(client, actor, studyId, found.slug, "adjudication.clear", { response: responseId, version });
    return { ok: true, version };
  });
}
