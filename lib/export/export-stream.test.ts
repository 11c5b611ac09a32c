// What the route's download is called and says it holds (export-stream.ts), without a database.
import { describe, expect, it } from "vitest";
import { ExportAbortedError, exportContentType, exportFileName } from "./export-stream";

describe("the download's name and type", () => {
  it("names the file after the study, the shape and the day (UTC), with the format's extension", () => {
    const late = new Date("2026-12-07T23:30:00Z");
    expect(exportFileName("demo-study", { shape: "labels", format: "csv" }, late)).toBe(
      "demo-study-labels-2026-12-07.csv",
    );
    expect(exportFileName("demo-study", { shape: "judge_labels", format: "jsonl" }, late)).toBe(
      "demo-study-judge_labels-2026-12-07.jsonl",
    );
    const today = new Date().toISOString().slice(0, 10);
    const now = exportFileName("s", { shape: "responses", format: "csv" });
    // Either side of midnight while this runs.
    expect([`s-responses-${today}.csv`, `s-responses-${new Date().toISOString().slice(0, 10)}.csv`]).toContain(now);
  });

  it("declares UTF-8 CSV or JSON Lines", () => {
    expect(exportContentType("csv")).toBe("text/csv; charset=utf-8");
    expect(exportContentType("jsonl")).toBe("application/x-ndjson; charset=utf-8");
  });

  it("says a cancelled export was the client's doing", () => {
    const error = new ExportAbortedError();
    expect(error.name).toBe("ExportAbortedError");
    expect(error.message).toBe("The export was cancelled: the client went away.");
  });
});
