import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress, PEER_HEADER, trustedProxyHops } from "./client-address";

describe("clientAddress", () => {
  it("uses the socket's address and ignores a made-up X-Forwarded-For without trusted proxies", () => {
    expect(clientAddress({ [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "1.2.3.4" }, 0)).toBe("203.0.113.7");
    expect(clientAddress(new Headers({ [PEER_HEADER]: "::ffff:127.0.0.1" }), 0)).toBe("127.0.0.1");
  });

  it("believes as many X-Forwarded-For hops as there are trusted proxies", () => {
    // client → nginx (10.0.0.2) → Parallax; nginx appends what it saw; a spoofed entry comes first.
    const headers = { [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 198.51.100.9" };
    expect(clientAddress(headers, 1)).toBe("198.51.100.9");
    expect(clientAddress(headers, 2)).toBe("6.6.6.6");
    expect(clientAddress(headers, 5)).toBe("6.6.6.6");
  });

  it("falls back to the right-most X-Forwarded-For entry without the launcher's peer header", () => {
    expect(clientAddress({ "x-forwarded-for": "1.1.1.1, 2.2.2.2" }, 0)).toBe("2.2.2.2");
    expect(clientAddress({}, 0)).toBe("unknown");
  });
});

describe("normalizeAddress", () => {
  it("keeps IPv4, drops ports, and groups IPv6 by /64", () => {
    expect(normalizeAddress("192.0.2.1:5555")).toBe("192.0.2.1");
    expect(normalizeAddress("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(normalizeAddress("2001:db8:1:2::99")).toBe("2001:db8:1:2::/64");
    expect(normalizeAddress("[2001:db8::1]")).toBe("2001:db8:0:0::/64");
    expect(normalizeAddress("::1")).toBe("0:0:0:0::/64");
  });
});

describe("trustedProxyHops", () => {
  it("reads PARALLAX_TRUSTED_PROXIES", () => {
    expect(trustedProxyHops({})).toBe(0);
    expect(trustedProxyHops({ PARALLAX_TRUSTED_PROXIES: "2" })).toBe(2);
    expect(() => trustedProxyHops({ PARALLAX_TRUSTED_PROXIES: "yes" })).toThrow(/whole number/);
  });
});
