"use client";
// New API token: what it is for, whose it is (it acts with that user's role), how long it lives.
// The answer carries the token, shown once.
import { useActionState } from "react";
import { createToken } from "@/app/admin/tokens/actions";
import { FieldError, FormMessage } from "@/components/admin/form-message";
import { OneTimeSecretBox } from "@/components/admin/one-time-secret";
import { inputClass, labelClass, primaryButton } from "@/components/ui/controls";
import { ROLE_INFO } from "@/components/ui/role-badge";
import { IDLE, typedValue } from "@/lib/admin/action-state";
import { TOKEN_LIFETIMES } from "@/lib/admin/token-lifetimes";
import type { SessionUser } from "@/lib/auth/users";

export function CreateTokenForm({
  owners,
  defaultOwnerId,
}: {
  owners: Pick<SessionUser, "id" | "email" | "role">[];
  defaultOwnerId: number;
}) {
  const [state, action, pending] = useActionState(createToken, IDLE);
  const owner = typedValue(state, "userId") ?? String(defaultOwnerId);
  const lifetime = typedValue(state, "expiresIn") ?? "90";
  return (
    <div className="space-y-4">
      <form
        action={action}
        aria-label="Create an API token"
        className="grid gap-4 sm:grid-cols-[2fr_2fr_1fr_auto] sm:items-start"
      >
        <div>
          <label htmlFor="token-name" className={labelClass}>
            Name
          </label>
          <input
            id="token-name"
            name="name"
            required
            maxLength={80}
            placeholder="nightly eval"
            defaultValue={typedValue(state, "name")}
            className={inputClass}
          />
          <FieldError state={state} field="name" />
        </div>
        <div>
          <label htmlFor="token-owner" className={labelClass}>
            Acts as
          </label>
          <select id="token-owner" name="userId" key={`owner-${owner}`} defaultValue={owner} className={inputClass}>
            {owners.map((user) => (
              <option key={user.id} value={user.id}>
                {user.email} ({ROLE_INFO[user.role].label.toLowerCase()})
              </option>
            ))}
          </select>
          <FieldError state={state} field="userId" />
        </div>
        <div>
          <label htmlFor="token-expiry" className={labelClass}>
            Expires
          </label>
          <select
            id="token-expiry"
            name="expiresIn"
            key={`expiry-${lifetime}`}
            defaultValue={lifetime}
            className={inputClass}
          >
            {Object.entries(TOKEN_LIFETIMES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="sm:pt-6">
          <button type="submit" className={primaryButton} disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>
      <FormMessage state={state} />
      {state.status === "done" && state.secret ? <OneTimeSecretBox secret={state.secret} /> : null}
    </div>
  );
}
