// The guard every page, server action and route handler calls first, with its own key in
// ACCESS_RULES. It is the enforcement: the proxy only redirects anonymous visitors to sign-in for
// convenience. Pages: anonymous → sign-in, wrong role → 403 (app/forbidden.tsx). Server actions:
// not from Parallax's own pages (Origin / Sec-Fetch-Site) → 403 before anything runs, anonymous →
// 401, wrong role → 403. API routes: API tokens (and, for the few a page's button or
// upload calls, the sign-in cookie), JSON 401/403. What each guard answers is decided by the plain
// functions of guard-verdicts.ts; this file reads the request and carries their verdicts out.
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { connection } from "next/server";
import { forbidden, notFound, redirect, unauthorized } from "next/navigation";
import { withApiErrors } from "../api/errors";
import { cache } from "react";
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
import {
  actionOriginVerdict,
  apiRoleRefusal,
  cookieCaller,
  isServerActionKey,
  roleVerdict,
  sessionUser,
  signedInRule,
  signedInVerdict,
  studyVerdict,
  tokenCaller,
  type Verdict,
} from "./guard-verdicts";
import { authOptions } from "./next-auth-options";
import { isSameOriginRequest } from "./same-origin";
import { REQUEST_URL_HEADER } from "./security-headers";
import type { SessionUser } from "./users";

export { isSameOriginRequest, REQUEST_URL_HEADER, signInUrl };

/** The user of the sign-in cookie: still active, and the cookie's session not ended since. */
async function cookieUser(): Promise<SessionUser | null> {
  return sessionUser(await getServerSession(authOptions()));
}

/** The signed-in user of this request (read once per request), or null. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  // Per request, never at build time: which also makes every page that asks dynamic, as the
  // per-request CSP nonce needs.
  await connection();
  return cookieUser();
});

/** Carries a guard's verdict out: its value, or Next's sign-in redirect, 401, 403 or 404 page. */
export function enforce<T>(verdict: Verdict<T>): T {
  switch (verdict.kind) {
    case "allow":
      return verdict.value;
    case "sign-in":
      return redirect(verdict.url);
    case "unauthorized":
      return unauthorized();
    case "forbidden":
      return forbidden();
    case "not-found":
      return notFound();
  }
}

/** A server action from another site: 403 before anything else is read (guard-verdicts.ts). */
async function refuseCrossSiteAction(key: string): Promise<void> {
  if (isServerActionKey(key)) enforce(actionOriginVerdict(await headers()));
}

/** The path and query the visitor asked for, as the proxy passes it on. */
async function requestUrl(): Promise<string | null> {
  return (await headers()).get(REQUEST_URL_HEADER);
}

/** The signed-in user; anonymous: sign-in page (pages) or 401 (server actions). */
async function signedInUser(key: string): Promise<SessionUser> {
  return enforce(signedInVerdict(key, await currentUser(), await requestUrl()));
}

/** The guard for a page or server action with a rule that needs a signed-in user. */
export async function requireAccess(key: ProtectedKey): Promise<SessionUser> {
  const rule = signedInRule(ruleFor(key), "session");
  if (!rule) throw new Error(`No rule for signed-in access to ${key} in lib/auth/access-rules.ts.`);
  if (rule.scope === "study") throw new Error(`${key} belongs to a study: use requireStudyAccess.`);
  await refuseCrossSiteAction(key);
  return enforce(roleVerdict(rule.allow, await signedInUser(key)));
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
  const rule = signedInRule(ruleFor(key), "session");
  if (rule?.scope !== "study") throw new Error(`No study rule for ${key} in lib/auth/access-rules.ts.`);
  await refuseCrossSiteAction(key);
  const account = await signedInUser(key);
  return enforce(studyVerdict(rule.allow, account, await studyBySlug(slug, account)));
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

/** The owner of the request's API token (`Authorization: Bearer plx_…`), when it is a valid one. */
async function tokenOwner(request: Request): Promise<SessionUser | null> {
  const token = bearerToken(request.headers.get("authorization"));
  return token ? ((await verifyApiToken(token))?.user ?? null) : null;
}

/**
 * A route handler that takes an API token (`Authorization: Bearer plx_…`), never the sign-in cookie,
 * so that no other site can make a browser call it. The handler gets the token's owner.
 */
export function apiRoute<Context>(
  key: TokenKey,
  handler: (request: Request, user: SessionUser, context: Context) => Promise<Response>,
) {
  const rule = signedInRule(ruleFor(key), "token");
  if (!rule) throw new Error(`No token rule for ${key} in lib/auth/access-rules.ts.`);
  const roles = rule.allow;
  return withApiErrors(async (request: Request, context: Context): Promise<Response> => {
    const caller = tokenCaller(await tokenOwner(request));
    if (caller instanceof Response) return caller;
    return apiRoleRefusal(roles, caller.role, "; the token's owner is") ?? handler(request, caller, context);
  });
}

/**
 * Who calls a route handler under /api/v1 that takes an API token or the sign-in cookie: a request
 * with an Authorization header is judged by its token alone; one with the cookie must, unless it
 * only reads (GET/HEAD), come from our own pages. A refusal comes back as the answer to send.
 */
async function tokenOrCookieUser(request: Request): Promise<SessionUser | Response> {
  if (request.headers.has("authorization")) return tokenCaller(await tokenOwner(request));
  return cookieCaller(await cookieUser(), request);
}

/**
 * A route handler under /api/v1 that takes an API token (`Authorization: Bearer plx_…`) or, for a
 * page's button or upload, the sign-in cookie (see tokenOrCookieUser).
 */
export function sessionOrTokenRoute<Context>(
  key: SessionOrTokenKey,
  handler: (request: Request, user: SessionUser, context: Context) => Promise<Response>,
) {
  const rule = signedInRule(ruleFor(key), "session+token");
  if (!rule) throw new Error(`No session+token rule for ${key} in lib/auth/access-rules.ts.`);
  if (rule.scope === "study") throw new Error(`${key} belongs to a study: use studyApiRoute.`);
  const roles = rule.allow;
  return withApiErrors(async (request: Request, context: Context): Promise<Response> => {
    const user = await tokenOrCookieUser(request);
    if (user instanceof Response) return user;
    return apiRoleRefusal(roles, user.role, "; you are") ?? handler(request, user, context);
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
  const rule = signedInRule(ruleFor(key), "session+token");
  if (rule?.scope !== "study") throw new Error(`No study session+token rule for ${key} in lib/auth/access-rules.ts.`);
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
    return (
      apiRoleRefusal(roles, study.role, " in the study; yours is") ??
      handler(request, { ...user, role: study.role }, study, context)
    );
  });
}
