// `npm run db:migration:new -- NAME`: writes prisma/migrations/<timestamp>_<name>/migration.sql for
// the changes to prisma/schema.prisma since the newest migration, and keeps a copy of the schema
// beside it as the starting point of the next diff (the WebAssembly engine cannot introspect).
import { copyFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { diffSinceLastMigration, migrationsDir, schemaPath } from "./schema-engine";

function timestamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/** Returns the new migration's folder, or undefined when the schema has not changed. */
export async function createMigration(connectionString: string, name: string): Promise<string | undefined> {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
  if (!slug) throw new Error(`"${name}" is not a usable migration name.`);
  const folders = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const newest = folders.at(-1);
  const previous = newest ? await readFile(path.join(migrationsDir, newest, "schema.prisma"), "utf8") : null;
  const sql = await diffSinceLastMigration(connectionString, previous);
  if (!/\b(CREATE|ALTER|DROP|COMMENT)\b/i.test(sql)) return undefined;
  const folder = path.join(migrationsDir, `${timestamp()}_${slug}`);
  await mkdir(folder);
  await writeFile(path.join(folder, "migration.sql"), sql);
  await copyFile(schemaPath, path.join(folder, "schema.prisma"));
  return path.relative(process.cwd(), folder);
}
