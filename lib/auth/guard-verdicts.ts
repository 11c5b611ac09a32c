// What the guards of lib/auth/guard.ts answer, decided from plain values: the sign-in cookie's
// claims, the rule's roles, the caller and the study they asked for, the request's method and
// headers. guard.ts only reads the request (the session cookie, headers()) and carries a verdict out
// with Next's redirect(), unauthorized(), forbidden() and notFound(); every decision is here, so that
// it is tested with real values (guard-verdicts.test.ts) and not only through a running app.
import type { Role } from "../db/generated/enums";
import type { VisibleStudy } from "../study/access";
import type { AccessRule } from "./access-rules";
import { signInUrl } from "./callback-url";
import { changesData, type HeaderReader, isSameOriginRequest } from "./same-origin";
import { findSessionUser, type SessionUser } from "./users";

/** A page's or server action's guard: go on with the value, or the answer Next gives instead. */
export type Verdict<T> =
  | { kind: "allow"; value: T }
  /** Anonymous visitor of a page: the sign-in page, coming back afterwards. */
  | { kind: "sign-in"; url: string }
  /** Anonymous server action: 401. */
  | { kind: "unauthorized" }
  /** Wrong role, or a server action posted from elsewhere: 403 (app/forbidden.tsx). */
  | { kind: "forbidden" }
  /** A study the caller may not see: as for one that does not exist. */
  | { kind: "not-found" };

/** A rule for signed-in callers: the roles it allows. */
export type SignedInRule = AccessRule & { allow: readonly Role[] };

/**
 * A rule for signed-in callers proven `via` the guard's way (the sign-in cookie, an API token,
 * either); null for no rule, a public one or one proven otherwise, so that an entry point wired to
 * the wrong guard fails when it is loaded.
 */
export function signedInRule(rule: AccessRule | undefined, via: AccessRule["via"]): SignedInRule | null {
  if (!rule || rule.allow === "public" || rule.via !== via) return null;
  return rule as SignedInRule;
}

/** The keys of server actions in ACCESS_RULES: `action:<file>#<export>`. */
export function isServerActionKey(key: string): boolean {
  return key.startsWith("action:");
}

/**
 * The user of a sign-in cookie's session (next-auth's `{ user: { id, gen } }`, see
 * next-auth-options.ts): active, and the session's generation still current. A session without a
 * numeric generation is from before generations existed: generation 0.
 */
export async function sessionUser(session: unknown): Promise<SessionUser | null> {
  const claims = (session as { user?: { id?: unknown; gen?: unknown } } | null | undefined)?.user;
  // findSessionUser refuses an id that is not a positive integer before it asks the database.
  return findSessionUser(Number(claims?.id), typeof claims?.gen === "number" ? claims.gen : undefined);
}

/**
 * A server action runs only when posted from Parallax's own pages. Next checks Origin only when the
 * browser sends one; a form post without it would run with the visitor's cookie.
 */
export function actionOriginVerdict(
  headers: HeaderReader,
  env: Record<string, string | undefined> = process.env,
): Verdict<null> {
  return isSameOriginRequest({ headers }, env) ? { kind: "allow", value: null } : { kind: "forbidden" };
}

/**
 * Someone must be signed in: an anonymous server action gets 401, an anonymous page view the
 * sign-in page with the path asked for (`requestUrl`, as the proxy passes it) to come back to.
 */
export function signedInVerdict(
  key: string,
  user: SessionUser | null,
  requestUrl: string | null,
): Verdict<SessionUser> {
  if (user) return { kind: "allow", value: user };
  return isServerActionKey(key) ? { kind: "unauthorized" } : { kind: "sign-in", url: signInUrl(requestUrl) };
}

/** The signed-in user's role must be one the rule allows, else 403. */
export function roleVerdict(roles: readonly Role[], user: SessionUser): Verdict<SessionUser> {
  return roles.includes(user.role) ? { kind: "allow", value: user } : { kind: "forbidden" };
}

/**
 * A study's page or action: the study must be one the caller may see (null from studyBySlug: 404,
 * exactly as for a study that does not exist), then their role in it one the rule allows (403).
 * The user goes on with their role in that study.
 */
export function studyVerdict(
  roles: readonly Role[],
  account: SessionUser,
  study: VisibleStudy | null,
): Verdict<{ user: SessionUser; study: VisibleStudy }> {
  if (!study) return { kind: "not-found" };
  if (!roles.includes(study.role)) return { kind: "forbidden" };
  return { kind: "allow", value: { user: { ...account, role: study.role }, study } };
}

/** An API refusal in JSON, never cached; a 401 says how to authenticate. */
export function apiError(status: 401 | 403, error: string, message: string): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (status === 401) headers["WWW-Authenticate"] = 'Bearer realm="parallax"';
  return Response.json({ error, message }, { status, headers });
}

/** The caller of a request with an Authorization header: its token's owner, else 401. */
export function tokenCaller(owner: SessionUser | null): SessionUser | Response {
  return (
    owner ??
    apiError(
      401,
      "unauthorized",
      "Send a valid API token: Authorization: Bearer plx_… (an admin creates tokens on /admin/tokens).",
    )
  );
}

/**
 * The caller of an API request without an Authorization header: the sign-in cookie's user (401
 * without one), and a request that changes data (not GET/HEAD/OPTIONS) must come from Parallax's
 * own pages (403 otherwise): no other site may make a browser use the cookie on the API.
 */
export function cookieCaller(
  user: SessionUser | null,
  request: { method: string; headers: HeaderReader },
  env: Record<string, string | undefined> = process.env,
): SessionUser | Response {
  if (!user) return apiError(401, "unauthorized", "Sign in, or send an API token: Authorization: Bearer plx_….");
  if (changesData(request.method) && !isSameOriginRequest(request, env)) {
    return apiError(
      403,
      "forbidden",
      "With the sign-in cookie this request must come from Parallax's own pages; scripts send an API token.",
    );
  }
  return user;
}

/**
 * null when `role` is one of `roles`; else the 403 naming the roles needed and the caller's, e.g.
 * "This needs the role ADMIN; you are REVIEWER." (`whose` is "; you are").
 */
export function apiRoleRefusal(roles: readonly Role[], role: Role, whose: string): Response | null {
  if (roles.includes(role)) return null;
  return apiError(403, "forbidden", `This needs the role ${roles.join(" or ")}${whose} ${role}.`);
}
