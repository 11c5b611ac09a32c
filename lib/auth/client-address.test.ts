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

describe("normalizeAddress: the key a sign-in limit counts by", () => {
  it.each([
    ["192.0.2.7:8080", "192.0.2.7"],
    ["192.0.20.7:8080", "192.0.20.7"],
    ["::ffff:192.0.2.7", "192.0.2.7"],
    ["[2001:DB8:0:12::1]:443", "2001:db8:0:12::/64"],
    // A bracket left open still gives the address.
    ["[2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8::", "2001:db8:0:0::/64"],
    ["2001:0db8:0000:00a0::1", "2001:db8:0:a0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["", "unknown"],
    ["  ", "unknown"],
  ])("%j counts as %j", (address, key) => {
    expect(normalizeAddress(address)).toBe(key);
  });

  it.each([["2001:db8:zz::1"], ["1:2:3:4:5:6:7:8:9"], ["host192.0.2.7"], ["192.0.2.7:80x"]])(
    "keeps %j, which is no address it can shorten, as it is",
    (address) => {
      expect(normalizeAddress(address)).toBe(address);
    },
  );
});

describe("clientAddress: which entry of the chain is the client", () => {
  it("without the launcher's peer header: the right-most X-Forwarded-For entry, or unknown", () => {
    expect(clientAddress({ "x-forwarded-for": "198.51.100.1, 198.51.100.2, 198.51.100.3" }, 0)).toBe("198.51.100.3");
    expect(clientAddress({ "x-forwarded-for": ["198.51.100.1", "198.51.100.2"] }, 0)).toBe("198.51.100.2");
    expect(clientAddress({}, 0)).toBe("unknown");
    // A blank peer header is no peer.
    expect(clientAddress({ [PEER_HEADER]: "  ", "x-forwarded-for": "198.51.100.4" }, 0)).toBe("198.51.100.4");
  });

  it("skips empty X-Forwarded-For entries when counting trusted hops", () => {
    expect(clientAddress({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.5, " }, 1)).toBe("203.0.113.5");
  });
});

describe("trustedProxyHops: its bounds", () => {
  it("takes 0 to 10 hops and refuses anything else", () => {
    expect(trustedProxyHops({ PARALLAX_TRUSTED_PROXIES: "10" })).toBe(10);
    expect(trustedProxyHops({})).toBe(0);
    for (const raw of ["-1", "11", "1.5", "one"]) {
      expect(() => trustedProxyHops({ PARALLAX_TRUSTED_PROXIES: raw }), raw).toThrow(
        /PARALLAX_TRUSTED_PROXIES must be/,
      );
    }
  });
});

describe("normalizeAddress: shapes that look almost right", () => {
  it("maps only dotted IPv4-mapped IPv6 to IPv4; hex-only mapped addresses stay IPv6", () => {
    expect(normalizeAddress("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(normalizeAddress("::ffff:7f00:1")).toBe("0:0:0:0::/64");
  });

  it("expands a long right-hand side of :: group by group", () => {
    expect(normalizeAddress("1::2:3:4:5:6:7")).toBe("1:0:2:3::/64");
  });

  it("keeps as it is an address with a group that is not 1–4 hex digits", () => {
    expect(normalizeAddress("g1:1:2:3:4:5:6:7")).toBe("g1:1:2:3:4:5:6:7");
    expect(normalizeAddress("1g:1:2:3:4:5:6:7")).toBe("1g:1:2:3:4:5:6:7");
    expect(normalizeAddress("12345:1:2:3:4:5:6:7")).toBe("12345:1:2:3:4:5:6:7");
    // Fewer than eight groups without "::" is no IPv6 address (RFC 4291, 2.2): kept as it is.
    expect(normalizeAddress("2001:db8:1")).toBe("2001:db8:1");
  });
});
