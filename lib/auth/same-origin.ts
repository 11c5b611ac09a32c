// Whether a request that changes data with the sign-in cookie comes from Parallax's own pages.
// SameSite=Lax already keeps the cookie off other sites' POSTs in today's browsers; this holds for
// a browser that ignores SameSite, for a sibling site on the same registrable domain (SameSite
// counts it as "same site"), and for a form post without Origin, which Next's own server-action
// check lets through. Framework-free: the guard, the proxy and the API routes share it.
import { trustedProxyHops } from "./client-address";

/** Anything with `get(name)`: a Request's Headers, Next's headers(), a NextRequest's headers. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * The host names this request may legitimately come from: NEXTAUTH_URL's, and the one the request
 * was addressed to. The client writes X-Forwarded-Host as freely as Origin, so it counts only when
 * PARALLAX_TRUSTED_PROXIES says a proxy in front sets it.
 */
export function siteHosts(headers: HeaderReader, env: Record<string, string | undefined> = process.env): string[] {
  const hosts: string[] = [];
  const configured = env.NEXTAUTH_URL;
  if (configured) {
    try {
      hosts.push(new URL(configured).host);
    } catch {
      // a malformed NEXTAUTH_URL is reported at start-up (lib/cli/auth-env.ts); it matches nothing here
    }
  }
  const host = headers.get("host")?.trim().toLowerCase();
  if (host) hosts.push(host);
  if (trustedProxyHops(env) > 0) {
    // A proxy that appends puts the host the client asked for first.
    const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim().toLowerCase();
    if (forwarded) hosts.push(forwarded);
  }
  return hosts;
}

/**
 * True when the browser says the request comes from this site (`Sec-Fetch-Site: same-origin`) or,
 * for browsers that do not send that header, its Origin is this site. No Origin and no
 * Sec-Fetch-Site, "null", another site, or a sibling site: false.
 */
export function isSameOriginRequest(
  request: { headers: HeaderReader },
  env: Record<string, string | undefined> = process.env,
): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site) return site.trim().toLowerCase() === "same-origin";
  const origin = request.headers.get("origin")?.trim();
  if (!origin || origin === "null") return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  // An Origin is scheme://host[:port] and nothing else.
  if (parsed.origin !== origin.toLowerCase().replace(/\/$/, "")) return false;
  return siteHosts(request.headers, env).includes(parsed.host);
}

/** A request that may change data: anything but GET, HEAD and OPTIONS. */
export function changesData(method: string): boolean {
  const upper = method.toUpperCase();
  return upper !== "GET" && upper !== "HEAD" && upper !== "OPTIONS";
}

export const CROSS_SITE_MESSAGE =
  "Refused: a request that changes data must come from Parallax's own pages (Origin or Sec-Fetch-Site: same-origin). Scripts use the API with a token.";
