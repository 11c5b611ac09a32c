// What the guards answer, from plain values: what a visitor, a server action's caller and an API
// client get for each case of docs/access.md ("How access is enforced"): anonymous page view →
// sign-in page coming back to the page, anonymous server action → 401, wrong role → 403, a study
// one may not see → 404, API refusals as JSON 401/403 that are never cached. The expected answers
// are written out here, not taken from the code or the access table.
import { describe, expect, it } from "vitest";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import type { VisibleStudy } from "../study/access";
import {
  actionOriginVerdict,
  apiError,
  apiRoleRefusal,
  cookieCaller,
  isServerActionKey,
  roleVerdict,
  sessionUser,
  signedInRule,
  signedInVerdict,
  studyVerdict,
  tokenCaller,
} from "./guard-verdicts";
import type { SessionUser } from "./users";

// A database that does not exist (port 1): every answer below must come without one.
process.env.DATABASE_URL = "postgresql://nobody@127.0.0.1:1/none";

const researcher: SessionUser = { id: 7, email: "rita@example.org", name: "Rita", role: "RESEARCHER" };
const reviewer: SessionUser = { id: 8, email: "ravi@example.org", name: null, role: "REVIEWER" };
const admin: SessionUser = { id: 9, email: "ada@example.org", name: "Ada", role: "ADMIN" };
const RESEARCH = ["ADMIN", "RESEARCHER"] as const;
/** Parallax on http://parallax.example:3000, as NEXTAUTH_URL names it. */
const SITE = { NEXTAUTH_URL: "http://parallax.example:3000" };

function study(role: VisibleStudy["role"]): VisibleStudy {
  return {
    id: 3,
    slug: "sft-vs-rl",
    name: "SFT vs RL",
    rules: DEFAULT_FAILURE_RULES,
    archivedAt: null,
    studyRole: role === "ADMIN" ? null : role,
    role,
  };
}

async function body(response: Response) {
  return {
    status: response.status,
    json: await response.json(),
    cacheControl: response.headers.get("cache-control"),
    authenticate: response.headers.get("www-authenticate"),
  };
}

describe("signedInRule: which rules a guard takes", () => {
  it("takes a signed-in rule proven the guard's way", () => {
    const admins = { allow: ["ADMIN"], via: "session", note: "Users." } as const;
    expect(signedInRule(admins, "session")).toBe(admins);
    const research = { allow: RESEARCH, via: "token", note: "Exports." } as const;
    expect(signedInRule(research, "token")).toBe(research);
    const study = { allow: ["REVIEWER"], via: "session+token", scope: "study", note: "Labels." } as const;
    expect(signedInRule(study, "session+token")).toBe(study);
  });

  it("refuses no rule, a public rule whatever its proof, and a rule proven another way", () => {
    expect(signedInRule(undefined, "session")).toBeNull();
    for (const via of ["session", "token", "session+token"] as const) {
      expect(signedInRule({ allow: "public", via, note: "" }, via), via).toBeNull();
    }
    expect(signedInRule({ allow: RESEARCH, via: "session", note: "" }, "token")).toBeNull();
    expect(signedInRule({ allow: RESEARCH, via: "token", note: "" }, "session+token")).toBeNull();
    expect(signedInRule({ allow: RESEARCH, via: "session+token", note: "" }, "session")).toBeNull();
  });
});

describe("isServerActionKey", () => {
  it("tells a server action's key from a page's or a route's", () => {
    expect(isServerActionKey("action:app/admin/users/actions.ts#changeUserRole")).toBe(true);
    expect(isServerActionKey("/admin/users")).toBe(false);
    expect(isServerActionKey("/api/v1/me")).toBe(false);
    // Only the prefix counts.
    expect(isServerActionKey("/x/action:")).toBe(false);
  });
});

describe("sessionUser: the sign-in cookie's session", () => {
  it("is nobody without a session, without a user in it, or with a user id that is no positive integer (no database asked)", async () => {
    for (const session of [
      null,
      undefined,
      {},
      { user: {} },
      { user: { id: "abc", gen: 0 } },
      { user: { id: "0", gen: 0 } },
      { user: { id: "-4", gen: 0 } },
      { user: { id: "1.5", gen: 0 } },
    ]) {
      expect(await sessionUser(session), JSON.stringify(session)).toBeNull();
    }
  });
});

describe("actionOriginVerdict: a server action posted from elsewhere", () => {
  it("goes on for a post from Parallax's own pages", () => {
    const allowed = { kind: "allow", value: null };
    expect(actionOriginVerdict(new Headers({ "sec-fetch-site": "same-origin" }), SITE)).toEqual(allowed);
    expect(
      actionOriginVerdict(new Headers({ origin: "http://parallax.example:3000", host: "parallax.example:3000" }), SITE),
    ).toEqual(allowed);
  });

  it("is 403 from another site, a sibling site, without Origin, or with Origin null", () => {
    const refused = { kind: "forbidden" };
    for (const headers of <Record<string, string>[]>[
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "https://evil.example", host: "parallax.example:3000" },
      { host: "parallax.example:3000" },
      { origin: "null", host: "parallax.example:3000" },
    ]) {
      expect(actionOriginVerdict(new Headers(headers), SITE), JSON.stringify(headers)).toEqual(refused);
    }
  });
});

describe("signedInVerdict: anonymous callers", () => {
  it("lets a signed-in user on, whatever the entry point", () => {
    expect(signedInVerdict("/admin/users", reviewer, "/admin/users")).toEqual({ kind: "allow", value: reviewer });
    expect(signedInVerdict("action:app/admin/users/actions.ts#changeUserRole", admin, null)).toEqual({
      kind: "allow",
      value: admin,
    });
  });

  it("sends an anonymous page view to the sign-in page, coming back to the page and its query", () => {
    expect(signedInVerdict("/studies/[slug]", null, "/studies/sft-vs-rl?tab=labels")).toEqual({
      kind: "sign-in",
      url: "/signin?callbackUrl=%2Fstudies%2Fsft-vs-rl%3Ftab%3Dlabels",
    });
    // Without the path, or with one that would leave the site: plain sign-in.
    expect(signedInVerdict("/admin/users", null, null)).toEqual({ kind: "sign-in", url: "/signin" });
    expect(signedInVerdict("/admin/users", null, "//evil.example/")).toEqual({ kind: "sign-in", url: "/signin" });
  });

  it("answers an anonymous server action 401, never a redirect", () => {
    expect(signedInVerdict("action:app/studies/[slug]/review/actions.ts#submit", null, "/studies/x/review")).toEqual({
      kind: "unauthorized",
    });
  });
});

describe("roleVerdict and studyVerdict", () => {
  it("roleVerdict: 403 for a role the rule does not list", () => {
    expect(roleVerdict(["ADMIN"], admin)).toEqual({ kind: "allow", value: admin });
    expect(roleVerdict(RESEARCH, researcher)).toEqual({ kind: "allow", value: researcher });
    expect(roleVerdict(["ADMIN"], researcher)).toEqual({ kind: "forbidden" });
    expect(roleVerdict(RESEARCH, reviewer)).toEqual({ kind: "forbidden" });
  });

  it("studyVerdict: 404 for a study one may not see, then 403 by the role in the study, not the account's", () => {
    expect(studyVerdict(RESEARCH, researcher, null)).toEqual({ kind: "not-found" });
    // A researcher who only reviews this study is its reviewer: no research pages there.
    expect(studyVerdict(RESEARCH, researcher, study("REVIEWER"))).toEqual({ kind: "forbidden" });
    expect(studyVerdict(["ADMIN", "RESEARCHER", "REVIEWER"], researcher, study("REVIEWER"))).toEqual({
      kind: "allow",
      value: { user: { ...researcher, role: "REVIEWER" }, study: study("REVIEWER") },
    });
    expect(studyVerdict(RESEARCH, admin, study("ADMIN"))).toEqual({
      kind: "allow",
      value: { user: admin, study: study("ADMIN") },
    });
  });
});

describe("API answers", () => {
  it("apiError: JSON with the error and the message, never cached; a 401 names the Bearer scheme", async () => {
    expect(await body(apiError(401, "unauthorized", "Send a token."))).toEqual({
      status: 401,
      json: { error: "unauthorized", message: "Send a token." },
      cacheControl: "no-store",
      authenticate: 'Bearer realm="parallax"',
    });
    expect(await body(apiError(403, "forbidden", "No."))).toEqual({
      status: 403,
      json: { error: "forbidden", message: "No." },
      cacheControl: "no-store",
      authenticate: null,
    });
  });

  it("tokenCaller: the token's owner, else 401 saying how to get a token", async () => {
    expect(tokenCaller(reviewer)).toBe(reviewer);
    const refused = tokenCaller(null);
    expect(refused).toBeInstanceOf(Response);
    expect(await body(refused as Response)).toEqual({
      status: 401,
      json: {
        error: "unauthorized",
        message: "Send a valid API token: Authorization: Bearer plx_… (an admin creates tokens on /admin/tokens).",
      },
      cacheControl: "no-store",
      authenticate: 'Bearer realm="parallax"',
    });
  });

  it("cookieCaller: 401 without a signed-in user, saying both ways in", async () => {
    const refused = cookieCaller(null, new Request("http://parallax.example:3000/api/v1/audit"), SITE);
    expect(await body(refused as Response)).toEqual({
      status: 401,
      json: { error: "unauthorized", message: "Sign in, or send an API token: Authorization: Bearer plx_…." },
      cacheControl: "no-store",
      authenticate: 'Bearer realm="parallax"',
    });
  });

  it("cookieCaller: reads from anywhere, but changes only from Parallax's own pages", async () => {
    const url = "http://parallax.example:3000/api/v1/studies/sft-vs-rl/imports";
    const from = (method: string, headers: Record<string, string>) =>
      cookieCaller(researcher, new Request(url, { method, headers }), SITE);
    // Reading needs no Origin (a link, a download).
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(from(method, { "sec-fetch-site": "cross-site" }), method).toBe(researcher);
    }
    // Posted by the page itself.
    expect(from("POST", { "sec-fetch-site": "same-origin" })).toBe(researcher);
    expect(from("DELETE", { origin: "http://parallax.example:3000", host: "parallax.example:3000" })).toBe(researcher);
    // From another site, or a client that says nothing: refused.
    for (const [method, headers] of [
      ["POST", { "sec-fetch-site": "cross-site" }],
      ["PUT", { origin: "https://evil.example", host: "parallax.example:3000" }],
      ["PATCH", { host: "parallax.example:3000" }],
      ["DELETE", { origin: "null", host: "parallax.example:3000" }],
    ] as const) {
      const refused = from(method, headers);
      expect(refused, `${method} ${JSON.stringify(headers)}`).toBeInstanceOf(Response);
      expect(await body(refused as Response)).toEqual({
        status: 403,
        json: {
          error: "forbidden",
          message:
            "With the sign-in cookie this request must come from Parallax's own pages; scripts send an API token.",
        },
        cacheControl: "no-store",
        authenticate: null,
      });
    }
  });

  it("apiRoleRefusal: nothing for a role the rule lists, else 403 naming the roles needed and the caller's", async () => {
    expect(apiRoleRefusal(RESEARCH, "RESEARCHER", "; you are")).toBeNull();
    expect(apiRoleRefusal(["ADMIN", "RESEARCHER", "REVIEWER"], "REVIEWER", "; the token's owner is")).toBeNull();
    expect(await body(apiRoleRefusal(["ADMIN"], "RESEARCHER", "; the token's owner is")!)).toEqual({
      status: 403,
      json: { error: "forbidden", message: "This needs the role ADMIN; the token's owner is RESEARCHER." },
      cacheControl: "no-store",
      authenticate: null,
    });
    expect(await body(apiRoleRefusal(RESEARCH, "REVIEWER", " in the study; yours is")!)).toMatchObject({
      status: 403,
      json: { error: "forbidden", message: "This needs the role ADMIN or RESEARCHER in the study; yours is REVIEWER." },
    });
  });
});
