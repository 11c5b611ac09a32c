// Every API token: what it is for, whose it is, when it was last used, whether it still works.
import { RevokeTokenButton } from "@/components/admin/revoke-token-button";
import { formatDay, formatInstant } from "@/components/ui/format";
import { RoleBadge } from "@/components/ui/role-badge";
import type { ApiTokenRow } from "@/lib/auth/api-tokens";

const STATUS: Record<ApiTokenRow["status"], { label: string; className: string }> = {
  active: { label: "Active", className: "text-emerald-700" },
  expired: { label: "Expired", className: "text-zinc-500" },
  revoked: { label: "Revoked", className: "text-zinc-500" },
};

export function TokenTable({ tokens }: { tokens: ApiTokenRow[] }) {
  if (tokens.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 bg-white px-4 py-6 text-sm text-zinc-600">
        No API tokens yet.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">API tokens</caption>
        <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th scope="col" className="px-4 py-2.5 text-left font-medium">
              Token
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Acts as
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Created
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Last used
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Expires
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2.5 text-left font-medium">
              <span className="sr-only">Revoke</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr
              key={token.id}
              className={`border-t border-zinc-100 align-top ${token.status === "active" ? "" : "text-zinc-500"}`}
            >
              <th scope="row" className="max-w-64 px-4 py-3 text-left font-normal">
                <span className="block font-medium text-zinc-950 wrap-anywhere">{token.name}</span>
                <code className="text-xs text-zinc-500">{token.prefix}…</code>
              </th>
              <td className="max-w-64 px-3 py-3">
                <span className="block wrap-anywhere">{token.owner.email}</span>
                <span className="mt-1 flex items-center gap-2">
                  <RoleBadge role={token.owner.role} />
                  {token.owner.active ? null : <span className="text-xs text-red-700">account cannot sign in</span>}
                </span>
              </td>
              <td className="px-3 py-3 tabular-nums">{formatDay(token.createdAt)}</td>
              <td className="px-3 py-3 tabular-nums">
                {token.lastUsedAt ? formatInstant(token.lastUsedAt) : <span className="text-zinc-400">never</span>}
              </td>
              <td className="px-3 py-3 tabular-nums">{token.expiresAt ? formatDay(token.expiresAt) : "never"}</td>
              <td className="px-3 py-3">
                <span className={`font-medium ${STATUS[token.status].className}`}>{STATUS[token.status].label}</span>
                {token.revokedAt ? <span className="block text-xs">{formatDay(token.revokedAt)}</span> : null}
              </td>
              <td className="px-4 py-3">
                {token.status === "active" ? <RevokeTokenButton tokenId={token.id} name={token.name} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
