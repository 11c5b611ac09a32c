// A user's role as a small badge, in the product's words.
import type { Role } from "@/lib/db/generated/enums";

export const ROLE_INFO: Record<Role, { label: string; description: string; className: string }> = {
  ADMIN: {
    label: "Admin",
    description: "Everything: users, API tokens, imports, study settings",
    className: "bg-zinc-900 text-white ring-zinc-900",
  },
  RESEARCHER: {
    label: "Researcher",
    description: "Studies, analytics, browsing, export and imports",
    className: "bg-accent-soft text-accent-strong ring-accent/25",
  },
  REVIEWER: {
    label: "Reviewer",
    description: "The review queue and their own labels",
    className: "bg-white text-zinc-700 ring-zinc-300",
  },
};

export function RoleBadge({ role }: { role: Role }) {
  const info = ROLE_INFO[role];
  return (
    <span
      title={info.description}
      className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${info.className}`}
    >
      {info.label}
    </span>
  );
}
