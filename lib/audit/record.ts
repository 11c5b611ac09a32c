// Writing one audit_event row: who (an account, or the command line), which study, what, and the
// change as { from, to } where there is one. Always inside the caller's transaction, so that a
// change and its record are written together or not at all.
import os from "node:os";
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

/** Anything that runs raw SQL: a Prisma client or the transaction client of $transaction. */
interface RawExecutor {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
}

/**
 * The same row from code that works through Prisma (users, API tokens), inside its transaction.
 * The actor's label is read in the same statement when only the account is known.
 */
export async function recordAuditPrisma(db: RawExecutor, actor: Actor | number, record: AuditRecord): Promise<void> {
  const detail = JSON.stringify(record.detail);
  if (typeof actor === "number") {
    await db.$executeRaw`
      INSERT INTO audit_event (actor_id, actor, study_id, study_slug, action, detail)
      SELECT (SELECT id FROM "user" WHERE id = ${actor}::int),
             coalesce((SELECT email FROM "user" WHERE id = ${actor}::int), 'account ' || ${actor}::int),
             ${record.studyId}::int, ${record.studySlug}::text, ${record.action}::text, ${detail}::jsonb`;
    return;
  }
  await db.$executeRaw`
    INSERT INTO audit_event (actor_id, actor, study_id, study_slug, action, detail)
    VALUES (${actor.userId}::int, ${actor.label}::text, ${record.studyId}::int, ${record.studySlug}::text, ${record.action}::text, ${detail}::jsonb)`;
}

/** The command line as an actor: the operating-system account and host that ran it. */
export function commandLineActor(): Actor {
  return { userId: null, label: `command line (${os.userInfo().username}@${os.hostname()})` };
}
