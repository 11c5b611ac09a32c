import { describe, expect, it } from "vitest";
import { failQuery, pageQuery, renewalIntervalMs, sliceEnd, workerName } from "./leased-run";

describe("the end of a slice", () => {
  it("leaves a run whose lease was lost to its new holder, whatever else holds", () => {
    expect(sliceEnd(null, true, false, false)).toBe("not-mine");
    expect(sliceEnd(null, false, true, true)).toBe("not-mine");
  });

  it("releases a paused or cancelled run, even when every item is written", () => {
    expect(sliceEnd("PAUSED", true, false, false)).toBe("paused");
    expect(sliceEnd("CANCELLED", true, false, false)).toBe("cancelled");
    expect(sliceEnd("CANCELLED", false, true, false)).toBe("cancelled");
  });

  it("finishes a drained run only while the process goes on and the slice lasts", () => {
    expect(sliceEnd("RUNNING", true, false, false)).toBe("finish");
    expect(sliceEnd("RUNNING", true, true, false)).toBe("hand-over");
    expect(sliceEnd("RUNNING", true, false, true)).toBe("hand-over");
    expect(sliceEnd("RUNNING", false, false, false)).toBe("hand-over");
  });
});

describe("leases", () => {
  it("are renewed a third of the lease apart, at least twice a second", () => {
    expect(renewalIntervalMs(30)).toBe(500);
    expect(renewalIntervalMs(1)).toBeCloseTo(333.33, 1);
    expect(renewalIntervalMs(1.5)).toBe(500);
  });

  it("are held under a name unique to each worker slot of the process", () => {
    const a = workerName();
    const b = workerName();
    expect(a).not.toBe(b);
    expect(a).toContain(`:${process.pid}:`);
  });
});

describe("item queries", () => {
  const generation = {
    itemTable: "generation_item",
    itemKey: ["prompt_id", "sample_index"],
    page: { select: "i.prompt_id", from: "generation_item i" },
  };
  const judge = {
    itemTable: "judge_item",
    itemKey: ["response_id"],
    page: { select: "i.response_id", from: "judge_item i" },
  };

  it("read pending items after the last key, in key order, with the limit after the key's parameters", () => {
    const two = pageQuery(generation).replace(/\s+/g, " ");
    expect(two).toContain("i.status = 'PENDING' AND (i.prompt_id, i.sample_index) > ($2, $3)");
    expect(two).toContain("ORDER BY i.prompt_id, i.sample_index LIMIT $4");
    const one = pageQuery(judge).replace(/\s+/g, " ");
    expect(one).toContain("(i.response_id) > ($2) ORDER BY i.response_id LIMIT $3");
  });

  it("mark failures by the whole key, only while PENDING", () => {
    const two = failQuery(generation).replace(/\s+/g, " ");
    expect(two).toContain(
      "unnest($2::int[], $3::int[], $4::int[], $5::text[]) AS u(prompt_id, sample_index, attempts, error)",
    );
    expect(two).toContain("i.prompt_id = u.prompt_id AND i.sample_index = u.sample_index AND i.status = 'PENDING'");
    const one = failQuery(judge).replace(/\s+/g, " ");
    expect(one).toContain("unnest($2::int[], $3::int[], $4::text[]) AS u(response_id, attempts, error)");
  });
});
