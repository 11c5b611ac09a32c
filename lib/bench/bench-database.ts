// A fresh database for one benchmark run: on DATABASE_URL's server when set, else on an embedded
// PostgreSQL in .parallax/bench-db (default settings, durable, like the demo).
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../db/embedded";
import { applyMigrations, projectRoot } from "../db/schema-engine";
import { createScratchDatabase } from "../testing/database-setup";

export async function openBenchDatabase(): Promise<{ url: string; describe: string; close(): Promise<void> }> {
  let server: EmbeddedPostgres | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    server = await startEmbeddedPostgres({ dataDir: path.join(projectRoot, ".parallax", "bench-db") });
    serverUrl = server.url;
  }
  const scratch = await createScratchDatabase(serverUrl, "parallax_bench");
  await applyMigrations(scratch.url);
  return {
    url: scratch.url,
    describe: server ? "embedded PostgreSQL (.parallax/bench-db)" : "the server of DATABASE_URL",
    async close() {
      // PARALLAX_BENCH_KEEP=1 keeps the database for a look with EXPLAIN afterwards.
      if (process.env.PARALLAX_BENCH_KEEP) console.log(`Kept the database: ${scratch.url}`);
      else await scratch.drop();
      await server?.stop();
    },
  };
}
