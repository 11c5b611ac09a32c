import { describe, expect, it } from "vitest";
import { normaliseSpans, segmentText } from "./render-spans";

describe("segmentText", () => {
  it("cuts the text at span boundaries and gives it back whole", () => {
    const text = "We compute 然后我们 the sum";
    const start = text.indexOf("然");
    const segments = segmentText(text, [{ start, end: start + 4, lang: "zh" }]);
    expect(segments.map((s) => [s.text, s.lang])).toEqual([
      ["We compute ", null],
      ["然后我们", "zh"],
      [" the sum", null],
    ]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });

  it("clips spans past the end, merges overlaps and ignores empty or broken ones", () => {
    expect(
      normaliseSpans(
        [
          { start: 5, end: 50, lang: "de" },
          { start: 2, end: 6, lang: "zh" },
          { start: 3, end: 3, lang: "fr" },
          { start: Number.NaN, end: 4, lang: "x" },
        ],
        10,
      ),
    ).toEqual([{ start: 2, end: 10, lang: "zh" }]);
    expect(segmentText("abc", null)).toEqual([{ text: "abc", start: 0, lang: null }]);
    expect(segmentText("", [{ start: 0, end: 3, lang: "zh" }])).toEqual([{ text: "", start: 0, lang: null }]);
  });

  it("handles spans at the very start and end", () => {
    const segments = segmentText("你好 hello 世界", [
      { start: 0, end: 2, lang: "zh" },
      { start: 9, end: 11, lang: "zh" },
    ]);
    expect(segments.map((s) => s.lang)).toEqual(["zh", null, "zh"]);
    expect(segments.map((s) => s.text).join("")).toBe("你好 hello 世界");
  });
});
