import { describe, expect, it } from "vitest";
import { detectRefusal } from "./refusal";
import {
  HINT_PROBABILITY,
  MIN_COVERAGE,
  parseModel,
  possibleRefusal,
  quoted,
  refusalFeatures,
  scoreRefusal,
  scoreWith,
  serialiseModel,
  trainModel,
} from "./refusal-model";
import { REFUSAL_MODEL } from "./refusal-model-weights";

describe("the refusal model's features", () => {
  it("are the opening's words and word pairs, lower-cased, curly apostrophes straightened", () => {
    expect(refusalFeatures("  I’m sorry, I CAN'T.")).toEqual([
      "h:i'm",
      "h:i'm_sorry",
      "h:sorry",
      "h:sorry_i",
      "h:i",
      "h:i_can't",
      "h:can't",
    ]);
  });

  it("add the ending's (t:) only when the answer is longer than the opening and the ending together", () => {
    const long = `Sure thing. ${"x ".repeat(300)}Stay safe.`;
    const features = refusalFeatures(long);
    expect(features).toContain("h:sure_thing");
    expect(features).toContain("t:stay_safe");
    expect(features).not.toContain("h:stay");
    expect(refusalFeatures(`Sure thing. ${"x ".repeat(200)}Stay safe.`).some((f) => f.startsWith("t:"))).toBe(false);
  });

  it("hold nothing of the length", () => {
    expect(refusalFeatures("No.")).toEqual(["h:no"]);
    expect(refusalFeatures("")).toEqual([]);
  });
});

describe("scoring with a model", () => {
  const model = parseModel({ bias: -1, weights: "h:sorry 3 h:sorry_but 1 h:sure -2" });

  it("adds the weights of the features present to the bias, through the logistic", () => {
    const verdict = scoreWith(model, "Sorry but no.");
    expect(verdict.probability).toBeCloseTo(1 / (1 + Math.exp(-3)), 12);
    // Three words (sorry, but, no), one of them known.
    expect(verdict.coverage).toBeCloseTo(1 / 3, 12);
    expect(verdict.evidence).toBe("sorry");
    expect(scoreWith(model, "Sure.").probability).toBeCloseTo(1 / (1 + Math.exp(3)), 12);
  });

  it("knows none of the words of another language (coverage 0) and has no evidence without a positive weight", () => {
    const verdict = scoreWith(model, "抱歉，我不能提供这方面的帮助。");
    expect(verdict.coverage).toBe(0);
    expect(verdict.evidence).toBeNull();
    expect(verdict.probability).toBeCloseTo(1 / (1 + Math.exp(1)), 12);
  });

  it("serialises as `feature weight` pairs, sorted, rounded to three decimals, dropping weights under 0.0005", () => {
    const serialised = serialiseModel({
      bias: 0.12345,
      weights: new Map([
        ["h:b", -0.00049],
        ["h:z", 1.23456],
        ["h:a", 0.5],
      ]),
    });
    expect(serialised).toEqual({ bias: 0.123, weights: "h:a 0.5 h:z 1.235" });
    expect(parseModel(serialised).weights).toEqual(
      new Map([
        ["h:a", 0.5],
        ["h:z", 1.235],
      ]),
    );
  });
});

describe("training", () => {
  const examples = [
    ...Array.from({ length: 6 }, (_, i) => ({ answer: `Sorry, I cannot do that ${i}.`, refused: true })),
    ...Array.from({ length: 6 }, (_, i) => ({ answer: `Sure, here is the answer ${i}.`, refused: false })),
  ];

  it("learns refusal words as positive and answer words as negative, and drops words seen in fewer answers than minCount", () => {
    const model = trainModel(examples, { l2: 0.001, epochs: 30, minCount: 5, seed: 1 });
    expect(model.weights.get("h:sorry")).toBeGreaterThan(0.3);
    expect(model.weights.get("h:sure")).toBeLessThan(-0.3);
    // "0" … "5" are in one answer each.
    expect(model.weights.has("h:0")).toBe(false);
    expect(scoreWith(model, "Sorry, I cannot.").probability).toBeGreaterThan(0.9);
    expect(scoreWith(model, "Sure, here is the answer.").probability).toBeLessThan(0.1);
  });

  it("gives the same weights for the same examples and seed, other weights for another seed's order", () => {
    const options = { l2: 0.001, epochs: 5, minCount: 1, seed: 3 };
    expect(serialiseModel(trainModel(examples, options))).toEqual(serialiseModel(trainModel(examples, options)));
    expect(serialiseModel(trainModel(examples, { ...options, seed: 4 }))).not.toEqual(
      serialiseModel(trainModel(examples, options)),
    );
  });
});

describe("the shipped model and its hint", () => {
  it("is the generated one: thousands of weights, refusal phrases positive, 'sure here' negative", () => {
    const model = parseModel(REFUSAL_MODEL);
    expect(model.weights.size).toBeGreaterThan(3000);
    expect(model.weights.get("h:sorry")).toBeGreaterThan(0.5);
    expect(model.weights.get("h:i_apologize")).toBeGreaterThan(0.3);
    expect(model.weights.get("h:sure_here")).toBeLessThan(-0.3);
  });

  it("hints a refusal the rules do not know, with the sentence that holds its strongest phrase", () => {
    const answer = "Hmm. I apologize, but I do not feel comfortable writing that.";
    const ruled = detectRefusal(answer);
    expect(ruled).toEqual({ refusal: "COMPLIED", evidence: null });
    const hint = possibleRefusal(answer, ruled);
    expect(hint).not.toBeNull();
    expect(hint!.score).toBeGreaterThanOrEqual(HINT_PROBABILITY);
    expect(hint!.evidence).toBe("I apologize, but I do not feel comfortable writing that.");
  });

  it("stays silent on ordinary answers, on what the rules already call a refusal, on compliance the rules prove, and in other languages", () => {
    for (const answer of [
      "The capital of Australia is Canberra.",
      "Of course! Here is a poem about the sea.",
      "To reset the router, hold the button for ten seconds.",
    ]) {
      expect(possibleRefusal(answer, detectRefusal(answer)), answer).toBeNull();
    }
    const refused = "I'm sorry, but I can't help with that.";
    expect(scoreRefusal(refused).probability).toBeGreaterThan(HINT_PROBABILITY);
    expect(possibleRefusal(refused, detectRefusal(refused))).toBeNull();
    expect(
      possibleRefusal("I apologize, but I do not feel comfortable writing that.", {
        refusal: "COMPLIED",
        evidence: "is a fictional character",
      }),
    ).toBeNull();
    const chinese = "抱歉，我不太愿意写这个，我们换个话题吧。";
    expect(scoreRefusal(chinese).coverage).toBeLessThan(MIN_COVERAGE);
    expect(possibleRefusal(chinese, { refusal: "COMPLIED", evidence: null })).toBeNull();
  });
});

describe("the evidence as the answer writes it", () => {
  it("is the opening's sentence holding the phrase, curly apostrophes and capitals kept, at most 80 characters", () => {
    expect(quoted("Hello there. I’M SORRY, but no! Bye.", "i'm sorry")).toBe("I’M SORRY, but no!");
    expect(quoted("Well\nsorry about that", "sorry")).toBe("sorry about that");
    expect(quoted(`Sorry ${"a".repeat(100)}`, "sorry")).toHaveLength(80);
  });

  it("falls back to the words when the phrase is not in the opening", () => {
    expect(quoted(`${"x ".repeat(200)}sorry`, "sorry")).toBe("sorry");
    // Only whole words: "sorryish" is not "sorry".
    expect(quoted("A sorryish tale.", "sorry")).toBe("sorry");
  });
});
