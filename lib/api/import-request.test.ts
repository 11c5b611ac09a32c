import { describe, expect, it } from "vitest";
import { importRequestOf } from "./import-request";

describe("importRequestOf", () => {
  it("reads the column options (repeatable), the dry run and the gzip header of an upload", () => {
    const request = new Request(
      "http://localhost/api/v1/studies/s/responses?set=checkpoint%3Dgpt4&set=strategy%3Drl&rename=id%3Dprompt_id&derive=split%3Dunsafe%20if%20type%20startswith%20contrast_&dryRun=true",
      { method: "POST", headers: { "content-type": "text/csv", "content-encoding": "gzip" }, body: "x" },
    );
    expect(importRequestOf(request, "s", 7)).toMatchObject({
      studySlug: "s",
      userId: 7,
      contentType: "text/csv",
      contentEncoding: "gzip",
      set: ["checkpoint=gpt4", "strategy=rl"],
      rename: ["id=prompt_id"],
      derive: ["split=unsafe if type startswith contrast_"],
      dryRun: true,
    });
  });
});
