import { describe, expect, it } from "vitest";
import { isAllowed, patternToRegExp, ruleFor, ruleForPath } from "./access-rules";

describe("patternToRegExp", () => {
  it("matches static, dynamic and catch-all segments", () => {
    expect(patternToRegExp("/").test("/")).toBe(true);
    expect(patternToRegExp("/").test("/x")).toBe(false);
    expect(patternToRegExp("/studies/[slug]").test("/studies/r1-demo")).toBe(true);
    expect(patternToRegExp("/studies/[slug]").test("/studies/a/b")).toBe(false);
    expect(patternToRegExp("/api/auth/[...nextauth]").test("/api/auth/callback/credentials")).toBe(true);
    expect(patternToRegExp("/api/auth/[...nextauth]").test("/api/auth")).toBe(false);
    expect(patternToRegExp("/docs/[[...rest]]").test("/docs")).toBe(true);
    expect(patternToRegExp("/a.b").test("/aXb")).toBe(false);
    expect(patternToRegExp("/a.b").test("/a.b")).toBe(true);
  });
});

describe("ruleForPath", () => {
  it("finds the rule of the route that serves a path", () => {
    expect(ruleForPath("/")?.key).toBe("/");
    expect(ruleForPath("/studies/r1-safety-demo")?.key).toBe("/studies/[slug]");
    expect(ruleForPath("/api/auth/session")?.rule.allow).toBe("public");
    expect(ruleForPath("/api/v1/me")?.rule.via).toBe("token");
    expect(ruleForPath("/nowhere/at/all")).toBeUndefined();
    expect(ruleForPath("/studies/r1-safety-demo/responses")?.key).toBe("/studies/[slug]/responses");
    expect(ruleForPath("/studies/r1-safety-demo/responses/12")?.key).toBe("/studies/[slug]/responses/[id]");
    expect(ruleForPath("/api/v1/studies/r1-safety-demo/export")?.rule.via).toBe("session+token");
  });
});

describe("isAllowed", () => {
  it("lets anyone into public rules and only listed roles into others", () => {
    expect(isAllowed(ruleFor("/signin")!, null)).toBe(true);
    expect(isAllowed(ruleFor("/admin/users")!, null)).toBe(false);
    expect(isAllowed(ruleFor("/admin/users")!, "RESEARCHER")).toBe(false);
    expect(isAllowed(ruleFor("/admin/users")!, "ADMIN")).toBe(true);
    expect(isAllowed(ruleFor("/")!, "REVIEWER")).toBe(true);
    // Blind review: nothing that shows checkpoints, strategies or whole responses is for reviewers.
    for (const key of [
      "/studies/[slug]/responses",
      "/studies/[slug]/responses/[id]",
      "/studies/[slug]/import",
      "/api/v1/studies/[slug]/export",
      "/api/v1/studies/[slug]/responses",
      "/api/v1/studies/[slug]/imports",
      "/api/v1/studies/[slug]/import-preview",
      "/api/v1/studies/[slug]/import-mapping",
    ]) {
      expect(isAllowed(ruleFor(key)!, "REVIEWER"), key).toBe(false);
      expect(isAllowed(ruleFor(key)!, "RESEARCHER"), key).toBe(true);
    }
  });

  it("knows no rule for unknown keys (and does not see Object.prototype)", () => {
    expect(ruleFor("/no-such-page")).toBeUndefined();
    expect(ruleFor("toString")).toBeUndefined();
  });
});

describe("patternToRegExp at its edges", () => {
  it("matches the home page's path only, and an optional catch-all with any number of segments", () => {
    expect(patternToRegExp("/").test("")).toBe(false);
    expect(patternToRegExp("/").test("/x/")).toBe(false);
    expect(patternToRegExp("/docs/[[...rest]]").test("/docs/a/b")).toBe(true);
    expect(patternToRegExp("/docs/[[...rest]]").test("/docsa")).toBe(false);
    expect(patternToRegExp("/api/auth/[...nextauth]").test("/api/auth/")).toBe(false);
  });
});
