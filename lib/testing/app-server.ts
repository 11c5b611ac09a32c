// The fault suite's app: a real `lib/cli/serve.ts --demo` (production build, demo study and demo
// accounts) in its own process, on its own port and its own database, so a test may kill its
// PostgreSQL, its importer or its clients without touching any other suite.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "../db/embedded";
import { projectRoot } from "../db/schema-engine";
import { createScratchDatabase } from "./database-setup";

export interface AppServer {
  url: string;
  port: number;
  /** The app's database (the embedded one, or a scratch database on TEST_DATABASE_URL's server). */
  databaseUrl: string;
  /** The embedded PostgreSQL's data folder, when the app runs one. */
  dataDir: string | undefined;
  child: ChildProcess;
  /** Everything the launcher and Next printed so far. */
  output(): string;
  /** The postmaster's pid of the embedded PostgreSQL (read from its data folder). */
  embeddedPostgresPid(): number | undefined;
  /** Signs in through next-auth's credentials endpoint; returns the Cookie header value. */
  signIn(email: string, password?: string): Promise<string>;
  /** SIGTERM, then waits for the launcher to stop Next and the database. */
  stop(): Promise<void>;
}

export interface AppServerOptions {
  /** Names the data folder (.parallax/fault/NAME) and the log. */
  name: string;
  /** Always the embedded PostgreSQL, even when TEST_DATABASE_URL is set (tests that kill it). */
  embedded?: boolean;
  env?: Record<string, string>;
  /** How long to wait for the first HTTP 200 (the first start may build the app). */
  startTimeoutMs?: number;
}

export const DEMO_PASSWORD = "parallax-demo";

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    NEXTAUTH_URL: url,
    PARALLAX_SIGNIN_LIMIT_ADDRESS: "1000",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.DATABASE_URL;
  let dataDir: string | undefined;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  if (process.env.TEST_DATABASE_URL && !options.embedded) {
    scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL, "parallax_fault");
    env.DATABASE_URL = scratch.url;
  } else {
    dataDir = path.join(projectRoot, ".parallax", "fault", options.name);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.server.json`, { force: true });
    mkdirSync(path.dirname(dataDir), { recursive: true });
    env.PARALLAX_DATA_DIR = dataDir;
  }

  const child = spawn(
    path.join(projectRoot, "node_modules", ".bin", "tsx"),
    ["lib/cli/serve.ts", "--demo", "--port", String(port)],
    {
      cwd: projectRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + (options.startTimeoutMs ?? 300_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app stopped before it served (exit ${child.exitCode}):\n${log}`);
    try {
      const response = await fetch(`${url}/signin`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`The app did not serve /signin within the time allowed:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const databaseUrl = scratch?.url ?? announcedUrl(dataDir!);
  return {
    url,
    port,
    databaseUrl,
    dataDir,
    child,
    output: () => log,
    embeddedPostgresPid() {
      if (!dataDir) return undefined;
      const pidFile = path.join(dataDir, "postmaster.pid");
      if (!existsSync(pidFile)) return undefined;
      const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    },
    signIn: (email, password = DEMO_PASSWORD) => signIn(url, email, password),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
        await exited;
        clearTimeout(timer);
      }
      await scratch?.drop();
    },
  };
}

function announcedUrl(dataDir: string): string {
  return (JSON.parse(readFileSync(`${dataDir}.server.json`, "utf8")) as { url: string }).url;
}

/** Cookies of a response, as a Cookie header value merged into `jar`. */
function mergeCookies(jar: Map<string, string>, response: Response): void {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(";")[0] ?? "";
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  mergeCookies(jar, csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar), origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  mergeCookies(jar, response);
  if (![...jar.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
    throw new Error(`Sign-in as ${email} failed (HTTP ${response.status}).`);
  }
  return cookieHeader(jar);
}
