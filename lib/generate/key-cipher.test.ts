import { describe, expect, it } from "vitest";
import { decryptApiKey, encryptApiKey, KeyCipherError } from "./key-cipher";

const secret = "s".repeat(40);

describe("endpoint API key encryption", () => {
  it("round-trips and never stores the key in clear", () => {
    const stored = encryptApiKey("sk-live-abcdef123456", secret);
    expect(stored).not.toContain("sk-live");
    expect(stored.startsWith("v1.")).toBe(true);
    expect(decryptApiKey(stored, secret)).toBe("sk-live-abcdef123456");
  });

  it("uses a fresh nonce each time", () => {
    expect(encryptApiKey("k", secret)).not.toBe(encryptApiKey("k", secret));
  });

  it("refuses another secret and a tampered value", () => {
    const stored = encryptApiKey("sk-1", secret);
    expect(() => decryptApiKey(stored, "t".repeat(40))).toThrow(KeyCipherError);
    const parts = stored.split(".");
    parts[3] = Buffer.from("sk-2").toString("base64url");
    expect(() => decryptApiKey(parts.join("."), secret)).toThrow(/cannot be decrypted/);
  });
});
