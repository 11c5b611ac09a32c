"use client";
// New user: email, name, role. The answer carries the invite link, shown once.
import { useActionState } from "react";
import { createUser } from "@/app/admin/users/actions";
import { FieldError, FormMessage } from "@/components/admin/form-message";
import { OneTimeSecretBox } from "@/components/admin/one-time-secret";
import { inputClass, labelClass, primaryButton } from "@/components/ui/controls";
import { ROLE_INFO } from "@/components/ui/role-badge";
import { IDLE, typedValue } from "@/lib/admin/action-state";
import { ROLES } from "@/lib/auth/access-rules";

export function CreateUserForm({ studies = [] }: { studies?: { slug: string; name: string }[] }) {
  const [state, action, pending] = useActionState(createUser, IDLE);
  const invalid = (field: string) => state.status === "error" && Boolean(state.fieldErrors?.[field]);
  return (
    <div className="space-y-4">
      <form
        action={action}
        aria-label="Create a user"
        className="grid gap-4 sm:grid-cols-[2fr_2fr_1.3fr_auto] sm:items-start"
      >
        <div>
          <label htmlFor="new-email" className={labelClass}>
            Email
          </label>
          <input
            id="new-email"
            name="email"
            type="email"
            required
            defaultValue={typedValue(state, "email")}
            className={inputClass}
            aria-invalid={invalid("email")}
            aria-describedby="email-error"
          />
          <FieldError state={state} field="email" />
        </div>
        <div>
          <label htmlFor="new-name" className={labelClass}>
            Name <span className="font-normal text-zinc-500">(optional)</span>
          </label>
          <input
            id="new-name"
            name="name"
            defaultValue={typedValue(state, "name")}
            className={inputClass}
            maxLength={120}
            aria-invalid={invalid("name")}
          />
          <FieldError state={state} field="name" />
        </div>
        <div>
          <label htmlFor="new-role" className={labelClass}>
            Role
          </label>
          <select
            id="new-role"
            name="role"
            key={typedValue(state, "role")}
            defaultValue={typedValue(state, "role") ?? "REVIEWER"}
            className={inputClass}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_INFO[role].label}
              </option>
            ))}
          </select>
          <FieldError state={state} field="role" />
        </div>
        <div className="sm:col-span-2">
          <label htmlFor="new-study" className={labelClass}>
            Joins the study <span className="font-normal text-zinc-500">(optional, when they accept)</span>
          </label>
          <select
            id="new-study"
            name="study"
            key={`study-${typedValue(state, "study")}`}
            defaultValue={typedValue(state, "study") ?? ""}
            className={inputClass}
          >
            <option value="">No study yet</option>
            {studies.map((study) => (
              <option key={study.slug} value={study.slug}>
                {study.name} ({study.slug})
              </option>
            ))}
          </select>
          <FieldError state={state} field="study" />
        </div>
        <div>
          <label htmlFor="new-study-role" className={labelClass}>
            Joins it as
          </label>
          <select
            id="new-study-role"
            name="studyRole"
            key={`study-role-${typedValue(state, "studyRole")}`}
            defaultValue={typedValue(state, "studyRole") ?? "REVIEWER"}
            className={inputClass}
          >
            <option value="REVIEWER">reviewer</option>
            <option value="RESEARCHER">researcher</option>
          </select>
          <FieldError state={state} field="studyRole" />
        </div>
        <div className="sm:pt-6">
          <button type="submit" className={primaryButton} disabled={pending}>
            {pending ? "Creating…" : "Create user"}
          </button>
        </div>
      </form>
      <FormMessage state={state} />
      {state.status === "done" && state.secret ? <OneTimeSecretBox secret={state.secret} /> : null}
    </div>
  );
}
