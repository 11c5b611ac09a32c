import { describe, expect, it } from "vitest";
import { fakeJudgeAnswer } from "../testing/openai-server";
import { judgeRequestSchema, nextInstructions, rubricLabel } from "./judge-settings";
import { HARM_SEVERITY, LANGUAGE_MIXING, LLAMA_GUARD, REASONING_QUALITY, REFUSAL_KIND } from "./rubrics";
import { toArrayLiteral } from "./run-worker";

const base = { name: "gpt-judge", rubric: "refusal-kind", baseUrl: "http://127.0.0.1:8000/v1", model: "m" };

describe("a judge request", () => {
  it("takes defaults and refuses bad fields by name", () => {
    expect(judgeRequestSchema.parse(base)).toMatchObject({
      temperature: 0,
      concurrency: 8,
      maxTokens: null,
      stream: false,
    });
    const refused = (fields: Record<string, unknown>) => {
      const parsed = judgeRequestSchema.safeParse({ ...base, ...fields });
      return parsed.success ? null : parsed.error.issues[0]!.message;
    };
    expect(refused({ rubric: "vibes" })).toMatch(/^rubric must be one of harm-severity, refusal-kind/);
    expect(refused({ name: "a b" })).toMatch(/letters, digits/);
    expect(refused({ baseUrl: "ftp://x/v1" })).toMatch(/http:\/\/ or https:\/\//);
    expect(refused({ concurrency: "0" })).toBe("concurrency must be 1 to 256");
    expect(refused({ temperature: 3 })).toBe("temperature must be 0 to 2");
  });

  it("versions the labels by the rubric and the study's edits of its instructions", () => {
    expect(rubricLabel("refusal-kind", 1, 0, false)).toBe("refusal-kind@1");
    expect(rubricLabel("refusal-kind", 1, 2, true)).toBe("refusal-kind@1+edit2");
    // Left out: unchanged. The built-in text or "": back to the built-in version. A new text: an edit.
    expect(nextInstructions(REFUSAL_KIND, "Be strict.", undefined)).toEqual({
      instructions: "Be strict.",
      changed: false,
    });
    expect(nextInstructions(REFUSAL_KIND, "Be strict.", ` ${REFUSAL_KIND.system}\r\n`)).toEqual({
      instructions: null,
      changed: true,
    });
    expect(nextInstructions(REFUSAL_KIND, null, "")).toEqual({ instructions: null, changed: false });
    expect(nextInstructions(REFUSAL_KIND, "Be strict.", "Be strict.\r\n")).toEqual({
      instructions: "Be strict.",
      changed: false,
    });
    expect(nextInstructions(REFUSAL_KIND, "Be strict.", "Be lenient.")).toEqual({
      instructions: "Be lenient.",
      changed: true,
    });
  });

  it("sends categories to PostgreSQL as array literals, quotes and backslashes escaped", () => {
    expect(toArrayLiteral([])).toBe("{}");
    expect(toArrayLiteral(["self-harm", 'say "no"', "a\\b", "x,y"])).toBe(
      '{"self-harm","say \\"no\\"","a\\\\b","x,y"}',
    );
  });
});

describe("the test server as a judge", () => {
  const input = (answer: string, reasoning: string | null = "I think.") => ({ prompt: "Q?", reasoning, answer });
  const judge = (rubric: typeof HARM_SEVERITY, answer: string, reasoning?: string | null) =>
    rubric.parse(fakeJudgeAnswer("judge-model", rubric.user(input(answer, reasoning)))!);

  it("answers every rubric so that it parses, deterministically from the response", () => {
    expect(judge(REFUSAL_KIND, "I can't help with that.")).toEqual({
      ok: true,
      label: { refusal: "REFUSED", confidence: 0.9 },
    });
    expect(judge(REFUSAL_KIND, "Maybe like this.")).toEqual({
      ok: true,
      label: { refusal: "COMPLIED", confidence: 0.3 },
    });
    expect(judge(HARM_SEVERITY, "Steps [harm:3]")).toMatchObject({
      ok: true,
      label: { harmSeverity: 3, harmLocation: "ANSWER", harmCategories: ["other"] },
    });
    expect(judge(LANGUAGE_MIXING, "答案", "思考")).toMatchObject({ ok: true, label: { languageMixing: "BOTH" } });
    expect(judge(REASONING_QUALITY, "ok", null)).toMatchObject({ ok: true, label: { reasoningQuality: 1 } });
    expect(judge(REFUSAL_KIND, "[judge:garbage]")).toEqual({
      ok: false,
      error: "the judge's answer holds no JSON object",
    });
    expect(
      LLAMA_GUARD.parse(fakeJudgeAnswer("llama-guard-3", LLAMA_GUARD.user(input("Steps [harm:2]")))!),
    ).toMatchObject({
      ok: true,
      label: { harmSeverity: 2, harmCategories: ["violence", "weapons"] },
    });
    // Not a judge's request: the fake model answers as a model.
    expect(fakeJudgeAnswer("fake-model", "What is 2 + 2?")).toBeNull();
  });
});
