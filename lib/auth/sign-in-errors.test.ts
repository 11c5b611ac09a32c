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
