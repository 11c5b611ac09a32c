import { describe, expect, it } from "vitest";
import { parseAnalyticsRequest } from "./analytics-request";
import { searchParamsRecord } from "./url-filters";

const parse = (query: string) => parseAnalyticsRequest(searchParamsRecord(new URLSearchParams(query)));

describe("parseAnalyticsRequest", () => {
  it("defaults to every table as JSON, without filters", () => {
    expect(parse("")).toEqual({ ok: true, request: { format: "json", table: "results", filters: {} } });
  });

  it("reads the page's filters, the format and the table", () => {
    expect(
      parse("format=csv&table=comparisons&split=safe&checkpoint=3,4&strategy=rl&basis=reviewers&unknown=x"),
    ).toEqual({
      ok: true,
      request: {
        format: "csv",
        table: "comparisons",
        filters: { splits: ["safe"], checkpointIds: [3, 4], strategies: ["RL"], basis: "reviewers" },
      },
    });
  });

  it("names every bad parameter", () => {
    const parsed = parse("format=xml&table=everything&strategy=PPO&from=yesterday");
    expect(parsed).toMatchObject({ ok: false });
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        'format must be "json" or "csv"',
        "table must be one of results, agreement, comparisons, judges",
        expect.stringContaining("strategy must be one of SFT, RL, HYBRID, BASE"),
        'from must be a date as YYYY-MM-DD (got "yesterday").',
      ]),
    );
    expect(parsed.errors).toHaveLength(4);
  });

  it("refuses a request with only a bad option, or only a bad filter, naming just that one", () => {
    expect(parse("format=xml")).toEqual({ ok: false, errors: ['format must be "json" or "csv"'] });
    expect(parse("format=csv&checkpoint=first")).toEqual({
      ok: false,
      errors: ['checkpoint must be checkpoint numbers (got "first").'],
    });
  });
});
