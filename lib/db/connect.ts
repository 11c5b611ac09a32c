// Finds the database for a process: DATABASE_URL when set; otherwise the embedded PostgreSQL in
// the project's data folder (joining one that another Parallax process already runs).
import path from "node:path";
import { applyMigrations, projectRoot } from "./schema-engine";
import {
  announce,
  announcedServer,
  startEmbeddedPostgres,
  withdrawAnnouncement,
  type EmbeddedPostgres,
} from "./embedded";

export interface Database {
  url: string;
  /** The embedded server this process started (and so must stop), the current one after a restart. */
  embedded: EmbeddedPostgres | undefined;
  close(): Promise<void>;
}

/**
 * Starts the embedded server again on the same data folder and port after it died, so that the
 * DATABASE_URL the web app was given stays right, and announces it again. PostgreSQL itself does the
 * crash recovery (replaying its WAL) and removes the stale postmaster.pid.
 */
export async function restartEmbedded(db: Database): Promise<EmbeddedPostgres> {
  const previous = db.embedded;
  if (!previous) throw new Error("This process runs no embedded PostgreSQL.");
  const server = await startEmbeddedPostgres({ dataDir: previous.dataDir, port: previous.port });
  db.embedded = server;
  await announce(server);
  return server;
}

export function dataDir(): string {
  return path.resolve(projectRoot, process.env.PARALLAX_DATA_DIR ?? ".parallax/db");
}

function configuredPort(): number | undefined {
  const raw = process.env.PARALLAX_DB_PORT;
  if (!raw) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`PARALLAX_DB_PORT must be a port number, got "${raw}".`);
  return port;
}

export async function openDatabase(
  options: { migrate?: boolean; log?: (line: string) => void } = {},
): Promise<Database> {
  const log = options.log ?? (() => {});
  let url = process.env.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (url) {
    log(`Using the PostgreSQL server of DATABASE_URL (${redact(url)}).`);
  } else {
    const dir = dataDir();
    url = await announcedServer(dir);
    if (url) {
      log(`Using the embedded PostgreSQL that another Parallax process runs (${redact(url)}).`);
    } else {
      const started = Date.now();
      embedded = await startEmbeddedPostgres({ dataDir: dir, port: configuredPort() });
      await announce(embedded);
      url = embedded.url;
      log(
        `Started the embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${path.relative(process.cwd(), dir) || dir} (${Date.now() - started} ms).`,
      );
    }
  }
  if (options.migrate !== false) {
    const applied = await applyMigrations(url);
    if (applied.length > 0) log(`Applied migrations: ${applied.join(", ")}.`);
  }
  const database: Database = {
    url,
    embedded,
    async close() {
      const server = database.embedded;
      if (server) {
        await withdrawAnnouncement(server);
        await server.stop();
      }
    },
  };
  return database;
}

/** A connection string without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
