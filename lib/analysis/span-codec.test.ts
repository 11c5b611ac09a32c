import { describe, expect, it } from "vitest";
import { decodeSpans, encodeSpans, withDecodedSpans } from "./span-codec";

describe("span codec", () => {
  it("round-trips spans through the stored string", () => {
    const spans = [
      { start: 0, end: 12, lang: "zh" },
      { start: 40, end: 2048, lang: "de" },
      { start: 3000, end: 3001, lang: "und" },
    ];
    expect(encodeSpans(spans)).toBe("0-12:zh 40-2048:de 3000-3001:und");
    expect(decodeSpans(encodeSpans(spans))).toEqual(spans);
    expect(encodeSpans([])).toBe("");
    expect(decodeSpans("")).toEqual([]);
  });

  it("reads the older array form and drops malformed entries of either form", () => {
    expect(decodeSpans([{ start: 1, end: 3, lang: "ru" }, { start: "x", end: 3, lang: "ru" }, null])).toEqual([
      { start: 1, end: 3, lang: "ru" },
    ]);
    expect(decodeSpans("1-3:ru <b>-2:zh 5-9:ZH 7-8:zh")).toEqual([
      { start: 1, end: 3, lang: "ru" },
      { start: 7, end: 8, lang: "zh" },
    ]);
    expect(decodeSpans(42)).toEqual([]);
    expect(decodeSpans(undefined)).toEqual([]);
  });

  it("gives pages both parts' spans as arrays and leaves the rest alone", () => {
    const stored = {
      mixing: "REASONING",
      reasoning: { dominant: "en", spans: "2-5:zh" },
      answer: { dominant: "en", spans: [] },
      hints: [],
    };
    expect(withDecodedSpans(stored)).toEqual({
      ...stored,
      reasoning: { dominant: "en", spans: [{ start: 2, end: 5, lang: "zh" }] },
      answer: { dominant: "en", spans: [] },
    });
    expect(withDecodedSpans(null)).toBeNull();
    expect(withDecodedSpans({ reasoning: null, answer: { spans: "0-1:de" } })).toEqual({
      reasoning: null,
      answer: { spans: [{ start: 0, end: 1, lang: "de" }] },
    });
  });
});
