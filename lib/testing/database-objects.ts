// The functions and triggers the migrations define, each with the newest migration that holds its
// current definition: the index in docs/ARCHITECTURE.md is checked against this
// (database-objects.test.ts), so it cannot go stale. `npx tsx lib/testing/database-objects.ts`
// prints the rows the index must have.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface DatabaseFunction {
  name: string;
  /** The migration folder whose SQL holds the function's current body. */
  migration: string;
}

export interface DatabaseTrigger {
  name: string;
  table: string;
  calls: string;
  migration: string;
}

const IDENT = `"?([A-Za-z_][A-Za-z0-9_]*)"?`;

/** Functions and triggers as the migrations leave them, applied in order (create, replace, rename, drop). */
export function databaseObjects(migrationsDir: string): { functions: DatabaseFunction[]; triggers: DatabaseTrigger[] } {
  const functions = new Map<string, DatabaseFunction>();
  const triggers = new Map<string, DatabaseTrigger>();
  const folders = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const migration of folders) {
    // Comments may name functions ("the function as it was, renamed"): read statements only.
    const sql = readFileSync(path.join(migrationsDir, migration, "migration.sql"), "utf8").replace(/--[^\n]*/g, "");
    const statement = new RegExp(
      [
        `CREATE\\s+(?:OR\\s+REPLACE\\s+)?FUNCTION\\s+(?:"?public"?\\.)?${IDENT}`,
        `ALTER\\s+FUNCTION\\s+(?:"?public"?\\.)?${IDENT}\\s*\\([^)]*\\)\\s*RENAME\\s+TO\\s+${IDENT}`,
        `DROP\\s+FUNCTION\\s+(?:IF\\s+EXISTS\\s+)?(?:"?public"?\\.)?${IDENT}`,
        `CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:CONSTRAINT\\s+)?TRIGGER\\s+${IDENT}([\\s\\S]*?)\\bON\\s+(?:"?public"?\\.)?${IDENT}[\\s\\S]*?EXECUTE\\s+(?:FUNCTION|PROCEDURE)\\s+(?:"?public"?\\.)?${IDENT}`,
        `DROP\\s+TRIGGER\\s+(?:IF\\s+EXISTS\\s+)?${IDENT}\\s+ON\\s+(?:"?public"?\\.)?${IDENT}`,
      ]
        .map((part) => `(?:${part})`)
        .join("|"),
      "gi",
    );
    for (const m of sql.matchAll(statement)) {
      const [
        ,
        created,
        renamedFrom,
        renamedTo,
        dropped,
        trigger,
        ,
        triggerTable,
        triggerCalls,
        droppedTrigger,
        droppedTriggerTable,
      ] = m;
      if (created) functions.set(created, { name: created, migration });
      else if (renamedFrom && renamedTo) {
        const before = functions.get(renamedFrom);
        functions.delete(renamedFrom);
        functions.set(renamedTo, { name: renamedTo, migration: before?.migration ?? migration });
      } else if (dropped) functions.delete(dropped);
      else if (trigger && triggerTable && triggerCalls)
        triggers.set(`${triggerTable}.${trigger}`, {
          name: trigger,
          table: triggerTable,
          calls: triggerCalls,
          migration,
        });
      else if (droppedTrigger && droppedTriggerTable) triggers.delete(`${droppedTriggerTable}.${droppedTrigger}`);
    }
  }
  return {
    functions: [...functions.values()].sort((a, b) => a.name.localeCompare(b.name)),
    triggers: [...triggers.values()].sort((a, b) => a.table.localeCompare(b.table) || a.name.localeCompare(b.name)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { functions, triggers } = databaseObjects(
    path.resolve(import.meta.dirname, "..", "..", "prisma", "migrations"),
  );
  console.log("| function | current body in | what it does |\n|---|---|---|");
  for (const f of functions) console.log(`| \`${f.name}\` | \`${f.migration}\` | |`);
  console.log("\n| trigger | on | calls | defined in |\n|---|---|---|---|");
  for (const t of triggers) console.log(`| \`${t.name}\` | \`${t.table}\` | \`${t.calls}\` | \`${t.migration}\` |`);
}
