// `npm start` / `npm run demo`: checks the sign-in settings, finds or starts the database, applies
// migrations, (for the demo) loads the demo study into an empty database and sets the demo accounts'
// password, builds the app when the build is missing or older than the sources, then runs Next.
// Ctrl-C / SIGTERM stop Next first, then the database. An embedded PostgreSQL that dies while the app
// runs is started again on the same port (lib/db/embedded-supervisor.ts), so Next keeps running and
// reconnects; past the restart limit everything stops with a non-zero exit code.
import { spawn, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import { openDatabase, type Database } from "../db/connect";
import { EmbeddedPostgresError, isPortFree } from "../db/embedded";
import { superviseEmbedded, type Supervisor } from "../db/embedded-supervisor";
import { projectRoot } from "../db/schema-engine";
import { seedDemo } from "../demo/seed";
import { DEMO_PASSWORD, ensureDemoAccounts } from "../demo/demo-accounts";
import { createPool } from "../db/client";
import { trustedProxyHops } from "../auth/client-address";
import { signInLimits } from "../auth/sign-in-limit";
import { LaunchConfigError, prepareAuthEnv, type LaunchMode } from "./auth-env";
import { workerCount } from "../jobs/queue";
import { startWorkers, type Workers } from "../jobs/workers";
import { buildIsCurrent, nextBin, runToEnd } from "./build-freshness";

const { values } = parseArgs({
  options: {
    demo: { type: "boolean", default: false },
    dev: { type: "boolean", default: false },
    port: { type: "string" },
    hostname: { type: "string" },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME_BIND ?? "0.0.0.0";

function log(line: string) {
  console.log(`[parallax] ${line}`);
}

let db: Database | undefined;
let next: ChildProcess | undefined;
let supervisor: Supervisor | undefined;
let workers: Workers | undefined;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (next && next.exitCode === null) {
      log("Stopping the web server…");
      const exited = new Promise((resolve) => next!.once("exit", resolve));
      next.kill("SIGTERM");
      const timer = setTimeout(() => next?.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    if (workers) {
      log("Stopping the job workers (requests in flight finish, unfinished runs are handed over)…");
      await workers.stop().catch((error: Error) => log(`The job workers did not stop cleanly: ${error.message}`));
    }
    await supervisor?.stop();
    if (db?.embedded) log("Stopping the embedded PostgreSQL…");
    await db?.close();
    log("Stopped.");
  }
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(0));
}

async function main() {
  const mode: LaunchMode = values.demo ? "demo" : values.dev ? "dev" : "start";
  // Fail early on malformed settings, rather than on the first sign-in.
  trustedProxyHops();
  signInLimits();
  const auth = prepareAuthEnv({ mode, port, env: process.env, projectRoot });
  for (const note of auth.notes) log(note);
  if (!(await isPortFree(port))) {
    throw new EmbeddedPostgresError(
      `Port ${port} is already in use: is Parallax already running? Stop it, or choose another port with PORT=3001.`,
    );
  }
  db = await openDatabase({ log });
  if (shuttingDown) return;
  if (db.embedded) supervisor = superviseEmbedded(db, { log, onGiveUp: () => void shutdown(1) });

  if (values.demo) {
    const pool = createPool(db.url, 2);
    try {
      const demo = await seedDemo(pool);
      log(demo.created ? `Loaded the demo study "${demo.slug}".` : `The demo study "${demo.slug}" is already loaded.`);
      const accounts = await ensureDemoAccounts(pool);
      log(`Demo accounts (password "${DEMO_PASSWORD}"; they sign in only on \`npm run demo\`):`);
      const width = Math.max(...accounts.map((a) => a.email.length));
      for (const account of accounts) log(`  ${account.email.padEnd(width)}  ${account.role.toLowerCase()}`);
    } finally {
      await pool.end();
    }
  }

  const env = { ...process.env, ...auth.env, DATABASE_URL: db.url, NEXT_TELEMETRY_DISABLED: "1" };
  // The job queue's workers run in this process, beside Next (PARALLAX_WORKERS=0: elsewhere). They
  // read the same server secret as the web app, for the endpoints' API keys.
  const count = workerCount();
  if (count > 0) {
    process.env.NEXTAUTH_SECRET = env.NEXTAUTH_SECRET;
    workers = await startWorkers(db.url, count, { log });
    log(`${count} job worker(s) running (PARALLAX_WORKERS).`);
  }
  if (shuttingDown) return;
  if (!values.dev && !buildIsCurrent()) {
    log("Building the web app (first start, or the sources changed)…");
    const code = await runToEnd(nextBin, ["build"], env);
    if (code !== 0) {
      log(`The build failed (exit code ${code}).`);
      return shutdown(1);
    }
  }
  if (shuttingDown) return;

  const args = values.dev ? ["dev", "-p", String(port), "-H", hostname] : ["start", "-p", String(port), "-H", hostname];
  next = spawn(nextBin, args, { cwd: projectRoot, env, stdio: ["ignore", "inherit", "inherit"] });
  next.on("exit", (code) => {
    if (!shuttingDown) {
      log(`The web server stopped (exit code ${code}).`);
      void shutdown(code ?? 1);
    }
  });
  log(`Parallax is starting on http://localhost:${port}${values.demo ? " with the demo study" : ""}. Ctrl-C stops it.`);
}

main().catch(async (error: unknown) => {
  const forPerson =
    error instanceof EmbeddedPostgresError ||
    error instanceof LaunchConfigError ||
    (error instanceof Error && /PARALLAX_(TRUSTED_PROXIES|SIGNIN_LIMIT)/.test(error.message));
  console.error(forPerson ? `[parallax] ${(error as Error).message}` : error);
  await shutdown(1);
});
