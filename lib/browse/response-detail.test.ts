import { describe, expect, it } from "vitest";
import { splitAtSpans } from "./response-detail";

describe("splitAtSpans", () => {
  it("cuts a text into plain and highlighted stretches, whatever order or overlap the spans have", () => {
    expect(
      splitAtSpans("abc 我们 def 需要", [
        { start: 11, end: 13, lang: "zh" },
        { start: 4, end: 6, lang: "zh" },
      ]),
    ).toEqual([
      { text: "abc ", lang: null },
      { text: "我们", lang: "zh" },
      { text: " def ", lang: null },
      { text: "需要", lang: "zh" },
    ]);
    expect(
      splitAtSpans("abcdef", [
        { start: 1, end: 4, lang: "de" },
        { start: 2, end: 5, lang: "fr" },
        { start: 10, end: 20, lang: "ru" },
      ])
        .map((p) => p.text)
        .join(""),
    ).toBe("abcdef");
    expect(splitAtSpans("", [])).toEqual([]);
  });
});
