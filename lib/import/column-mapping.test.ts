import { describe, expect, it } from "vitest";
import { ColumnMapper, deriveValue } from "./column-mapper";
import { type ColumnMapping, parseColumnMapping, parseDeriveRule } from "./column-mapping";

function mapping(args: { set?: string[]; rename?: string[]; derive?: string[] }): ColumnMapping {
  const parsed = parseColumnMapping(args);
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.mapping;
}

describe("parseColumnMapping", () => {
  it("reads --set, --rename and --derive", () => {
    expect(
      mapping({
        set: ["checkpoint=gpt4", "strategy=rl"],
        rename: ["id=prompt_id", "annotation_1=label_1_refusal"],
        derive: ["split=unsafe if type startswith contrast_ else safe"],
      }),
    ).toEqual({
      set: [
        { field: "checkpoint", value: "gpt4" },
        { field: "strategy", value: "rl" },
      ],
      rename: [
        { source: "id", field: "prompt_id" },
        { source: "annotation_1", field: "label_1_refusal" },
      ],
      derive: [
        {
          field: "split",
          value: "unsafe",
          when: { column: "type", operator: "startswith", values: ["contrast_"] },
          otherwise: "safe",
          text: "split=unsafe if type startswith contrast_ else safe",
        },
      ],
    });
  });

  it("names each bad option, as the command line or as query parameters", () => {
    const cli = parseColumnMapping({
      set: ["chekpoint=gpt4", "novalue"],
      rename: ["completion=response", "completion=answer"],
      derive: ["split=unsafe if type resembles x"],
    });
    expect(cli.ok).toBe(false);
    if (cli.ok) return;
    expect(cli.problems).toEqual([
      expect.stringMatching(/^--set chekpoint=gpt4: "chekpoint" is not a field Parallax reads/),
      '--set "novalue": write FIELD=VALUE',
      "--rename completion=answer: the column completion is renamed twice",
      '--derive "split=unsafe if type resembles x": "resembles" is not one of is, is not, startswith, endswith, contains, in',
    ]);
    const api = parseColumnMapping({ set: ["checkpoint=a", "checkpoint=b"] }, "");
    expect(api).toEqual({
      ok: false,
      problems: ["set checkpoint=b and set checkpoint=a both give the field checkpoint"],
    });
  });

  it("refuses a rule that can never apply after an else", () => {
    const parsed = parseColumnMapping({ derive: ["split=a if t is x else b", "split=c if t is y"] });
    expect(parsed.ok).toBe(false);
  });
});

describe("value rules", () => {
  const rule = (text: string) => {
    const r = parseDeriveRule(text);
    if (typeof r === "string") throw new Error(r);
    return r;
  };
  it("reads quoted values and every operator", () => {
    expect(rule('category="hate speech" if type is "hate, speech"')).toMatchObject({
      value: "hate speech",
      when: { operator: "is", values: ["hate, speech"] },
    });
    const column = (v: string) => () => v;
    const cases: [string, string, string | undefined][] = [
      ["split=1 if c is not x", "y", "1"],
      ["split=1 if c != x", "x", undefined],
      ["split=1 if c ends with _b", "a_b", "1"],
      ["split=1 if c contains mid", "amidb", "1"],
      ["split=1 if c in a,b,c", "b", "1"],
      ["split=1 if c in a,b,c", "d", undefined],
      ["split=1 if c == A", "a", undefined],
    ];
    for (const [text, value, expected] of cases)
      expect([text, deriveValue([rule(text)], column(value))]).toEqual([text, expected]);
  });
  it("tries rules for one field in order", () => {
    const rules = [
      rule("split=jailbreak if type startswith jb_"),
      rule("split=unsafe if type startswith contrast_ else safe"),
    ];
    expect(["jb_x", "contrast_y", "homonyms"].map((t) => deriveValue(rules, () => t))).toEqual([
      "jailbreak",
      "unsafe",
      "safe",
    ]);
  });
});

describe("ColumnMapper", () => {
  it("renames, sets and derives, keeping the other columns", () => {
    const mapper = new ColumnMapper(
      mapping({
        set: ["checkpoint=gpt4"],
        rename: ["id=prompt_id"],
        derive: ["split=unsafe if type startswith contrast_ else safe"],
      }),
    );
    const out = mapper.map({ id: "v2-1", type: "contrast_homonyms", prompt: "P", completion: " C " }, 2);
    expect(out).toEqual({
      ok: true,
      record: {
        prompt_id: "v2-1",
        type: "contrast_homonyms",
        prompt: "P",
        response: " C ",
        checkpoint: "gpt4",
        split: "unsafe",
      },
    });
    expect(mapper.finish()).toEqual([]);
  });

  it("reads the harnesses' column names, and names both columns when two could be one field", () => {
    const mapper = new ColumnMapper(mapping({}));
    expect(mapper.map({ Question: "Q", model_name: "m", output: "A" }, 2)).toEqual({
      ok: true,
      record: { prompt: "Q", checkpoint: "m", response: "A" },
    });
    const ambiguous = mapper.map({ prompt: "Q", completion: "a", generation: "b", checkpoint: "m" }, 3);
    expect(ambiguous).toEqual({
      ok: false,
      errors: [
        {
          line: 3,
          field: null,
          message:
            'the columns "completion" and "generation" could both be the response: say which with --rename completion=response',
        },
      ],
    });
    // The same columns again: already reported.
    expect(mapper.map({ prompt: "Q", completion: "a", generation: "b", checkpoint: "m" }, 4)).toEqual({
      ok: false,
      errors: [],
    });
  });

  it("leaves a built-in name alone when the file has the field", () => {
    const mapper = new ColumnMapper(mapping({}));
    const record = { prompt: "Q", response: "R", output: "other", model: "x", checkpoint: "c" };
    expect(mapper.map(record, 2)).toEqual({ ok: true, record });
  });

  it("refuses an option that would hide a column, and a rename of a column the file lacks", () => {
    const mapper = new ColumnMapper(
      mapping({ set: ["checkpoint=a"], rename: ["completion=response", "nope=category"] }),
    );
    const out = mapper.map({ prompt: "P", completion: "c", checkpoint: "file's" }, 2);
    expect(out.ok).toBe(false);
    if (!out.ok)
      expect(out.errors[0]!.message).toBe(
        'the file has a column "checkpoint", which --set checkpoint=a would hide: read it under another name (--rename checkpoint=…) or leave the option out',
      );
    expect(mapper.finish().map((e) => e.message)).toEqual([
      '--rename nope=category: the file has no column "nope" (its columns: prompt, completion, checkpoint)',
    ]);
  });
});
