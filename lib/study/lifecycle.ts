// A study's life: create (its creator becomes its first researcher), archive and restore (hidden
// from the lists and the review queue, kept whole), delete (everything of it, in one transaction).
// Each is one transaction that also writes the audit log. Decisions: lib/study/README.md.
import type pg from "pg";
import { z } from "zod";
import { type Actor, recordAudit } from "../audit/record";
import { allowLongWork } from "../db/pool";
import { IMPORT_LOCK_NAMESPACE } from "../import/pipeline";
import { recordStudyCreated } from "./members";
import { studySettingsSchema } from "./settings";

export class StudyLifecycleError extends Error {}

export const studySlugField = z
  .string({ error: "Give the study a slug." })
  .trim()
  .min(1, "Give the study a slug, e.g. rl-vs-sft-2026.")
  .max(63, "A slug has at most 63 characters.")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "A slug is lower-case letters, digits and dashes, starting with a letter or digit.")
  // /studies/new is the page that creates studies.
  .refine((slug) => slug !== "new", "“new” is taken by the New study page; choose another slug.");

export const newStudySchema = studySettingsSchema.extend({ slug: studySlugField });
export type NewStudy = z.infer<typeof newStudySchema>;

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

function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "study"}: ${i.message}`).join(" ");
}

/**
 * Creates a study with its settings. The creator (an account) becomes its first researcher; from
 * the command line (no account) nobody is a member yet: an admin adds them.
 */
export async function createStudy(db: pg.Pool, actor: Actor, input: unknown): Promise<{ id: number; slug: string }> {
  const parsed = newStudySchema.safeParse(input);
  if (!parsed.success) throw new StudyLifecycleError(problems(parsed.error));
  const study = parsed.data;
  return inTransaction(db, async (client) => {
    const created = await client.query<{ id: number }>(
      `INSERT INTO study (slug, name, description, blind, overlap, harm_categories, show_signals, failure_rules, mixing_threshold, review_order, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now()) ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [
        study.slug,
        study.name,
        study.description,
        study.blind,
        study.overlap,
        study.harmCategories,
        study.showSignals,
        JSON.stringify(study.failureRules),
        study.mixingThreshold,
        study.reviewOrder,
      ],
    );
    const id = created.rows[0]?.id;
    if (id === undefined) throw new StudyLifecycleError(`slug: The slug "${study.slug}" is taken; choose another.`);
    const detail = { name: study.name, blind: study.blind, overlap: study.overlap };
    if (actor.userId !== null) await recordStudyCreated(client, id, study.slug, actor.userId, detail);
    else await recordAudit(client, actor, { studyId: id, studySlug: study.slug, action: "study.create", detail });
    return { id, slug: study.slug };
  });
}

/** Archives (true) or restores (false) a study; returns whether anything changed. */
export async function setStudyArchived(
  db: pg.Pool,
  studyId: number,
  actor: Actor,
  archived: boolean,
): Promise<boolean> {
  return inTransaction(db, async (client) => {
    const { rows } = await client.query<{ slug: string; archived_at: Date | null }>(
      "SELECT slug, archived_at FROM study WHERE id = $1 FOR NO KEY UPDATE",
      [studyId],
    );
    const study = rows[0];
    if (!study) throw new StudyLifecycleError("This study no longer exists.");
    if ((study.archived_at !== null) === archived) return false;
    await client.query(
      "UPDATE study SET archived_at = CASE WHEN $2 THEN now() AT TIME ZONE 'UTC' END, updated_at = now() WHERE id = $1",
      [studyId, archived],
    );
    // Leases of an archived study would hold prompts for nobody: give them back.
    if (archived) await client.query("DELETE FROM review_lease WHERE study_id = $1", [studyId]);
    await recordAudit(client, actor, {
      studyId,
      studySlug: study.slug,
      action: archived ? "study.archive" : "study.restore",
      detail: { archived: { from: !archived, to: archived } },
    });
    return true;
  });
}

export interface StudyContents {
  checkpoints: number;
  prompts: number;
  responses: number;
  /** Submitted and draft labels. */
  labels: number;
  members: number;
  imports: number;
}

/** What deleting the study would remove (shown before the typed confirmation). */
export async function studyContents(db: pg.Pool | pg.PoolClient, studyId: number): Promise<StudyContents> {
  const { rows } = await db.query<Record<keyof StudyContents, string>>(
    `SELECT (SELECT count(*) FROM checkpoint WHERE study_id = $1) AS checkpoints,
            (SELECT count(*) FROM prompt WHERE study_id = $1) AS prompts,
            (SELECT count(*) FROM response WHERE study_id = $1) AS responses,
            (SELECT count(*) FROM label WHERE study_id = $1) AS labels,
            (SELECT count(*) FROM study_member WHERE study_id = $1) AS members,
            (SELECT count(*) FROM import_job WHERE study_id = $1) AS imports`,
    [studyId],
  );
  const row = rows[0]!;
  return {
    checkpoints: Number(row.checkpoints),
    prompts: Number(row.prompts),
    responses: Number(row.responses),
    labels: Number(row.labels),
    members: Number(row.members),
    imports: Number(row.imports),
  };
}

/**
 * Deletes a study and everything in it, in one transaction, once `confirmSlug` repeats its slug.
 * Refuses while an import into it runs (that import holds the study's import lock). Reviewers
 * labelling it are waited for: their label writes hold a key-share lock on the study row, which the
 * delete's row lock waits for; writes that come after the delete find no study and are refused.
 * Only this study's rows are locked, so other studies' work goes on. The audit row keeps the slug
 * and what was deleted (its study_id becomes null with the study).
 */
export async function deleteStudy(
  db: pg.Pool,
  studyId: number,
  actor: Actor,
  confirmSlug: unknown,
): Promise<{ slug: string; deleted: StudyContents }> {
  // A reviewer's label insert checks its response's key before its study's: it can hold a response
  // that the delete's DELETE waits for while it waits for the study row the delete holds. PostgreSQL
  // ends one of the two; when that is the delete (rolled back whole), it runs again, and then waits
  // for the submission or finds its label refused.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await deleteStudyOnce(db, studyId, actor, confirmSlug);
    } catch (error) {
      if (attempt >= DELETE_ATTEMPTS || (error as { code?: string }).code !== DEADLOCK_DETECTED) throw error;
    }
  }
}

/** SQLSTATE 40P01. */
const DEADLOCK_DETECTED = "40P01";
const DELETE_ATTEMPTS = 3;

async function deleteStudyOnce(
  db: pg.Pool,
  studyId: number,
  actor: Actor,
  confirmSlug: unknown,
): Promise<{ slug: string; deleted: StudyContents }> {
  return inTransaction(db, async (client) => {
    const found = await client.query<{ slug: string }>("SELECT slug FROM study WHERE id = $1", [studyId]);
    const slug = found.rows[0]?.slug;
    if (!slug) throw new StudyLifecycleError("This study no longer exists.");
    if (confirmSlug !== slug)
      throw new StudyLifecycleError(`confirm: Type the study's slug, ${slug}, to delete it and everything in it.`);
    const free = await client.query<{ free: boolean }>("SELECT pg_try_advisory_xact_lock($1, $2) AS free", [
      IMPORT_LOCK_NAMESPACE,
      studyId,
    ]);
    if (!free.rows[0]!.free)
      throw new StudyLifecycleError("An import into this study is running: delete it when the import has finished.");
    // The study row itself: waits for labelling transactions in flight, and stops new ones.
    const locked = await client.query("SELECT 1 FROM study WHERE id = $1 FOR UPDATE", [studyId]);
    if (locked.rowCount === 0) throw new StudyLifecycleError("This study no longer exists.");
    // Counting and deleting a million responses' rows is not an interactive query (lib/db/pool.ts).
    await allowLongWork(client);
    const deleted = await studyContents(client, studyId);
    // Responses first in one statement (their labels, search documents and judgements cascade),
    // instead of one DELETE per prompt from the prompt trigger; then the study and what cascades.
    await client.query("DELETE FROM response WHERE study_id = $1", [studyId]);
    await client.query("DELETE FROM study WHERE id = $1", [studyId]);
    await recordAudit(client, actor, {
      studyId: null,
      studySlug: slug,
      action: "study.delete",
      detail: { deleted },
    });
    return { slug, deleted };
  });
}
