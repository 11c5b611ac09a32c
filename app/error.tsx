"use client";
// The error boundary of every page below the root layout. In production Next gives it no error
// text (only a digest), so it cannot tell a database outage from a bug: it retries by itself for a
// while (a database that went away mid-request is then caught by the root layout, which shows
// "Database unavailable — retrying…"), then offers a button. The error's text is never shown.
import { useEffect, useState } from "react";
import { AutoRetry } from "@/components/layout/auto-retry";

const AUTOMATIC_RETRIES_FOR_MS = 30_000;

export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  const [since] = useState(() => Date.now());
  const [automatic, setAutomatic] = useState(true);
  useEffect(() => {
    const timer = setTimeout(() => setAutomatic(false), Math.max(0, since + AUTOMATIC_RETRIES_FOR_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [since]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div role="alert" className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-2xl">This page could not be loaded</h1>
      <p className="mt-3 text-zinc-600">
        The server ran into a problem
        {digest ? (
          <>
            {" "}
            (reference <code>{digest}</code>)
          </>
        ) : null}
        . If the database was briefly unavailable, the page comes back by itself.
      </p>
      {automatic ? (
        <AutoRetry everySeconds={5} retry={retry} />
      ) : (
        <p className="mt-6">
          <button
            type="button"
            onClick={() => retry()}
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-50"
          >
            Try again
          </button>
        </p>
      )}
    </div>
  );
}
