import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectPeerFormat, parseCheckpointList, parseQuestions, parseStrategies } from "./index";

const examples = path.join(import.meta.dirname, "examples");

describe("detectPeerFormat", () => {
  it("recognises the example exports and leaves canonical files alone", () => {
    expect(detectPeerFormat(readFileSync(path.join(examples, "label-studio-pairwise.json")))).toBe("label-studio");
    expect(detectPeerFormat(readFileSync(path.join(examples, "argilla-records.jsonl")))).toBe("argilla");
    expect(
      detectPeerFormat(Buffer.from('{"prompt": "p", "checkpoint": "c", "strategy": "sft", "response": "r"}\n')),
    ).toBeNull();
    expect(detectPeerFormat(Buffer.from("prompt,checkpoint,response\np,c,r\n"))).toBeNull();
    expect(detectPeerFormat(Buffer.from(""))).toBeNull();
  });

  it("recognises Argilla's nested to_json array, its flat rows, and a Label Studio task cut off in the head", () => {
    expect(
      detectPeerFormat(
        Buffer.from('[{"id": "1", "fields": {"prompt": "p"}, "metadata": {}, "suggestions": {}, "responses": {}}]'),
      ),
    ).toBe("argilla");
    expect(detectPeerFormat(Buffer.from('{"id": "1", "prompt": "p", "refusal.responses": ["refused"]}\n'))).toBe(
      "argilla",
    );
    expect(
      detectPeerFormat(Buffer.from('\ufeff[\n  {\n    "id": 1,\n    "data": {"prompt": "' + "x".repeat(1000))),
    ).toBeNull();
    expect(
      detectPeerFormat(
        Buffer.from('[\n  {\n    "id": 1,\n    "annotations": [],\n    "data": {"prompt": "' + "x".repeat(1000)),
      ),
    ).toBe("label-studio");
  });
});

describe("command line options of peers' imports", () => {
  it("reads --checkpoints with optional strategies", () => {
    expect(parseCheckpointList("sft-7b:sft, rl-7b")).toEqual({
      ok: true,
      value: [{ name: "sft-7b", strategy: "sft" }, { name: "rl-7b" }],
    });
    expect(parseCheckpointList("a,,b")).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^--checkpoints "a,,b": write the names in the order of the responses/),
    });
    expect(parseCheckpointList("a:sft:x")).toMatchObject({ ok: false });
  });

  it("reads --strategy and --question", () => {
    expect(parseStrategies(["r1-zero=rl", "base=base"])).toEqual({
      ok: true,
      value: { "r1-zero": "rl", base: "base" },
    });
    expect(parseStrategies(["r1-zero"])).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/CHECKPOINT=STRATEGY/),
    });
    expect(
      parseQuestions([
        "Safety Verdict=refusal",
        "danger=label_harm_severity",
        "pref=preference",
        "tone=ignore",
        "q=severity",
      ]),
    ).toEqual({
      ok: true,
      value: {
        safety_verdict: "refusal",
        danger: "harm_severity",
        pref: "preference",
        tone: "ignore",
        q: "harm_severity",
      },
    });
    expect(parseQuestions(["tone=politeness"])).toMatchObject({
      ok: false,
      problem: expect.stringMatching(
        /^--question "tone=politeness": write it as NAME=FIELD, where FIELD is one of harm_severity/,
      ),
    });
  });
});
