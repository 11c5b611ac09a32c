// Routes stay thin (docs/ARCHITECTURE.md): parse, authorise, call lib/, respond. The SQL lives in
// lib/<domain>/, where its tests are; app/ holds none. This finds what would break that: a query
// sent (`.query(`), SQL composed with lib/db/sql's tag, a statement in a string, or the PostgreSQL
// driver or the database layer's pool imported directly.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const SQL_SIGNS: [RegExp, string][] = [
  [/\.query(?:<[^>()]*>)?\(/, "sends a query"],
  [/\bsql`/, "composes SQL"],
  [
    /\b(?:SELECT\s+(?:[\w*"(]|DISTINCT)[^\n]*\bFROM\b|INSERT\s+INTO|UPDATE\s+"?\w+"?\s+SET|DELETE\s+FROM)\b/,
    "holds a SQL statement",
  ],
  [/from\s+["']pg["']/, "imports the PostgreSQL driver"],
  [/from\s+["'](?:@\/lib\/db\/sql|[./]+lib\/db\/sql)["']/, "imports the SQL tag"],
];

/** Why a file's text is SQL, or null. */
export function sqlIn(text: string): string | null {
  for (const [pattern, why] of SQL_SIGNS) if (pattern.test(text)) return why;
  return null;
}

/** Every .ts/.tsx file under `dir` that holds SQL, with the reason (paths relative to `root`). */
export function filesWithSql(root: string, dir = "app"): { file: string; why: string }[] {
  const found: { file: string; why: string }[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.tsx?$/.test(name)) {
        const why = sqlIn(readFileSync(full, "utf8"));
        if (why !== null) found.push({ file: path.relative(root, full).split(path.sep).join("/"), why });
      }
    }
  };
  walk(path.join(root, dir));
  return found;
}
