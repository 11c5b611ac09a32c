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
  /**
   * "study": the entry point belongs to one study (its [slug], or the study its input names). Only
   * the study's members and admins get past the guard (lib/study/access.ts); anyone else gets 404,
   * as for a study that does not exist. The roles in `allow` are then checked against the caller's
   * role in that study (lib/study/access.ts roleInStudy), which may be lower than their account's.
   */
  scope?: "study";
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
  "/studies/new": {
    allow: RESEARCH,
    via: "session",
    note: "The New study form: name, slug, description, blind review, overlap, harm categories, failure rules.",
  },
  "/studies/[slug]": {
    allow: SIGNED_IN,
    scope: "study",
    via: "session",
    note: "A study. Admins and researchers see checkpoints and strategies; reviewers see progress only.",
  },
  "/studies/[slug]/analytics": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "A study's failure rates per training strategy, significance and reviewer agreement; filters in the URL. Never for reviewers (blind review).",
  },
  "/studies/[slug]/responses": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Every response of a study in a table: search, filters, sort, keyset pages. Never for reviewers (blind review).",
  },
  "/studies/[slug]/responses/[id]": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "One response: prompt, reasoning and answer as text, checkpoint and strategy, every label with its history, the automatic signals. Never for reviewers.",
  },
  "/studies/[slug]/import": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Upload JSON Lines / CSV into a study (streamed, size limit shown), with progress and the row errors.",
  },
  "/studies/[slug]/settings": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "A study's settings (name, description, blind review, overlap, harm categories, signals shown, failure rules) and the log of who changed what.",
  },
  "/studies/[slug]/checkpoints": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "A study's checkpoints: rename, change strategy / step / compute, delete with responses and labels, merge two.",
  },
  "/studies/[slug]/members": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "A study's members and their role in it (researcher, reviewer); add, change, remove. For the study's researchers and admins.",
  },
  "/studies/[slug]/review": {
    allow: SIGNED_IN,
    scope: "study",
    via: "session",
    note: "The review workspace: the next prompt of the queue (or ?prompt=ID to revisit one) with its responses side by side as A, B, C… for every role — never checkpoints or strategies — a label form per response, autosaved drafts.",
  },
  "/studies/[slug]/labels": {
    allow: SIGNED_IN,
    scope: "study",
    via: "session",
    note: "My labels: the prompts the signed-in user has labelled in a study, newest first, each linking back to the workspace to edit. Only one's own labels.",
  },
  "/studies/[slug]/adjudicate": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "The responses whose reviewers disagree (lib/adjudication/disagreement.ts), filtered and in keyset pages, with counts to adjudicate / adjudicated. Never for reviewers: it shows checkpoints, strategies and other reviewers' labels.",
  },
  "/studies/[slug]/adjudicate/[id]": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "One disagreement: prompt and response as text, each reviewer's label side by side (pseudonyms, e-mail for admins), and the form that sets or clears the final label.",
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
  "/admin/audit": {
    allow: ADMIN_ONLY,
    via: "session",
    note: "The audit log: every change (who, what, which study and target, details, when), newest first in keyset pages, with filters and a CSV download.",
  },

  // Route handlers
  "/api/auth/[...nextauth]": {
    allow: "public",
    via: "session",
    note: "next-auth: CSRF token, sign-in callbacks, sign-out, session.",
  },
  "/api/v1/me": { allow: SIGNED_IN, via: "token", note: "The API token's owner: email and role." },
  "/api/v1/audit": {
    allow: ADMIN_ONLY,
    via: "session+token",
    note: "The audit log with the audit page's filters: a keyset page as JSON, or every matching event as a streamed CSV / JSON Lines file (format=csv|jsonl).",
  },
  "/api/v1/studies": {
    allow: RESEARCH,
    via: "session+token",
    note: "Create a study (POST JSON: slug, name and optional settings); the caller becomes its first researcher; logged.",
  },
  "/api/v1/studies/[slug]": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "Archive or restore a study (PATCH {archived}), delete it and everything in it (DELETE ?confirm=SLUG); logged.",
  },
  "/api/v1/studies/[slug]/checkpoints/[id]": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "A checkpoint: change name, strategy, step, compute (PATCH); delete with its responses and labels (DELETE ?confirm=NAME); merge into another (POST {into}); logged.",
  },
  "/api/v1/studies/[slug]/export": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "A study's labels or responses as CSV / JSON Lines, streamed, with the analytics filters. Reviewers are pseudonymised unless an admin asks. Never for reviewers.",
  },
  "/api/v1/studies/[slug]/analytics": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "A study's analytics as flat rows (JSON, or one table as CSV) with the analytics page's filters: rates with intervals per strategy, checkpoint, category and split; agreement; comparisons.",
  },

  "/api/v1/studies/[slug]/responses": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "Import responses: NDJSON, a JSON array or CSV in the body, through the import pipeline; 201 with the summary or 422 with the row errors. The import page's upload posts here with the cookie.",
  },
  "/api/v1/studies/[slug]/responses/[id]/adjudication": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "Set (PUT, JSON: the label's export columns, note and version) or clear (DELETE ?version=N) a response's final label; 409 when the version is no longer current.",
  },
  "/api/v1/studies/[slug]/members": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "A study's members: list (GET), add or change a role (POST), remove (DELETE ?email=); logged.",
  },
  "/api/v1/studies/[slug]/import-preview": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "The import page's preview: a file's first bytes in the body; its detected format, first rows and what each column is read as under ?set= / ?rename= / ?derive=, and the study's remembered mapping for those columns. Writes nothing.",
  },
  "/api/v1/studies/[slug]/import-mapping": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "DELETE ?format=&column=…: forget the study's remembered column mapping for that set of columns.",
  },
  "/api/v1/studies/[slug]/imports": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "A study's recent imports: status, rows and bytes read so far, row errors.",
  },
  "/api/v1/studies/[slug]/generation-runs": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "A study's generation runs (GET, with progress and each run's first failures) and starting one (POST: checkpoint, endpoint, sampling settings; the API key is stored encrypted and never returned). The study page's \"Collect responses\" form uses it.",
  },
  "/api/v1/studies/[slug]/generation-runs/[id]": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "Pause, resume or cancel one generation run (POST); answers with its progress.",
  },
  "/api/v1/studies/[slug]/judges": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "A study's judges and their runs (GET, never their keys) and running one (POST: name, rubric, endpoint, optional instructions; the API key is stored encrypted and never returned). The study page's \"Judges\" form uses it.",
  },
  "/api/v1/studies/[slug]/judges/runs/[id]": {
    allow: RESEARCH,
    scope: "study",
    via: "session+token",
    note: "Pause, resume or cancel one judge run (POST); answers with its progress.",
  },

  // Server actions
  "action:app/studies/[slug]/adjudicate/[id]/actions.ts#saveFinalLabel": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Set a response's final label (optimistic version, audit event).",
  },
  "action:app/studies/[slug]/adjudicate/[id]/actions.ts#clearFinalLabel": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Clear a response's final label: the reviewers' aggregate counts again.",
  },
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
    scope: "study",
    via: "session",
    note: "Autosave the signed-in user's draft labels of one prompt (renews their lease).",
  },
  "action:app/studies/[slug]/review/actions.ts#submit": {
    allow: SIGNED_IN,
    scope: "study",
    via: "session",
    note: "Submit the signed-in user's labels and preference for one prompt in one transaction; a stale version is refused with both versions.",
  },
  "action:app/studies/[slug]/review/actions.ts#skip": {
    allow: SIGNED_IN,
    scope: "study",
    via: "session",
    note: "Skip a prompt: releases the signed-in user's lease on it.",
  },
  "action:app/studies/[slug]/settings/actions.ts#saveStudySettings": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Save a study's settings; the change is logged with who made it.",
  },
  "action:app/studies/[slug]/members/actions.ts#addStudyMember": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Add a person to a study with a role in it, or change their role; logged.",
  },
  "action:app/studies/[slug]/members/actions.ts#removeStudyMember": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Remove a person from a study (their labels stay); logged.",
  },
  "action:app/studies/new/actions.ts#createNewStudy": {
    allow: RESEARCH,
    via: "session",
    note: "Create a study; its creator becomes its first researcher; logged.",
  },
  "action:app/studies/[slug]/settings/actions.ts#archiveStudy": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Archive a study (hidden from lists and the review queue, kept whole) or restore it; logged.",
  },
  "action:app/studies/[slug]/settings/actions.ts#deleteStudyForever": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Delete a study and everything in it once its slug is typed, in one transaction; logged.",
  },
  "action:app/studies/[slug]/checkpoints/actions.ts#saveCheckpoint": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Change a checkpoint's name, strategy, step or compute; logged.",
  },
  "action:app/studies/[slug]/checkpoints/actions.ts#removeCheckpoint": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Delete a checkpoint with its responses and labels once its name is typed; logged.",
  },
  "action:app/studies/[slug]/checkpoints/actions.ts#mergeCheckpoint": {
    allow: RESEARCH,
    scope: "study",
    via: "session",
    note: "Merge one checkpoint into another of the study; logged.",
  },
  "action:app/invite/[token]/actions.ts#acceptInvite": {
    allow: "public",
    via: "session",
    note: "Set a password with an invite token.",
  },
} as const satisfies Record<string, AccessRule>;

export type AccessKey = keyof typeof ACCESS_RULES;
type RuleOf<K extends AccessKey> = (typeof ACCESS_RULES)[K];
type Scoped<K extends AccessKey> = RuleOf<K> extends { scope: "study" } ? true : false;
/** Keys of rules that need a signed-in user, outside any one study. */
export type ProtectedKey = {
  [K in AccessKey]: RuleOf<K>["allow"] extends "public"
    ? never
    : RuleOf<K>["via"] extends "session"
      ? Scoped<K> extends true
        ? never
        : K
      : never;
}[AccessKey];
/** Keys of pages and server actions of one study (members and admins only). */
export type StudyKey = {
  [K in AccessKey]: RuleOf<K>["via"] extends "session" ? (Scoped<K> extends true ? K : never) : never;
}[AccessKey];
/** Keys of /api/v1 route handlers of one study that take an API token or the sign-in cookie. */
export type StudyApiKey = {
  [K in AccessKey]: RuleOf<K>["via"] extends "session+token" ? (Scoped<K> extends true ? K : never) : never;
}[AccessKey];
/** Keys of rules that let anyone in. */
export type PublicKey = { [K in AccessKey]: RuleOf<K>["allow"] extends "public" ? K : never }[AccessKey];
/** Keys of route handlers that take API tokens only. */
export type TokenKey = { [K in AccessKey]: RuleOf<K>["via"] extends "token" ? K : never }[AccessKey];
/** Keys of route handlers that take an API token or the sign-in cookie, outside any one study. */
export type SessionOrTokenKey = {
  [K in AccessKey]: RuleOf<K>["via"] extends "session+token" ? (Scoped<K> extends true ? never : K) : never;
}[AccessKey];

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
