// Where to go after signing in: only a path on this site (never another site, which would make the
// sign-in page an open redirect), and never back to the sign-in or sign-out page.
const AUTH_PAGES = ["/signin", "/signout"];

export function safeCallbackPath(
  value: string | string[] | null | undefined,
  siteUrl: string | undefined = undefined,
): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || raw.length > 2048) return "/";
  let path: string | undefined;
  if (raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\")) {
    path = raw;
  } else if (siteUrl) {
    // next-auth itself passes absolute addresses on the site's own origin.
    try {
      const url = new URL(raw);
      if (url.origin === new URL(siteUrl).origin) path = url.pathname + url.search;
    } catch {
      // not an address: no path
    }
  }
  if (!path || /[\u0000-\u001f\\]/.test(path)) return "/";
  const pathname = path.split(/[?#]/)[0]!;
  return AUTH_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`)) ? "/" : path;
}

/**
 * The sign-in page, coming back afterwards to where the visitor was: only with a path that
 * safeCallbackPath keeps (so never "//evil.com", "/\evil.com" or an absolute address).
 */
export function signInUrl(callbackPath: string | null | undefined): string {
  const path = safeCallbackPath(callbackPath);
  return path === "/" ? "/signin" : `/signin?${new URLSearchParams({ callbackUrl: path })}`;
}
