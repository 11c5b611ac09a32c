// Runs before every request except static files: sets the Content-Security-Policy with a fresh
// nonce, sends anonymous visitors of pages that need a session to the sign-in page, and refuses
// early a POST to a page (a server action) that does not come from Parallax's own pages (the guard
// refuses it again, whatever reaches it). It decides nothing about roles: every page, action and
// route handler checks access itself (lib/auth/guard.ts).
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { ruleForPath } from "@/lib/auth/access-rules";
import { changesData, CROSS_SITE_MESSAGE, isSameOriginRequest } from "@/lib/auth/same-origin";
import { authSecret } from "@/lib/auth/secret";
import { contentSecurityPolicy, createNonce, REQUEST_URL_HEADER } from "@/lib/auth/security-headers";

const https = process.env.NEXTAUTH_URL?.startsWith("https://") ?? false;

/** Pages and paths no route serves need a session; public pages and token-authenticated APIs do not. */
function needsSession(pathname: string): boolean {
  const match = ruleForPath(pathname);
  return !match || (match.rule.allow !== "public" && match.rule.via === "session");
}

export async function proxy(request: NextRequest) {
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development", https });
  const { pathname, search } = request.nextUrl;

  let response: NextResponse;
  const isNavigation = request.method === "GET" || request.method === "HEAD";
  // next-auth's own POSTs (/api/auth/…) carry its CSRF token; everything else that changes data here
  // is a server action, with or without the Next-Action header (a form posted before hydration).
  if (changesData(request.method) && !pathname.startsWith("/api/auth/") && !isSameOriginRequest(request)) {
    response = new NextResponse(CROSS_SITE_MESSAGE, {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  } else if (isNavigation && needsSession(pathname) && !(await getToken({ req: request, secret: authSecret() }))?.sub) {
    const signIn = new URL("/signin", request.url);
    if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
    response = NextResponse.redirect(signIn);
  } else {
    const forwarded = new Headers(request.headers);
    // Next reads the nonce from the request's CSP header and puts it on its scripts.
    forwarded.set("content-security-policy", csp);
    forwarded.set(REQUEST_URL_HEADER, pathname + search);
    response = NextResponse.next({ request: { headers: forwarded } });
  }
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", "max-age=15552000");
  return response;
}

export const config = {
  // Not /api/v1: its routes answer JSON or data (no CSP needed, no redirect to sign-in), and a
  // proxy makes Next buffer the request body in memory and cut it at 10 MB, which would break
  // uploads (POST /api/v1/studies/{slug}/responses).
  // Nor the files in public/ (favicon, logo, robots.txt): anyone may fetch them, and robots.txt
  // must reach search engines' crawlers rather than a redirect to the sign-in page.
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|favicon\\.svg|logo\\.svg|robots\\.txt|api/v1/).*)"],
};
