import { describe, expect, it } from "vitest";
import { changesData, isSameOriginRequest, siteHosts } from "./same-origin";

const SITE = "http://127.0.0.1:3000";
const direct = { NEXTAUTH_URL: SITE, PARALLAX_TRUSTED_PROXIES: "0" };
const behindProxy = { NEXTAUTH_URL: "https://parallax.example.org", PARALLAX_TRUSTED_PROXIES: "1" };

function request(headers: Record<string, string>) {
  return { headers: new Headers(headers) };
}

describe("isSameOriginRequest", () => {
  it("accepts the browser's own word (Sec-Fetch-Site: same-origin), and nothing else it says", () => {
    expect(isSameOriginRequest(request({ "sec-fetch-site": "same-origin", host: "127.0.0.1:3000" }), direct)).toBe(
      true,
    );
    for (const site of ["same-site", "cross-site", "none"]) {
      // Even with a matching Origin: the browser's Sec-Fetch-Site is the stronger statement.
      expect(
        isSameOriginRequest(request({ "sec-fetch-site": site, origin: SITE, host: "127.0.0.1:3000" }), direct),
        site,
      ).toBe(false);
    }
  });

  it("accepts an Origin equal to NEXTAUTH_URL's or to the Host the request was sent to", () => {
    expect(isSameOriginRequest(request({ origin: SITE, host: "127.0.0.1:3000" }), direct)).toBe(true);
    // NEXTAUTH_URL counts when a proxy rewrites Host to the upstream address.
    expect(isSameOriginRequest(request({ origin: SITE, host: "10.0.0.5:3000" }), direct)).toBe(true);
    // The Host counts when NEXTAUTH_URL is unset (a local `npm start`).
    expect(isSameOriginRequest(request({ origin: "http://localhost:3000", host: "localhost:3000" }), {})).toBe(true);
  });

  it("refuses a request without Origin and without Sec-Fetch-Site", () => {
    expect(isSameOriginRequest(request({ host: "127.0.0.1:3000" }), direct)).toBe(false);
    expect(isSameOriginRequest(request({ host: "127.0.0.1:3000", referer: `${SITE}/admin/users` }), direct)).toBe(
      false,
    );
  });

  it("refuses other sites, sibling ports, opaque and malformed origins", () => {
    for (const origin of [
      "https://evil.example",
      "http://127.0.0.1:3001",
      "http://127.0.0.1",
      "null",
      "not a url",
      "javascript:alert(1)",
      "file://127.0.0.1:3000",
      `${SITE}/admin/users`,
      `${SITE}@evil.example`,
      "http://127.0.0.1:3000.evil.example",
    ]) {
      expect(isSameOriginRequest(request({ origin, host: "127.0.0.1:3000" }), direct), origin).toBe(false);
    }
  });

  it("ignores a client's X-Forwarded-Host without trusted proxies (a spoofed host cannot vouch for a foreign Origin)", () => {
    const spoofed = request({
      origin: "https://evil.example",
      host: "127.0.0.1:3000",
      "x-forwarded-host": "evil.example",
    });
    expect(isSameOriginRequest(spoofed, direct)).toBe(false);
    expect(isSameOriginRequest(spoofed, { NEXTAUTH_URL: SITE })).toBe(false);
    expect(isSameOriginRequest(spoofed, {})).toBe(false);
  });

  it("believes X-Forwarded-Host (its first entry) when PARALLAX_TRUSTED_PROXIES > 0", () => {
    const viaProxy = request({
      origin: "https://parallax.internal",
      host: "10.0.0.5:3000",
      "x-forwarded-host": "parallax.internal, 10.0.0.9",
    });
    expect(isSameOriginRequest(viaProxy, behindProxy)).toBe(true);
    expect(isSameOriginRequest(viaProxy, { ...behindProxy, PARALLAX_TRUSTED_PROXIES: "0" })).toBe(false);
    // A foreign Origin still fails when the forwarded host is ours.
    expect(
      isSameOriginRequest(
        request({ origin: "https://evil.example", host: "10.0.0.5:3000", "x-forwarded-host": "parallax.example.org" }),
        behindProxy,
      ),
    ).toBe(false);
  });
});

describe("siteHosts", () => {
  it("lists NEXTAUTH_URL's host, the Host header, and X-Forwarded-Host only behind trusted proxies", () => {
    const headers = new Headers({ host: "127.0.0.1:3000", "x-forwarded-host": "evil.example" });
    expect(siteHosts(headers, direct)).toEqual(["127.0.0.1:3000", "127.0.0.1:3000"]);
    expect(siteHosts(headers, behindProxy)).toEqual(["parallax.example.org", "127.0.0.1:3000", "evil.example"]);
    expect(siteHosts(new Headers(), { NEXTAUTH_URL: "not a url" })).toEqual([]);
  });

  it("refuses a PARALLAX_TRUSTED_PROXIES that is not a hop count, as the sign-in limits do", () => {
    expect(() => siteHosts(new Headers(), { PARALLAX_TRUSTED_PROXIES: "yes" })).toThrow(/PARALLAX_TRUSTED_PROXIES/);
  });
});

describe("changesData", () => {
  it("is false only for GET, HEAD and OPTIONS", () => {
    expect(["GET", "head", "OPTIONS"].map(changesData)).toEqual([false, false, false]);
    expect(["POST", "put", "PATCH", "DELETE"].map(changesData)).toEqual([true, true, true, true]);
  });
});

describe("isSameOriginRequest: proxies and the shapes of Origin", () => {
  it("takes the first X-Forwarded-Host entry with its spaces trimmed, and does without one", () => {
    const via = (forwarded: string | undefined) =>
      isSameOriginRequest(
        request({
          origin: "https://public.example.org",
          host: "10.0.0.5:3000",
          ...(forwarded === undefined ? {} : { "x-forwarded-host": forwarded }),
        }),
        { PARALLAX_TRUSTED_PROXIES: "1" },
      );
    expect(via("public.example.org , 10.0.0.5:3000")).toBe(true);
    expect(via(undefined)).toBe(false);
    // Behind a trusted proxy without X-Forwarded-Host, the Host still counts.
    expect(
      isSameOriginRequest(request({ origin: "http://10.0.0.5:3000", host: "10.0.0.5:3000" }), {
        PARALLAX_TRUSTED_PROXIES: "1",
      }),
    ).toBe(true);
  });

  it("accepts an Origin of this site written with a trailing slash, and nothing longer", () => {
    expect(isSameOriginRequest(request({ origin: `${SITE}/`, host: "127.0.0.1:3000" }), direct)).toBe(true);
    expect(isSameOriginRequest(request({ origin: `${SITE}/x`, host: "127.0.0.1:3000" }), direct)).toBe(false);
  });

  it("refuses a WebSocket origin naming this site's host: only pages over HTTP(S) change data", () => {
    expect(isSameOriginRequest(request({ origin: "ws://127.0.0.1:3000", host: "127.0.0.1:3000" }), direct)).toBe(false);
  });
});

describe("isSameOriginRequest: how the headers are written", () => {
  it("reads Sec-Fetch-Site in any case and with spaces, and an Origin with spaces around it", () => {
    const reader = (values: Record<string, string>) => ({
      headers: { get: (name: string) => values[name] ?? null },
    });
    expect(isSameOriginRequest(reader({ "sec-fetch-site": " Same-Origin " }), {})).toBe(true);
    expect(isSameOriginRequest(reader({ origin: "  http://127.0.0.1:3000 ", host: "127.0.0.1:3000" }), {})).toBe(true);
  });
});
