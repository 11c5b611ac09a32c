// Who may use what, written out by hand from the product's roles (docs/access.md), independent of
// lib/auth/access-rules.ts: this file must never import ACCESS_RULES or anything derived from it.
// e2e/access-independent.spec.ts requests every entry point of the running app as each caller
// and compares the answer with this table; lib/auth/access-spec.test.ts compares it with the
// guard's decisions. A change to one rule of ACCESS_RULES then fails both until this table is
// changed too, on purpose, by someone who read the roles:
//
//   admin       everything: users, API tokens, imports, studies, analytics, export
//   researcher  studies, analytics, browsing, export and imports; not users or API tokens
//   reviewer    the studies list, a study's page, the review queue and their own labels; nothing
//               that shows checkpoints, strategies or whole responses (blind review)
//   anonymous   the sign-in, sign-out and invite pages and next-auth's own routes

/**
 * What a caller gets:
 * - "ok": the entry point's own answer: 200 for a GET, the action's own reply (200,
 *   text/x-component) for a server action, any status but 401/403 for a POST to a route handler
 *   (the sample request has an empty body, which an allowed caller gets refused for its content);
 * - "signin": a redirect to /signin (pages, for anonymous visitors);
 * - 401, 403: refused.
 */
export type Expected = "ok" | "signin" | 401 | 403;

export type Kind = "page" | "route" | "action";

export interface AccessSpecRow {
  kind: Kind;
  /** With the sign-in cookie of each role (anonymous: no cookie, no token). */
  anonymous: Expected;
  reviewer: Expected;
  researcher: Expected;
  admin: Expected;
  /** Route handlers that take an API token: the answer to each role's token (no cookie). Absent: the entry point takes no token. */
  token?: { reviewer: Expected; researcher: Expected; admin: Expected };
}

type Row = [kind: Kind, anonymous: Expected, reviewer: Expected, researcher: Expected, admin: Expected];

const row = ([kind, anonymous, reviewer, researcher, admin]: Row, token?: AccessSpecRow["token"]): AccessSpecRow =>
  token ? { kind, anonymous, reviewer, researcher, admin, token } : { kind, anonymous, reviewer, researcher, admin };

/** Keyed as the entry points are found in app/: route patterns, and "action:<file>#<export>". */
export const ACCESS_SPEC: Record<string, AccessSpecRow> = {
  //                                                                  anonymous  reviewer  researcher  admin
  // Pages
  "/": row(["page", "signin", "ok", "ok", "ok"]),
  "/studies/[slug]": row(["page", "signin", "ok", "ok", "ok"]),
  "/studies/[slug]/review": row(["page", "signin", "ok", "ok", "ok"]),
  "/studies/[slug]/labels": row(["page", "signin", "ok", "ok", "ok"]),
  "/studies/[slug]/analytics": row(["page", "signin", 403, "ok", "ok"]),
  "/studies/[slug]/responses": row(["page", "signin", 403, "ok", "ok"]),
  "/studies/[slug]/responses/[id]": row(["page", "signin", 403, "ok", "ok"]),
  "/studies/[slug]/import": row(["page", "signin", 403, "ok", "ok"]),
  "/studies/[slug]/settings": row(["page", "signin", 403, "ok", "ok"]),
  "/admin/users": row(["page", "signin", 403, 403, "ok"]),
  "/admin/tokens": row(["page", "signin", 403, 403, "ok"]),
  "/signin": row(["page", "ok", "ok", "ok", "ok"]),
  "/signout": row(["page", "ok", "ok", "ok", "ok"]),
  "/invite/[token]": row(["page", "ok", "ok", "ok", "ok"]),

  // Route handlers
  "/api/auth/[...nextauth]": row(["route", "ok", "ok", "ok", "ok"]),
  // Token only: the sign-in cookie counts for nothing here.
  "/api/v1/me": row(["route", 401, 401, 401, 401], { reviewer: "ok", researcher: "ok", admin: "ok" }),
  "/api/v1/studies/[slug]/analytics": row(["route", 401, 403, "ok", "ok"], {
    reviewer: 403,
    researcher: "ok",
    admin: "ok",
  }),
  "/api/v1/studies/[slug]/export": row(["route", 401, 403, "ok", "ok"], {
    reviewer: 403,
    researcher: "ok",
    admin: "ok",
  }),
  "/api/v1/studies/[slug]/responses": row(["route", 401, 403, "ok", "ok"], {
    reviewer: 403,
    researcher: "ok",
    admin: "ok",
  }),
  "/api/v1/studies/[slug]/import-preview": row(["route", 401, 403, "ok", "ok"], {
    reviewer: 403,
    researcher: "ok",
    admin: "ok",
  }),
  "/api/v1/studies/[slug]/import-mapping": row(["route", 401, 403, "ok", "ok"], {
    reviewer: 403,
    researcher: "ok",
    admin: "ok",
  }),
  "/api/v1/studies/[slug]/imports": row(["route", 401, 403, "ok", "ok"], {
    reviewer: 403,
    researcher: "ok",
    admin: "ok",
  }),
  // Generation sends prompts to endpoints and shows checkpoints: never for reviewers.
  "/api/v1/studies/[slug]/generation-runs": row(["route", 401, 403, "ok", "ok"], {
    reviewer: 403,
    researcher: "ok",
    admin: "ok",
  }),
  "/api/v1/studies/[slug]/generation-runs/[id]": row(["route", 401, 403, "ok", "ok"], {
    reviewer: 403,
    researcher: "ok",
    admin: "ok",
  }),

  // Server actions
  "action:app/admin/users/actions.ts#createUser": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/users/actions.ts#changeUserRole": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/users/actions.ts#setUserDisabled": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/users/actions.ts#renewInvite": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/users/actions.ts#signOutEverywhere": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/tokens/actions.ts#createToken": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/tokens/actions.ts#revokeToken": row(["action", 401, 403, 403, "ok"]),
  "action:app/studies/[slug]/review/actions.ts#saveDraft": row(["action", 401, "ok", "ok", "ok"]),
  "action:app/studies/[slug]/review/actions.ts#submit": row(["action", 401, "ok", "ok", "ok"]),
  "action:app/studies/[slug]/review/actions.ts#skip": row(["action", 401, "ok", "ok", "ok"]),
  "action:app/studies/[slug]/settings/actions.ts#saveStudySettings": row(["action", 401, 403, "ok", "ok"]),
  "action:app/invite/[token]/actions.ts#acceptInvite": row(["action", "ok", "ok", "ok", "ok"]),
};

export const SPEC_CALLERS = ["anonymous", "reviewer", "researcher", "admin"] as const;
export type SpecCaller = (typeof SPEC_CALLERS)[number];
export const TOKEN_CALLERS = ["reviewer", "researcher", "admin"] as const;
