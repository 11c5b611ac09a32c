import { describe, expect, it } from "vitest";
import { safeCallbackPath, signInUrl } from "./callback-url";

describe("safeCallbackPath", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackPath("/studies/x?tab=2")).toBe("/studies/x?tab=2");
    expect(safeCallbackPath(["/admin/users"])).toBe("/admin/users");
    expect(safeCallbackPath("http://localhost:3000/admin/tokens?a=1", "http://localhost:3000")).toBe(
      "/admin/tokens?a=1",
    );
  });

  it("refuses other sites, odd paths and the auth pages", () => {
    for (const value of [
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "/signin",
      "/signout?x",
      "/a\u0000b",
      undefined,
      "",
    ]) {
      expect(safeCallbackPath(value, "http://localhost:3000"), String(value)).toBe("/");
    }
    expect(safeCallbackPath("http://localhost:3001/x", "http://localhost:3000")).toBe("/");
  });
});

describe("signInUrl", () => {
  it("comes back to a path on this site", () => {
    expect(signInUrl("/studies/demo/review?prompt=3")).toBe(
      "/signin?callbackUrl=%2Fstudies%2Fdemo%2Freview%3Fprompt%3D3",
    );
    expect(new URLSearchParams(signInUrl("/admin/users").split("?")[1]).get("callbackUrl")).toBe("/admin/users");
    // Percent-encoded paths stay paths: the browser never decodes them into another host.
    expect(new URLSearchParams(signInUrl("/%2F%2Fevil.com").split("?")[1]).get("callbackUrl")).toBe("/%2F%2Fevil.com");
    expect(new URLSearchParams(signInUrl("/%5Cevil.com").split("?")[1]).get("callbackUrl")).toBe("/%5Cevil.com");
  });

  it("drops anything that a browser would take to another site (no open redirect)", () => {
    for (const value of [
      "//evil.com",
      "//evil.com/path",
      "/\\evil.com",
      "/\\/evil.com",
      "\\evil.com",
      "https://evil.com",
      "HTTPS://evil.com/x",
      "http:evil.com",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,x",
      "/\t/evil.com",
      "/\n/evil.com",
      "/\u0000//evil.com",
      "%2F%2Fevil.com",
      "evil.com",
      " //evil.com",
    ]) {
      expect(signInUrl(value), JSON.stringify(value)).toBe("/signin");
    }
  });

  it("is the bare sign-in page for the home page, nothing, and the auth pages themselves", () => {
    for (const value of ["/", "", null, undefined, "/signin", "/signin?callbackUrl=/x", "/signout"])
      expect(signInUrl(value), String(value)).toBe("/signin");
  });
});

describe("safeCallbackPath: lengths and pages below the auth pages", () => {
  it("keeps a path of up to 2,048 characters and refuses a longer one", () => {
    const upTo = `/studies/${"a".repeat(2048 - 9)}`;
    expect(upTo).toHaveLength(2048);
    expect(safeCallbackPath(upTo)).toBe(upTo);
    expect(safeCallbackPath(`${upTo}a`)).toBe("/");
  });

  it("never comes back to a page below the sign-in or sign-out page", () => {
    expect(safeCallbackPath("/signin/error?x=1")).toBe("/");
    expect(safeCallbackPath("/signout/confirm")).toBe("/");
    expect(safeCallbackPath("/signing-policy")).toBe("/signing-policy");
  });
});
