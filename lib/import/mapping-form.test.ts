// The import page's form ↔ the command line's options: what the page sends is what the parser reads,
// and a remembered mapping comes back into the same form.
import { describe, expect, it } from "vitest";
import { parseColumnMapping } from "./column-mapping";
import { mappingArgumentsOf, type MappingForm, ruleText } from "./mapping-form";
import { formOfArguments } from "./remembered-form";

const form: MappingForm = {
  columns: { id: "prompt_id", completion: "response", type: "" },
  constants: [
    { field: "checkpoint", value: "gpt4" },
    { field: "strategy", value: " rl " },
    { field: "split", value: "" },
  ],
  rules: [
    {
      field: "category",
      value: "hate speech",
      column: "type",
      operator: "startswith",
      argument: "hate_",
      otherwise: "",
    },
    { field: "split", value: "unsafe", column: "type", operator: "in", argument: "a, b ,c", otherwise: "safe" },
    { field: "", value: "x", column: "type", operator: "is", argument: "y", otherwise: "" },
  ],
};

describe("mappingArgumentsOf", () => {
  it("gives the options of the filled rows, leaving out what the importer reads by default", () => {
    expect(mappingArgumentsOf(form, { completion: "response", id: null, type: null })).toEqual({
      set: ["checkpoint=gpt4", "strategy=rl"],
      rename: ["id=prompt_id"],
      derive: ['category="hate speech" if type startswith hate_', "split=unsafe if type in a,b,c else safe"],
    });
  });

  it("writes rules the command line's parser reads back to the same rule", () => {
    const args = mappingArgumentsOf(form);
    const parsed = parseColumnMapping(args, "");
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    expect(parsed.mapping.derive.map((d) => [d.field, d.value, d.when, d.otherwise])).toEqual([
      ["category", "hate speech", { column: "type", operator: "startswith", values: ["hate_"] }, undefined],
      ["split", "unsafe", { column: "type", operator: "in", values: ["a", "b", "c"] }, "safe"],
    ]);
  });

  it("quotes a column, value or text with spaces or quotes, and an empty text", () => {
    const text = ruleText({
      field: "category",
      value: 'say "no"',
      column: "prompt type",
      operator: "is",
      argument: "",
      otherwise: "other kind",
    });
    expect(text).toBe('category="say ""no""" if "prompt type" is "" else "other kind"');
    const parsed = parseColumnMapping({ derive: [text] }, "");
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    expect(parsed.mapping.derive[0]).toMatchObject({
      value: 'say "no"',
      when: { column: "prompt type", operator: "is", values: [""] },
      otherwise: "other kind",
    });
  });
});

describe("formOfArguments", () => {
  it("fills the form from remembered options, for the file's columns in any case", () => {
    const args = mappingArgumentsOf(form, { completion: "response" });
    const { form: back, unshown } = formOfArguments(args, ["ID", "type", "completion"]);
    expect(unshown).toEqual([]);
    expect(back.columns).toEqual({ ID: "prompt_id" });
    expect(back.constants).toEqual([
      { field: "checkpoint", value: "gpt4" },
      { field: "strategy", value: "rl" },
    ]);
    expect(mappingArgumentsOf(back).derive).toEqual(args.derive);
  });

  it("says which options it cannot show instead of dropping them, and reads a rule without a condition as a constant", () => {
    const { form: back, unshown } = formOfArguments(
      { set: [], rename: ["gone=prompt_id"], derive: ["split=safe", "broken"] },
      ["id"],
    );
    expect(unshown).toEqual(["rename gone=prompt_id", "derive broken"]);
    expect(back.constants).toEqual([{ field: "split", value: "safe" }]);
  });
});
