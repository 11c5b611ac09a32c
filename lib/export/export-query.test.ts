// The filters the judge_labels shape refuses, as the API and the command line name them.
import { describe, expect, it } from "vitest";
import { judgeShapeFilterErrors } from "./export-query";

describe("judgeShapeFilterErrors", () => {
  const cli = (name: string) => `--${name}`;

  it("refuses a reviewer and a source filter, each under the caller's name for it", () => {
    expect(judgeShapeFilterErrors({ reviewerIds: [3], source: "IMPORT" }, cli)).toEqual([
      "--reviewer: judge labels have no reviewer; leave it out with the judge_labels shape.",
      "--source: judge labels have no label source; leave it out with the judge_labels shape.",
    ]);
    expect(judgeShapeFilterErrors({ source: "REVIEW" }, cli)).toEqual([
      "--source: judge labels have no label source; leave it out with the judge_labels shape.",
    ]);
  });

  it("takes no filter, or an empty reviewer list, as no filter", () => {
    expect(judgeShapeFilterErrors({}, cli)).toEqual([]);
    expect(judgeShapeFilterErrors({ reviewerIds: [] }, cli)).toEqual([]);
  });
});
