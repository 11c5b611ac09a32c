import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

describe("safeCallbackPath", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackPath("/studies/x?tab=2")).toBe("/studies/x?tab=2");
    expect(safeCallbackPath(["/admin/users"])).toBe("/admin/users");
    expect(safeCallbackPath("http://localhost:3000/admin/tokens?a=1", "http://localhost:3000")).toBe("/admin/tokens?a=1");
  });

  it("refuses other sites, odd paths and the auth pages", () => {
    for (const value of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/signin", "/signout?x", "/a\u0000b", undefined, ""]) {
      expect(safeCallbackPath(value, "http://localhost:3000"), String(value)).toBe("/");
    }
    expect(safeCallbackPath("http://localhost:3001/x", "http://localhost:3000")).toBe("/");
  });
});
