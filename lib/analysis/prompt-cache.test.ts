import { describe, expect, it } from "vitest";
import { PromptCache } from "./prompt-cache";

/** A cache of `entries` prompts of 10 characters (each costs 210), and a count of computations. */
function cacheOf(entries: number) {
  let made = 0;
  const cache = new PromptCache<string>((p) => {
    made += 1;
    return p.toUpperCase();
  }, entries * 210);
  return { cache, made: () => made };
}

const prompt = (i: number) => `prompt${String(i).padStart(4, "0")}`;

describe("PromptCache", () => {
  it("computes each prompt once while they fit", () => {
    const { cache, made } = cacheOf(100);
    for (let pass = 0; pass < 3; pass++)
      for (let i = 0; i < 50; i++) expect(cache.get(prompt(i))).toBe(prompt(i).toUpperCase());
    expect(made()).toBe(50);
  });

  it("still hits on a file that cycles through more prompts than it holds", () => {
    // 100 entries (90 settled, 10 recent); 200 prompts, each once per pass, four passes (one per checkpoint).
    const { cache, made } = cacheOf(100);
    for (let pass = 0; pass < 4; pass++) for (let i = 0; i < 200; i++) cache.get(prompt(i));
    // The first 90 prompts stay; the other 110 are computed on every pass.
    expect(made()).toBe(200 + 3 * 110);
  });

  it("hits the recent part on a file sorted by prompt, long after the settled part is full", () => {
    const { cache, made } = cacheOf(100);
    for (let i = 0; i < 1000; i++) for (let sample = 0; sample < 4; sample++) cache.get(prompt(i));
    expect(made()).toBe(1000);
  });
});
