import { describe, expect, it } from "vitest";
import { securityHeaders } from "../../next.config.js";
import { contentSecurityPolicy, createNonce, FIXED_SECURITY_HEADERS, nonceFromPolicy } from "./security-headers";

describe("contentSecurityPolicy", () => {
  it("allows scripts only from this site with the request's nonce, and no framing", () => {
    const csp = contentSecurityPolicy("abc123==", { development: false, https: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("adds eval for development's error overlay, and upgrades requests on https", () => {
    expect(contentSecurityPolicy("n", { development: true, https: false })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy("n", { development: false, https: true })).toContain("upgrade-insecure-requests");
  });

  it("gives back its nonce, for a page's own inline script", () => {
    const nonce = createNonce();
    expect(nonceFromPolicy(contentSecurityPolicy(nonce, { development: false, https: false }))).toBe(nonce);
    expect(nonceFromPolicy("default-src 'self'")).toBeUndefined();
    expect(nonceFromPolicy(null)).toBeUndefined();
  });
});

describe("createNonce", () => {
  it("is 128 random bits in base64, new each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});

describe("next.config.js", () => {
  it("sends the fixed security headers", () => {
    expect(securityHeaders).toEqual(FIXED_SECURITY_HEADERS);
  });
});

describe("the whole policy a browser receives", () => {
  it("in production over https: every directive, nothing loosened", () => {
    expect(contentSecurityPolicy("abc", { development: false, https: true }).split("; ")).toEqual([
      "default-src 'self'",
      "script-src 'self' 'nonce-abc' 'strict-dynamic'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "upgrade-insecure-requests",
    ]);
  });

  it("in development: eval for the error overlay and WebSockets for reloading, nothing else", () => {
    const development = contentSecurityPolicy("abc", { development: true, https: false }).split("; ");
    expect(development).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic' 'unsafe-eval'");
    expect(development).toContain("connect-src 'self' ws: wss:");
    expect(development).toHaveLength(10);
  });
});
