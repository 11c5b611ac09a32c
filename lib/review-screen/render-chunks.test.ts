import { describe, expect, it } from "vitest";
import { splitMarkdownBlocks } from "./render-chunks";
import { spansInRange } from "./render-spans";

const paragraph = (i: number) => `Paragraph ${i} ${"word ".repeat(30)}\n\n`;

describe("splitMarkdownBlocks", () => {
  it("keeps short texts whole", () => {
    expect(splitMarkdownBlocks("short *text*", 100)).toEqual([{ start: 0, text: "short *text*" }]);
  });

  it("cuts long texts on blank lines into blocks of about the target size that join back", () => {
    const text = Array.from({ length: 60 }, (_, i) => paragraph(i)).join("");
    const chunks = splitMarkdownBlocks(text, 1000);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.map((c) => c.text).join("")).toBe(text);
    for (const chunk of chunks) {
      expect(text.slice(chunk.start, chunk.start + chunk.text.length)).toBe(chunk.text);
      expect(chunk.text.startsWith("Paragraph")).toBe(true);
    }
    expect(chunks.slice(0, -1).every((c) => c.text.length >= 1000 && c.text.length < 1400)).toBe(true);
  });

  it("never cuts inside fenced code, even across blank lines", () => {
    const code = "```python\n" + Array.from({ length: 80 }, (_, i) => `x${i} = ${i}\n\n`).join("") + "```\n\n";
    const text = paragraph(0).repeat(30) + code + paragraph(1).repeat(30);
    const chunks = splitMarkdownBlocks(text, 800);
    expect(chunks.map((c) => c.text).join("")).toBe(text);
    const withFence = chunks.filter((c) => c.text.includes("```"));
    for (const chunk of withFence) expect((chunk.text.match(/```/g) ?? []).length % 2).toBe(0);
    expect(chunks.some((c) => c.text.startsWith("```python"))).toBe(true);
    const nested = "```\n\n~~~\n\n" + "y\n\n".repeat(50) + "```\n\nafter";
    const parts = splitMarkdownBlocks(paragraph(2).repeat(20) + nested, 100);
    expect(parts.filter((c) => c.text.includes("~~~")).every((c) => c.text.includes("```"))).toBe(true);
  });

  it("moves spans into a block's own offsets", () => {
    expect(
      spansInRange(
        [
          { start: 5, end: 15, lang: "zh" },
          { start: 30, end: 40, lang: "de" },
        ],
        10,
        35,
      ),
    ).toEqual([
      { start: 0, end: 5, lang: "zh" },
      { start: 20, end: 25, lang: "de" },
    ]);
    expect(spansInRange(null, 0, 10)).toEqual([]);
  });
});
