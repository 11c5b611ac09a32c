import Link from "next/link";

export const metadata = { title: "Sign in again" };

// Shown with status 401 when a server action runs without a session (it ended, or was never there).
export default function Unauthorized() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-accent">401</p>
      <h1 className="mt-2 text-2xl">Please sign in again</h1>
      <p className="mt-3 text-zinc-600">Your session has ended, so nothing was changed.</p>
      <p className="mt-6">
        <Link href="/signin" className="font-medium">
          Sign in
        </Link>
      </p>
    </div>
  );
}
