// Prisma's schema engine compiled to WebAssembly: applies and writes migrations with no network
// (the Prisma CLI would first download a native engine). It records applied migrations in the
// standard _prisma_migrations table, so `prisma migrate status` elsewhere reads the same history.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

export const projectRoot = path.resolve(import.meta.dirname, "..", "..");
export const schemaPath = path.join(projectRoot, "prisma", "schema.prisma");
export const migrationsDir = path.join(projectRoot, "prisma", "migrations");

const noFilters = { externalTables: [], externalEnums: [] };

let wasmModule: Promise<typeof import("@prisma/schema-engine-wasm/schema_engine_bg")> | undefined;

function loadWasm() {
  wasmModule ??= (async () => {
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(
      path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
      "schema_engine_bg.wasm",
    );
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return wasmModule;
}

/**
 * The pg adapter runs a migration script by splitting it on ";" — which breaks function bodies and
 * comments — and statement by statement, so a failure leaves half a migration. Send the whole
 * script as one simple query instead: PostgreSQL runs it as one implicit transaction.
 */
function wholeScriptFactory(pool: pg.Pool): PrismaPg {
  const factory = new PrismaPg(pool);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    adapter.executeScript = async (script: string) => {
      await pool.query(script);
    };
    return adapter;
  };
  return factory;
}

/**
 * Runs `work` with a schema engine, then closes the engine's connections: Prisma holds a session
 * advisory lock while migrating, and an open connection would make the next process wait for it.
 */
async function withSchemaEngine<T>(connectionString: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const bg = await loadWasm();
  const datamodel = await readFile(schemaPath, "utf8");
  const pool = new pg.Pool({ connectionString, max: 2 });
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(wholeScriptFactory(pool));
    const engine = await bg.SchemaEngine.new({ datamodels: [[schemaPath, datamodel]] }, () => {}, adapter);
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

export async function listMigrations(): Promise<MigrationList> {
  const names = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (error: Error) => ({ tag: "error" as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

/** Applies every migration in prisma/migrations that the database has not seen; returns their names. */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const migrationsList = await listMigrations();
  return withSchemaEngine(connectionString, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return result.appliedMigrationNames;
  });
}

/**
 * SQL that takes a database from the schema the committed migrations produce to the current
 * prisma/schema.prisma. Computed from the schema snapshot stored beside the newest migration,
 * because introspecting a live database through the WebAssembly engine does not work here.
 */
export async function diffSinceLastMigration(connectionString: string, previousSchema: string | null): Promise<string> {
  const current = await readFile(schemaPath, "utf8");
  return withSchemaEngine(connectionString, async (engine) => {
    const result = await engine.diff({
      from:
        previousSchema === null
          ? { tag: "empty" }
          : { tag: "schemaDatamodel", files: [{ path: "previous.prisma", content: previousSchema }] },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: current }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return result.stdout ?? "";
  });
}
