// CPU seconds used by a PostgreSQL server on this machine, read from /proc: the postmaster's own and
// its reaped children's time (backends that have exited) plus its live children's. The difference
// of two readings is what the server spent in between, on all its processes (backends, WAL writer,
// checkpointer). Linux only; null when the server is not a local process this user can read.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type pg from "pg";

const TICKS_PER_SECOND = 100;

/** utime, stime, cutime, cstime and the parent pid of a process, from /proc/PID/stat. */
function stat(pid: number): { ppid: number; own: number; children: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: read after its last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const n = (i: number) => Number(fields[i - 3]);
    return { ppid: n(4), own: n(14) + n(15), children: n(16) + n(17) };
  } catch {
    return null;
  }
}

/** The postmaster's pid, from postmaster.pid in the server's data directory (superuser only). */
export async function postmasterPid(db: pg.Pool | pg.PoolClient): Promise<number | null> {
  try {
    const { rows } = await db.query<{ data_directory: string }>(
      "SELECT current_setting('data_directory') AS data_directory",
    );
    const pid = Number(readFileSync(path.join(rows[0]!.data_directory, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 && stat(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** CPU seconds of the server so far (see the top of the file). */
export function serverCpuSeconds(postmaster: number): number {
  const main = stat(postmaster);
  if (!main) return NaN;
  let ticks = main.own + main.children;
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === postmaster) continue;
    const child = stat(pid);
    if (child && child.ppid === postmaster) ticks += child.own;
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * CPU seconds used so far by the server's backends that serve database `database` (from
 * pg_stat_activity's pids and /proc): on a machine shared with other work, what a question costs
 * the server, whatever the load; NaN when the server's processes cannot be read.
 */
export async function databaseBackendsCpuSeconds(db: pg.Pool | pg.PoolClient, database: string): Promise<number> {
  const { rows } = await db.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [database]);
  let ticks = 0;
  for (const { pid } of rows) {
    const s = stat(pid);
    if (!s) return NaN;
    ticks += s.own;
  }
  return ticks / TICKS_PER_SECOND;
}
