import { describe, expect, it } from "vitest";
import { authSecret, generateSecret } from "./secret";

describe("authSecret", () => {
  it("is required, and long enough", () => {
    expect(() => authSecret({})).toThrow(/NEXTAUTH_SECRET is not set/);
    expect(() => authSecret({ NEXTAUTH_SECRET: "tooshort" })).toThrow(/at least 32/);
    const secret = generateSecret();
    expect(authSecret({ NEXTAUTH_SECRET: secret })).toBe(secret);
  });
});
