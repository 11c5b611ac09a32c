// A study's members: who may see it and with which role (lib/study/access.ts reads them). Adding,
// changing and removing a member is one transaction that also writes the audit log. The rules
// (lib/study/README.md): a role in a study never exceeds the account's role; admins see every study
// and are never members; placeholder reviewers (known only from imported labels) cannot be added.
import type pg from "pg";
import { z } from "zod";
import { type Actor, recordAudit } from "../audit/record";
import type { Role, StudyRole } from "../db/generated/enums";
import { STUDY_ROLES } from "./access";

export class StudyMemberError extends Error {}

export const memberEmailField = z
  .string({ error: "Enter the person's email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter the person's email address.")
  .max(254, "That email address is too long.");

export const studyRoleField = z.enum(STUDY_ROLES, { error: "Choose a role in the study: researcher or reviewer." });

export const addMemberInput = z.object({ email: memberEmailField, role: studyRoleField });
export const removeMemberInput = z.object({ email: memberEmailField });

export interface StudyMemberRow {
  userId: number;
  email: string;
  name: string | null;
  accountRole: Role;
  role: StudyRole;
  disabled: boolean;
  addedAt: Date;
  addedBy: string | null;
}

/** Why an account cannot have this role in a study; null when it can. */
export function memberRefusal(account: { role: Role; placeholder: boolean }, role: StudyRole): string | null {
  if (account.placeholder)
    return "That reviewer is only known from imported labels and cannot sign in: invite them first.";
  if (account.role === "ADMIN") return "Admins see every study already; they are not added as members.";
  if (account.role === "REVIEWER" && role === "RESEARCHER")
    return "A reviewer account can only be a study's reviewer: an admin changes the account's role first.";
  return null;
}

export async function listMembers(db: pg.Pool | pg.PoolClient, studyId: number): Promise<StudyMemberRow[]> {
  const { rows } = await db.query<StudyMemberRow>(
    `SELECT u.id AS "userId", u.email, u.name, u.role::text AS "accountRole", m.role::text AS role, u.disabled,
            m.created_at AS "addedAt", a.email AS "addedBy"
       FROM study_member m JOIN "user" u ON u.id = m.user_id LEFT JOIN "user" a ON a.id = m.added_by_id
      WHERE m.study_id = $1
      ORDER BY m.role, u.email`,
    [studyId],
  );
  return rows;
}

async function inTransaction<T>(db: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  // A connection that fails its ROLLBACK (ended by the server, network gone) is not given back.
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The study row, locked against a concurrent delete (FOR NO KEY UPDATE: labelling goes on). */
async function lockStudy(client: pg.PoolClient, studyId: number): Promise<{ id: number; slug: string }> {
  const { rows } = await client.query<{ id: number; slug: string }>(
    "SELECT id, slug FROM study WHERE id = $1 FOR NO KEY UPDATE",
    [studyId],
  );
  if (!rows[0]) throw new StudyMemberError("This study no longer exists.");
  return rows[0];
}

/**
 * Adds an account to the study with a role, or changes the role of a member. Returns what happened:
 * "added", "changed" or "unchanged".
 */
export async function addMember(
  db: pg.Pool,
  studyId: number,
  actor: Actor,
  input: unknown,
): Promise<{ outcome: "added" | "changed" | "unchanged"; email: string; role: StudyRole }> {
  const parsed = addMemberInput.safeParse(input);
  if (!parsed.success) throw new StudyMemberError(parsed.error.issues.map((i) => i.message).join(" "));
  const { email, role } = parsed.data;
  return inTransaction(db, async (client) => {
    const study = await lockStudy(client, studyId);
    const account = await client.query<{ id: number; role: Role; placeholder: boolean }>(
      `SELECT id, role::text AS role, placeholder FROM "user" WHERE email = $1`,
      [email],
    );
    const user = account.rows[0];
    if (!user) throw new StudyMemberError(`There is no account ${email}: an admin creates it (with an invite) first.`);
    const refusal = memberRefusal(user, role);
    if (refusal) throw new StudyMemberError(refusal);
    const before = await client.query<{ role: StudyRole }>(
      "SELECT role::text AS role FROM study_member WHERE study_id = $1 AND user_id = $2 FOR UPDATE",
      [studyId, user.id],
    );
    const previous = before.rows[0]?.role ?? null;
    if (previous === role) return { outcome: "unchanged" as const, email, role };
    await client.query(
      `INSERT INTO study_member (study_id, user_id, role, added_by_id) VALUES ($1, $2, $3::"StudyRole", $4)
       ON CONFLICT (study_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
      [studyId, user.id, role, actor.userId],
    );
    await recordAudit(client, actor, {
      studyId,
      studySlug: study.slug,
      action: previous === null ? "study.member.add" : "study.member.role",
      detail: { member: email, role: { from: previous, to: role } },
    });
    return { outcome: previous === null ? ("added" as const) : ("changed" as const), email, role };
  });
}

/**
 * Removes a member. Their labels stay (they are the study's data); their leases in the study's
 * review queue are given back at once so that others can take those prompts.
 */
export async function removeMember(
  db: pg.Pool,
  studyId: number,
  actor: Actor,
  input: unknown,
): Promise<{ removed: boolean; email: string }> {
  const parsed = removeMemberInput.safeParse(input);
  if (!parsed.success) throw new StudyMemberError(parsed.error.issues.map((i) => i.message).join(" "));
  const { email } = parsed.data;
  return inTransaction(db, async (client) => {
    const study = await lockStudy(client, studyId);
    const gone = await client.query<{ role: StudyRole; user_id: number }>(
      `DELETE FROM study_member m USING "user" u
        WHERE m.study_id = $1 AND m.user_id = u.id AND u.email = $2
        RETURNING m.role::text AS role, m.user_id`,
      [studyId, email],
    );
    const row = gone.rows[0];
    if (!row) return { removed: false, email };
    await client.query("DELETE FROM review_lease WHERE study_id = $1 AND reviewer_id = $2", [studyId, row.user_id]);
    await recordAudit(client, actor, {
      studyId,
      studySlug: study.slug,
      action: "study.member.remove",
      detail: { member: email, role: { from: row.role, to: null } },
    });
    return { removed: true, email };
  });
}

/**
 * Inside the transaction that creates a study: its creator becomes its first researcher (a
 * reviewer account, its reviewer), and the creation is logged.
 */
export async function recordStudyCreated(
  client: pg.PoolClient,
  studyId: number,
  slug: string,
  creatorId: number,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const creator = await client.query<{ email: string; role: Role }>(
    `SELECT email, role::text AS role FROM "user" WHERE id = $1`,
    [creatorId],
  );
  const account = creator.rows[0];
  if (!account) return;
  if (account.role !== "ADMIN")
    await client.query(
      `INSERT INTO study_member (study_id, user_id, role, added_by_id) VALUES ($1, $2, $3::"StudyRole", $2)
       ON CONFLICT (study_id, user_id) DO NOTHING`,
      [studyId, creatorId, account.role === "RESEARCHER" ? "RESEARCHER" : "REVIEWER"],
    );
  await recordAudit(
    client,
    { userId: creatorId, label: account.email },
    { studyId, studySlug: slug, action: "study.create", detail },
  );
}
