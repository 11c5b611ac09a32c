import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { ROLE_INFO } from "@/components/ui/role-badge";
import { currentUser } from "@/lib/auth/guard";

export const metadata = { title: "No access" };

// Shown with status 403 wherever a guard calls forbidden().
export default async function Forbidden() {
  const user = await currentUser();
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-accent">403</p>
      <h1 className="mt-2 text-2xl">You do not have access to this page</h1>
      <p className="mt-3 text-zinc-600">
        {user ? (
          <>
            You are signed in as <strong className="font-medium text-zinc-900">{user.email}</strong> with the role{" "}
            {ROLE_INFO[user.role].label.toLowerCase()}, which does not include this page. Ask an admin if you need it.
          </>
        ) : (
          "Your role does not include this page."
        )}
      </p>
      <p className="mt-6 flex items-center justify-center gap-6">
        <Link href="/" className="font-medium">
          Back to all studies
        </Link>
        {user ? (
          <SignOutButton className="font-medium text-zinc-600 hover:text-zinc-950">
            Sign in as someone else
          </SignOutButton>
        ) : null}
      </p>
    </div>
  );
}
