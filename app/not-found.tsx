import Link from "next/link";

export const metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-accent">404</p>
      <h1 className="mt-2 text-2xl">This page does not exist</h1>
      <p className="mt-3 text-zinc-600">The study may have been renamed or deleted, or the link is mistyped.</p>
      <p className="mt-6">
        <Link href="/" className="font-medium">
          Back to all studies
        </Link>
      </p>
    </div>
  );
}
