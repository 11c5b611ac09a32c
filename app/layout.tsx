import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/layout/app-header";
import { currentUser } from "@/lib/auth/guard";
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

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Only to show who is signed in: every page checks access itself.
  const user = await currentUser();
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
