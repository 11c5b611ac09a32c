import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import {
  countLoneSurrogates,
  NO_LONE_SURROGATES,
  RepairTally,
  repairLoneSurrogates,
  repairNotes,
} from "./lone-surrogates";
import { readRecords } from "./formats";
import type { SourceItem } from "./read-records";

async function records(text: string, format: "jsonl" | "csv") {
  const out: Record<string, unknown>[] = [];
  for await (const item of readRecords(Readable.from([Buffer.from(text)]), format) as AsyncGenerator<SourceItem>)
    if (item.kind === "record") out.push(item.record);
  return out;
}

describe("lone surrogates", () => {
  it("counts halves of pairs without their partner, not whole pairs", () => {
    expect(countLoneSurrogates("plain 🤖 中文")).toBe(0);
    expect(countLoneSurrogates("\ud800")).toBe(1);
    expect(countLoneSurrogates("\udc00\ud800")).toBe(2); // low before high: two lone halves
    expect(countLoneSurrogates("a\ud83d")).toBe(1);
    expect(countLoneSurrogates("\ud83d\ude00\ud83d")).toBe(1);
  });

  it("returns the very record when there is nothing to repair, keeping other properties", () => {
    const context = Symbol("context");
    const record = { a: "x", b: { c: ["y"] }, n: 3, [context]: "task 1" } as Record<string, unknown>;
    const result = repairLoneSurrogates(record);
    expect(result.record).toBe(record);
    expect(result.repairs).toBeNull();
    const broken = repairLoneSurrogates({ ...record, a: "x\ud800" } as Record<string, unknown>);
    expect(broken.record.a).toBe("x\uFFFD");
    expect((broken.record as Record<symbol, unknown>)[context]).toBe("task 1");
    expect(record.a).toBe("x"); // the input is not changed
  });

  it("sums per field over the rows and says so in one sentence per field with the lines", () => {
    const tally = new RepairTally();
    tally.add(4, [{ field: "response", count: 1 }]);
    tally.add(7, undefined);
    tally.add(9, [
      { field: "response", count: 2 },
      { field: "prompt", count: 1 },
    ]);
    expect(repairNotes(tally.list())).toEqual([
      "replaced 3 lone surrogates with U+FFFD in response (lines 4, 9)",
      "replaced 1 lone surrogate with U+FFFD in prompt (line 9)",
    ]);
    const many = new RepairTally();
    for (let line = 1; line <= 12; line++) many.add(line, [{ field: "answer", count: 1 }]);
    expect(repairNotes(many.list())).toEqual([
      "replaced 12 lone surrogates with U+FFFD in answer (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more row(s))",
    ]);
  });

  it("is skipped only for records that cannot hold one: CSV rows, JSON Lines without a \\u escape", async () => {
    const marked = (r: Record<string, unknown>) =>
      (r as { [NO_LONE_SURROGATES]?: boolean })[NO_LONE_SURROGATES] === true;
    const jsonl = await records(
      `{"a":"plain 中文"}` + "\n" + String.raw`{"a":"\u00e9"}` + "\n" + String.raw`{"a":"\ud800"}` + "\n",
      "jsonl",
    );
    expect(jsonl.map(marked)).toEqual([true, false, false]);
    expect(repairLoneSurrogates(jsonl[2]!).repairs).toEqual([{ field: "a", count: 1 }]);
    expect((await records("a,b\n1,2\n", "csv")).map(marked)).toEqual([true]);
    // A marked record is trusted as it is: the mark must only be set where the rule above holds.
    const trusted = { a: "x\ud800", [NO_LONE_SURROGATES]: true } as Record<string, unknown>;
    expect(repairLoneSurrogates(trusted).repairs).toBeNull();
  });
});
