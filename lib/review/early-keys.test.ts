import { describe, expect, it } from "vitest";
import { EARLY_KEYS_SCRIPT, nonceOf } from "./early-keys";

describe("early keys", () => {
  it("reads the nonce from the page's Content-Security-Policy", () => {
    expect(nonceOf("default-src 'self'; script-src 'self' 'nonce-abc123==' 'strict-dynamic'")).toBe("abc123==");
    expect(nonceOf("default-src 'self'")).toBeUndefined();
    expect(nonceOf(null)).toBeUndefined();
  });

  it("is a fixed script that only records keys", () => {
    expect(EARLY_KEYS_SCRIPT).not.toMatch(/<\/script|innerHTML|fetch\(|eval\(/i);
    expect(() => new Function(EARLY_KEYS_SCRIPT)).not.toThrow();
  });
});
