import { describe, expect, it } from "vitest";
import { EARLY_KEYS_SCRIPT } from "./early-keys";

describe("early keys", () => {
  it("is a fixed script that only records keys", () => {
    expect(EARLY_KEYS_SCRIPT).not.toMatch(/<\/script|innerHTML|fetch\(|eval\(/i);
    expect(() => new Function(EARLY_KEYS_SCRIPT)).not.toThrow();
  });
});
