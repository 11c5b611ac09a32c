import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/layout/app-header";
import { DatabaseUnavailable } from "@/components/layout/database-unavailable";
import { currentUser } from "@/lib/auth/guard";
import type { SessionUser } from "@/lib/auth/users";
import { isDatabaseUnavailable } from "@/lib/db/availability";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Parallax", template: "%s · Parallax" },
  description: "Compare SFT, RL and hybrid SFT+RL model checkpoints with human labels and honest statistics.",
  // Files in public/ (same origin, so the CSP's img-src 'self' allows them): the SVG for browsers
  // that take one, the .ico for those that ask for /favicon.ico by themselves.
  icons: {
    icon: [
      { url: "/favicon.svg", type: "image/svg+xml" },
      { url: "/favicon.ico", sizes: "32x32" },
    ],
  },
};

let lastLogged = 0;
/** One line in the server log per 30 s of outage, not one per page view and retry. */
function logUnavailable(error: unknown) {
  if (Date.now() - lastLogged < 30_000) return;
  lastLogged = Date.now();
  console.error(`[parallax] The database is unavailable (pages say so and retry): ${(error as Error).message}`);
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Only to show who is signed in: every page checks access itself. Reading the signed-in user is
  // every page's first database query, so it is also where an outage shows: then the page says
  // "Database unavailable — retrying…" (and retries by itself) instead of a bare error, and the page
  // below is not rendered at all. Next 16 gives a page no way to answer 503 (only 401/403/404), so it
  // answers 200 with that text.
  let user: SessionUser | null;
  try {
    user = await currentUser();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logUnavailable(error);
    return (
      <html lang="en">
        <body className="min-h-dvh">
          <title>Database unavailable · Parallax</title>
          <main id="main" className="mx-auto max-w-6xl px-6 py-10">
            <DatabaseUnavailable />
          </main>
        </body>
      </html>
    );
  }
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 focus:shadow"
        >
          Skip to content
        </a>
        <AppHeader user={user} />
        <main id="main" className="mx-auto max-w-6xl px-6 py-10">
          {children}
        </main>
      </body>
    </html>
  );
}
