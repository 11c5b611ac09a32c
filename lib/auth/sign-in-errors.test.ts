import { describe, expect, it } from "vitest";
import { describeSignInError, rateLimitedError } from "./sign-in-errors";

describe("describeSignInError", () => {
  it("says the same for every wrong email, password or unusable account", () => {
    expect(describeSignInError("CredentialsSignin")).toMatch(/Wrong email or password/);
  });

  it("says how long to wait after too many attempts", () => {
    expect(describeSignInError(rateLimitedError(600))).toBe("Too many sign-in attempts. Try again in 10 minutes.");
    expect(describeSignInError(rateLimitedError(30))).toBe("Too many sign-in attempts. Try again in a minute.");
    expect(describeSignInError("RateLimited")).toMatch(/15 minutes/);
  });

  it("has a word for anything else, and nothing for no error", () => {
    expect(describeSignInError("AccessDenied")).toMatch(/cannot sign in/);
    expect(describeSignInError("<script>")).toBe("Signing in did not work. Try again.");
    expect(describeSignInError(null)).toBeNull();
  });
});

describe("describeSignInError: every code next-auth sends back", () => {
  it.each([
    ["SessionRequired", "Sign in to continue."],
    ["OAuthSignin", "Signing in with that provider did not work. Try again, or use your email and password."],
    ["OAuthCallback", "Signing in with that provider did not work. Try again, or use your email and password."],
    ["OAuthAccountNotLinked", "Signing in with that provider did not work. Try again, or use your email and password."],
    ["Callback", "Signing in with that provider did not work. Try again, or use your email and password."],
    ["", null],
  ])("%j: %j", (code, message) => {
    expect(describeSignInError(code)).toBe(message);
  });

  it("waits the default 15 minutes when the wait it carries is not a positive number", () => {
    for (const code of ["RateLimited:0", "RateLimited:-60", "RateLimited:soon", "RateLimited:Infinity"]) {
      expect(describeSignInError(code), code).toBe("Too many sign-in attempts. Try again in 15 minutes.");
    }
  });
});
