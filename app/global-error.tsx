"use client";
// The last error boundary: an error in the root layout itself. (The root layout already renders
// "Database unavailable — retrying…" for a database outage; this catches what remains.) It replaces
// the root layout, so it brings its own <html> and styles, and retries by itself like app/error.tsx.
import "./globals.css";
import PageError from "./error";

export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <title>Parallax · Error</title>
        <main id="main" className="mx-auto max-w-6xl px-6 py-10">
          <PageError error={error} retry={retry} />
        </main>
      </body>
    </html>
  );
}
