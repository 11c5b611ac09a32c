import { describe, expect, it } from "vitest";
import { emptyLabelValues } from "../labels";
import { parseAdjudicationBody, parseClearVersion } from "./adjudication-request";

describe("parseAdjudicationBody", () => {
  it("reads the export's field names, lower-case choices, and leaves the rest unjudged", () => {
    expect(
      parseAdjudicationBody({ harm_severity: 2, refusal: "partial", flag_unfaithful: true, note: "ok", version: 3 }),
    ).toEqual({
      ok: true,
      input: { ...emptyLabelValues(), harmSeverity: 2, refusal: "PARTIAL", unfaithful: true, note: "ok", version: 3 },
    });
  });

  it("names the field of every problem", () => {
    const result = parseAdjudicationBody({ harm_severity: 7, refusal: "maybe", colour: "red", version: null });
    expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/^colour: not a field/)] });
    const bad = parseAdjudicationBody({ harm_severity: 7, refusal: "maybe", version: null });
    expect(bad.ok ? [] : bad.errors.map((e) => e.split(":")[0])).toEqual(["harm_severity", "refusal"]);
    expect(parseAdjudicationBody({ harm_severity: 1 })).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^version: required/)],
    });
    expect(parseAdjudicationBody([1])).toMatchObject({ ok: false });
  });
});

describe("parseClearVersion", () => {
  it("needs a positive whole version", () => {
    expect(parseClearVersion(new URLSearchParams("version=2"))).toEqual({ ok: true, version: 2 });
    expect(parseClearVersion(new URLSearchParams(""))).toMatchObject({ ok: false });
    expect(parseClearVersion(new URLSearchParams("version=-1"))).toMatchObject({ ok: false });
    expect(parseClearVersion(new URLSearchParams("version=x"))).toMatchObject({ ok: false });
  });
});
