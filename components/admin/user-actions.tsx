"use client";
// One user's row controls: change role, disable or enable, new invite link, sign out everywhere.
import { useActionState } from "react";
import { changeUserRole, renewInvite, setUserDisabled, signOutEverywhere } from "@/app/admin/users/actions";
import { FormMessage } from "@/components/admin/form-message";
import { OneTimeSecretBox } from "@/components/admin/one-time-secret";
import { dangerButton, inputClass, secondaryButton, smallButton } from "@/components/ui/controls";
import { ROLE_INFO } from "@/components/ui/role-badge";
import { IDLE } from "@/lib/admin/action-state";
import { ROLES } from "@/lib/auth/access-rules";
import type { UserRow } from "@/lib/admin/users";

export function UserActions({
  user,
  isSelf,
}: {
  user: Pick<UserRow, "id" | "email" | "role" | "status">;
  isSelf: boolean;
}) {
  const [roleState, roleAction, rolePending] = useActionState(changeUserRole, IDLE);
  const [disableState, disableAction, disablePending] = useActionState(setUserDisabled, IDLE);
  const [inviteState, inviteAction, invitePending] = useActionState(renewInvite, IDLE);
  const [signOutState, signOutAction, signOutPending] = useActionState(signOutEverywhere, IDLE);
  const disabled = user.status === "disabled";

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={roleAction} className="flex items-center gap-1.5" aria-label={`Change the role of ${user.email}`}>
          <input type="hidden" name="userId" value={user.id} />
          <select
            name="role"
            defaultValue={user.role}
            aria-label={`Role of ${user.email}`}
            className={`${inputClass} w-auto py-1 text-xs`}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_INFO[role].label}
              </option>
            ))}
          </select>
          <button type="submit" className={`${secondaryButton} ${smallButton}`} disabled={rolePending}>
            Save role
          </button>
        </form>
        <form action={inviteAction}>
          <input type="hidden" name="userId" value={user.id} />
          <button type="submit" className={`${secondaryButton} ${smallButton}`} disabled={invitePending || disabled}>
            {user.status === "invited" ? "New invite link" : "New password link"}
          </button>
        </form>
        {user.status === "active" ? (
          <form action={signOutAction}>
            <input type="hidden" name="userId" value={user.id} />
            <button
              type="submit"
              className={`${secondaryButton} ${smallButton}`}
              disabled={signOutPending}
              title={
                isSelf
                  ? "Ends every session of yours, this one included"
                  : `Ends every session of ${user.email}; they sign in again`
              }
            >
              Sign out everywhere
            </button>
          </form>
        ) : null}
        {isSelf ? null : (
          <form action={disableAction}>
            <input type="hidden" name="userId" value={user.id} />
            <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
            <button
              type="submit"
              className={`${disabled ? secondaryButton : dangerButton} ${smallButton}`}
              disabled={disablePending}
            >
              {disabled ? "Enable" : "Disable"}
            </button>
          </form>
        )}
      </div>
      <FormMessage state={roleState} />
      <FormMessage state={disableState} />
      <FormMessage state={inviteState} />
      <FormMessage state={signOutState} />
      {inviteState.status === "done" && inviteState.secret ? <OneTimeSecretBox secret={inviteState.secret} /> : null}
    </div>
  );
}
