import { describe, expect, it } from "vitest";
import { filterQuery, parseUrlFilters, searchParamsRecord } from "./url-filters";

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

  it("refuses a period that ends the day before it starts, and takes a single day", () => {
    expect(parseUrlFilters({ from: "2026-11-02", to: "2026-11-01" })).toMatchObject({
      ok: false,
      errors: ["from must be on or before to."],
    });
    expect(parseUrlFilters({ from: "2026-11-02", to: "2026-11-02" })).toMatchObject({
      ok: true,
      filters: { from: new Date("2026-11-02T00:00:00Z"), to: new Date("2026-11-03T00:00:00Z") },
    });
    expect(parseUrlFilters({ to: "2026-11-02" })).toMatchObject({
      ok: true,
      filters: { to: new Date("2026-11-03T00:00:00Z") },
    });
  });

  it("reads repeated URL parameters as lists and single ones as values", () => {
    expect(searchParamsRecord(new URLSearchParams("split=a&strategy=RL&split=b"))).toEqual({
      split: ["a", "b"],
      strategy: "RL",
    });
  });

  it("trims values and leaves blank ones out", () => {
    expect(parseUrlFilters({ strategy: [" rl ", "  "], checkpoint: " 3 , 4 ,", split: " safe " })).toMatchObject({
      ok: true,
      filters: { strategies: ["RL"], checkpointIds: [3, 4], splits: ["safe"] },
    });
    expect(parseUrlFilters({ reviewer: " 7 " })).toMatchObject({ ok: true, filters: { reviewerIds: [7] } });
  });

  it("takes only whole numbers of at most nine digits for reviewers and checkpoints", () => {
    for (const bad of ["a7", "7a", "1234567890", "-3", "3.5"]) {
      expect(parseUrlFilters({ reviewer: bad })).toEqual({
        ok: false,
        errors: [`reviewer must be a reviewer's number (got "${bad}").`],
        values: expect.anything(),
      });
      expect(parseUrlFilters({ checkpoint: bad })).toEqual({
        ok: false,
        errors: [`checkpoint must be checkpoint numbers (got "${bad}").`],
        values: expect.anything(),
      });
    }
    expect(parseUrlFilters({ checkpoint: "0" })).toMatchObject({
      errors: ['checkpoint must be checkpoint numbers (got "0").'],
    });
    expect(parseUrlFilters({ reviewer: "123456789", checkpoint: "987654321" })).toMatchObject({
      ok: true,
      filters: { reviewerIds: [123456789], checkpointIds: [987654321] },
    });
  });

  it("names a filter given twice that takes one value", () => {
    expect(parseUrlFilters({ source: ["review", "import"] })).toMatchObject({
      ok: false,
      errors: ["source can be given once: review or import."],
    });
    expect(parseUrlFilters({ from: ["2026-11-01", "2026-11-02"] })).toMatchObject({
      ok: false,
      errors: ["from can be given once."],
    });
    expect(parseUrlFilters({ to: ["2026-11-01", "2026-11-02"] })).toMatchObject({
      ok: false,
      errors: ["to can be given once."],
    });
  });

  it("names each bad value with what was given, in the form's words", () => {
    expect(parseUrlFilters({ strategy: ["RL", "PPO"] })).toMatchObject({
      errors: ['strategy must be one of SFT, RL, HYBRID, BASE (got "RL, PPO").'],
    });
    expect(parseUrlFilters({ source: "web" })).toMatchObject({
      errors: ['source must be review or import (got "web").'],
    });
    // "judge:" only at the start names a judge.
    expect(parseUrlFilters({ basis: "myjudge:gpt" })).toMatchObject({
      errors: ['basis must be adjudicated, reviewers or judge:NAME (got "myjudge:gpt").'],
    });
    expect(parseUrlFilters({ category: "x".repeat(201) })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^category: /)],
    });
    expect(parseUrlFilters({ split: "x".repeat(201) })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^split: /)],
    });
    expect(parseUrlFilters({ from: "2026-11-1" })).toMatchObject({
      errors: ['from must be a date as YYYY-MM-DD (got "2026-11-1").'],
    });
  });
});
