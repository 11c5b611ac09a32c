"use client";
// A secret shown once (an invite link, an API token): selectable, copyable, with what to do with it.
import { useState } from "react";
import { secondaryButton, smallButton } from "@/components/ui/controls";
import type { OneTimeSecret } from "@/lib/admin/action-state";

export function OneTimeSecretBox({ secret }: { secret: OneTimeSecret }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4">
      <p className="text-sm font-semibold text-amber-900">{secret.label}</p>
      <div className="mt-2 flex gap-2">
        <input
          readOnly
          aria-label={secret.label}
          value={secret.value}
          onFocus={(event) => event.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border border-amber-300 bg-white px-3 py-1.5 font-mono text-xs text-zinc-950"
        />
        <button
          type="button"
          className={`${secondaryButton} ${smallButton} shrink-0`}
          onClick={async () => {
            await navigator.clipboard?.writeText(secret.value).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="mt-2 text-xs text-amber-900">{secret.note}</p>
    </div>
  );
}
