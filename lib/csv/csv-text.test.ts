import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv-text";
import { FORMULA_CASES, SAFE_CASES } from "./formula-cases.fixture";
import { startsLikeFormula } from "./formula-cells";

describe("toCsv", () => {
  it("round-trips through a CSV parser: commas, quotes, line breaks, emoji; numbers stay numbers", () => {
    const rows = [
      { group: 'He said "hi", then left', n: 12, rate: 0.25 },
      { group: "line one\nline two", n: 0, rate: null },
      { group: "中文 🤖", n: -3, rate: 1 },
    ];
    const parsed = parse(toCsv(["group", "n", "rate"], rows), { columns: true }) as Record<string, string>[];
    expect(parsed).toEqual([
      { group: 'He said "hi", then left', n: "12", rate: "0.25" },
      { group: "line one\nline two", n: "0", rate: "" },
      { group: "中文 🤖", n: "-3", rate: "1" },
    ]);
  });

  it("neutralises text a spreadsheet would run as a formula", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"])
      expect(csvField(`${start}SUM(A1)`).replace(/^"/, "")).toMatch(/^'/);
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField("safe = text")).toBe("safe = text");
    expect(csvField(-0.5)).toBe("-0.5");
  });

  it("neutralises a formula after leading whitespace and in full-width forms, each case of the list", () => {
    for (const [name, cell] of FORMULA_CASES) {
      expect(startsLikeFormula(cell), name).toBe(true);
      const parsed = parse(toCsv(["cell"], [{ cell }]), { columns: true, relax_column_count: true }) as Record<
        string,
        string
      >[];
      expect(parsed[0]!.cell, name).toBe(`'${cell}`);
    }
  });

  it("leaves text alone that only contains formula characters later, or whitespace alone", () => {
    for (const [name, cell] of SAFE_CASES) {
      expect(startsLikeFormula(cell), name).toBe(false);
      const parsed = parse(`cell\r\n${csvField(cell)}\r\n`, { columns: true }) as Record<string, string>[];
      expect(parsed[0]?.cell ?? "", name).toBe(cell);
    }
  });
});
