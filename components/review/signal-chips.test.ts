import { describe, expect, it } from "vitest";
import type { ReviewResponse } from "@/lib/review";
import { signalTexts } from "./signal-chips";
import { formatDuration } from "./review-toolbar";

const response = (signals: ReviewResponse["signals"], formatIssues: string[] = []): ReviewResponse => ({
  id: 1,
  letter: "A",
  reasoning: null,
  answer: "x",
  formatIssues,
  reasoningChars: 0,
  signals,
});

describe("signalTexts", () => {
  it("says what the detectors found in the reviewers' words", () => {
    const texts = signalTexts(
      response({
        reasoning: { dominant: "en", spans: [{ start: 0, end: 2, lang: "zh" }], mixScore: 0.1 },
        answer: { dominant: "en", spans: [], mixScore: 0 },
        mixing: "REASONING",
        refusal: "PARTIAL",
        hints: [
          { kind: "repetition_loop", part: "reasoning", repeats: 12, sample: "again" },
          { kind: "unclosed_think" },
          { kind: "answer_language", answer: "zh", prompt: "en" },
          { kind: "something_new" },
        ],
      }),
    );
    expect(texts).toEqual([
      "mixing in reasoning",
      "looks partial",
      "repetition loop ×12 in reasoning",
      "unclosed <think>",
      "answer in zh, prompt in en",
      "something new",
    ]);
  });

  it("says a learned model's possible refusal with its score and the sentence it rests on", () => {
    const texts = signalTexts(
      response({
        reasoning: null,
        answer: { dominant: "en", spans: [], mixScore: 0 },
        mixing: "NONE",
        refusal: "COMPLIED",
        hints: [
          {
            kind: "possible_refusal",
            score: 0.914,
            evidence: "I apologize, but I do not feel comfortable writing that.",
          },
        ],
      }),
    );
    expect(texts).toEqual(["may refuse (learned, 0.91): “I apologize, but I do not feel comfortable writing that.”"]);
    expect(
      signalTexts(
        response({
          reasoning: null,
          answer: { dominant: "en", spans: [], mixScore: 0 },
          mixing: "NONE",
          refusal: "COMPLIED",
          hints: [{ kind: "possible_refusal", score: 0.8, evidence: null }],
        }),
      ),
    ).toEqual(["may refuse (learned, 0.80)"]);
  });

  it("falls back to the importer's format problems when there are no signals", () => {
    expect(signalTexts(response(null, ["unclosed_think"]))).toEqual(["unclosed think"]);
    expect(signalTexts(response(null))).toEqual([]);
  });
});

describe("formatDuration", () => {
  it("reads as seconds, then minutes and seconds", () => {
    expect([null, 42.4, 89, 351].map(formatDuration)).toEqual(["—", "42 s", "89 s", "5 min 51 s"]);
  });
});
