"use client";
// Choosing a password with an invite link.
import { useActionState } from "react";
import { acceptInvite } from "@/app/invite/[token]/actions";
import { FieldError, FormMessage } from "@/components/admin/form-message";
import { inputClass, labelClass, primaryButton } from "@/components/ui/controls";
import { IDLE } from "@/lib/admin/action-state";

export function SetPasswordForm({ token, email, minLength }: { token: string; email: string; minLength: number }) {
  const [state, action, pending] = useActionState(acceptInvite, IDLE);
  return (
    <form action={action} className="space-y-4" aria-label="Choose your password">
      <input type="hidden" name="token" value={token} />
      {/* Lets password managers store the new password under the right account. */}
      <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
      <div>
        <label htmlFor="password" className={labelClass}>
          New password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={minLength}
          maxLength={1024}
          className={inputClass}
          autoFocus
        />
        <p className="mt-1 text-xs text-zinc-500">
          At least {minLength} characters; a few words strung together work well.
        </p>
        <FieldError state={state} field="password" />
      </div>
      <div>
        <label htmlFor="confirm" className={labelClass}>
          The same again
        </label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          maxLength={1024}
          className={inputClass}
        />
        <FieldError state={state} field="confirm" />
      </div>
      <FormMessage state={state} />
      <button type="submit" className={`${primaryButton} w-full`} disabled={pending}>
        {pending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
