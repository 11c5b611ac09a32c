"use client";
// Adding a person to a study (or changing their role in it), and removing one: the answers come
// from the server actions, which check who may do this and log the change.
import { useActionState } from "react";
import { addStudyMember, removeStudyMember } from "@/app/studies/[slug]/members/actions";
import { FieldError, FormMessage } from "@/components/admin/form-message";
import { dangerButton, inputClass, labelClass, primaryButton, smallButton } from "@/components/ui/controls";
import { IDLE, typedValue } from "@/lib/admin/action-state";

export function AddMemberForm({ slug }: { slug: string }) {
  const [state, action, pending] = useActionState(addStudyMember, IDLE);
  return (
    <form
      action={action}
      aria-label="Add a member"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-5"
    >
      <input type="hidden" name="study" value={slug} />
      <div className="min-w-64 flex-1">
        <label htmlFor="member-email" className={labelClass}>
          Email
        </label>
        <input
          id="member-email"
          name="email"
          type="email"
          required
          autoComplete="off"
          defaultValue={typedValue(state, "email") ?? ""}
          className={inputClass}
          aria-invalid={state.status === "error" && Boolean(state.fieldErrors?.email)}
        />
        <FieldError state={state} field="email" />
      </div>
      <div>
        <label htmlFor="member-role" className={labelClass}>
          Role in this study
        </label>
        <select
          id="member-role"
          name="role"
          defaultValue={typedValue(state, "role") ?? "REVIEWER"}
          className={inputClass}
        >
          <option value="REVIEWER">reviewer</option>
          <option value="RESEARCHER">researcher</option>
        </select>
      </div>
      <button type="submit" className={primaryButton} disabled={pending}>
        Add member
      </button>
      <div className="basis-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function RemoveMemberButton({ slug, email }: { slug: string; email: string }) {
  const [state, action, pending] = useActionState(removeStudyMember, IDLE);
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="study" value={slug} />
      <input type="hidden" name="email" value={email} />
      <button
        type="submit"
        className={`${dangerButton} ${smallButton}`}
        disabled={pending}
        aria-label={`Remove ${email}`}
      >
        Remove
      </button>
      {state.status === "error" ? <FormMessage state={state} /> : null}
    </form>
  );
}
