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

  it("refuses a judge's basis on the human-label shapes, and points to the judge_labels shape", () => {
    expect(parse("basis=judge:gpt-refusals")).toEqual({
      ok: false,
      errors: [
        "basis: the labels and responses shapes read human labels (adjudicated or reviewers); judges' labels are exported with shape=judge_labels.",
      ],
    });
    expect(parse("shape=responses&basis=judge:gpt-refusals").ok).toBe(false);
    expect(parse("basis=reviewers")).toMatchObject({ ok: true, query: { filters: { basis: "reviewers" } } });
  });

  it("names every bad parameter", () => {
    const parsed = parse("format=xlsx&shape=rows&strategy=PPO&checkpoint=abc&bom=maybe");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        'format must be "csv" or "jsonl"',
        'shape must be "labels", "responses" or "judge_labels"',
        expect.stringMatching(/^bom: /),
        expect.stringContaining("strategy must be one of SFT, RL, HYBRID, BASE"),
        'checkpoint must be checkpoint numbers (got "abc").',
      ]),
    );
  });

  it("refuses, by name, the filters that select human labels with the judge_labels shape", () => {
    expect(parse("shape=judge_labels&reviewer=3&source=review")).toEqual({
      ok: false,
      errors: [
        "reviewer: judge labels have no reviewer; leave it out with the judge_labels shape.",
        "source: judge labels have no label source; leave it out with the judge_labels shape.",
      ],
    });
    // The analytics page's basis travels with its export form; judge labels have no use for it.
    expect(parse("shape=judge_labels&basis=judge:guard&strategy=RL")).toMatchObject({
      ok: true,
      query: { shape: "judge_labels", filters: { strategies: ["RL"] } },
    });
  });
});
