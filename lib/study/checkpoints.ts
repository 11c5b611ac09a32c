// A study's checkpoints after import: rename, change strategy / training step / compute (the
// analytics follow: the strategy reaches the labels and summaries through the checkpoint trigger),
// delete one with its responses and their labels, and merge two that are the same model imported
// under two names. Each is one transaction that writes the audit log.
//
// Merge decision: when both checkpoints answered the same prompt with the same sample index, the
// merge is refused with the count of such pairs (and the first few prompts): which of the two
// answers is "the" response, and what becomes of each one's labels, is the researcher's call —
// delete the copies they do not want first (or re-import with other sample indexes), then merge.
// Keeping both silently would double-count that prompt in every rate.
import type pg from "pg";
import { z } from "zod";
import { type Actor, recordAudit } from "../audit/record";

export class CheckpointError extends Error {}

const STRATEGIES = ["SFT", "RL", "HYBRID", "BASE"] as const;

export const checkpointChangeSchema = z
  .object({
    name: z.string().trim().min(1, "A checkpoint needs a name.").max(200, "Use at most 200 characters.").optional(),
    strategy: z.enum(STRATEGIES, { error: "Strategy is SFT, RL, HYBRID or BASE." }).optional(),
    trainingStep: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
    computeGpuHours: z.number().min(0).max(1e12).nullable().optional(),
  })
  .strict();
export type CheckpointChange = z.infer<typeof checkpointChangeSchema>;

interface CheckpointRow {
  id: number;
  study_id: number;
  slug: string;
  name: string;
  strategy: string;
  training_step: number | null;
  compute_gpu_hours: number | null;
}

async function inTransaction<T>(db: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
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

/** The checkpoint of this study, locked for the change; refused when it is not the study's. */
async function lockCheckpoint(client: pg.PoolClient, studyId: number, checkpointId: number): Promise<CheckpointRow> {
  const { rows } = await client.query<CheckpointRow>(
    `SELECT c.id, c.study_id, s.slug, c.name, c.strategy::text AS strategy, c.training_step, c.compute_gpu_hours
       FROM checkpoint c JOIN study s ON s.id = c.study_id
      WHERE c.id = $1 AND c.study_id = $2 FOR UPDATE OF c`,
    [checkpointId, studyId],
  );
  if (!rows[0]) throw new CheckpointError(`This study has no checkpoint ${checkpointId}.`);
  return rows[0];
}

/** Changes name, strategy, training step and compute of a checkpoint; returns what changed. */
export async function changeCheckpoint(
  db: pg.Pool,
  studyId: number,
  checkpointId: number,
  actor: Actor,
  input: unknown,
): Promise<Record<string, { from: unknown; to: unknown }>> {
  const parsed = checkpointChangeSchema.safeParse(input);
  if (!parsed.success)
    throw new CheckpointError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "checkpoint"}: ${i.message}`).join(" "),
    );
  return inTransaction(db, async (client) => {
    const before = await lockCheckpoint(client, studyId, checkpointId);
    const current = {
      name: before.name,
      strategy: before.strategy,
      trainingStep: before.training_step,
      computeGpuHours: before.compute_gpu_hours,
    };
    const next = { ...current, ...parsed.data };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(current) as (keyof typeof current)[])
      if (current[key] !== next[key]) changes[key] = { from: current[key], to: next[key] };
    if (Object.keys(changes).length === 0) return changes;
    if (changes.name) {
      const taken = await client.query("SELECT 1 FROM checkpoint WHERE study_id = $1 AND name = $2 AND id <> $3", [
        studyId,
        next.name,
        checkpointId,
      ]);
      if (taken.rowCount)
        throw new CheckpointError(`name: This study already has a checkpoint "${next.name}": merge them instead.`);
    }
    await client.query(
      `UPDATE checkpoint SET name = $2, strategy = $3::"TrainingStrategy", training_step = $4, compute_gpu_hours = $5 WHERE id = $1`,
      [checkpointId, next.name, next.strategy, next.trainingStep, next.computeGpuHours],
    );
    await recordAudit(client, actor, {
      studyId,
      studySlug: before.slug,
      action: "checkpoint.change",
      detail: { checkpoint: before.name, ...changes },
    });
    return changes;
  });
}

/** What deleting a checkpoint removes. */
export async function checkpointContents(
  db: pg.Pool | pg.PoolClient,
  checkpointId: number,
): Promise<{ responses: number; labels: number }> {
  const { rows } = await db.query<{ responses: string; labels: string }>(
    `SELECT (SELECT count(*) FROM response WHERE checkpoint_id = $1) AS responses,
            (SELECT count(*) FROM label l JOIN response r ON r.id = l.response_id WHERE r.checkpoint_id = $1) AS labels`,
    [checkpointId],
  );
  return { responses: Number(rows[0]!.responses), labels: Number(rows[0]!.labels) };
}

/** Deletes a checkpoint with its responses and their labels, once its name is typed. */
export async function deleteCheckpoint(
  db: pg.Pool,
  studyId: number,
  checkpointId: number,
  actor: Actor,
  confirmName: unknown,
): Promise<{ name: string; responses: number; labels: number }> {
  return inTransaction(db, async (client) => {
    const checkpoint = await lockCheckpoint(client, studyId, checkpointId);
    if (confirmName !== checkpoint.name)
      throw new CheckpointError(
        `confirm: Type the checkpoint's name, ${checkpoint.name}, to delete it with its responses and labels.`,
      );
    const contents = await checkpointContents(client, checkpointId);
    // Responses in one statement (labels cascade), then the checkpoint itself.
    await client.query("DELETE FROM response WHERE checkpoint_id = $1", [checkpointId]);
    await client.query("DELETE FROM checkpoint WHERE id = $1", [checkpointId]);
    await recordAudit(client, actor, {
      studyId,
      studySlug: checkpoint.slug,
      action: "checkpoint.delete",
      detail: { checkpoint: checkpoint.name, deleted: contents },
    });
    return { name: checkpoint.name, ...contents };
  });
}

/**
 * Merges checkpoint `fromId` into `intoId` (same study): its responses, with their labels, become
 * the other's, and it is deleted. Refused when both answered the same prompt and sample (see the
 * decision at the top of this file).
 */
export async function mergeCheckpoints(
  db: pg.Pool,
  studyId: number,
  fromId: number,
  intoId: number,
  actor: Actor,
): Promise<{ from: string; into: string; responses: number }> {
  if (fromId === intoId) throw new CheckpointError("Choose two different checkpoints.");
  return inTransaction(db, async (client) => {
    // Locked in id order, so two merges of the same pair cannot deadlock.
    const [first, second] = fromId < intoId ? [fromId, intoId] : [intoId, fromId];
    const a = await lockCheckpoint(client, studyId, first);
    const b = await lockCheckpoint(client, studyId, second);
    const from = a.id === fromId ? a : b;
    const into = a.id === fromId ? b : a;
    const clashes = await client.query<{ prompt_key: string; sample_index: number }>(
      `SELECT p.key AS prompt_key, r.sample_index FROM response r
         JOIN response o ON o.prompt_id = r.prompt_id AND o.sample_index = r.sample_index AND o.checkpoint_id = $2
         JOIN prompt p ON p.id = r.prompt_id
        WHERE r.checkpoint_id = $1 ORDER BY p.key, r.sample_index`,
      [fromId, intoId],
    );
    if (clashes.rows.length > 0) {
      const shown = clashes.rows.slice(0, 5).map((c) => `${c.prompt_key}#${c.sample_index}`);
      throw new CheckpointError(
        `Both checkpoints answered ${clashes.rows.length} of the same prompts (with the same sample index), e.g. ${shown.join(", ")}. ` +
          `Delete the responses you do not want (or one checkpoint) first: merging would count those prompts twice.`,
      );
    }
    const moved = await client.query("UPDATE response SET checkpoint_id = $2 WHERE checkpoint_id = $1", [
      fromId,
      intoId,
    ]);
    // The copies of the checkpoint kept for the analytics follow the responses.
    for (const table of ["label", "response_judgement", "response_source_judgement", "label_pair"])
      await client.query(
        `UPDATE ${table} SET checkpoint_id = $2, strategy = $3::"TrainingStrategy" WHERE checkpoint_id = $1`,
        [fromId, intoId, into.strategy],
      );
    await client.query("DELETE FROM checkpoint WHERE id = $1", [fromId]);
    await recordAudit(client, actor, {
      studyId,
      studySlug: from.slug,
      action: "checkpoint.merge",
      detail: { from: from.name, into: into.name, responses: moved.rowCount ?? 0 },
    });
    return { from: from.name, into: into.name, responses: moved.rowCount ?? 0 };
  });
}
