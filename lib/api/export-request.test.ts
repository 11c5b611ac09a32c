import { describe, expect, it } from "vitest";
import { parseExportQuery } from "./export-request";

const parse = (query: string) => parseExportQuery(new URLSearchParams(query));

describe("parseExportQuery", () => {
  it("defaults to labels as CSV without a byte-order mark, pseudonymised", () => {
    expect(parse("")).toEqual({
      ok: true,
      query: { format: "csv", shape: "labels", bom: false, reveal: false, filters: {} },
    });
  });

  it("reads format, shape, bom and the analytics page's filters", () => {
    const parsed = parse(
      "format=jsonl&shape=responses&bom=1&strategy=rl&strategy=HYBRID&split=jailbreak&checkpoint=3,4&from=2026-11-01&to=2026-11-02",
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.query).toMatchObject({ format: "jsonl", shape: "responses", bom: true, reveal: false });
    expect(parsed.query.filters).toEqual({
      strategies: ["RL", "HYBRID"],
      splits: ["jailbreak"],
      checkpointIds: [3, 4],
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-03T00:00:00Z"),
    });
  });

  it("refuses a judge's basis: the export reads human labels", () => {
    expect(parse("basis=judge:gpt-refusals")).toEqual({
      ok: false,
      errors: [
        "basis: the export reads human labels (adjudicated or reviewers); judges' labels are read in analytics.",
      ],
    });
    expect(parse("basis=reviewers")).toMatchObject({ ok: true, query: { filters: { basis: "reviewers" } } });
  });

  it("names every bad parameter", () => {
    const parsed = parse("format=xlsx&shape=rows&strategy=PPO&checkpoint=abc&bom=maybe");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        'format must be "csv" or "jsonl"',
        'shape must be "labels" or "responses"',
        expect.stringMatching(/^bom: /),
        expect.stringContaining("strategy must be one of SFT, RL, HYBRID, BASE"),
        'checkpoint must be checkpoint numbers (got "abc").',
      ]),
    );
  });
});
