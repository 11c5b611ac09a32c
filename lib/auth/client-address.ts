// The network address a request came from, for per-address sign-in limits. Next.js does not expose
// the socket's address and keeps a client-sent X-Forwarded-For as it is, so anyone could pick their
// own "address". The launcher therefore preloads lib/cli/peer-address.mjs, which stamps every
// request with the real peer address in PEER_HEADER (overwriting whatever the client sent), and
// X-Forwarded-For is believed only for as many hops as PARALLAX_TRUSTED_PROXIES says.

export const PEER_HEADER = "x-parallax-peer";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** `name` in lower case, as Node's request headers are keyed. */
function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const raw = env.PARALLAX_TRUSTED_PROXIES;
  if (raw === undefined || raw === "") return 0;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10)
    throw new Error(`PARALLAX_TRUSTED_PROXIES must be a whole number of proxy hops (0–10), got "${raw}".`);
  return hops;
}

/**
 * With 0 trusted hops the peer itself; with n, the address n entries from the right of
 * X-Forwarded-For + peer (each trusted proxy appends the address it saw). Without the launcher's
 * peer header (Next started by hand) the right-most X-Forwarded-For entry, which Next fills in
 * from the socket when the client sent none.
 */
export function clientAddress(headers: HeaderSource, hops = trustedProxyHops()): string {
  const peer = header(headers, PEER_HEADER)?.trim();
  const forwarded = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  let address: string | undefined;
  if (peer) {
    const chain = [...forwarded, peer];
    address = chain[Math.max(0, chain.length - 1 - hops)];
  } else {
    address = forwarded.at(-1);
  }
  return normalizeAddress(address ?? "unknown");
}

/** IPv4-mapped IPv6 as IPv4; other IPv6 addresses by their /64 network, which one party usually holds whole. */
export function normalizeAddress(address: string): string {
  let value = address.trim().toLowerCase();
  if (value.startsWith("[")) value = value.slice(1, value.indexOf("]") > 0 ? value.indexOf("]") : undefined);
  if (value.startsWith("::ffff:") && value.includes(".")) return value.slice(7);
  const ipv4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.exec(value);
  if (ipv4) return ipv4[1]!;
  if (!value.includes(":")) return value || "unknown";
  const [head, tail = ""] = value.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = value.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return value;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
