"use client";
// A study's checkpoints: one form per checkpoint (name, strategy, step, compute), its delete with
// the name typed out and the counts shown, and the merge of two. The server checks everything again.
import { useActionState } from "react";
import { mergeCheckpoint, removeCheckpoint, saveCheckpoint } from "@/app/studies/[slug]/checkpoints/actions";
import { FormMessage } from "@/components/admin/form-message";
import {
  dangerButton,
  inputClass,
  labelClass,
  primaryButton,
  secondaryButton,
  smallButton,
} from "@/components/ui/controls";
import { IDLE } from "@/lib/admin/action-state";

export interface CheckpointItem {
  id: number;
  name: string;
  strategy: string;
  trainingStep: number | null;
  computeGpuHours: number | null;
  responses: number;
  labelledResponses: number;
}

const STRATEGIES = ["SFT", "RL", "HYBRID", "BASE"];

export function CheckpointForm({ slug, checkpoint }: { slug: string; checkpoint: CheckpointItem }) {
  const [state, action, pending] = useActionState(saveCheckpoint, IDLE);
  const [deleteState, deleteAction, deleting] = useActionState(removeCheckpoint, IDLE);
  const prefix = `checkpoint-${checkpoint.id}`;
  return (
    <li className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4">
      <form
        action={action}
        aria-label={`Checkpoint ${checkpoint.name}`}
        className="grid gap-3 sm:grid-cols-[2fr_1fr_1fr_1fr_auto] sm:items-end"
      >
        <input type="hidden" name="study" value={slug} />
        <input type="hidden" name="checkpoint" value={checkpoint.id} />
        <div>
          <label htmlFor={`${prefix}-name`} className={labelClass}>
            Name <span className="font-normal text-zinc-500">(id {checkpoint.id})</span>
          </label>
          <input
            id={`${prefix}-name`}
            name="name"
            defaultValue={checkpoint.name}
            required
            maxLength={200}
            className={inputClass}
          />
        </div>
        <div>
          <label htmlFor={`${prefix}-strategy`} className={labelClass}>
            Strategy
          </label>
          <select id={`${prefix}-strategy`} name="strategy" defaultValue={checkpoint.strategy} className={inputClass}>
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${prefix}-step`} className={labelClass}>
            Training step
          </label>
          <input
            id={`${prefix}-step`}
            name="trainingStep"
            inputMode="numeric"
            defaultValue={checkpoint.trainingStep ?? ""}
            className={inputClass}
          />
        </div>
        <div>
          <label htmlFor={`${prefix}-gpu`} className={labelClass}>
            GPU hours
          </label>
          <input
            id={`${prefix}-gpu`}
            name="computeGpuHours"
            inputMode="decimal"
            defaultValue={checkpoint.computeGpuHours ?? ""}
            className={inputClass}
          />
        </div>
        <button type="submit" className={primaryButton} disabled={pending}>
          Save
        </button>
      </form>
      <FormMessage state={state} />
      <form
        action={deleteAction}
        aria-label={`Delete checkpoint ${checkpoint.name}`}
        className="flex flex-wrap items-end gap-3"
      >
        <input type="hidden" name="study" value={slug} />
        <input type="hidden" name="checkpoint" value={checkpoint.id} />
        <p className="basis-full text-sm text-zinc-600">
          Deleting removes its {checkpoint.responses} responses ({checkpoint.labelledResponses} labelled) and their
          labels.
        </p>
        <div>
          <label htmlFor={`${prefix}-confirm`} className={labelClass}>
            Type <code>{checkpoint.name}</code> to delete it
          </label>
          <input id={`${prefix}-confirm`} name="confirm" autoComplete="off" className={inputClass} />
        </div>
        <button type="submit" className={`${dangerButton} ${smallButton}`} disabled={deleting}>
          Delete checkpoint
        </button>
        <div className="basis-full">
          <FormMessage state={deleteState} />
        </div>
      </form>
    </li>
  );
}

export function MergeCheckpointsForm({ slug, checkpoints }: { slug: string; checkpoints: CheckpointItem[] }) {
  const [state, action, pending] = useActionState(mergeCheckpoint, IDLE);
  return (
    <form
      action={action}
      aria-label="Merge checkpoints"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-4"
    >
      <input type="hidden" name="study" value={slug} />
      <div>
        <label htmlFor="merge-from" className={labelClass}>
          Merge
        </label>
        <select id="merge-from" name="from" className={inputClass}>
          {checkpoints.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="merge-into" className={labelClass}>
          into
        </label>
        <select id="merge-into" name="into" defaultValue={checkpoints[1]?.id} className={inputClass}>
          {checkpoints.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={secondaryButton} disabled={pending}>
        Merge
      </button>
      <p className="basis-full text-sm text-zinc-600">
        For the same model imported under two names: its responses and their labels move to the second, and the first
        goes. Refused when both answered the same prompt (same sample).
      </p>
      <div className="basis-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
