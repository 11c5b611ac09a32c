import { describe, expect, it } from "vitest";
import { classifyUrl, displayUrl, isScriptUrl, safeUrlTransform, urlScheme } from "./render-url";

describe("safeUrlTransform", () => {
  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \u0001javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "file:///etc/passwd",
    "blob:https://example.org/1",
    "//evil.example/x",
    "/api/v1/me",
    "ftp://example.org/",
  ])("empties %j", (url) => {
    expect(safeUrlTransform(url)).toBe("");
  });

  it.each(["https://example.org/a?b=c", "http://example.org", "mailto:someone@example.org"])("keeps %j", (url) => {
    expect(safeUrlTransform(url)).toBe(url);
  });
});

describe("classifyUrl", () => {
  it("reads the scheme as a browser does", () => {
    expect(urlScheme("  JAVASCRIPT:x")).toBe("javascript");
    expect(urlScheme("j\ra\nv\ta:x")).toBe("java");
    expect(urlScheme("relative/path:x")).toBeNull();
    expect(classifyUrl("https://x.org")).toBe("web");
    expect(classifyUrl("mailto:a@b.c")).toBe("mail");
    expect(classifyUrl("#top")).toBe("relative");
    expect(classifyUrl("data:,x")).toBe("blocked");
  });

  it("warns about script and data URLs but not about web ones", () => {
    expect(isScriptUrl("javascript:void(0)")).toBe(true);
    expect(isScriptUrl("Data:text/html,x")).toBe(true);
    expect(isScriptUrl("https://example.org")).toBe(false);
  });
});

describe("displayUrl", () => {
  it("shows control characters and shortens long addresses with their length", () => {
    expect(displayUrl("java\tscript:x")).toBe("java\\x09script:x");
    const long = `data:image/png;base64,${"A".repeat(5000)}`;
    const shown = displayUrl(long);
    expect(shown.length).toBeLessThan(260);
    expect(shown).toContain("(5,022 characters)");
  });
});
