import { describe, expect, it } from "vitest";
import { parseThinkBlocks } from "./think-blocks";

describe("parseThinkBlocks", () => {
  it("returns the whole text, exactly, as answer when there is no think tag", () => {
    expect(parseThinkBlocks("  Paris is the capital.\r\n")).toEqual({
      reasoning: null,
      answer: "  Paris is the capital.\r\n",
      issues: [],
    });
  });

  it("treats a '<' that is not a think tag as plain text", () => {
    expect(parseThinkBlocks("1 < 2 and <b>bold</b>")).toEqual({
      reasoning: null,
      answer: "1 < 2 and <b>bold</b>",
      issues: [],
    });
  });

  it("splits the normal case and trims both parts", () => {
    expect(parseThinkBlocks("<think>\nThe user asks X.\n</think>\n\nThe answer is Y.\n")).toEqual({
      reasoning: "The user asks X.",
      answer: "The answer is Y.",
      issues: [],
    });
  });

  it("matches tags case-insensitively and with whitespace before '>'", () => {
    expect(parseThinkBlocks("<THINK >r</Think>a")).toEqual({ reasoning: "r", answer: "a", issues: [] });
  });

  it("keeps everything after an unclosed <think> as reasoning", () => {
    expect(parseThinkBlocks("<think>step 1, step 2, step")).toEqual({
      reasoning: "step 1, step 2, step",
      answer: "",
      issues: ["unclosed_think", "no_answer"],
    });
  });

  it("keeps an empty think block as empty reasoning, distinct from no block", () => {
    const r = parseThinkBlocks("<think>  \n </think>Sure.");
    expect(r).toEqual({ reasoning: "", answer: "Sure.", issues: ["empty_reasoning"] });
    expect(parseThinkBlocks("Sure.").reasoning).toBeNull();
  });

  it("keeps text before <think> as part of the answer", () => {
    expect(parseThinkBlocks("Okay.<think>hmm</think>Final.")).toEqual({
      reasoning: "hmm",
      answer: "Okay.\n\nFinal.",
      issues: ["text_before_think"],
    });
  });

  it("does not flag whitespace before <think>", () => {
    expect(parseThinkBlocks("\n  <think>r</think>a").issues).toEqual([]);
  });

  it("joins several think blocks and the text between them", () => {
    expect(parseThinkBlocks("<think>first</think>mid<think></think>x<think>second</think>end")).toEqual({
      reasoning: "first\n\nsecond",
      answer: "mid\n\nx\n\nend",
      issues: ["multiple_think_blocks"],
    });
  });

  it("flags a response that is only reasoning", () => {
    expect(parseThinkBlocks("<think>x</think>\n  ")).toEqual({ reasoning: "x", answer: "", issues: ["no_answer"] });
  });

  it("flags an empty response as having no answer", () => {
    expect(parseThinkBlocks("   ")).toEqual({ reasoning: null, answer: "   ", issues: ["no_answer"] });
  });

  it("treats text before a leading </think> as reasoning (DeepSeek-R1 without opening tag)", () => {
    expect(parseThinkBlocks("Let me think.\n</think>\n\nNo.")).toEqual({
      reasoning: "Let me think.",
      answer: "No.",
      issues: ["stray_close_think"],
    });
  });

  it("keeps a later unmatched </think> as literal answer text", () => {
    expect(parseThinkBlocks("<think>r</think>a</think>b")).toEqual({
      reasoning: "r",
      answer: "a</think>b",
      issues: ["stray_close_think"],
    });
  });

  it("keeps a nested <think> as literal reasoning text", () => {
    expect(parseThinkBlocks("<think>a<think>b</think>c")).toEqual({ reasoning: "a<think>b", answer: "c", issues: [] });
  });

  it("combines several issues in a fixed order", () => {
    expect(parseThinkBlocks("pre<think></think>mid<think>open")).toEqual({
      reasoning: "open",
      answer: "pre\n\nmid",
      issues: ["unclosed_think", "text_before_think", "multiple_think_blocks"],
    });
  });

  it("is linear on multi-megabyte inputs", () => {
    const mb5 = 5 * 1024 * 1024;
    const cases = [
      "<think>" + "x".repeat(mb5) + "</think>" + "y".repeat(1000),
      "<think" + " ".repeat(mb5), // an almost-tag followed by whitespace, never closed
      "<".repeat(mb5),
      "<think>".repeat(mb5 / 7),
      "</think>a".repeat(mb5 / 9),
      "<think>a</think>b".repeat(mb5 / 16),
    ];
    const start = performance.now();
    for (const text of cases) parseThinkBlocks(text);
    const ms = performance.now() - start;
    // A bound on behaviour, not a speed check (speed belongs to npm run bench): a quadratic scan of
    // 5 MB is some 10^13 steps, hours on any machine, while a linear one takes well under a second
    // even on a loaded one (5 s was once exceeded under load, so the bound is far from that).
    expect(ms).toBeLessThan(45_000);
    const big = parseThinkBlocks(cases[0]!);
    expect(big.reasoning?.length).toBe(mb5);
    expect(big.answer.length).toBe(1000);
  });
});
