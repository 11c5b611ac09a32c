"use server";
// A study's checkpoints after import: the guard (the study's researchers and admins), the form
// read, then lib/study/checkpoints.ts (one transaction each, logged).
import { revalidatePath } from "next/cache";
import { refused, type ActionState } from "@/lib/admin/action-state";
import { formFields } from "@/lib/admin/schemas";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { changeCheckpoint, CheckpointError, deleteCheckpoint, mergeCheckpoints } from "@/lib/study/checkpoints";

const id = (text: string | undefined) => (text && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : 0);
const optionalNumber = (text: string | undefined) =>
  text === undefined || text.trim() === "" ? null : /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;

function answer(error: unknown): ActionState {
  if (!(error instanceof CheckpointError)) throw error;
  return refused(error.message.replace(/^(confirm|name): /, ""));
}

export async function saveCheckpoint(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/checkpoints/actions.ts#saveCheckpoint",
    fields.study,
  );
  try {
    const changes = await changeCheckpoint(
      pool(),
      study.id,
      id(fields.checkpoint),
      { userId: user.id, label: user.email },
      {
        name: fields.name,
        strategy: fields.strategy,
        trainingStep: optionalNumber(fields.trainingStep),
        computeGpuHours: optionalNumber(fields.computeGpuHours),
      },
    );
    revalidatePath(`/studies/${study.slug}`, "layout");
    const said = Object.entries(changes).map(([field, c]) => `${field} ${c.from ?? "(none)"} → ${c.to ?? "(none)"}`);
    return { status: "done", message: said.length ? `Saved: ${said.join("; ")}.` : "Nothing changed." };
  } catch (error) {
    return answer(error);
  }
}

export async function removeCheckpoint(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/checkpoints/actions.ts#removeCheckpoint",
    fields.study,
  );
  try {
    const deleted = await deleteCheckpoint(
      pool(),
      study.id,
      id(fields.checkpoint),
      { userId: user.id, label: user.email },
      fields.confirm,
    );
    revalidatePath(`/studies/${study.slug}`, "layout");
    return {
      status: "done",
      message: `Deleted ${deleted.name}: ${deleted.responses} responses, ${deleted.labels} labels.`,
    };
  } catch (error) {
    return answer(error);
  }
}

export async function mergeCheckpoint(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  const { user, study } = await requireStudyAccess(
    "action:app/studies/[slug]/checkpoints/actions.ts#mergeCheckpoint",
    fields.study,
  );
  try {
    const merged = await mergeCheckpoints(pool(), study.id, id(fields.from), id(fields.into), {
      userId: user.id,
      label: user.email,
    });
    revalidatePath(`/studies/${study.slug}`, "layout");
    return {
      status: "done",
      message: `Merged ${merged.from} into ${merged.into}: ${merged.responses} responses moved.`,
    };
  } catch (error) {
    return answer(error);
  }
}
