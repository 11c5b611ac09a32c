import { describe, expect, it } from "vitest";
import { bearerToken, generateApiToken, hashApiToken, looksLikeApiToken } from "./api-tokens";

describe("API tokens", () => {
  it("are 256 random bits behind a recognisable mark, stored as SHA-256 with a short prefix", () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a.token).toMatch(/^plx_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.prefix).toBe(a.token.slice(0, 12));
    expect(a.tokenHash).toBe(hashApiToken(a.token));
    expect(a.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.tokenHash).not.toContain(a.token.slice(4, 20));
    expect(looksLikeApiToken(a.token)).toBe(true);
    expect(looksLikeApiToken(a.token + "x")).toBe(false);
    expect(looksLikeApiToken("plx_short")).toBe(false);
  });

  it("are read from an Authorization: Bearer header", () => {
    expect(bearerToken("Bearer plx_abc")).toBe("plx_abc");
    expect(bearerToken("bearer   plx_abc ")).toBe("plx_abc");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeNull();
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
    expect(bearerToken("NotBearer plx_abc")).toBeNull();
    expect(bearerToken("X-Bearer plx_abc")).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken("")).toBeNull();
  });
});
