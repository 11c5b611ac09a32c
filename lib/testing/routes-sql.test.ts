// app/ holds no SQL: routes and pages call lib/, which holds the statements and their tests.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesWithSql, sqlIn } from "./routes-sql";

const root = path.resolve(import.meta.dirname, "..", "..");

describe("app/ holds no SQL", () => {
  it("finds no query, statement, SQL tag or driver in any route, page or action", { timeout: 60_000 }, () => {
    expect(filesWithSql(root)).toEqual([]);
  });

  it("would notice each kind of SQL in a route", () => {
    expect(sqlIn("const { rows } = await pool.query<{ id: number }>(text, [slug]);")).toBe("sends a query");
    expect(sqlIn("await db.query(`...`)")).toBe("sends a query");
    expect(sqlIn("const q = sql`SELECT 1`;")).toBe("composes SQL");
    expect(sqlIn('const text = "SELECT id FROM study WHERE slug = $1";')).toBe("holds a SQL statement");
    expect(sqlIn("`INSERT INTO audit_event (actor) VALUES ($1)`")).toBe("holds a SQL statement");
    expect(sqlIn('"UPDATE study SET name = $2"')).toBe("holds a SQL statement");
    expect(sqlIn("'DELETE FROM review_draft'")).toBe("holds a SQL statement");
    expect(sqlIn('import pg from "pg";')).toBe("imports the PostgreSQL driver");
    expect(sqlIn('import { raw } from "@/lib/db/sql";')).toBe("imports the SQL tag");
  });

  it("lets words of the screens and calls into lib/ pass", () => {
    expect(sqlIn("<p>Select the responses to export from the list.</p>")).toBeNull();
    expect(
      sqlIn('const study = await studyBySlug(pool, slug);\nimport { getPool } from "@/lib/db/client";'),
    ).toBeNull();
    expect(sqlIn("Update the study's settings, then delete from this page what you no longer need.")).toBeNull();
  });
});
