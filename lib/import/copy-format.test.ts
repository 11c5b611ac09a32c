import { describe, expect, it } from "vitest";
import { copyText } from "./copy-format";

describe("copyText", () => {
  it("escapes backslash, newline, carriage return and tab, backslash first", () => {
    expect(copyText("a\\b\nc\rd\te")).toBe("a\\\\b\\nc\\rd\\te");
    expect(copyText("\\n")).toBe("\\\\n"); // a literal backslash-n stays two characters
    expect(copyText("\t\t\n\\")).toBe("\\t\\t\\n\\\\");
  });

  it("leaves other text as it is and writes null as \\N", () => {
    expect(copyText("plain 文字 🙂 \"quoted\" 'x'")).toBe("plain 文字 🙂 \"quoted\" 'x'");
    expect(copyText("")).toBe("");
    expect(copyText(null)).toBe("\\N");
  });
});
