import { describe, expect, it } from "vitest";
import { limitKeys, SIGN_IN_LIMITS, signInLimits } from "./sign-in-limit";

describe("signInLimits", () => {
  it("defaults to 5 attempts per account and 20 per address in 15 minutes", () => {
    expect(signInLimits({})).toEqual({ windowSeconds: 900, perAccount: 5, perAddress: 20 });
    expect(SIGN_IN_LIMITS.windowSeconds).toBe(900);
  });

  it("takes other numbers from the environment, and refuses nonsense", () => {
    expect(signInLimits({ PARALLAX_SIGNIN_LIMIT_ACCOUNT: "3", PARALLAX_SIGNIN_LIMIT_ADDRESS: "500" })).toMatchObject({
      perAccount: 3,
      perAddress: 500,
    });
    expect(() => signInLimits({ PARALLAX_SIGNIN_LIMIT_ACCOUNT: "0" })).toThrow(
      'PARALLAX_SIGNIN_LIMIT_ACCOUNT must be a whole number from 1 to 100000, got "0".',
    );
    expect(() => signInLimits({ PARALLAX_SIGNIN_LIMIT_ADDRESS: "lots" })).toThrow(/PARALLAX_SIGNIN_LIMIT_ADDRESS/);
  });
});

describe("limitKeys", () => {
  it("keys accounts and addresses apart, bounded in length", () => {
    expect(limitKeys("a@b.org", "1.2.3.4")).toEqual({ account: "account:a@b.org", address: "address:1.2.3.4" });
    expect(limitKeys("x".repeat(5000), "y".repeat(500)).account.length).toBeLessThan(400);
    // Cut at the longest email address (320 characters) and at 64 characters of network address.
    expect(limitKeys("x".repeat(5000), "y".repeat(500))).toEqual({
      account: `account:${"x".repeat(320)}`,
      address: `address:${"y".repeat(64)}`,
    });
  });
});

describe("signInLimits at its bounds", () => {
  it("takes an empty variable as unset, accepts 1 to 100000 and nothing beyond", () => {
    expect(signInLimits({ PARALLAX_SIGNIN_LIMIT_ACCOUNT: "", PARALLAX_SIGNIN_LIMIT_ADDRESS: "" })).toEqual(
      SIGN_IN_LIMITS,
    );
    expect(signInLimits({ PARALLAX_SIGNIN_LIMIT_ACCOUNT: "1", PARALLAX_SIGNIN_LIMIT_ADDRESS: "100000" })).toMatchObject(
      { perAccount: 1, perAddress: 100_000 },
    );
    expect(() => signInLimits({ PARALLAX_SIGNIN_LIMIT_ADDRESS: "100001" })).toThrow(
      'PARALLAX_SIGNIN_LIMIT_ADDRESS must be a whole number from 1 to 100000, got "100001".',
    );
  });
});
