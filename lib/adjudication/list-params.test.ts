import { describe, expect, it } from "vitest";
import { listQuery, parseListParams } from "./list-params";

describe("the adjudication list's URL", () => {
  it("reads the filters and the cursor, and writes them back without the defaults", () => {
    const parsed = parseListParams({
      dimension: "refusal",
      strategy: "rl",
      checkpoint: "4",
      status: "done",
      after: "90",
    });
    expect(parsed).toEqual({
      filters: { dimension: "refusal", strategy: "RL", checkpointId: 4, status: "done" },
      after: 90,
    });
    expect(listQuery(parsed.filters, { after: 90 })).toBe(
      "?dimension=refusal&strategy=rl&checkpoint=4&status=done&after=90",
    );
    expect(listQuery({ status: "open" })).toBe("");
  });

  it("drops unknown values: the list opens with its defaults", () => {
    expect(parseListParams({ dimension: "colour", strategy: "x", checkpoint: "-1", status: "?", before: "y" })).toEqual(
      {
        filters: { status: "open" },
      },
    );
    expect(parseListParams({ before: "12" })).toEqual({ filters: { status: "open" }, before: 12 });
  });
});
