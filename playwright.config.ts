// Browser tests against the real app: `lib/cli/serve.ts --demo` starts the database (embedded, or
// E2E_DATABASE_URL), loads the demo study and its demo accounts and serves a production build on
// port 3100 (E2E_PORT to change it). The "setup" project signs in once per role (e2e/auth.setup.ts); the tests reuse that.
import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium where there is one (no browser download on these machines), else Playwright's own.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const launchOptions = existsSync(chromiumPath)
  ? {
      executablePath: chromiumPath,
      // Without the networking flags Chromium keeps dialling Google services on a closed network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    }
  : {};

const serverEnv: Record<string, string> = {
  ...(process.env as Record<string, string>),
  PARALLAX_DATA_DIR: ".parallax/e2e-db",
  // One host name throughout: sign-in redirects are built from NEXTAUTH_URL.
  NEXTAUTH_URL: baseURL,
  // Every test signs in from 127.0.0.1; the per-account limit stays as it is (and is tested).
  PARALLAX_SIGNIN_LIMIT_ADDRESS: "1000",
};
if (process.env.E2E_DATABASE_URL) serverEnv.DATABASE_URL = process.env.E2E_DATABASE_URL;

export default defineConfig({
  testDir: "e2e",
  reporter: [["list"]],
  retries: 0,
  workers: 1,
  // A generous bound for each expectation (Playwright's default is 5 s): it tells "never happens"
  // from "happens", and a sign-in's bcrypt check on a loaded two-core machine takes seconds.
  expect: { timeout: 15_000 },
  // The same for a whole test (Playwright's default is 30 s): at load average 17–19 a test of several
  // steps (sign in, label, open the analytics) ran past 30 s with each step within its bound.
  timeout: 120_000,
  use: {
    baseURL,
    launchOptions,
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/, use: { browserName: "chromium" } },
    { name: "chromium", testIgnore: /.*\.setup\.ts/, dependencies: ["setup"], use: { browserName: "chromium" } },
  ],
  webServer: {
    command: `node_modules/.bin/tsx lib/cli/serve.ts --demo --port ${port}`,
    url: baseURL,
    timeout: 240_000, // may run `next build` first
    // SIGTERM lets the launcher stop the embedded PostgreSQL cleanly (SIGKILL leaves crash recovery).
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    // Only when asked (E2E_REUSE_SERVER=1): a server found on the port may be another checkout's or
    // another run's, with another database, and tests that write through it and read elsewhere
    // (or the reverse) then fail for no fault of the app. Without it a taken port is an error.
    reuseExistingServer: !process.env.CI && process.env.E2E_REUSE_SERVER === "1",
    env: serverEnv,
    stdout: "pipe",
    stderr: "pipe",
  },
});
