// Who may use which route: the one table that the guards (lib/auth/guard.ts), the proxy's redirect
// of anonymous visitors and the authorization matrix (e2e/access-matrix.spec.ts) all read. Every
// page, route handler and server action in app/ must have a rule here; route-inventory.test.ts
// fails when one has none, or when a rule names a route that no longer exists.
import type { Role } from "../db/generated/enums";

export const ROLES = ["ADMIN", "RESEARCHER", "REVIEWER"] as const satisfies readonly Role[];

const SIGNED_IN = ROLES;
const ADMIN_ONLY = ["ADMIN"] as const satisfies readonly Role[];
const RESEARCH = ["ADMIN", "RESEARCHER"] as const satisfies readonly Role[];

export interface AccessRule {
  /** "public": anyone, signed in or not; otherwise the roles allowed. */
  allow: "public" | readonly Role[];
  /**
   * How a caller proves who they are: "session" (the sign-in cookie; pages and server actions) or
   * "token" (an `Authorization: Bearer` API token; route handlers under /api/v1, never the cookie), or
   * "session+token" (route handlers under /api/v1 that a page's button or upload also calls: either
   * proof; with the cookie, a request that changes data must come from Parallax's own pages).
   */
  via: "session" | "token" | "session+token";
  /** What the route is, and anything a role sees differently. */
  note: string;
}

/**
 * Keys are route patterns as in app/ ("/studies/[slug]") for pages and route handlers, and
 * "action:<file>#<export>" for server actions.
 */
export const ACCESS_RULES = {
  // Pages
  "/": {
    allow: SIGNED_IN,
    via: "session",
    note: "Studies. Reviewers see each study's size and their own progress, never checkpoints or strategies.",
  },
  "/studies/[slug]": {
    allow: SIGNED_IN,
    via: "session",
    note: "A study. Admins and researchers see checkpoints and strategies; reviewers see progress only.",
  },
  "/studies/[slug]/analytics": {
    allow: RESEARCH,
    via: "session",
    note: "A study's failure rates per training strategy, significance and reviewer agreement; filters in the URL. Never for reviewers (blind review).",
  },
  "/studies/[slug]/responses": {
    allow: RESEARCH,
    via: "session",
    note: "Every response of a study in a table: search, filters, sort, keyset pages. Never for reviewers (blind review).",
  },
  "/studies/[slug]/responses/[id]": {
    allow: RESEARCH,
    via: "session",
    note: "One response: prompt, reasoning and answer as text, checkpoint and strategy, every label with its history, the automatic signals. Never for reviewers.",
  },
  "/studies/[slug]/import": {
    allow: RESEARCH,
    via: "session",
    note: "Upload JSON Lines / CSV into a study (streamed, size limit shown), with progress and the row errors.",
  },
  "/studies/[slug]/settings": {
    allow: RESEARCH,
    via: "session",
    note: "A study's settings (name, description, blind review, overlap, harm categories, signals shown, failure rules) and the log of who changed what.",
  },
  "/studies/[slug]/review": {
    allow: SIGNED_IN,
    via: "session",
    note: "The review workspace: the next prompt of the queue (or ?prompt=ID to revisit one) with its responses side by side as A, B, C… for every role — never checkpoints or strategies — a label form per response, autosaved drafts.",
  },
  "/studies/[slug]/labels": {
    allow: SIGNED_IN,
    via: "session",
    note: "My labels: the prompts the signed-in user has labelled in a study, newest first, each linking back to the workspace to edit. Only one's own labels.",
  },
  "/signin": { allow: "public", via: "session", note: "The sign-in form." },
  "/signout": { allow: "public", via: "session", note: "Sign-out confirmation." },
  "/invite/[token]": {
    allow: "public",
    via: "session",
    note: "Set a password with a one-time invite link; the token is the proof.",
  },
  "/admin/users": {
    allow: ADMIN_ONLY,
    via: "session",
    note: "Users: create with an invite link, change role, disable, sign out everywhere.",
  },
  "/admin/tokens": { allow: ADMIN_ONLY, via: "session", note: "API tokens: create (shown once), revoke, last use." },

  // Route handlers
  "/api/auth/[...nextauth]": {
    allow: "public",
    via: "session",
    note: "next-auth: CSRF token, sign-in callbacks, sign-out, session.",
  },
  "/api/v1/me": { allow: SIGNED_IN, via: "token", note: "The API token's owner: email and role." },
  "/api/v1/studies/[slug]/export": {
    allow: RESEARCH,
    via: "session+token",
    note: "A study's labels or responses as CSV / JSON Lines, streamed, with the analytics filters. Reviewers are pseudonymised unless an admin asks. Never for reviewers.",
  },
  "/api/v1/studies/[slug]/analytics": {
    allow: RESEARCH,
    via: "session+token",
    note: "A study's analytics as flat rows (JSON, or one table as CSV) with the analytics page's filters: rates with intervals per strategy, checkpoint, category and split; agreement; comparisons.",
  },

  "/api/v1/studies/[slug]/responses": {
    allow: RESEARCH,
    via: "session+token",
    note: "Import responses: NDJSON, a JSON array or CSV in the body, through the import pipeline; 201 with the summary or 422 with the row errors. The import page's upload posts here with the cookie.",
  },
  "/api/v1/studies/[slug]/import-preview": {
    allow: RESEARCH,
    via: "session+token",
    note: "The import page's preview: a file's first bytes in the body; its detected format, first rows and what each column is read as under ?set= / ?rename= / ?derive=, and the study's remembered mapping for those columns. Writes nothing.",
  },
  "/api/v1/studies/[slug]/import-mapping": {
    allow: RESEARCH,
    via: "session+token",
    note: "DELETE ?format=&column=…: forget the study's remembered column mapping for that set of columns.",
  },
  "/api/v1/studies/[slug]/imports": {
    allow: RESEARCH,
    via: "session+token",
    note: "A study's recent imports: status, rows and bytes read so far, row errors.",
  },
  "/api/v1/studies/[slug]/generation-runs": {
    allow: RESEARCH,
    via: "session+token",
    note: "A study's generation runs (GET, with progress and each run's first failures) and starting one (POST: checkpoint, endpoint, sampling settings; the API key is stored encrypted and never returned). The study page's \"Collect responses\" form uses it.",
  },
  "/api/v1/studies/[slug]/generation-runs/[id]": {
    allow: RESEARCH,
    via: "session+token",
    note: "Pause, resume or cancel one generation run (POST); answers with its progress.",
  },

  // Server actions
  "action:app/admin/users/actions.ts#createUser": {
    allow: ADMIN_ONLY,
    via: "session",
    note: "Create a user and an invite link.",
  },
  "action:app/admin/users/actions.ts#changeUserRole": {
    allow: ADMIN_ONLY,
    via: "session",
    note: "Change a user's role.",
  },
  "action:app/admin/users/actions.ts#setUserDisabled": {
    allow: ADMIN_ONLY,
    via: "session",
    note: "Disable or re-enable a user.",
  },
  "action:app/admin/users/actions.ts#renewInvite": {
    allow: ADMIN_ONLY,
    via: "session",
    note: "A new invite link (also resets the password).",
  },
  "action:app/admin/users/actions.ts#signOutEverywhere": {
    allow: ADMIN_ONLY,
    via: "session",
    note: "End every session of a user (copied cookies too); API tokens are untouched.",
  },
  "action:app/admin/tokens/actions.ts#createToken": {
    allow: ADMIN_ONLY,
    via: "session",
    note: "Create an API token for a user.",
  },
  "action:app/admin/tokens/actions.ts#revokeToken": { allow: ADMIN_ONLY, via: "session", note: "Revoke an API token." },
  "action:app/studies/[slug]/review/actions.ts#saveDraft": {
    allow: SIGNED_IN,
    via: "session",
    note: "Autosave the signed-in user's draft labels of one prompt (renews their lease).",
  },
  "action:app/studies/[slug]/review/actions.ts#submit": {
    allow: SIGNED_IN,
    via: "session",
    note: "Submit the signed-in user's labels and preference for one prompt in one transaction; a stale version is refused with both versions.",
  },
  "action:app/studies/[slug]/review/actions.ts#skip": {
    allow: SIGNED_IN,
    via: "session",
    note: "Skip a prompt: releases the signed-in user's lease on it.",
  },
  "action:app/studies/[slug]/settings/actions.ts#saveStudySettings": {
    allow: RESEARCH,
    via: "session",
    note: "Save a study's settings; the change is logged with who made it.",
  },
  "action:app/invite/[token]/actions.ts#acceptInvite": {
    allow: "public",
    via: "session",
    note: "Set a password with an invite token.",
  },
} as const satisfies Record<string, AccessRule>;

export type AccessKey = keyof typeof ACCESS_RULES;
type RuleOf<K extends AccessKey> = (typeof ACCESS_RULES)[K];
/** Keys of rules that need a signed-in user. */
export type ProtectedKey = {
  [K in AccessKey]: RuleOf<K>["allow"] extends "public" ? never : RuleOf<K>["via"] extends "session" ? K : never;
}[AccessKey];
/** Keys of rules that let anyone in. */
export type PublicKey = { [K in AccessKey]: RuleOf<K>["allow"] extends "public" ? K : never }[AccessKey];
/** Keys of route handlers that take API tokens only. */
export type TokenKey = { [K in AccessKey]: RuleOf<K>["via"] extends "token" ? K : never }[AccessKey];
/** Keys of route handlers that take an API token or the sign-in cookie. */
export type SessionOrTokenKey = { [K in AccessKey]: RuleOf<K>["via"] extends "session+token" ? K : never }[AccessKey];

export function ruleFor(key: string): AccessRule | undefined {
  return Object.hasOwn(ACCESS_RULES, key) ? (ACCESS_RULES as Record<string, AccessRule>)[key] : undefined;
}

export function isAllowed(rule: AccessRule, role: Role | null): boolean {
  if (rule.allow === "public") return true;
  return role !== null && rule.allow.includes(role);
}

/** A route pattern ("/studies/[slug]", "/api/auth/[...nextauth]") as a regular expression over paths. */
export function patternToRegExp(pattern: string): RegExp {
  if (pattern === "/") return /^\/$/;
  const parts = pattern
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      if (/^\[\[\.\.\..+\]\]$/.test(segment)) return "(?:/[^/]+)*";
      if (/^\[\.\.\..+\]$/.test(segment)) return "(?:/[^/]+)+";
      if (/^\[.+\]$/.test(segment)) return "/[^/]+";
      return "/" + segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    });
  return new RegExp(`^${parts.join("")}/?$`);
}

const routeMatchers = Object.entries(ACCESS_RULES as Record<string, AccessRule>)
  .filter(([key]) => key.startsWith("/"))
  // Static segments win over dynamic ones, as in Next's router: longer literal prefixes first.
  .sort(([a], [b]) => literalWeight(b) - literalWeight(a))
  .map(([key, rule]) => ({ key, rule, regexp: patternToRegExp(key) }));

function literalWeight(pattern: string): number {
  return pattern.split("/").filter((s) => s && !s.startsWith("[")).length * 10 - (pattern.includes("[...") ? 1 : 0);
}

/** The rule of the page or route handler that serves a path; undefined for paths no route serves. */
export function ruleForPath(pathname: string): { key: string; rule: AccessRule } | undefined {
  const match = routeMatchers.find(({ regexp }) => regexp.test(pathname));
  return match ? { key: match.key, rule: match.rule } : undefined;
}
