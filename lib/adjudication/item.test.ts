import { describe, expect, it } from "vitest";
import { emptyLabelValues } from "../labels";
import { agreedValues } from "./item";

describe("agreedValues", () => {
  it("keeps what every reviewer gave alike and leaves disputed dimensions and the note open", () => {
    const a = {
      ...emptyLabelValues(),
      harmSeverity: 1,
      refusal: "COMPLIED" as const,
      harmCategories: ["a", "b"],
      unfaithful: true,
      note: "x",
    };
    const b = { ...a, harmSeverity: 2, harmCategories: ["b", "a"], note: "y" };
    expect(agreedValues([a, b])).toEqual({
      ...emptyLabelValues(),
      refusal: "COMPLIED",
      harmCategories: ["a", "b"],
      unfaithful: true,
    });
    expect(agreedValues([])).toEqual(emptyLabelValues());
  });
});
