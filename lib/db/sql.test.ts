import { describe, expect, it } from "vitest";
import { join, param, raw, sql, Sql } from "./sql";

describe("sql", () => {
  it("numbers plain values $1…$n in order of appearance", () => {
    expect(sql`SELECT * FROM label WHERE study_id = ${7} AND reviewer_id = ${3}`.toQuery()).toEqual({
      text: "SELECT * FROM label WHERE study_id = $1 AND reviewer_id = $2",
      values: [7, 3],
    });
  });

  it("gives each plain value its own parameter, even an equal one", () => {
    // Merging equal values would make the text depend on the values.
    expect(sql`${1}, ${1}`.toQuery()).toEqual({ text: "$1, $2", values: [1, 1] });
  });

  it("numbers a reused param once, at its first appearance", () => {
    const reviewers = param([4, 5]);
    const q =
      sql`(${reviewers}::int[] IS NULL OR a = ANY(${reviewers}::int[])) AND b = ${"x"} AND c = ANY(${reviewers}::int[])`.toQuery();
    expect(q).toEqual({
      text: "($1::int[] IS NULL OR a = ANY($1::int[])) AND b = $2 AND c = ANY($1::int[])",
      values: [[4, 5], "x"],
    });
  });

  it("nests fragments, numbering across them, a param shared between them once", () => {
    const study = param(9);
    const inner = sql`l.study_id = ${study} AND l.source = ${"REVIEW"}`;
    const outer = sql`SELECT ${10} FROM (SELECT * FROM label l WHERE ${inner}) l JOIN response r ON r.study_id = ${study} AND r.id = ${11}`;
    expect(outer.toQuery()).toEqual({
      text: "SELECT $1 FROM (SELECT * FROM label l WHERE l.study_id = $2 AND l.source = $3) l JOIN response r ON r.study_id = $2 AND r.id = $4",
      values: [10, 9, "REVIEW", 11],
    });
  });

  it("joins fragments with a separator, and nothing for no fragments", () => {
    const conditions = [sql`a = ${1}`, raw("b IS NULL"), sql`c = ${2}`];
    expect(sql`WHERE ${join(conditions, " AND ")}`.toQuery()).toEqual({
      text: "WHERE a = $1 AND b IS NULL AND c = $2",
      values: [1, 2],
    });
    expect(join([sql`x`, sql`y`]).toQuery().text).toBe("x, y");
    expect(sql`SELECT 1${join([], " AND ")}`.toQuery()).toEqual({ text: "SELECT 1", values: [] });
  });

  it("puts raw text in as it is and takes no parameter for it", () => {
    expect(sql`SELECT ${raw("l.harm_severity")} FROM label l`.toQuery()).toEqual({
      text: "SELECT l.harm_severity FROM label l",
      values: [],
    });
  });

  it("keeps a value out of the text, an injection attempt included", () => {
    const attack = "x'; DROP TABLE label; --";
    const q =
      sql`SELECT * FROM label l WHERE l.prompt_category = ANY(${[attack]}::text[]) AND l.source = ${attack}`.toQuery();
    expect(q.text).toBe("SELECT * FROM label l WHERE l.prompt_category = ANY($1::text[]) AND l.source = $2");
    expect(q.text).not.toContain("DROP");
    expect(q.values).toEqual([[attack], attack]);
  });

  it("gives the same text for the same structure whatever the values (prepared statements by name)", () => {
    const statement = (study: number, categories: string[] | null) => {
      const c = param(categories);
      return sql`SELECT * FROM label l WHERE l.study_id = ${study} AND (${c}::text[] IS NULL OR l.prompt_category = ANY(${c}::text[]))`.toQuery();
    };
    const a = statement(1, null);
    const b = statement(2, ["harmful", "benign"]);
    expect(a.text).toBe(b.text);
    expect(a.values).toEqual([1, null]);
    expect(b.values).toEqual([2, ["harmful", "benign"]]);
    // Built again from scratch: the same text.
    expect(statement(1, null)).toEqual(a);
  });

  it("numbers pinned params first, for fixed text that names them by number", () => {
    const study = param(3);
    const hints = param(["format"]);
    const q = sql`SELECT ${5}, $2::text[] FROM label l WHERE l.study_id = ${study}`.toQuery([study, hints]);
    expect(q).toEqual({ text: "SELECT $3, $2::text[] FROM label l WHERE l.study_id = $1", values: [3, ["format"], 5] });
  });

  it("refuses an undefined value (a missing field), and takes null as SQL NULL", () => {
    expect(() => sql`a = ${undefined}`).toThrow(/undefined/);
    expect(sql`a = ${null}`.toQuery()).toEqual({ text: "a = $1", values: [null] });
  });

  it("numbers the values of one fragment included twice once (one parameter, as a param)", () => {
    const submitted = sql`coalesce(${"2026-09-01T00:00:00Z"}::timestamptz, now())`;
    expect(sql`(${submitted}, ${submitted}, ${2})`.toQuery()).toEqual({
      text: "(coalesce($1::timestamptz, now()), coalesce($1::timestamptz, now()), $2)",
      values: ["2026-09-01T00:00:00Z", 2],
    });
  });

  it("keeps fragments immutable: one fragment in two statements numbers afresh in each", () => {
    const condition = sql`l.source = ${"IMPORT"}`;
    expect(sql`${condition}`.toQuery().text).toBe("l.source = $1");
    expect(sql`${1} ${condition}`.toQuery().text).toBe("$1 l.source = $2");
    expect(condition).toBeInstanceOf(Sql);
  });
});
