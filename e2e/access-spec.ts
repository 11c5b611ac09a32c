// Who may use what, written out by hand from the product's roles (docs/access.md), independent of
// lib/auth/access-rules.ts: this file must never import ACCESS_RULES or anything derived from it.
// e2e/access-independent.spec.ts requests every entry point of the running app as each caller
// and compares the answer with this table; lib/auth/access-spec.test.ts compares it with the
// guard's decisions. A change to one rule of ACCESS_RULES then fails both until this table is
// changed too, on purpose, by someone who read the roles:
//
//   admin       everything: users, API tokens, the audit log, imports, studies, analytics, export
//   researcher  studies, analytics, browsing, export and imports; not users, API tokens or the audit log
//   reviewer    the studies list, a study's page, the review queue and their own labels; nothing
//               that shows checkpoints, strategies or whole responses (blind review)
//   anonymous   the sign-in, sign-out and invite pages and next-auth's own routes
//
// and, per study: researchers and reviewers get all of the above only in the studies they are
// members of; for every page, action and API route of any other study they get 404, exactly as for
// a study that does not exist (never 403, which would confirm that it exists). Admins see every
// study. The demo accounts are members of the demo study (r1-safety-demo) and of no other; the
// browser setup makes a second study, OTHER_STUDY, that only admins see.

/**
 * What a caller gets:
 * - "ok": the entry point's own answer: 200 for a GET, the action's own reply (200,
 *   text/x-component) for a server action, any status but 401/403 for a POST to a route handler
 *   (the sample request has an empty body, which an allowed caller gets refused for its content);
 * - "signin": a redirect to /signin (pages, for anonymous visitors);
 * - 401, 403: refused.
 */
export type Expected = "ok" | "signin" | 401 | 403 | 404;

/** A second study, made by the admin in the browser tests' setup; no demo account is a member. */
export const OTHER_STUDY = "access-other-team";

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
  /**
   * Entry points of one study: what each role gets for OTHER_STUDY (with the cookie, and with the
   * token where the entry point takes one: a token acts with its owner's memberships). Anonymous
   * callers get what they get for the demo study.
   */
  other?: { reviewer: Expected; researcher: Expected; admin: Expected };
}

type Row = [kind: Kind, anonymous: Expected, reviewer: Expected, researcher: Expected, admin: Expected];

const row = (
  [kind, anonymous, reviewer, researcher, admin]: Row,
  token?: AccessSpecRow["token"],
  other?: AccessSpecRow["other"],
): AccessSpecRow => ({
  kind,
  anonymous,
  reviewer,
  researcher,
  admin,
  ...(token ? { token } : {}),
  ...(other ? { other } : {}),
});

/** A study's entry point, for OTHER_STUDY: not found for non-members, the admin's own answer otherwise. */
const notMine = (admin: Expected = "ok"): AccessSpecRow["other"] => ({ reviewer: 404, researcher: 404, admin });

/** Keyed as the entry points are found in app/: route patterns, and "action:<file>#<export>". */
export const ACCESS_SPEC: Record<string, AccessSpecRow> = {
  //                                                                  anonymous  reviewer  researcher  admin
  // Pages
  "/": row(["page", "signin", "ok", "ok", "ok"]),
  "/studies/[slug]": row(["page", "signin", "ok", "ok", "ok"], undefined, notMine()),
  "/studies/[slug]/review": row(["page", "signin", "ok", "ok", "ok"], undefined, notMine()),
  "/studies/[slug]/labels": row(["page", "signin", "ok", "ok", "ok"], undefined, notMine()),
  "/studies/[slug]/analytics": row(["page", "signin", 403, "ok", "ok"], undefined, notMine()),
  "/studies/[slug]/responses": row(["page", "signin", 403, "ok", "ok"], undefined, notMine()),
  // Response 1 is the demo study's: the admin passes the guard and finds no such response there.
  "/studies/[slug]/responses/[id]": row(["page", "signin", 403, "ok", "ok"], undefined, notMine(404)),
  "/studies/[slug]/checkpoints": row(["page", "signin", 403, "ok", "ok"], undefined, notMine()),
  "/studies/[slug]/members": row(["page", "signin", 403, "ok", "ok"], undefined, notMine()),
  "/studies/[slug]/import": row(["page", "signin", 403, "ok", "ok"], undefined, notMine()),
  "/studies/[slug]/settings": row(["page", "signin", 403, "ok", "ok"], undefined, notMine()),
  "/studies/[slug]/adjudicate": row(["page", "signin", 403, "ok", "ok"], undefined, notMine()),
  // Response 1 is the demo study's: the admin passes the guard and finds no such response there.
  "/studies/[slug]/adjudicate/[id]": row(["page", "signin", 403, "ok", "ok"], undefined, notMine(404)),
  "/studies/new": row(["page", "signin", 403, "ok", "ok"]),
  "/admin/users": row(["page", "signin", 403, 403, "ok"]),
  "/admin/tokens": row(["page", "signin", 403, 403, "ok"]),
  "/admin/audit": row(["page", "signin", 403, 403, "ok"]),
  "/signin": row(["page", "ok", "ok", "ok", "ok"]),
  "/signout": row(["page", "ok", "ok", "ok", "ok"]),
  "/invite/[token]": row(["page", "ok", "ok", "ok", "ok"]),

  // Route handlers
  "/api/auth/[...nextauth]": row(["route", "ok", "ok", "ok", "ok"]),
  // Token only: the sign-in cookie counts for nothing here.
  "/api/v1/me": row(["route", 401, 401, 401, 401], { reviewer: "ok", researcher: "ok", admin: "ok" }),
  // The audit log names every study and account: admins only, by cookie or token.
  "/api/v1/audit": row(["route", 401, 403, 403, "ok"], { reviewer: 403, researcher: 403, admin: "ok" }),
  "/api/v1/studies": row(["route", 401, 403, "ok", "ok"], { reviewer: 403, researcher: "ok", admin: "ok" }),
  "/api/v1/studies/[slug]": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/checkpoints/[id]": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/analytics": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/export": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/responses": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/responses/[id]/adjudication": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/members": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/imports": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/import-preview": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/import-mapping": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  // Generation sends prompts to endpoints and shows checkpoints: never for reviewers.
  "/api/v1/studies/[slug]/generation-runs": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/generation-runs/[id]": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  // Judges send responses to endpoints and show what pre-labels say: never for reviewers.
  "/api/v1/studies/[slug]/judges": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),
  "/api/v1/studies/[slug]/judges/runs/[id]": row(
    ["route", 401, 403, "ok", "ok"],
    { reviewer: 403, researcher: "ok", admin: "ok" },
    notMine(),
  ),

  // Server actions
  "action:app/admin/users/actions.ts#createUser": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/users/actions.ts#changeUserRole": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/users/actions.ts#setUserDisabled": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/users/actions.ts#renewInvite": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/users/actions.ts#signOutEverywhere": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/tokens/actions.ts#createToken": row(["action", 401, 403, 403, "ok"]),
  "action:app/admin/tokens/actions.ts#revokeToken": row(["action", 401, 403, 403, "ok"]),
  "action:app/studies/[slug]/review/actions.ts#saveDraft": row(["action", 401, "ok", "ok", "ok"], undefined, notMine()),
  "action:app/studies/[slug]/review/actions.ts#submit": row(["action", 401, "ok", "ok", "ok"], undefined, notMine()),
  "action:app/studies/[slug]/review/actions.ts#skip": row(["action", 401, "ok", "ok", "ok"], undefined, notMine()),
  "action:app/studies/[slug]/settings/actions.ts#saveStudySettings": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/[slug]/members/actions.ts#addStudyMember": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/[slug]/members/actions.ts#removeStudyMember": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/[slug]/settings/actions.ts#archiveStudy": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/[slug]/settings/actions.ts#deleteStudyForever": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/[slug]/checkpoints/actions.ts#saveCheckpoint": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/[slug]/checkpoints/actions.ts#removeCheckpoint": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/[slug]/checkpoints/actions.ts#mergeCheckpoint": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/[slug]/adjudicate/[id]/actions.ts#saveFinalLabel": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/[slug]/adjudicate/[id]/actions.ts#clearFinalLabel": row(
    ["action", 401, 403, "ok", "ok"],
    undefined,
    notMine(),
  ),
  "action:app/studies/new/actions.ts#createNewStudy": row(["action", 401, 403, "ok", "ok"]),
  "action:app/invite/[token]/actions.ts#acceptInvite": row(["action", "ok", "ok", "ok", "ok"]),
};

export const SPEC_CALLERS = ["anonymous", "reviewer", "researcher", "admin"] as const;
export type SpecCaller = (typeof SPEC_CALLERS)[number];
export const TOKEN_CALLERS = ["reviewer", "researcher", "admin"] as const;
