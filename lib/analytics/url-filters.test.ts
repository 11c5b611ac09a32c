import { describe, expect, it } from "vitest";
import { filterQuery, parseUrlFilters } from "./url-filters";

describe("parseUrlFilters", () => {
  it("reads every filter from the URL", () => {
    const parsed = parseUrlFilters({
      strategy: ["rl", "SFT"],
      split: "jailbreak",
      category: "",
      reviewer: "7",
      source: "import",
      from: "2026-11-01",
      to: "2026-11-02",
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.filters).toEqual({
      strategies: ["RL", "SFT"],
      splits: ["jailbreak"],
      reviewerIds: [7],
      source: "IMPORT",
      from: new Date("2026-11-01T00:00:00Z"),
      // "to" is inclusive: labels of the whole day count.
      to: new Date("2026-11-03T00:00:00Z"),
    });
    expect(filterQuery(parsed.values)).toBe(
      "strategy=rl&strategy=SFT&split=jailbreak&reviewer=7&source=import&from=2026-11-01&to=2026-11-02",
    );
  });

  it("means no filter when nothing is given", () => {
    expect(parseUrlFilters({})).toMatchObject({ ok: true, filters: {} });
  });

  it("reads checkpoints by number, repeated or comma-separated, and names a bad one", () => {
    expect(parseUrlFilters({ checkpoint: ["3,4", "9"] })).toMatchObject({
      ok: true,
      filters: { checkpointIds: [3, 4, 9] },
    });
    expect(parseUrlFilters({ checkpoint: "r1-zero" })).toMatchObject({
      ok: false,
      errors: ['checkpoint must be checkpoint numbers (got "r1-zero").'],
    });
    expect(parseUrlFilters({ checkpoint: "0" })).toMatchObject({ ok: false });
  });

  it("explains bad values instead of failing", () => {
    const parsed = parseUrlFilters({
      strategy: "PPO",
      source: "web",
      from: "yesterday",
      to: "2026-02-30",
      reviewer: "x",
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining("strategy must be one of SFT, RL, HYBRID, BASE"),
        expect.stringContaining("source must be review or import"),
        expect.stringContaining('from must be a date as YYYY-MM-DD (got "yesterday")'),
        expect.stringContaining('to must be a date as YYYY-MM-DD (got "2026-02-30")'),
        expect.stringContaining("reviewer must be a reviewer's number"),
      ]),
    );
  });

  it("reads the basis: adjudicated labels where set (the default) or the reviewers' own", () => {
    expect(parseUrlFilters({ basis: "reviewers" })).toMatchObject({ ok: true, filters: { basis: "reviewers" } });
    expect(parseUrlFilters({ basis: "Adjudicated" })).toMatchObject({ ok: true, filters: { basis: "adjudicated" } });
    expect(parseUrlFilters({})).toMatchObject({ ok: true, filters: { basis: undefined } });
    expect(parseUrlFilters({ basis: "judges" })).toMatchObject({
      ok: false,
      errors: ['basis must be adjudicated, reviewers or judge:NAME (got "judges").'],
    });
    // A judge's labels, its name kept as written.
    expect(parseUrlFilters({ basis: "Judge:gpt-Judge.2" })).toMatchObject({
      ok: true,
      filters: { basis: "judge:gpt-Judge.2" },
    });
    expect(parseUrlFilters({ basis: "judge:" })).toMatchObject({ ok: false });
    expect(parseUrlFilters({ basis: "judge:a b" })).toMatchObject({ ok: false });
    expect(parseUrlFilters({ basis: ["reviewers", "adjudicated"] })).toMatchObject({
      ok: false,
      errors: expect.arrayContaining(["basis can be given once: adjudicated, reviewers or judge:NAME."]),
    });
  });

  it("refuses a period that ends before it starts", () => {
    expect(parseUrlFilters({ from: "2026-11-05", to: "2026-11-01" })).toMatchObject({
      ok: false,
      errors: ["from must be on or before to."],
    });
  });
});
