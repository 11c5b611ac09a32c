"use client";
// Archive / restore and delete on a study's settings page. Delete asks for the study's slug typed
// out and shows what will go with it; the server checks both again.
import { useActionState } from "react";
import { archiveStudy, deleteStudyForever } from "@/app/studies/[slug]/settings/actions";
import { FieldError, FormMessage } from "@/components/admin/form-message";
import { dangerButton, inputClass, labelClass, secondaryButton } from "@/components/ui/controls";
import { formatCount } from "@/components/ui/format";
import { IDLE } from "@/lib/admin/action-state";
import type { StudyContents } from "@/lib/study/lifecycle";

export function ArchiveStudyForm({ slug, archived }: { slug: string; archived: boolean }) {
  const [state, action, pending] = useActionState(archiveStudy, IDLE);
  return (
    <form action={action} aria-label={archived ? "Restore the study" : "Archive the study"} className="space-y-2">
      <input type="hidden" name="study" value={slug} />
      <input type="hidden" name="archived" value={archived ? "0" : "1"} />
      <p className="text-sm text-zinc-600">
        {archived
          ? "This study is archived: hidden from the lists and the review queue, kept whole."
          : "Archiving hides the study from the lists and the review queue and keeps everything in it; you can restore it."}
      </p>
      <button type="submit" className={secondaryButton} disabled={pending}>
        {archived ? "Restore study" : "Archive study"}
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export function DeleteStudyForm({ slug, contents }: { slug: string; contents: StudyContents }) {
  const [state, action, pending] = useActionState(deleteStudyForever, IDLE);
  const items = [
    [contents.checkpoints, "checkpoints"],
    [contents.prompts, "prompts"],
    [contents.responses, "responses"],
    [contents.labels, "labels"],
    [contents.members, "memberships"],
    [contents.imports, "import records"],
  ] as const;
  return (
    <form action={action} aria-label="Delete the study" className="space-y-3">
      <input type="hidden" name="study" value={slug} />
      <p className="text-sm text-zinc-700">
        Deleting removes the study and everything in it, at once and for good:{" "}
        {items.map(([count, what]) => `${formatCount(count)} ${what}`).join(", ")}. The audit log keeps that it
        happened.
      </p>
      <div className="max-w-sm">
        <label htmlFor="delete-confirm" className={labelClass}>
          Type <code>{slug}</code> to confirm
        </label>
        <input id="delete-confirm" name="confirm" autoComplete="off" required className={inputClass} />
        <FieldError state={state} field="confirm" />
      </div>
      <button type="submit" className={dangerButton} disabled={pending}>
        Delete study
      </button>
      <FormMessage state={state} />
    </form>
  );
}
