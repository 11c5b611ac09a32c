// The guards' decisions that need no request scope and no database: each refuses a key whose rule
// says otherwise (so a page cannot be wired to the wrong guard), and the API wrappers answer 401
// before looking anything up. The request-scoped paths (cookie, Origin of a server action, session
// generation) run against the real app in lib/auth/*.fault.test.ts; token roles in guard.int.test.ts.
import {
  getAccessFallbackHTTPStatus,
  isHTTPAccessFallbackError,
} from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { getRedirectStatusCodeFromError, getURLFromRedirectError } from "next/dist/client/components/redirect";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { describe, expect, it } from "vitest";
import { ACCESS_RULES, type AccessKey, type AccessRule } from "./access-rules";
import * as guard from "./guard";
import {
  apiRoute,
  publicAccess,
  publicRoute,
  requireAccess,
  requireStudyAccess,
  sessionOrTokenRoute,
  studyApiRoute,
  studyNotFound,
} from "./guard";

// A database that does not exist (port 1): every answer below must come without one.
process.env.DATABASE_URL = "postgresql://nobody@127.0.0.1:1/none";

const never = async () => {
  throw new Error("the handler must not run");
};

describe("guard exports", () => {
  it("are the functions these tests cover (a new guard needs a test here)", () => {
    expect(Object.keys(guard).sort()).toEqual(
      [
        "REQUEST_URL_HEADER",
        "apiRoute",
        "currentUser",
        "enforce",
        "isSameOriginRequest",
        "publicAccess",
        "publicRoute",
        "requireAccess",
        "requireStudyAccess",
        "sessionOrTokenRoute",
        "signInUrl",
        "studyApiRoute",
        "studyNotFound",
      ].sort(),
    );
  });

  it("re-exports the plain functions (tested in same-origin.test.ts and callback-url.test.ts)", () => {
    expect(guard.REQUEST_URL_HEADER).toBe("x-parallax-url");
    expect(guard.signInUrl("//evil.com")).toBe("/signin");
    expect(guard.isSameOriginRequest({ headers: new Headers({ host: "127.0.0.1:3000" }) }, {})).toBe(false);
  });
});

describe("requireAccess", () => {
  it("refuses keys that are public, token-only or unknown, before reading the request", async () => {
    for (const key of ["/signin", "/api/v1/me", "/api/v1/studies/[slug]/export", "/nowhere", "action:app/x.ts#y"]) {
      await expect(requireAccess(key as never), key).rejects.toThrow(/No rule for signed-in access/);
    }
  });
});

describe("requireStudyAccess", () => {
  it("refuses keys outside a study, and requireAccess refuses a study's keys (they need the membership check)", async () => {
    for (const key of ["/", "/admin/users", "/api/v1/studies/[slug]/export", "/signin", "/nowhere"]) {
      await expect(requireStudyAccess(key as never, "demo"), key).rejects.toThrow(/No study rule/);
    }
    for (const key of ["/studies/[slug]", "action:app/studies/[slug]/review/actions.ts#submit"]) {
      await expect(requireAccess(key as never), key).rejects.toThrow(/use requireStudyAccess/);
    }
  });

  it("answers a study one may not see exactly as one that does not exist", async () => {
    const response = studyNotFound("other-team");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found", message: 'There is no study "other-team".' });
  });
});

describe("publicAccess and publicRoute", () => {
  it("refuse a key that is not public", async () => {
    for (const key of [
      "/admin/users",
      "action:app/admin/users/actions.ts#signOutEverywhere",
      "/api/v1/me",
      "/nowhere",
    ]) {
      await expect(publicAccess(key as never), key).rejects.toThrow(/is not public/);
      expect(() => publicRoute(key as never, never), key).toThrow(/is not public/);
    }
  });

  it("publicRoute hands back the handler of a public route", () => {
    const handler = () => new Response("ok");
    expect(publicRoute("/api/auth/[...nextauth]", handler)).toBe(handler);
  });
});

describe("apiRoute", () => {
  it("is only for token routes", () => {
    for (const key of ["/admin/users", "/api/v1/studies/[slug]/export", "/signin", "/nowhere"] as AccessKey[]) {
      expect(() => apiRoute(key as never, never), key).toThrow(/No token rule/);
    }
  });

  it("answers 401 with how to authenticate when there is no usable token, without running the handler", async () => {
    const route = apiRoute("/api/v1/me", never);
    for (const authorization of [
      undefined,
      "",
      "Basic YWRtaW46cGFzcw==",
      "Bearer ",
      "Bearer not-a-parallax-token",
      "plx_abc",
    ]) {
      const headers = new Headers(authorization === undefined ? {} : { authorization });
      // The sign-in cookie is no proof here: another site's page could make a browser send it.
      headers.set("cookie", "next-auth.session-token=anything");
      const response = await route(new Request("http://127.0.0.1:3000/api/v1/me", { headers }), {});
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="parallax"');
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(((await response.json()) as { message: string }).message).toMatch(/Authorization: Bearer plx_/);
    }
  });
});

describe("sessionOrTokenRoute and studyApiRoute", () => {
  it("are only for routes that take either proof, studyApiRoute only for a study's", () => {
    for (const key of ["/api/v1/me", "/admin/users", "/signin"] as AccessKey[]) {
      expect(() => sessionOrTokenRoute(key as never, never), key).toThrow(/No session\+token rule/);
      expect(() => studyApiRoute(key as never, never), key).toThrow(/No study session\+token rule/);
    }
    // A study's route must go through the membership check.
    expect(() => sessionOrTokenRoute("/api/v1/studies/[slug]/imports" as never, never)).toThrow(/studyApiRoute/);
  });

  it("judges a request with an Authorization header by its token alone: a malformed one is 401", async () => {
    const route = studyApiRoute("/api/v1/studies/[slug]/imports", never);
    for (const authorization of ["Basic YWRtaW46cGFzcw==", "Bearer nope", "Bearer"]) {
      const response = await route(
        new Request("http://127.0.0.1:3000/api/v1/studies/demo/imports", { headers: { authorization } }),
        { params: Promise.resolve({ slug: "demo" }) },
      );
      expect(response.status, authorization).toBe(401);
      expect(((await response.json()) as { error: string }).error).toBe("unauthorized");
    }
  });
});

describe("every rule of the table against the guard it needs", () => {
  const rules = Object.entries(ACCESS_RULES) as [AccessKey, AccessRule][];
  const studyApi = rules.filter(([, r]) => r.allow !== "public" && r.via === "session+token" && r.scope === "study");
  const otherApi = rules.filter(([, r]) => r.allow !== "public" && r.via === "session+token" && r.scope !== "study");
  const studyPages = rules.filter(([, r]) => r.allow !== "public" && r.via === "session" && r.scope === "study");

  it("studyApiRoute takes every study route and only those; sessionOrTokenRoute every other one", () => {
    expect(studyApi.length).toBeGreaterThan(5);
    expect(otherApi.length).toBeGreaterThan(0);
    for (const [key] of studyApi) {
      expect(() => studyApiRoute(key as never, never), key).not.toThrow();
      expect(() => sessionOrTokenRoute(key as never, never), key).toThrow(
        `${key} belongs to a study: use studyApiRoute.`,
      );
    }
    for (const [key] of otherApi) {
      expect(() => sessionOrTokenRoute(key as never, never), key).not.toThrow();
      expect(() => studyApiRoute(key as never, never), key).toThrow(
        `No study session+token rule for ${key} in lib/auth/access-rules.ts.`,
      );
    }
  });

  it("requireStudyAccess lets every study page and action past the rule check, on to the request", async () => {
    expect(studyPages.length).toBeGreaterThan(5);
    for (const [key] of studyPages) {
      // Past the rule, the guard reads the request (Origin, cookie), which a unit test has none of.
      const error = await requireStudyAccess(key as never, "demo").then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, key).toBeInstanceOf(Error);
      expect(String(error), key).not.toMatch(/No study rule|belongs to a study/);
      await expect(requireAccess(key as never), key).rejects.toThrow(
        `${key} belongs to a study: use requireStudyAccess.`,
      );
    }
  });
});

/** What a guard throws outside a request: which request API it reached first. */
async function firstRequestRead(run: () => Promise<unknown>): Promise<string> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  const read = /`(\w+)` was called outside a request scope/.exec(String(error));
  expect(read, String(error)).not.toBeNull();
  return read![1]!;
}

describe("what the guards read first (outside a request, that read is what fails)", () => {
  it("a server action's guard checks the request's origin (its headers) before anything else", async () => {
    for (const key of [
      "action:app/admin/users/actions.ts#signOutEverywhere",
      "action:app/admin/tokens/actions.ts#createToken",
    ]) {
      expect(await firstRequestRead(() => requireAccess(key as never)), key).toBe("headers");
    }
    const studyAction = "action:app/studies/[slug]/review/actions.ts#submit";
    expect(await firstRequestRead(() => requireStudyAccess(studyAction as never, "demo"))).toBe("headers");
  });

  it("a page's guard asks for the signed-in user first (no origin check for a page view)", async () => {
    for (const key of ["/admin/users", "/"]) {
      expect(await firstRequestRead(() => requireAccess(key as never)), key).toBe("connection");
    }
    expect(await firstRequestRead(() => requireStudyAccess("/studies/[slug]" as never, "demo"))).toBe("connection");
    expect(await firstRequestRead(() => publicAccess("/signin" as never))).toBe("connection");
  });
});

describe("the rule checks, word for word", () => {
  it("refuse unknown keys with the table's name, and study rules in the wrong guard", () => {
    expect(() => sessionOrTokenRoute("/nowhere" as never, never)).toThrow(
      "No session+token rule for /nowhere in lib/auth/access-rules.ts.",
    );
    expect(() => studyApiRoute("/nowhere" as never, never)).toThrow(
      "No study session+token rule for /nowhere in lib/auth/access-rules.ts.",
    );
    // A study page is not an API route, though it has a study scope.
    expect(() => studyApiRoute("/studies/[slug]" as never, never)).toThrow(
      "No study session+token rule for /studies/[slug] in lib/auth/access-rules.ts.",
    );
    expect(() => apiRoute("/nowhere" as never, never)).toThrow(
      "No token rule for /nowhere in lib/auth/access-rules.ts.",
    );
    expect(() => publicRoute("/admin/users" as never, never)).toThrow(
      "/admin/users is not public in lib/auth/access-rules.ts.",
    );
  });

  it("401 answers name the error and say how to send a token", async () => {
    const me = await apiRoute("/api/v1/me", never)(new Request("http://127.0.0.1:3000/api/v1/me"), {});
    expect(me.status).toBe(401);
    expect(await me.json()).toEqual({
      error: "unauthorized",
      message: "Send a valid API token: Authorization: Bearer plx_… (an admin creates tokens on /admin/tokens).",
    });
    const imports = await studyApiRoute("/api/v1/studies/[slug]/imports", never)(
      new Request("http://127.0.0.1:3000/api/v1/studies/demo/imports", { headers: { authorization: "Bearer nope" } }),
      { params: Promise.resolve({ slug: "demo" }) },
    );
    expect(imports.status).toBe(401);
    expect(imports.headers.get("www-authenticate")).toBe('Bearer realm="parallax"');
    expect(imports.headers.get("cache-control")).toBe("no-store");
    expect(await imports.json()).toEqual({
      error: "unauthorized",
      message: "Send a valid API token: Authorization: Bearer plx_… (an admin creates tokens on /admin/tokens).",
    });
  });

  it("a request without an Authorization header is judged by its sign-in cookie, not refused for want of a token", async () => {
    // Outside a request the cookie cannot be read: the route answers as for any failure, not 401.
    process.env.NEXTAUTH_SECRET ??= "a-test-secret-of-at-least-thirty-two-characters";
    const response = await sessionOrTokenRoute("/api/v1/audit", never)(
      new Request("http://127.0.0.1:3000/api/v1/audit"),
      {},
    );
    expect(response.status).toBe(500);
  });

  it("a hidden study's 404 is not cached", () => {
    expect(studyNotFound("x").headers.get("cache-control")).toBe("no-store");
  });
});

describe("enforce: a verdict (guard-verdicts.ts) carried out the way Next answers it", () => {
  /** What enforce throws: Next reads a redirect's address and status, or the status page to show, from it. */
  function thrown(run: () => unknown) {
    try {
      run();
    } catch (error) {
      return {
        redirect: isRedirectError(error) ? getURLFromRedirectError(error) : null,
        redirectStatus: isRedirectError(error) ? getRedirectStatusCodeFromError(error) : null,
        page: isHTTPAccessFallbackError(error) ? getAccessFallbackHTTPStatus(error) : null,
      };
    }
    throw new Error("enforce went on");
  }

  it("hands back the value of an allowed verdict", () => {
    const user = { id: 1, email: "a@example.org", name: null, role: "ADMIN" as const };
    expect(guard.enforce({ kind: "allow", value: user })).toBe(user);
    expect(guard.enforce({ kind: "allow", value: null })).toBeNull();
  });

  it("sends to the sign-in page with a temporary redirect, and shows the 401, 403 and 404 pages", () => {
    // next.config.ts turns on experimental.authInterrupts, which unauthorized() and forbidden() need.
    const previous = process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS;
    process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
    try {
      expect(thrown(() => guard.enforce({ kind: "sign-in", url: "/signin?callbackUrl=%2Fadmin%2Fusers" }))).toEqual({
        redirect: "/signin?callbackUrl=%2Fadmin%2Fusers",
        redirectStatus: 307,
        page: null,
      });
      expect(thrown(() => guard.enforce({ kind: "unauthorized" }))).toEqual({
        redirect: null,
        redirectStatus: null,
        page: 401,
      });
      expect(thrown(() => guard.enforce({ kind: "forbidden" }))).toEqual({
        redirect: null,
        redirectStatus: null,
        page: 403,
      });
      expect(thrown(() => guard.enforce({ kind: "not-found" }))).toEqual({
        redirect: null,
        redirectStatus: null,
        page: 404,
      });
    } finally {
      if (previous === undefined) delete process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS;
      else process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = previous;
    }
  });
});
