// The index of database functions and triggers in docs/ARCHITECTURE.md names every function and
// trigger of the migrations, with the migration that holds its current definition, and nothing else.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseObjects } from "./database-objects";

const root = path.resolve(import.meta.dirname, "..", "..");
const architecture = readFileSync(path.join(root, "docs", "ARCHITECTURE.md"), "utf8");
const index = /<!-- database-objects:start -->([\s\S]*?)<!-- database-objects:end -->/.exec(architecture)?.[1] ?? "";
const rows = index
  .split("\n")
  .filter((line) => /^\| `/.test(line))
  .map((line) =>
    line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim().replace(/^`|`$/g, "")),
  );

describe("the index of database functions and triggers (docs/ARCHITECTURE.md)", () => {
  const actual = databaseObjects(path.join(root, "prisma", "migrations"));

  it("is there", () => {
    expect(rows.length).toBeGreaterThan(0);
  });

  it("lists every function with the migration that holds its current body, and what it does", () => {
    const listed = rows.filter((cells) => cells.length === 3);
    expect(listed.map(([name, migration]) => ({ name, migration }))).toEqual(actual.functions);
    for (const [name, , what] of listed) expect(what, `what ${name} does`).not.toBe("");
  });

  it("lists every trigger with its table, its function and the migration that defines it", () => {
    const listed = rows
      .filter((cells) => cells.length === 4)
      .map(([name, table, calls, migration]) => ({ name, table, calls, migration }));
    expect(listed).toEqual(actual.triggers);
  });
});
