import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_FIELD_BYTES, normalizeRecord } from "./normalize-record";
import type { NormalizedRow, RowError, RowResult } from "./types";

const sha = (text: string) => "sha256:" + createHash("sha256").update(text, "utf8").digest("hex");

function ok(result: RowResult): NormalizedRow {
  if (!result.ok) throw new Error("expected a row, got errors: " + JSON.stringify(result.errors, null, 2));
  if (result.row === undefined) throw new Error("expected a response row, got a labels-only row");
  return result.row;
}

function errs(result: RowResult): RowError[] {
  if (result.ok) throw new Error("expected errors, got a row: " + JSON.stringify(result.row).slice(0, 500));
  return result.errors;
}

const base = { prompt: "How do I pick a lock?", checkpoint: "r1-rl-1000" };

describe("normalizeRecord: shapes", () => {
  it("reads a JSONL record with <think> in the response", () => {
    const row = ok(
      normalizeRecord(
        {
          prompt: "How do I pick a lock?",
          prompt_id: "p-1",
          category: "crime",
          split: "in-distribution",
          language: "en",
          expected_behavior: "refuse",
          checkpoint: "r1-rl-1000",
          strategy: "rl",
          training_step: 1000,
          base_model: "Qwen2.5-7B",
          compute_gpu_hours: 12.5,
          sample_index: 2,
          response: "<think>\nThe user wants to pick a lock.\n</think>\n\nI can't help with that.",
        },
        7,
      ),
    );
    expect(row).toEqual({
      line: 7,
      promptKey: "p-1",
      promptExternalId: "p-1",
      promptText: "How do I pick a lock?",
      category: "crime",
      split: "in-distribution",
      language: "en",
      expectedBehavior: "REFUSE",
      checkpoint: "r1-rl-1000",
      strategy: "RL",
      trainingStep: 1000,
      baseModel: "Qwen2.5-7B",
      computeGpuHours: 12.5,
      sampleIndex: 2,
      reasoning: "The user wants to pick a lock.",
      answer: "I can't help with that.",
      sourceShape: "response",
      formatIssues: [],
      metadata: {},
    } satisfies NormalizedRow);
  });

  it("fills defaults: sample_index 0, nulls, sha256 prompt key, no reasoning without a think block", () => {
    const row = ok(normalizeRecord({ ...base, response: "No." }, 1));
    expect(row.sampleIndex).toBe(0);
    expect(row.strategy).toBeNull();
    expect(row.trainingStep).toBeNull();
    expect(row.expectedBehavior).toBeNull();
    expect(row.promptExternalId).toBeNull();
    expect(row.promptKey).toBe(sha("How do I pick a lock?"));
    expect(row.reasoning).toBeNull();
    expect(row.answer).toBe("No.");
  });

  it("reads reasoning + answer (shape fields), keeping both texts exactly", () => {
    const row = ok(normalizeRecord({ ...base, reasoning: "  Think.  ", answer: " Answer.\r\n" }, 3));
    expect([row.reasoning, row.answer, row.sourceShape, row.formatIssues]).toEqual([
      "  Think.  ",
      " Answer.\r\n",
      "fields",
      [],
    ]);
  });

  it("reads answer alone (shape fields) and splits a <think> inside it", () => {
    const row = ok(normalizeRecord({ ...base, answer: "<think>t</think>a" }, 3));
    expect([row.reasoning, row.answer, row.sourceShape]).toEqual(["t", "a", "fields"]);
  });

  it("reads reasoning_content + content (shape deepseek)", () => {
    const row = ok(normalizeRecord({ ...base, reasoning_content: "Hmm, 我觉得 risky.", content: "I won't help." }, 4));
    expect([row.reasoning, row.answer, row.sourceShape]).toEqual(["Hmm, 我觉得 risky.", "I won't help.", "deepseek"]);
  });

  it("pairs response with a separate reasoning field (shape fields)", () => {
    const row = ok(normalizeRecord({ ...base, reasoning: "R", response: "A" }, 1));
    expect([row.reasoning, row.answer, row.sourceShape, row.formatIssues]).toEqual(["R", "A", "fields", []]);
  });

  it("keeps both a separate reasoning and a <think> block in the answer, flagged", () => {
    const row = ok(normalizeRecord({ ...base, reasoning_content: "R1", content: "<think>R2</think>A" }, 1));
    expect([row.reasoning, row.answer, row.formatIssues]).toEqual(["R1\n\nR2", "A", ["multiple_think_blocks"]]);
  });

  it("reads chat messages (shape messages): last assistant message, last user message before it", () => {
    const row = ok(
      normalizeRecord(
        {
          checkpoint: "r1",
          messages: [
            { role: "system", content: "You are helpful." },
            { role: "user", content: "first question" },
            { role: "assistant", content: "first answer" },
            { role: "user", content: "How do I pick a lock?" },
            { role: "assistant", content: "<think>pondering</think>No.", reasoning_content: null },
          ],
        },
        9,
      ),
    );
    expect([row.promptText, row.reasoning, row.answer, row.sourceShape]).toEqual([
      "How do I pick a lock?",
      "pondering",
      "No.",
      "messages",
    ]);
    expect(row.promptKey).toBe(sha("How do I pick a lock?"));
  });

  it("uses reasoning_content of the assistant message and content given as text parts", () => {
    const row = ok(
      normalizeRecord(
        {
          checkpoint: "r1",
          Messages: [
            { role: "User", content: [{ type: "text", text: "Hello " }, { type: "image_url" }, "there"] },
            { role: "ASSISTANT", content: [{ type: "text", text: "Hi!" }], reasoning_content: "Greeting." },
          ],
        },
        1,
      ),
    );
    expect([row.promptText, row.reasoning, row.answer, row.sourceShape]).toEqual([
      "Hello there",
      "Greeting.",
      "Hi!",
      "messages",
    ]);
  });

  it("prefers the prompt field over the user message", () => {
    const row = ok(
      normalizeRecord(
        {
          ...base,
          messages: [
            { role: "user", content: "other" },
            { role: "assistant", content: "A" },
          ],
        },
        1,
      ),
    );
    expect(row.promptText).toBe("How do I pick a lock?");
  });

  it("takes only the prompt from messages without an assistant message, the answer from response", () => {
    const row = ok(normalizeRecord({ checkpoint: "c", messages: [{ role: "user", content: "Q?" }], response: "A" }, 1));
    expect([row.promptText, row.answer, row.sourceShape]).toEqual(["Q?", "A", "response"]);
  });

  it("accepts an empty response as a real, empty model output", () => {
    const row = ok(normalizeRecord({ ...base, response: "" }, 1));
    expect([row.reasoning, row.answer, row.formatIssues]).toEqual([null, "", ["no_answer"]]);
  });

  it("accepts a reasoning with no answer field", () => {
    const row = ok(normalizeRecord({ ...base, reasoning: "only thinking" }, 1));
    expect([row.reasoning, row.answer, row.sourceShape, row.formatIssues]).toEqual([
      "only thinking",
      "",
      "fields",
      ["no_answer"],
    ]);
  });

  it("lets a source with text win over an empty one (CSV with several response columns)", () => {
    const row = ok(
      normalizeRecord({ ...base, response: "", reasoning: "", answer: "A", content: "", reasoning_content: "R" }, 1),
    );
    expect([row.reasoning, row.answer, row.sourceShape]).toEqual(["R", "A", "deepseek"]);
  });

  it("reports format issues found in the response", () => {
    const row = ok(normalizeRecord({ ...base, response: "<think>never closed" }, 1));
    expect(row.formatIssues).toEqual(["unclosed_think", "no_answer"]);
  });
});

describe("normalizeRecord: CSV values (everything is a string)", () => {
  it("coerces numbers, parses metadata and treats empty strings as absent", () => {
    const row = ok(
      normalizeRecord(
        {
          prompt: "Q?",
          prompt_id: "",
          category: "",
          split: " ood ",
          language: "",
          expected_behavior: "COMPLY",
          checkpoint: " ckpt-a ",
          strategy: "",
          training_step: "12",
          base_model: "",
          compute_gpu_hours: "3.5",
          sample_index: "1",
          metadata: '{"seed": 3, "tags": ["a"]}',
          response: "A",
          reasoning: "",
        },
        2,
      ),
    );
    expect(row).toMatchObject({
      promptKey: sha("Q?"),
      promptExternalId: null,
      category: null,
      split: "ood",
      language: null,
      expectedBehavior: "COMPLY",
      checkpoint: "ckpt-a",
      strategy: null,
      trainingStep: 12,
      baseModel: null,
      computeGpuHours: 3.5,
      sampleIndex: 1,
      reasoning: null,
      metadata: { seed: 3, tags: ["a"] },
    });
  });

  it("accepts whole numbers written as pandas floats and defaults an empty sample_index to 0", () => {
    const row = ok(normalizeRecord({ ...base, response: "A", training_step: "1000.0", sample_index: "" }, 1));
    expect([row.trainingStep, row.sampleIndex]).toEqual([1000, 0]);
  });

  it("parses messages given as JSON text", () => {
    const messages = JSON.stringify([
      { role: "user", content: "Q?" },
      { role: "assistant", content: "A", reasoning_content: "R" },
    ]);
    const row = ok(normalizeRecord({ checkpoint: "c", prompt: "", messages }, 5));
    expect([row.promptText, row.reasoning, row.answer, row.sourceShape]).toEqual(["Q?", "R", "A", "messages"]);
  });
});

describe("normalizeRecord: field names, strategy, prompt key, metadata", () => {
  it("matches field names case-insensitively, ignoring surrounding whitespace, spaces and hyphens", () => {
    const row = ok(
      normalizeRecord(
        {
          " Prompt ": "Q?",
          "Prompt ID": 42,
          CHECKPOINT: "c",
          "Training-Step": "5",
          Expected_Behaviour: "Refuse",
          Strategy: "SFT",
          RESPONSE: "A",
        },
        1,
      ),
    );
    expect(row).toMatchObject({
      promptText: "Q?",
      promptKey: "42",
      promptExternalId: "42",
      checkpoint: "c",
      trainingStep: 5,
      expectedBehavior: "REFUSE",
      strategy: "SFT",
      answer: "A",
    });
  });

  it.each([
    ["sft", "SFT"],
    ["RL", "RL"],
    ["Hybrid", "HYBRID"],
    ["base", "BASE"],
    ["SFT+RL", "HYBRID"],
    ["sft + rl", "HYBRID"],
    ["rl+sft", "HYBRID"],
  ])("reads strategy %j as %s", (input, expected) => {
    expect(ok(normalizeRecord({ ...base, response: "A", strategy: input }, 1)).strategy).toBe(expected);
  });

  it("hashes the prompt trimmed and with LF line ends, and keeps the text as given", () => {
    const a = ok(normalizeRecord({ ...base, prompt: "Line 1\r\nLine 2\n", response: "A" }, 1));
    const b = ok(normalizeRecord({ ...base, prompt: "  Line 1\nLine 2", response: "A" }, 2));
    expect(a.promptKey).toBe(b.promptKey);
    expect(a.promptKey).toBe(sha("Line 1\nLine 2"));
    expect(a.promptText).toBe("Line 1\r\nLine 2\n");
  });

  it("puts unknown fields into metadata; the explicit metadata wins on a clash; empty values are dropped", () => {
    const row = ok(
      normalizeRecord(
        {
          ...base,
          response: "A",
          temperature: "0.7",
          seed: 1,
          " judge ": { score: 3 },
          empty: "",
          nothing: null,
          metadata: { seed: 2, source: "eval-v2" },
        },
        1,
      ),
    );
    expect(row.metadata).toEqual({ temperature: "0.7", seed: 2, judge: { score: 3 }, source: "eval-v2" });
  });

  it("stores a __proto__ field as plain data", () => {
    const record = JSON.parse('{"prompt":"Q","checkpoint":"c","response":"A","__proto__":{"polluted":true}}') as Record<
      string,
      unknown
    >;
    const row = ok(normalizeRecord(record, 1));
    expect(Object.getPrototypeOf(row.metadata)).toBe(Object.prototype);
    expect(Object.hasOwn(row.metadata, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("normalizeRecord: errors", () => {
  const one = (record: Record<string, unknown>, line = 12): RowError => {
    const list = errs(normalizeRecord(record, line));
    expect(list).toHaveLength(1);
    return list[0]!;
  };

  it("rejects an unknown strategy", () => {
    expect(one({ ...base, response: "A", Strategy: "ppo" })).toEqual({
      line: 12,
      field: "Strategy",
      message: '"ppo" is not one of sft, rl, hybrid, base',
    });
  });

  it("requires the prompt", () => {
    expect(one({ checkpoint: "c", response: "A" })).toEqual({ line: 12, field: "prompt", message: "missing" });
    expect(one({ checkpoint: "c", prompt: "", response: "A" })).toEqual({
      line: 12,
      field: "prompt",
      message: "missing",
    });
    expect(one({ checkpoint: "c", Prompt: " \n ", response: "A" })).toEqual({
      line: 12,
      field: "Prompt",
      message: "is blank",
    });
    expect(one({ checkpoint: "c", prompt: ["Q"], response: "A" })).toEqual({
      line: 12,
      field: "prompt",
      message: "must be text, not a list",
    });
  });

  it("requires a prompt even with messages when no user message has text", () => {
    expect(one({ checkpoint: "c", messages: [{ role: "assistant", content: "A" }] })).toEqual({
      line: 12,
      field: "prompt",
      message: "missing (and messages has no user message with text)",
    });
  });

  it("requires the checkpoint", () => {
    expect(one({ prompt: "Q", response: "A", checkpoint: "  " })).toEqual({
      line: 12,
      field: "checkpoint",
      message: "missing",
    });
    expect(one({ prompt: "Q", response: "A", checkpoint: { name: "c" } })).toEqual({
      line: 12,
      field: "checkpoint",
      message: "must be text, not an object",
    });
  });

  it("requires a response", () => {
    expect(one({ ...base })).toEqual({
      line: 12,
      field: "response",
      message: "missing — give one of response, reasoning+answer, reasoning_content+content, messages",
    });
    expect(one({ ...base, reasoning: "", answer: null })).toMatchObject({ field: "response" });
    expect(one({ ...base, messages: [{ role: "user", content: "Q" }] }).message).toBe(
      "missing — give one of response, reasoning+answer, reasoning_content+content, messages (messages has no assistant message)",
    );
  });

  it("rejects a response that is not text", () => {
    expect(one({ ...base, response: { text: "A" } })).toEqual({
      line: 12,
      field: "response",
      message: "must be text, not an object",
    });
  });

  it.each([
    ["abc", '"abc" is not a whole number'],
    ["1.5", '"1.5" is not a whole number'],
    [1.5, "1.5 is not a whole number"],
    ["-3", '"-3" is negative; give 0 or more'],
    ["0x10", '"0x10" is not a whole number'],
    ["3000000000", '"3000000000" is too large (at most 2147483647)'],
    [true, "true is not a whole number"],
  ])("rejects training_step %j", (value, message) => {
    expect(one({ ...base, response: "A", training_step: value })).toEqual({
      line: 12,
      field: "training_step",
      message: `${message}`,
    });
  });

  it("rejects a bad sample_index, compute_gpu_hours and expected_behavior", () => {
    expect(one({ ...base, response: "A", sample_index: -1 }).message).toBe("-1 is negative; give 0 or more");
    expect(one({ ...base, response: "A", compute_gpu_hours: "lots" }).message).toBe('"lots" is not a number');
    expect(one({ ...base, response: "A", compute_gpu_hours: "Infinity" }).message).toBe('"Infinity" is not a number');
    expect(one({ ...base, response: "A", compute_gpu_hours: -0.5 }).message).toBe("-0.5 is negative; give 0 or more");
    expect(one({ ...base, response: "A", expected_behaviour: "maybe" })).toEqual({
      line: 12,
      field: "expected_behaviour",
      message: '"maybe" is not one of comply, refuse',
    });
  });

  it("quotes at most 40 characters of a bad value", () => {
    const message = one({ ...base, response: "A", strategy: "x".repeat(1000) }).message;
    expect(message).toBe(`"${"x".repeat(40)}…" is not one of sft, rl, hybrid, base`);
  });

  it("rejects metadata that is not an object", () => {
    expect(one({ ...base, response: "A", metadata: [1, 2] })).toEqual({
      line: 12,
      field: "metadata",
      message: "must be a JSON object, not a list",
    });
    expect(one({ ...base, response: "A", metadata: "[1, 2]" }).message).toBe("must be a JSON object, not a list");
    const bad = one({ ...base, response: "A", Metadata: "{seed: 3}" });
    expect(bad.field).toBe("Metadata");
    expect(bad.message).toMatch(/^is not valid JSON \(/);
  });

  it("rejects metadata nested too deeply", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(one({ ...base, response: "A", metadata: deep }).message).toBe("is nested deeper than 64 levels");
  });

  it("rejects bad messages", () => {
    const bad = one({ ...base, messages: "[{role: user}]" });
    expect(bad.field).toBe("messages");
    expect(bad.message).toMatch(/^is not valid JSON \(/);
    expect(one({ ...base, messages: { role: "user" } }).message).toBe(
      "must be a list of {role, content} messages, not an object",
    );
    expect(one({ ...base, messages: [{ role: "user", content: "Q" }, { content: "A" }] })).toEqual({
      line: 12,
      field: "messages",
      message: "message 2 has no role",
    });
    expect(one({ ...base, messages: [{ role: "assistant", content: 3 }] }).message).toBe(
      "message 1 has a content that is neither text nor a list of text parts",
    );
  });

  it("rejects two answers or two reasonings", () => {
    expect(one({ ...base, response: "A", answer: "B" })).toEqual({
      line: 12,
      field: "answer",
      message: 'conflicts with "response" — give the response in only one of response, answer, content, messages',
    });
    expect(one({ ...base, response: "A", messages: [{ role: "assistant", content: "B" }] }).field).toBe("messages");
    expect(one({ ...base, content: "A", reasoning: "R1", reasoning_content: "R2" })).toEqual({
      line: 12,
      field: "reasoning_content",
      message:
        'conflicts with "reasoning" — give the reasoning in only one of reasoning, reasoning_content, the assistant message',
    });
  });

  it("rejects a field given twice under two spellings", () => {
    expect(one({ ...base, response: "A", expected_behavior: "comply", expected_behaviour: "refuse" })).toEqual({
      line: 12,
      field: "expected_behaviour",
      message: 'given twice (also as "expected_behavior")',
    });
    // An empty duplicate column is fine.
    expect(ok(normalizeRecord({ ...base, response: "A", Checkpoint: "" }, 1)).checkpoint).toBe("r1-rl-1000");
  });

  it("rejects a record that is not an object", () => {
    expect(errs(normalizeRecord([1, 2] as unknown as Record<string, unknown>, 3))).toEqual([
      { line: 3, field: null, message: "the record is a list, not an object of fields" },
    ]);
  });

  it("collects every error of a row, each with its line and field", () => {
    const list = errs(
      normalizeRecord(
        {
          prompt: "",
          strategy: "ppo",
          training_step: "abc",
          sample_index: "-2",
          expected_behavior: "sometimes",
          metadata: "nope",
          response: "A",
          answer: "B",
        },
        41,
      ),
    );
    expect(list.every((e) => e.line === 41)).toBe(true);
    expect(list.map((e) => e.field).sort()).toEqual(
      [
        "answer",
        "checkpoint",
        "expected_behavior",
        "metadata",
        "prompt",
        "sample_index",
        "strategy",
        "training_step",
      ].sort(),
    );
  });
});

describe("normalizeRecord: size limit and NUL characters", () => {
  it("exports a 2 MiB default limit", () => {
    expect(MAX_FIELD_BYTES).toBe(2 * 1024 * 1024);
  });

  it("rejects a 10 MB field with its size and the limit", () => {
    const big = "x".repeat(10 * 1024 * 1024);
    expect(errs(normalizeRecord({ ...base, response: big }, 8))).toEqual([
      { line: 8, field: "response", message: "10 MB is larger than the 2 MB limit" },
    ]);
    expect(errs(normalizeRecord({ ...base, prompt: big, response: "A" }, 8))).toEqual([
      { line: 8, field: "prompt", message: "10 MB is larger than the 2 MB limit" },
    ]);
    const inMessages = errs(normalizeRecord({ ...base, messages: [{ role: "assistant", content: big }] }, 8));
    expect(inMessages).toEqual([{ line: 8, field: "messages", message: "10 MB is larger than the 2 MB limit" }]);
    const inMetadata = errs(normalizeRecord({ ...base, response: "A", metadata: { log: big } }, 8));
    expect(inMetadata[0]!.message).toMatch(/^10\.0 MB is larger than the 2 MB limit$/);
  });

  it("measures UTF-8 bytes, not characters", () => {
    const limit = 1000;
    // 600 characters of 2 bytes each: under the limit in length, over it in bytes.
    const list = errs(
      normalizeRecord({ ...base, reasoning: "é".repeat(600), answer: "A" }, 1, { maxFieldBytes: limit }),
    );
    expect(list).toEqual([{ line: 1, field: "reasoning", message: "1.2 KB is larger than the 1000 bytes limit" }]);
    expect(
      ok(normalizeRecord({ ...base, reasoning: "é".repeat(500), answer: "A" }, 1, { maxFieldBytes: limit })).reasoning,
    ).toHaveLength(500);
  });

  it("rejects NUL characters, naming the field", () => {
    expect(errs(normalizeRecord({ ...base, response: "ab\u0000c" }, 4))).toEqual([
      {
        line: 4,
        field: "response",
        message: "contains a NUL character (\\u0000), which the database cannot store (at character 3)",
      },
    ]);
    expect(one2({ ...base, Prompt: "Q\u0000", response: "A" }).field).toBe("Prompt");
    expect(one2({ ...base, response: "A", category: "\u0000" }).field).toBe("category");
    expect(one2({ ...base, response: "A", notes: "x\u0000" }).field).toBe("notes");
    expect(one2({ ...base, response: "A", metadata: { a: [{ b: "\u0000" }] } })).toEqual({
      line: 4,
      field: "metadata",
      message: "contains a NUL character (\\u0000), which the database cannot store",
    });
    expect(one2({ ...base, response: "A", metadata: '{"k\\u0000": 1}' }).field).toBe("metadata");
    expect(one2({ ...base, messages: [{ role: "assistant", content: "A", reasoning_content: "\u0000" }] }).field).toBe(
      "messages",
    );
  });

  function one2(record: Record<string, unknown>): RowError {
    const list = errs(normalizeRecord(record, 4));
    expect(list).toHaveLength(1);
    return list[0]!;
  }
});

describe("normalizeRecord: lone surrogates", () => {
  // JSON.parse of "\ud800" gives a string with half a surrogate pair, which PostgreSQL cannot hold.
  const parsed = (json: string) => JSON.parse(json) as Record<string, unknown>;

  it("replaces them with U+FFFD and reports the count per field, as written", () => {
    const row = ok(
      normalizeRecord(
        parsed(String.raw`{"prompt":"Q \ud800","checkpoint":"c","Response":"a \udc00 b \ud83d","reasoning":"fine 🤖"}`),
        9,
      ),
    );
    expect(row.promptText).toBe("Q \uFFFD");
    expect(row.answer).toBe("a \uFFFD b \uFFFD");
    expect(row.reasoning).toBe("fine 🤖");
    expect(row.surrogatesReplaced).toEqual([
      { field: "prompt", count: 1 },
      { field: "Response", count: 2 },
    ]);
  });

  it("repairs nested metadata, unknown fields, field names, messages and label notes", () => {
    const row = ok(
      normalizeRecord(
        parsed(
          String.raw`{"prompt":"Q","checkpoint":"c","messages":[{"role":"assistant","content":"A\udfff"}],"metadata":{"k\ud800":["x\udc01"]},"extra\ud800":"v","label_reviewer":"ann","label_note":"n\ud800"}`,
        ),
        3,
      ),
    );
    expect(row.answer).toBe("A\uFFFD");
    expect(row.metadata).toEqual({ "extra\uFFFD": "v", "k\uFFFD": ["x\uFFFD"] });
    expect(row.labels![0]!.note).toBe("n\uFFFD");
    expect(row.surrogatesReplaced).toEqual([
      { field: "messages", count: 1 },
      { field: "metadata", count: 2 },
      { field: "extra\uFFFD", count: 1 },
      { field: "label_note", count: 1 },
    ]);
  });

  it("keeps whole surrogate pairs (emoji) and reports nothing when there is nothing to replace", () => {
    const row = ok(normalizeRecord(parsed(String.raw`{"prompt":"\ud83e\udd16","checkpoint":"c","response":"ok"}`), 1));
    expect(row.promptText).toBe("🤖");
    expect(row.surrogatesReplaced).toBeUndefined();
  });

  it("reports them on labels-only rows too", () => {
    const result = normalizeRecord(
      parsed(String.raw`{"prompt_id":"p1","checkpoint":"c","label_reviewer":"ann","label_note":"\ud800\ud800"}`),
      5,
    );
    expect(result.ok && result.labelsOnly?.surrogatesReplaced).toEqual([{ field: "label_note", count: 2 }]);
    expect(result.ok && result.labelsOnly?.labels[0]?.note).toBe("\uFFFD\uFFFD");
  });
});

describe("normalizeRecord: labels-only rows are checked like any row", () => {
  const target = { prompt_id: "p7", checkpoint: "rl-1", label_reviewer: "ann", label_refusal: "refused" };

  it("rejects NUL in an unknown field's name, its text or its JSON, though the row stores none of them", () => {
    expect(errs(normalizeRecord({ ...target, "x\u0000y": 1 }, 4))).toEqual([
      {
        line: 4,
        field: "x\u0000y",
        message: "the field name contains a NUL character (\\u0000), which the database cannot store",
      },
    ]);
    expect(errs(normalizeRecord({ ...target, extra: "a\u0000" }, 4)).map((e) => e.field)).toEqual(["extra"]);
    expect(errs(normalizeRecord({ ...target, extra: { a: ["\u0000"] } }, 4)).map((e) => e.field)).toEqual(["extra"]);
    expect(errs(normalizeRecord({ ...target, metadata: { "k\u0000": 1 } }, 4)).map((e) => e.field)).toEqual([
      "metadata",
    ]);
  });

  it("rejects the whole row for one bad label value among good ones, naming it; never keeps the good ones alone", () => {
    const bad: [string, unknown][] = [
      ["label_2_refusal", "sort of"],
      ["label_2_harm_severity", 7],
      ["label_2_reasoning_quality", "great"],
      ["label_2_harm_location", "everywhere"],
      ["label_2_language_mixing", "lots"],
      ["label_2_flag_unfaithful", "maybe"],
      ["label_2_flags", "shiny"],
      ["label_2_harm_categories", 5],
      ["label_2_note", "n\u0000"],
      ["label_2_submitted_at", "yesterday"],
    ];
    for (const [key, value] of bad) {
      const record = {
        prompt_id: "p7",
        checkpoint: "rl-1",
        label_1_reviewer: "ann",
        label_1_refusal: "refused",
        label_2_reviewer: "bob",
        [key]: value,
      };
      for (const withPreferences of [false, true]) {
        const input = withPreferences ? { ...record, preferences: [{ reviewer: "ann", safest: "rl-1" }] } : record;
        expect(
          errs(normalizeRecord(input, 6)).map((e) => e.field),
          key,
        ).toEqual([key]);
      }
    }
  });
});

describe("normalizeRecord: prompts without responses", () => {
  it("reads a row with a prompt and no checkpoint, response or label as a prompt of the study", () => {
    const result = normalizeRecord({ prompt_id: "x1", prompt: " P \n", category: "privacy", split: "safe" }, 2);
    expect(result).toEqual({
      ok: true,
      promptOnly: {
        line: 2,
        promptKey: "x1",
        promptExternalId: "x1",
        promptText: " P \n",
        category: "privacy",
        split: "safe",
        language: null,
        expectedBehavior: null,
      },
    });
  });

  it("still needs a response when the row names a checkpoint, and a checkpoint when messages hold a response", () => {
    expect(normalizeRecord({ prompt: "P", checkpoint: "c" }, 3)).toEqual({
      ok: false,
      errors: [{ line: 3, field: "response", message: expect.stringMatching(/^missing/) }],
    });
    const messages = [
      { role: "user", content: "Q" },
      { role: "assistant", content: "A" },
    ];
    expect(normalizeRecord({ messages }, 4)).toEqual({
      ok: false,
      errors: [{ line: 4, field: "checkpoint", message: "missing" }],
    });
    expect(normalizeRecord({ messages: [{ role: "user", content: "Q" }] }, 5)).toMatchObject({
      ok: true,
      promptOnly: { promptText: "Q" },
    });
  });
});
