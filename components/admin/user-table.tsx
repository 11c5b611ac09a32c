// Every account: role, status, last sign-in, open invite, tokens; with the row controls.
import { UserActions } from "@/components/admin/user-actions";
import { formatInstant } from "@/components/ui/format";
import { RoleBadge } from "@/components/ui/role-badge";
import type { UserRow } from "@/lib/admin/users";

const STATUS: Record<UserRow["status"], { label: string; className: string; hint: string }> = {
  active: { label: "Active", className: "text-emerald-700", hint: "Can sign in" },
  invited: { label: "Invited", className: "text-amber-700", hint: "Has not set a password yet" },
  disabled: { label: "Disabled", className: "text-red-700", hint: "Cannot sign in; tokens do not work" },
  placeholder: {
    label: "Placeholder",
    className: "text-zinc-500",
    hint: "A reviewer known from imported labels; cannot sign in",
  },
};

export function UserTable({ users, currentUserId }: { users: UserRow[]; currentUserId: number }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Users</caption>
        <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th scope="col" className="px-4 py-2.5 text-left font-medium">
              User
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Role
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2.5 text-left font-medium">
              Last sign-in
            </th>
            <th scope="col" className="px-3 py-2.5 text-right font-medium">
              Tokens
            </th>
            <th scope="col" className="px-4 py-2.5 text-left font-medium">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const status = STATUS[user.status];
            return (
              <tr key={user.id} className="border-t border-zinc-100 align-top">
                <th scope="row" className="max-w-64 px-4 py-3 text-left font-normal">
                  <span className="block font-medium text-zinc-950 wrap-anywhere">{user.email}</span>
                  {user.name ? <span className="block text-xs text-zinc-500 wrap-anywhere">{user.name}</span> : null}
                  {user.id === currentUserId ? <span className="text-xs text-zinc-500">(you)</span> : null}
                </th>
                <td className="px-3 py-3">
                  <RoleBadge role={user.role} />
                </td>
                <td className="px-3 py-3">
                  <span className={`font-medium ${status.className}`} title={status.hint}>
                    {status.label}
                  </span>
                  {user.status === "invited" && user.inviteExpiresAt ? (
                    <span className="block text-xs text-zinc-500">
                      link until {formatInstant(user.inviteExpiresAt)}
                    </span>
                  ) : null}
                  {user.status === "invited" && !user.inviteExpiresAt ? (
                    <span className="block text-xs text-zinc-500">link expired</span>
                  ) : null}
                </td>
                <td className="px-3 py-3 text-zinc-700 tabular-nums">
                  {user.lastSignInAt ? formatInstant(user.lastSignInAt) : <span className="text-zinc-400">never</span>}
                </td>
                <td className="px-3 py-3 text-right tabular-nums">{user.activeTokens}</td>
                <td className="px-4 py-3">
                  {user.status === "placeholder" ? (
                    <span className="text-xs text-zinc-500">
                      Imported reviewer; create a real account to let them sign in.
                    </span>
                  ) : (
                    <UserActions user={user} isSelf={user.id === currentUserId} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
