// Writing one audit_event row: who (an account, or the command line), which study, what, and the
// change as { from, to } where there is one. Always inside the caller's transaction, so that a
// change and its record are written together or not at all.
import type pg from "pg";

/** Who makes a change: an account, or the command line. */
export interface Actor {
  userId: number | null;
  /** As shown in the log: the account's email, or "command line (root@host)". */
  label: string;
}

export interface AuditRecord {
  studyId: number | null;
  studySlug: string | null;
  /** e.g. "study.create", "study.member.add", "checkpoint.rename". */
  action: string;
  detail: Record<string, unknown>;
}

export async function recordAudit(client: pg.PoolClient, actor: Actor, record: AuditRecord): Promise<void> {
  await client.query(
    `INSERT INTO audit_event (actor_id, actor, study_id, study_slug, action, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
    [actor.userId, actor.label, record.studyId, record.studySlug, record.action, JSON.stringify(record.detail)],
  );
}

/** An account as an actor: its email as the label. */
export async function accountActor(client: pg.PoolClient | pg.Pool, userId: number): Promise<Actor> {
  const { rows } = await client.query<{ email: string }>('SELECT email FROM "user" WHERE id = $1', [userId]);
  return { userId, label: rows[0]?.email ?? `account ${userId}` };
}
