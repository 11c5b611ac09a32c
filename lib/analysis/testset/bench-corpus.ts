// Realistic, deterministic responses for the signals benchmark: English chains of thought (some with
// Chinese drifting in), Chinese ones, English reasoning over German/French/Spanish/Russian prompts,
// code-heavy answers and repetition loops, built from the project's test-set sentences.
import type { SignalsInput } from "../signals";
import { MIXING_CASES, type MixCategory } from "./mixing-cases";
import { REFUSAL_CASES } from "./refusal-cases";

function texts(...categories: MixCategory[]): string[] {
  return MIXING_CASES.filter((c) => categories.includes(c.category)).map((c) => c.text);
}

/** Plain chain-of-thought sentences: most of what a reasoning model writes. */
const REASONING = [
  "Okay, so the user is asking how to set up a home network that is reasonably secure.",
  "Let me break this down into smaller steps and handle each one separately.",
  "The first thing to check is whether the input can ever be empty.",
  "If the list is sorted, a binary search would find the element in logarithmic time.",
  "Hmm, that gives a negative number, which cannot be right for a length.",
  "So the total cost is the price per item times the quantity, plus the shipping fee.",
  "I should also mention the most common mistake people make here.",
  "Wait, I need to double-check the units before I go any further.",
  "The question is ambiguous, so I will state my assumption explicitly.",
  "There are two cases to consider: the number is even, or the number is odd.",
  "For the even case, dividing by two gives an integer, so the recursion terminates.",
  "That matches the example in the prompt, which is a good sign.",
  "Now I need to think about how to explain this to someone without a technical background.",
  "A short analogy might help: the cache works like a shelf next to the desk.",
  "The user did not say which version they use, so I will cover both.",
  "I think the cleanest approach is to validate the input first and fail early.",
  "Let me write out the formula and plug in the numbers one more time.",
  "This part of the request is fine, but the last sentence asks for something risky.",
  "I can help with the general concept without giving step-by-step instructions.",
  "The tone should be warm and direct, not preachy.",
  "Actually, the second approach is simpler and just as fast in practice.",
  "We also have to make sure the answer fits the requested length.",
  "The key insight is that every path must pass through the middle node.",
  "So far the reasoning holds, but I have not checked the boundary condition.",
  "If the rate is five percent per year, after ten years the factor is about one point six three.",
  "I will list the steps in order and keep each one to a single sentence.",
  "The user seems to be a student, so a worked example will be more useful than a definition.",
  "That would take far too long for large inputs, so a better algorithm is needed.",
  "Let me reconsider whether the question is really about safety or just curiosity.",
  "In the end, the simplest explanation is usually the right one here.",
  "The main risk is that the user applies this advice without checking their local rules.",
  "I should be careful not to overstate how certain this estimate is.",
  "OK, the derivation is complete and the result is consistent with the earlier check.",
  "Next, I will compare the two options on cost, speed and reliability.",
  "The error is probably caused by a missing import at the top of the file.",
  "It makes sense to start with the definition and then give two examples.",
  "I am fairly confident about the first half, less so about the second.",
  "They want a recommendation, not an exhaustive list, so I will pick one.",
  "This is similar to a problem I have seen before, with a small twist.",
  "Let me summarise the reasoning before writing the final answer.",
];
const HARD_EN = texts("loanwords", "names", "code", "numbers-formulas-urls").filter(
  (t) => !/[\u4e00-\u9fff\u0400-\u04ff]/.test(t),
);
const EN = [...REASONING, ...REASONING, ...texts("clean-en"), ...HARD_EN.slice(0, 12)];
const ZH = texts("clean-zh", "zh-terms");
const EN_ZH = texts("en+zh");
const MIXED_OTHER = texts("de+en", "romance+en", "ru+en", "other-script");
const LOCAL = texts("clean-other");
const ANSWERS_EN = REFUSAL_CASES.filter((c) => c.language === "en").map((c) => c.text);
const ANSWERS_LOCAL = REFUSAL_CASES.filter((c) => c.language !== "en").map((c) => c.text);

/** A small deterministic generator (mulberry32). */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

function paragraph(
  rng: ReturnType<typeof generator>,
  bank: readonly string[],
  chars: number,
  drift?: readonly string[],
  driftRate = 0,
): string {
  let out = "";
  while (out.length < chars)
    out += (drift && rng.next() < driftRate ? rng.pick(drift) : rng.pick(bank)) + (rng.next() < 0.2 ? "\n\n" : " ");
  return out.trim();
}

/** Response number `i`: about 1–4 KB of reasoning and a shorter answer. */
export function benchResponse(i: number): SignalsInput {
  const rng = generator(i * 2654435761);
  const style = rng.next();
  const size = 1000 + Math.floor(rng.next() * 3000);
  const base = {
    formatIssues: [] as string[],
    expectedBehavior: rng.next() < 0.5 ? ("COMPLY" as const) : ("REFUSE" as const),
  };
  if (style < 0.45) {
    return {
      ...base,
      promptText: rng.pick(EN),
      promptLanguage: "en",
      reasoning: paragraph(rng, EN, size),
      answer: paragraph(rng, ANSWERS_EN, 300),
    };
  }
  if (style < 0.6) {
    return {
      ...base,
      promptText: rng.pick(EN),
      promptLanguage: "en",
      reasoning: paragraph(rng, EN, size, EN_ZH, 0.15),
      answer: paragraph(rng, ANSWERS_EN, 300),
    };
  }
  if (style < 0.7) {
    return {
      ...base,
      promptText: rng.pick(ZH),
      promptLanguage: "zh",
      reasoning: paragraph(rng, ZH, size / 3),
      answer: paragraph(rng, ZH, 150),
    };
  }
  if (style < 0.85) {
    const local = rng.pick(LOCAL);
    return {
      ...base,
      promptText: local,
      promptLanguage: null,
      reasoning: paragraph(rng, EN, size, MIXED_OTHER, 0.1),
      answer: paragraph(rng, ANSWERS_LOCAL, 300),
    };
  }
  if (style < 0.95) {
    const code =
      "```python\ndef total(items):\n    result = 0\n    for item in items:\n        result += item.price * item.quantity\n    return result\n```\n";
    return {
      ...base,
      promptText: rng.pick(EN),
      promptLanguage: "en",
      reasoning: paragraph(rng, EN, size / 2),
      answer: `${code}${paragraph(rng, EN, 300)}\n${code}`,
    };
  }
  const loop = "Wait, let me re-check that. ".repeat(12);
  return {
    ...base,
    promptText: rng.pick(EN),
    promptLanguage: "en",
    reasoning: `${paragraph(rng, EN, size / 2)} ${loop}`,
    answer: "",
    formatIssues: ["unclosed_think", "no_answer"],
  };
}
