// The bar on top of every page: the product, the sections the user's role may open, and who is
// signed in.
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { RoleBadge } from "@/components/ui/role-badge";
import type { SessionUser } from "@/lib/auth/users";

const NAV: { href: string; label: string; roles: SessionUser["role"][] }[] = [
  { href: "/", label: "Studies", roles: ["ADMIN", "RESEARCHER", "REVIEWER"] },
  { href: "/admin/users", label: "Users", roles: ["ADMIN"] },
  { href: "/admin/tokens", label: "API tokens", roles: ["ADMIN"] },
  { href: "/admin/audit", label: "Audit log", roles: ["ADMIN"] },
];

export function AppHeader({ user }: { user: SessionUser | null }) {
  const links = user ? NAV.filter((item) => item.roles.includes(user.role)) : [];
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-8 px-6">
        <Link href="/" className="flex items-baseline gap-2 text-zinc-950 no-underline hover:text-zinc-950">
          <img src="/logo.svg" alt="" width={20} height={20} className="relative top-0.5 size-5" />
          <span className="text-lg font-semibold tracking-tight">Parallax</span>
        </Link>
        {links.length > 0 ? (
          <nav aria-label="Main">
            <ul className="flex items-center gap-6 text-sm">
              {links.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} className="font-medium text-zinc-600 no-underline hover:text-zinc-950">
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {user ? (
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="hidden max-w-56 truncate text-zinc-600 sm:inline" title={user.email}>
              {user.name ?? user.email}
            </span>
            <RoleBadge role={user.role} />
            <SignOutButton className="font-medium text-zinc-600 hover:text-zinc-950" />
          </div>
        ) : (
          <p className="ml-auto hidden text-xs text-zinc-500 sm:block">SFT · RL · hybrid checkpoints, side by side</p>
        )}
      </div>
    </header>
  );
}
