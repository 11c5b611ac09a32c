"use client";
// Revokes one API token; it stops working on its next use.
import { useActionState } from "react";
import { revokeToken } from "@/app/admin/tokens/actions";
import { FormMessage } from "@/components/admin/form-message";
import { dangerButton, smallButton } from "@/components/ui/controls";
import { IDLE } from "@/lib/admin/action-state";

export function RevokeTokenButton({ tokenId, name }: { tokenId: number; name: string }) {
  const [state, action, pending] = useActionState(revokeToken, IDLE);
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="tokenId" value={tokenId} />
      <button
        type="submit"
        className={`${dangerButton} ${smallButton}`}
        disabled={pending}
        aria-label={`Revoke ${name}`}
      >
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {state.status === "error" ? <FormMessage state={state} /> : null}
    </form>
  );
}
