import { describe, expect, it } from "vitest";
import { authSecret, generateSecret, MIN_SECRET_LENGTH, secretProblem } from "./secret";

describe("authSecret", () => {
  it("is required, and long enough", () => {
    expect(() => authSecret({})).toThrow(/NEXTAUTH_SECRET is not set/);
    expect(() => authSecret({ NEXTAUTH_SECRET: "tooshort" })).toThrow(/at least 32/);
    const secret = generateSecret();
    expect(authSecret({ NEXTAUTH_SECRET: secret })).toBe(secret);
  });
});

describe("secretProblem", () => {
  it("accepts exactly MIN_SECRET_LENGTH characters and refuses one fewer", () => {
    expect(secretProblem("s".repeat(MIN_SECRET_LENGTH))).toBeNull();
    expect(secretProblem("s".repeat(MIN_SECRET_LENGTH - 1))).toBe(
      `NEXTAUTH_SECRET must be at least ${MIN_SECRET_LENGTH} characters (it is ${MIN_SECRET_LENGTH - 1}).`,
    );
  });
});
