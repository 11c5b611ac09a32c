// normalize-record.ts, value by value: the coercion of each canonical field, the messages' roles,
// the size and depth checks of metadata, the response's sources and the rows without a response.
// normalize-record.ts remembers what each key means: the field-name test comes first.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { normalizeRecord, readsAsField } from "./normalize-record";
import { ROW_CONTEXT } from "./preference-fields";
import type { NormalizedRow, RowError, RowResult } from "./types";

function ok(result: RowResult): NormalizedRow {
  if (!result.ok) throw new Error(`expected a row, got errors: ${JSON.stringify(result.errors)}`);
  if (result.row === undefined) throw new Error("expected a response row");
  return result.row;
}

function errs(result: RowResult): RowError[] {
  if (result.ok) throw new Error("expected errors, got a row");
  return result.errors;
}

const base = { prompt: "p", checkpoint: "c", response: "r" };

describe("normalizeRecord: field names and values", () => {
  it("reads runs of spaces and hyphens in a field name as one _", () => {
    const row = ok(
      normalizeRecord(
        {
          Prompt: "p",
          checkpoint: "c",
          "Check - point": "c",
          "Training  Step": "5",
          "Sample -- Index": "2",
          response: "r",
        },
        1,
      ),
    );
    expect([row.checkpoint, row.trainingStep, row.sampleIndex]).toEqual(["c", 5, 2]);
    expect(row.metadata).toEqual({ "Check - point": "c" });
  });

  it("tells which keys are read as fields", () => {
    expect(
      [" PREFERENCES ", "Label 3 Refusal", "Prompt ID", "label_3_id", "Model Notes"].map((k) => [k, readsAsField(k)]),
    ).toEqual([
      [" PREFERENCES ", true],
      ["Label 3 Refusal", true],
      ["Prompt ID", true],
      ["label_3_id", false],
      ["Model Notes", false],
    ]);
  });

  it("reads JSON null as absent in every field", () => {
    const row = ok(
      normalizeRecord(
        {
          ...base,
          prompt_id: null,
          category: null,
          split: null,
          language: null,
          expected_behavior: null,
          strategy: null,
          training_step: null,
          base_model: null,
          compute_gpu_hours: null,
          sample_index: null,
          metadata: null,
        },
        1,
      ),
    );
    expect(row).toMatchObject({
      promptExternalId: null,
      category: null,
      split: null,
      language: null,
      expectedBehavior: null,
      strategy: null,
      trainingStep: null,
      baseModel: null,
      computeGpuHours: null,
      sampleIndex: 0,
      metadata: {},
    });
  });

  it("trims numbers, expected behaviour and strategies, and reads a blank one as absent", () => {
    const row = ok(
      normalizeRecord(
        {
          ...base,
          training_step: " 12 ",
          sample_index: `${"0".repeat(39)}3`,
          expected_behavior: " refuse ",
          strategy: `rl${" ".repeat(38)}`,
        },
        1,
      ),
    );
    expect([row.trainingStep, row.sampleIndex, row.expectedBehavior, row.strategy]).toEqual([12, 3, "REFUSE", "RL"]);
    expect(ok(normalizeRecord({ ...base, expected_behavior: "   ", strategy: "  " }, 1))).toMatchObject({
      expectedBehavior: null,
      strategy: null,
    });
  });

  it("names the type or quotes the value of a field that is not text", () => {
    const long = "x".repeat(40);
    expect(
      errs(
        normalizeRecord(
          {
            ...base,
            category: true,
            language: Number.POSITIVE_INFINITY,
            expected_behavior: ["comply"],
            strategy: 5,
            base_model: { name: "q" },
            training_step: `${"0".repeat(40)}3`,
            split: long,
          },
          2,
        ),
      ),
    ).toEqual([
      { line: 2, field: "category", message: "must be text, not true/false" },
      { line: 2, field: "language", message: "must be text, not a number" },
      { line: 2, field: "expected_behavior", message: "a list is not one of comply, refuse" },
      { line: 2, field: "strategy", message: "5 is not one of sft, rl, hybrid, base" },
      { line: 2, field: "training_step", message: `"${"0".repeat(40)}…" is not a whole number` },
      { line: 2, field: "base_model", message: "must be text, not an object" },
    ]);
    expect(errs(normalizeRecord({ ...base, expected_behavior: 1, strategy: `SFT${" ".repeat(40)}` }, 2))).toEqual([
      { line: 2, field: "expected_behavior", message: "1 is not one of comply, refuse" },
      { line: 2, field: "strategy", message: `"SFT${" ".repeat(37)}…" is not one of sft, rl, hybrid, base` },
    ]);
    expect(errs(normalizeRecord({ ...base, strategy: long }, 2))[0]!.message).toBe(
      `"${long}" is not one of sft, rl, hybrid, base`,
    );
  });

  it("names what a record is when it is not an object", () => {
    const message = (record: unknown) => errs(normalizeRecord(record as Record<string, unknown>, 6))[0]!.message;
    expect([null, [1], 5, true, "x"].map(message)).toEqual([
      "the record is null, not an object of fields",
      "the record is a list, not an object of fields",
      "the record is a number, not an object of fields",
      "the record is true/false, not an object of fields",
      "the record is string, not an object of fields",
    ]);
  });

  it("refuses metadata that is a list", () => {
    expect(errs(normalizeRecord({ ...base, metadata: [1] }, 3))).toEqual([
      { line: 3, field: "metadata", message: "must be a JSON object, not a list" },
    ]);
  });

  it("names a field given twice by its first key, and takes a value after an empty one", () => {
    expect(errs(normalizeRecord({ ...base, " Category ": "a", category: "b" }, 3))).toEqual([
      { line: 3, field: "category", message: 'given twice (also as "Category")' },
    ]);
    expect(ok(normalizeRecord({ ...base, Language: "", language: "de" }, 3)).language).toBe("de");
  });
});

describe("normalizeRecord: messages", () => {
  it("reads roles trimmed in any case, and the last user message before the assistant's", () => {
    const row = ok(
      normalizeRecord(
        {
          checkpoint: "c",
          messages: [
            { role: " User ", content: "first question" },
            { role: "system", content: "be brief" },
            { role: "ASSISTANT ", content: "the answer" },
            { role: "user", content: "a follow-up" },
          ],
        },
        1,
      ),
    );
    expect([row.promptText, row.answer, row.sourceShape]).toEqual(["first question", "the answer", "messages"]);
  });

  it("reads an assistant message without content as an empty answer", () => {
    const row = ok(
      normalizeRecord(
        {
          checkpoint: "c",
          messages: [
            { role: "user", content: "q" },
            { role: "assistant", content: null, reasoning_content: "thinking" },
          ],
        },
        1,
      ),
    );
    expect([row.answer, row.reasoning]).toEqual(["", "thinking"]);
  });

  it("joins an answer's text parts, without parts of another type", () => {
    const content = [{ type: "text", text: "a" }, { type: "image_url", text: "x" }, { text: "b" }, "c"];
    const row = ok(normalizeRecord({ prompt: "p", checkpoint: "c", messages: [{ role: "assistant", content }] }, 1));
    expect(row.answer).toBe("abc");
  });

  it("reads blank JSON text in messages and metadata as absent", () => {
    const row = ok(normalizeRecord({ ...base, messages: "  ", metadata: " " }, 1));
    expect([row.answer, row.metadata]).toEqual(["r", {}]);
  });

  it("tells a message without a role from one whose role is not text", () => {
    expect(errs(normalizeRecord({ ...base, messages: [{ content: "x" }, { role: 5, content: "y" }] }, 4))).toEqual([
      { line: 4, field: "messages", message: "message 1 has no role" },
      { line: 4, field: "messages", message: "message 2 has a role that is not text" },
    ]);
  });

  it("reads messages of JSON null as absent", () => {
    expect(ok(normalizeRecord({ ...base, messages: "null" }, 1)).answer).toBe("r");
    expect(errs(normalizeRecord({ checkpoint: "c", messages: "null" }, 1))).toEqual([
      {
        line: 1,
        field: "response",
        message: "missing — give one of response, reasoning+answer, reasoning_content+content, messages",
      },
      { line: 1, field: "prompt", message: "missing" },
    ]);
  });

  it("reports only the problem of messages that cannot be read, by the key as written", () => {
    expect(errs(normalizeRecord({ checkpoint: "c", response: "r", Messages: "not json" }, 2))).toEqual([
      {
        line: 2,
        field: "Messages",
        message: "is not valid JSON (Unexpected token 'o', \"not json\" is not valid JSON)",
      },
    ]);
  });

  it("reports a NUL in the assistant's answer alone", () => {
    expect(
      errs(
        normalizeRecord(
          {
            checkpoint: "c",
            messages: [
              { role: "user", content: "q" },
              { role: "assistant", content: "a\u0000" },
            ],
          },
          2,
        ),
      ),
    ).toEqual([
      {
        line: 2,
        field: "messages",
        message: "contains a NUL character (\\u0000), which the database cannot store (at character 2)",
      },
    ]);
  });

  it("checks the texts of messages, not the size of their JSON", () => {
    const messages = JSON.stringify([
      { role: "system", content: "s".repeat(200) },
      { role: "user", content: "q" },
      { role: "assistant", content: "a" },
    ]);
    const metadata = `{"a": 1${" ".repeat(200)}}`;
    const row = ok(normalizeRecord({ checkpoint: "c", messages, metadata }, 1, { maxFieldBytes: 100 }));
    expect([row.promptText, row.answer, row.metadata]).toEqual(["q", "a", { a: 1 }]);
  });
});

describe("normalizeRecord: the response's sources", () => {
  it("names the shape of each source", () => {
    const shape = (record: Record<string, unknown>) =>
      ok(normalizeRecord({ prompt: "p", checkpoint: "c", ...record }, 1)).sourceShape;
    expect(shape({ response: "r" })).toBe("response");
    expect(shape({ answer: "a" })).toBe("fields");
    expect(shape({ reasoning: "t" })).toBe("fields");
    expect(shape({ content: "a" })).toBe("deepseek");
    expect(shape({ reasoning_content: "t" })).toBe("deepseek");
    expect(shape({ messages: [{ role: "assistant", content: "a" }] })).toBe("messages");
  });

  it("leaves out a source whose text failed its check, so that it conflicts with nothing", () => {
    expect(errs(normalizeRecord({ prompt: "p", checkpoint: "c", response: "a\u0000", answer: "b" }, 1))).toEqual([
      {
        line: 1,
        field: "response",
        message: "contains a NUL character (\\u0000), which the database cannot store (at character 2)",
      },
    ]);
    expect(
      errs(
        normalizeRecord(
          { prompt: "p", checkpoint: "c", answer: "b", reasoning: "t".repeat(20), reasoning_content: "u" },
          1,
          { maxFieldBytes: 10 },
        ),
      ),
    ).toEqual([{ line: 1, field: "reasoning", message: "20 bytes is larger than the 10 bytes limit" }]);
  });

  it("names the first source of a conflict as written", () => {
    expect(errs(normalizeRecord({ prompt: "p", checkpoint: "c", " Response ": "a", answer: "b" }, 1))).toEqual([
      {
        line: 1,
        field: "answer",
        message: 'conflicts with "Response" — give the response in only one of response, answer, content, messages',
      },
    ]);
    expect(
      errs(
        normalizeRecord({ prompt: "p", checkpoint: "c", response: "a", " Reasoning ": "t", reasoning_content: "u" }, 1),
      ),
    ).toEqual([
      {
        line: 1,
        field: "reasoning_content",
        message:
          'conflicts with "Reasoning" — give the reasoning in only one of reasoning, reasoning_content, the assistant message',
      },
    ]);
  });

  it("hashes a prompt with lone CR line ends as with LF", () => {
    const sha = (text: string) => `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
    expect(ok(normalizeRecord({ ...base, prompt: "a\rb\r\nc" }, 1)).promptKey).toBe(sha("a\nb\nc"));
  });
});

describe("normalizeRecord: sizes and metadata", () => {
  it("writes sizes at the KB and MB boundaries", () => {
    expect(errs(normalizeRecord({ ...base, response: "r".repeat(1025) }, 1, { maxFieldBytes: 1024 }))).toEqual([
      { line: 1, field: "response", message: "1.0 KB is larger than the 1.0 KB limit" },
    ]);
    expect(
      errs(normalizeRecord({ ...base, response: "r".repeat(1024 * 1024 + 1) }, 1, { maxFieldBytes: 1024 * 1024 })),
    ).toEqual([{ line: 1, field: "response", message: "1.0 MB is larger than the 1 MB limit" }]);
  });

  it("measures metadata as its JSON, however small", () => {
    const check = (metadata: unknown, maxFieldBytes: number) =>
      normalizeRecord({ ...base, metadata }, 1, { maxFieldBytes });
    expect(errs(check({ k: "" }, 7))).toEqual([
      { line: 1, field: "metadata", message: "8 bytes is larger than the 7 bytes limit" },
    ]);
    expect(errs(check({ k: 1 }, 6))).toEqual([
      { line: 1, field: "metadata", message: "7 bytes is larger than the 6 bytes limit" },
    ]);
    expect(errs(check({ abc: "" }, 9))).toEqual([
      { line: 1, field: "metadata", message: "10 bytes is larger than the 9 bytes limit" },
    ]);
    expect(ok(check({ abc: "x" }, 11)).metadata).toEqual({ abc: "x" });
    expect(ok(check({ a: null, b: [true, 2] }, 1000)).metadata).toEqual({ a: null, b: [true, 2] });
  });

  it("allows 64 levels of metadata, in objects and in lists", () => {
    const nested = (levels: number, wrap: (v: unknown) => unknown) => {
      let v: unknown = 1;
      for (let i = 0; i < levels; i++) v = wrap(v);
      return v;
    };
    expect(ok(normalizeRecord({ ...base, metadata: nested(64, (v) => ({ a: v })) }, 1)).metadata).toBeDefined();
    const deep = "is nested deeper than 64 levels";
    expect(errs(normalizeRecord({ ...base, metadata: nested(65, (v) => ({ a: v })) }, 1))).toEqual([
      { line: 1, field: "metadata", message: deep },
    ]);
    expect(errs(normalizeRecord({ ...base, metadata: { a: nested(64, (v) => [v]) } }, 1))).toEqual([
      { line: 1, field: "metadata", message: deep },
    ]);
  });

  it("reports the first problem of metadata", () => {
    expect(errs(normalizeRecord({ ...base, metadata: { a: "x\u0000", b: { "k\u0000": 1 } } }, 1))).toEqual([
      { line: 1, field: "metadata", message: "contains a NUL character (\\u0000), which the database cannot store" },
    ]);
    expect(errs(normalizeRecord({ ...base, metadata: { "k\u0000": 1 } }, 1))).toEqual([
      {
        line: 1,
        field: "metadata",
        message: "has a key that contains a NUL character (\\u0000), which the database cannot store",
      },
    ]);
  });

  it("reports where a NUL stands in an unknown field's text", () => {
    expect(errs(normalizeRecord({ ...base, notes: "ab\u0000" }, 1))).toEqual([
      {
        line: 1,
        field: "notes",
        message: "contains a NUL character (\\u0000), which the database cannot store (at character 3)",
      },
    ]);
  });

  it("keeps the export's names as metadata in a row without labels", () => {
    const row = ok(normalizeRecord({ ...base, note: "sampled twice" }, 1));
    expect(row.metadata).toEqual({ note: "sampled twice" });
    expect("labels" in row).toBe(false);
  });
});

describe("normalizeRecord: rows without a response", () => {
  it("refuses a prompt with a NUL on a prompts-only row, and reports its repairs", () => {
    expect(errs(normalizeRecord({ prompt: "a\u0000" }, 8))).toEqual([
      {
        line: 8,
        field: "prompt",
        message: "contains a NUL character (\\u0000), which the database cannot store (at character 2)",
      },
    ]);
    const result = normalizeRecord(JSON.parse(String.raw`{"prompt":"a\ud800"}`) as Record<string, unknown>, 8);
    expect(result.ok && result.promptOnly).toMatchObject({
      promptText: "a\uFFFD",
      surrogatesReplaced: [{ field: "prompt", count: 1 }],
    });
  });

  it("reads preferences alone as a labels-only row, with its context", () => {
    const result = normalizeRecord(
      {
        prompt_id: "p1",
        checkpoint: "c",
        preferences: [{ reviewer: "ann", best: "c" }],
        [ROW_CONTEXT]: "task 12",
      } as Record<string, unknown>,
      5,
    );
    expect(result).toEqual({
      ok: true,
      labelsOnly: {
        line: 5,
        promptKey: "p1",
        checkpoint: "c",
        sampleIndex: 0,
        labels: [],
        preferences: [{ reviewer: "ann", kind: "best", checkpoint: "c", compared: null }],
        context: "task 12",
      },
    });
  });

  it("carries no preferences or context it was not given on a labels-only row", () => {
    const result = normalizeRecord(
      { prompt_id: "p1", checkpoint: "c", label_reviewer: "ann", label_refusal: "refused" },
      5,
    );
    expect(result.ok && Object.keys(result.labelsOnly ?? {}).sort()).toEqual([
      "checkpoint",
      "labels",
      "line",
      "promptKey",
      "sampleIndex",
    ]);
  });

  it("reads a labelled row with a response but no prompt as a response row missing its prompt", () => {
    expect(
      errs(
        normalizeRecord(
          { prompt_id: "p1", checkpoint: "c", response: "r", label_reviewer: "ann", label_refusal: "refused" },
          5,
        ),
      ),
    ).toEqual([{ line: 5, field: "prompt", message: "missing" }]);
  });

  it("reads a prompt with preferences as a response row, not as a prompt alone", () => {
    expect(
      errs(normalizeRecord({ prompt: "p", preferences: [{ reviewer: "ann", best: "c" }] }, 5)).map((e) => e.field),
    ).toEqual(["checkpoint", "response"]);
  });

  it("refuses preferences given twice", () => {
    const preferences = [{ reviewer: "ann", best: "c" }];
    expect(errs(normalizeRecord({ ...base, preferences, Preferences: preferences }, 5))).toEqual([
      { line: 5, field: "Preferences", message: "given twice" },
    ]);
  });

  it("carries preferences and the context on a response row, and no empty list", () => {
    const row = ok(
      normalizeRecord(
        { ...base, preferences: [{ reviewer: "ann", safest: "c" }], [ROW_CONTEXT]: "record 3" } as Record<
          string,
          unknown
        >,
        1,
      ),
    );
    expect(row.preferences).toEqual([{ reviewer: "ann", kind: "safest", checkpoint: "c", compared: null }]);
    expect(row.context).toBe("record 3");
    const plain = ok(normalizeRecord({ ...base, preferences: [] }, 1));
    expect("preferences" in plain || "context" in plain).toBe(false);
  });

  it("a row with empty preferences and no response is not a labels-only row", () => {
    expect(errs(normalizeRecord({ prompt_id: "p1", checkpoint: "c", preferences: [] }, 2)).map((e) => e.field)).toEqual(
      ["response", "prompt"],
    );
  });
});
