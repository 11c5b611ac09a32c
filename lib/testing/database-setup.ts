// Vitest global setup for integration tests: a fresh, migrated database for this run — on
// TEST_DATABASE_URL's server when given (CI uses the machine's PostgreSQL), else on an embedded
// PostgreSQL in .parallax/test-db. The database is dropped afterwards.
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../db/embedded";
import { applyMigrations, projectRoot } from "../db/schema-engine";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(serverUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export default async function setup(project: TestProject) {
  let server: EmbeddedPostgres | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    server = await startEmbeddedPostgres({
      dataDir: path.join(projectRoot, ".parallax", "test-db"),
      // A throw-away cluster: durability is not what these tests measure.
      settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
    });
    serverUrl = server.url;
  }
  const scratch = await createScratchDatabase(serverUrl, "parallax_test");
  await applyMigrations(scratch.url);
  project.provide("databaseUrl", scratch.url);
  return async () => {
    await scratch.drop();
    await server?.stop();
  };
}
