// The guard every page, server action and route handler calls first, with its own key in
// ACCESS_RULES. It is the enforcement: the proxy only redirects anonymous visitors to sign-in for
// convenience. Pages: anonymous → sign-in, wrong role → 403 (app/forbidden.tsx). Server actions:
// not from Parallax's own pages (Origin / Sec-Fetch-Site) → 403 before anything runs, anonymous →
// 401, wrong role → 403. API routes: API tokens (and, for the few a page's button or
// upload calls, the sign-in cookie), JSON 401/403.
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { connection } from "next/server";
import { forbidden, notFound, redirect, unauthorized } from "next/navigation";
import { withApiErrors } from "../api/errors";
import { cache } from "react";
import type { Role } from "../db/generated/enums";
import { slugTaken, studyBySlug, type VisibleStudy } from "../study/access";
import {
  ruleFor,
  type ProtectedKey,
  type PublicKey,
  type SessionOrTokenKey,
  type StudyApiKey,
  type StudyKey,
  type TokenKey,
} from "./access-rules";
import { bearerToken, verifyApiToken } from "./api-tokens";
import { signInUrl } from "./callback-url";
import { authOptions } from "./next-auth-options";
import { changesData, isSameOriginRequest } from "./same-origin";
import { findSessionUser, type SessionUser } from "./users";

export { isSameOriginRequest, signInUrl };

/** Set by the proxy on every request: the path and query the visitor asked for. */
export const REQUEST_URL_HEADER = "x-parallax-url";

/** The user of the sign-in cookie: still active, and the cookie's session not ended since. */
async function cookieUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const claims = session?.user as { id?: string; gen?: unknown } | undefined;
  const id = Number(claims?.id);
  if (!Number.isSafeInteger(id)) return null;
  return findSessionUser(id, typeof claims?.gen === "number" ? claims.gen : undefined);
}

/** The signed-in user of this request (read once per request), or null. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  // Per request, never at build time: which also makes every page that asks dynamic, as the
  // per-request CSP nonce needs.
  await connection();
  return cookieUser();
});

/**
 * A server action runs only when posted from Parallax's own pages. Next checks Origin only when the
 * browser sends one; a form post without it would run with the visitor's cookie.
 */
async function refuseCrossSiteAction(key: string): Promise<void> {
  if (key.startsWith("action:") && !isSameOriginRequest({ headers: await headers() })) forbidden();
}

async function redirectToSignIn(): Promise<never> {
  redirect(signInUrl((await headers()).get(REQUEST_URL_HEADER)));
}

/** Any signed-in user; anonymous visitors go to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  return (await currentUser()) ?? (await redirectToSignIn());
}

/** A signed-in user with one of the roles; otherwise sign-in (anonymous), or 403. */
export async function requireRole(
  roles: readonly Role[],
  options: { anonymous: "redirect" | "401" } = { anonymous: "redirect" },
): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) return options.anonymous === "401" ? unauthorized() : redirectToSignIn();
  if (!roles.includes(user.role)) forbidden();
  return user;
}

/** The guard for a page or server action with a rule that needs a signed-in user. */
export async function requireAccess(key: ProtectedKey): Promise<SessionUser> {
  const rule = ruleFor(key);
  if (!rule || rule.allow === "public" || rule.via !== "session")
    throw new Error(`No rule for signed-in access to ${key} in lib/auth/access-rules.ts.`);
  if (rule.scope === "study") throw new Error(`${key} belongs to a study: use requireStudyAccess.`);
  await refuseCrossSiteAction(key);
  return requireRole(rule.allow, { anonymous: key.startsWith("action:") ? "401" : "redirect" });
}

/**
 * The guard for a page or server action of one study (rules with scope "study"): after the
 * sign-in (and, for actions, the Origin) checks, the study must be one the caller may see
 * (lib/study/access.ts studyBySlug: its members and admins), else 404 exactly as for a study that
 * does not exist, whatever the entry point; then their role in that study (never above their
 * account's role) must be one the rule allows, else 403. The user comes back with that role.
 */
export async function requireStudyAccess(
  key: StudyKey,
  slug: unknown,
): Promise<{ user: SessionUser; study: VisibleStudy }> {
  const rule = ruleFor(key);
  if (!rule || rule.allow === "public" || rule.via !== "session" || rule.scope !== "study")
    throw new Error(`No study rule for ${key} in lib/auth/access-rules.ts.`);
  await refuseCrossSiteAction(key);
  const account = (await currentUser()) ?? (key.startsWith("action:") ? unauthorized() : await redirectToSignIn());
  const study = await studyBySlug(slug, account);
  if (!study) notFound();
  if (!rule.allow.includes(study.role)) forbidden();
  return { user: { ...account, role: study.role }, study };
}

/** The guard for a page or server action open to anyone: checks the rule says so; the user, when signed in. */
export async function publicAccess(key: PublicKey): Promise<SessionUser | null> {
  const rule = ruleFor(key);
  if (rule?.allow !== "public") throw new Error(`${key} is not public in lib/auth/access-rules.ts.`);
  await refuseCrossSiteAction(key);
  return currentUser();
}

/** Marks a route handler as open to anyone (next-auth's own); fails at start-up if the rule disagrees. */
export function publicRoute<T>(key: PublicKey, handler: T): T {
  const rule = ruleFor(key);
  if (rule?.allow !== "public") throw new Error(`${key} is not public in lib/auth/access-rules.ts.`);
  return handler;
}

function apiError(status: 401 | 403, error: string, message: string): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (status === 401) headers["WWW-Authenticate"] = 'Bearer realm="parallax"';
  return Response.json({ error, message }, { status, headers });
}

/**
 * A route handler that takes an API token (`Authorization: Bearer plx_…`), never the sign-in cookie,
 * so that no other site can make a browser call it. The handler gets the token's owner.
 */
export function apiRoute<Context>(
  key: TokenKey,
  handler: (request: Request, user: SessionUser, context: Context) => Promise<Response>,
) {
  const rule = ruleFor(key);
  if (!rule || rule.allow === "public" || rule.via !== "token")
    throw new Error(`No token rule for ${key} in lib/auth/access-rules.ts.`);
  const roles = rule.allow;
  return withApiErrors(async (request: Request, context: Context): Promise<Response> => {
    const token = bearerToken(request.headers.get("authorization"));
    const verified = token ? await verifyApiToken(token) : null;
    if (!verified)
      return apiError(
        401,
        "unauthorized",
        "Send a valid API token: Authorization: Bearer plx_… (an admin creates tokens on /admin/tokens).",
      );
    if (!roles.includes(verified.user.role))
      return apiError(
        403,
        "forbidden",
        `This needs the role ${roles.join(" or ")}; the token's owner is ${verified.user.role}.`,
      );
    return handler(request, verified.user, context);
  });
}

/**
 * Who calls a route handler under /api/v1 that takes an API token or the sign-in cookie: a request
 * with an Authorization header is judged by its token alone; one with the cookie must, unless it
 * only reads (GET/HEAD), come from our own pages. A refusal comes back as the answer to send.
 */
async function tokenOrCookieUser(request: Request): Promise<SessionUser | Response> {
  if (request.headers.has("authorization")) {
    const token = bearerToken(request.headers.get("authorization"));
    const user = token ? ((await verifyApiToken(token))?.user ?? null) : null;
    return (
      user ??
      apiError(
        401,
        "unauthorized",
        "Send a valid API token: Authorization: Bearer plx_… (an admin creates tokens on /admin/tokens).",
      )
    );
  }
  const user = await cookieUser();
  if (!user) return apiError(401, "unauthorized", "Sign in, or send an API token: Authorization: Bearer plx_….");
  if (changesData(request.method) && !isSameOriginRequest(request)) {
    return apiError(
      403,
      "forbidden",
      "With the sign-in cookie this request must come from Parallax's own pages; scripts send an API token.",
    );
  }
  return user;
}

/**
 * A route handler under /api/v1 that takes an API token (`Authorization: Bearer plx_…`) or, for a
 * page's button or upload, the sign-in cookie (see tokenOrCookieUser).
 */
export function sessionOrTokenRoute<Context>(
  key: SessionOrTokenKey,
  handler: (request: Request, user: SessionUser, context: Context) => Promise<Response>,
) {
  const rule = ruleFor(key);
  if (!rule || rule.allow === "public" || rule.via !== "session+token")
    throw new Error(`No session+token rule for ${key} in lib/auth/access-rules.ts.`);
  if (rule.scope === "study") throw new Error(`${key} belongs to a study: use studyApiRoute.`);
  const roles = rule.allow;
  return withApiErrors(async (request: Request, context: Context): Promise<Response> => {
    const user = await tokenOrCookieUser(request);
    if (user instanceof Response) return user;
    if (!roles.includes(user.role))
      return apiError(403, "forbidden", `This needs the role ${roles.join(" or ")}; you are ${user.role}.`);
    return handler(request, user, context);
  });
}

/** The answer to a study the caller may not see: the same as for one that does not exist. */
export function studyNotFound(slug: string): Response {
  return Response.json(
    { error: "not_found", message: `There is no study "${slug}".` },
    { status: 404, headers: { "Cache-Control": "no-store" } },
  );
}

/**
 * A route handler under /api/v1/studies/[slug] (rules with scope "study"): who calls as
 * sessionOrTokenRoute (an API token acts with its owner's memberships), then the same checks as
 * requireStudyAccess: the study visible to them (404 otherwise, as for no study), then their role
 * in it (403). The handler gets the study and the user with their role in it.
 */
export function studyApiRoute<Context extends { params: Promise<{ slug: string }> }>(
  key: StudyApiKey,
  handler: (request: Request, user: SessionUser, study: VisibleStudy, context: Context) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response>;
/**
 * As above, for the one route that may also create its study (`?create=` of the import API): when
 * `creates(request)` and no study has the slug at all, the handler runs with `study` null.
 */
export function studyApiRoute<Context extends { params: Promise<{ slug: string }> }>(
  key: StudyApiKey,
  handler: (request: Request, user: SessionUser, study: VisibleStudy | null, context: Context) => Promise<Response>,
  options: { creates: (request: Request) => boolean },
): (request: Request, context: Context) => Promise<Response>;
export function studyApiRoute<Context extends { params: Promise<{ slug: string }> }>(
  key: StudyApiKey,
  studyHandler: (request: Request, user: SessionUser, study: never, context: Context) => Promise<Response>,
  options?: { creates: (request: Request) => boolean },
) {
  // Either overload's handler; it gets null only with `creates`.
  const handler = studyHandler as (
    request: Request,
    user: SessionUser,
    study: VisibleStudy | null,
    context: Context,
  ) => Promise<Response>;
  const rule = ruleFor(key);
  if (!rule || rule.allow === "public" || rule.via !== "session+token" || rule.scope !== "study")
    throw new Error(`No study session+token rule for ${key} in lib/auth/access-rules.ts.`);
  const roles = rule.allow;
  return withApiErrors(async (request: Request, context: Context): Promise<Response> => {
    const user = await tokenOrCookieUser(request);
    if (user instanceof Response) return user;
    const { slug } = await context.params;
    const study = await studyBySlug(slug, user);
    if (!study) {
      if (options?.creates(request) && roles.includes(user.role) && !(await slugTaken(slug)))
        return handler(request, user, null, context);
      return studyNotFound(slug);
    }
    if (!roles.includes(study.role))
      return apiError(
        403,
        "forbidden",
        `This needs the role ${roles.join(" or ")} in the study; yours is ${study.role}.`,
      );
    return handler(request, { ...user, role: study.role }, study, context);
  });
}
