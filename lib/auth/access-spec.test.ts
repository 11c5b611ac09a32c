// The hand-written access specification (e2e/access-spec.ts) against the guard's decisions
// (ACCESS_RULES read through ruleFor/isAllowed, as lib/auth/guard.ts reads them), without starting
// a server. The browser test e2e/access-independent.spec.ts holds the same table against the
// running app; this one runs in a second and also proves that every one-rule change of the table
// would be caught.
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ACCESS_SPEC,
  SPEC_CALLERS,
  TOKEN_CALLERS,
  type AccessSpecRow,
  type Expected,
  type SpecCaller,
} from "../../e2e/access-spec";
import type { Role } from "../db/generated/enums";
import { ACCESS_RULES, isAllowed, ROLES, type AccessRule } from "./access-rules";
import { listEntryPoints } from "./route-inventory";

const root = path.resolve(import.meta.dirname, "..", "..");
const { entries } = listEntryPoints(root);

const roleOf = (caller: SpecCaller): Role | null => (caller === "anonymous" ? null : (caller.toUpperCase() as Role));

/**
 * What the guard answers a caller of an entry point with this rule (lib/auth/guard.ts):
 * requireAccess (pages: sign-in redirect; actions: 401), publicAccess / publicRoute (anyone),
 * apiRoute (token only: a cookie is no proof, 401), sessionOrTokenRoute (cookie or token).
 */
function guardAnswer(
  kind: AccessSpecRow["kind"],
  rule: AccessRule,
  caller: SpecCaller,
  credential: "cookie" | "token",
  study: "member" | "other" = "member",
): Expected | "takes no token" {
  const role = roleOf(caller);
  // requireStudyAccess / studyApiRoute: a study one is not a member of (admins: every study) is not
  // there, before any role is looked at. The demo accounts are members of the demo study only.
  const hidden = rule.scope === "study" && study === "other" && role !== "ADMIN";
  if (credential === "token") {
    if (rule.allow === "public" || rule.via === "session") return "takes no token";
    if (hidden) return 404;
    return isAllowed(rule, role) ? "ok" : 403;
  }
  if (rule.allow === "public") return "ok";
  if (rule.via === "token") return 401;
  if (role === null) return kind === "page" ? "signin" : 401;
  if (hidden) return 404;
  return isAllowed(rule, role) ? "ok" : 403;
}

/** Every cell where the table of rules and the hand-written specification disagree. */
function disagreements(rules: Record<string, AccessRule>): string[] {
  const found: string[] = [];
  for (const [key, spec] of Object.entries(ACCESS_SPEC)) {
    const rule = rules[key];
    if (!rule) {
      found.push(`${key}: in the specification, no rule in ACCESS_RULES`);
      continue;
    }
    for (const caller of SPEC_CALLERS) {
      const answer = guardAnswer(spec.kind, rule, caller, "cookie");
      if (answer !== spec[caller])
        found.push(`${key} as ${caller}: the rule gives ${answer}, the specification says ${spec[caller]}`);
    }
    for (const caller of TOKEN_CALLERS) {
      const answer = guardAnswer(spec.kind, rule, caller, "token");
      const want = spec.token?.[caller] ?? "takes no token";
      if (answer !== want)
        found.push(`${key} with ${caller}'s API token: the rule gives ${answer}, the specification says ${want}`);
    }
  }
  for (const [key, spec] of Object.entries(ACCESS_SPEC)) {
    const rule = rules[key];
    if (!rule) continue;
    if ((rule.scope === "study") !== Boolean(spec.other))
      found.push(
        `${key}: ${rule.scope === "study" ? "a study's entry point in ACCESS_RULES, no answers for another study in the specification" : "answers for another study in the specification, not a study's entry point in ACCESS_RULES"}`,
      );
    if (!spec.other) continue;
    for (const caller of TOKEN_CALLERS) {
      // A 404 for the admin is the entry point's own answer (the sample names something of the
      // demo study, which the other study does not have): the guard let them in.
      const want = caller === "admin" && spec.other.admin === 404 ? "ok" : spec.other[caller];
      const cookie = guardAnswer(spec.kind, rule, caller, "cookie", "other");
      if (cookie !== want)
        found.push(`${key} in another study as ${caller}: the rule gives ${cookie}, the specification says ${want}`);
      if (spec.token) {
        const token = guardAnswer(spec.kind, rule, caller, "token", "other");
        if (token !== want)
          found.push(
            `${key} in another study with ${caller}'s API token: the rule gives ${token}, the specification says ${want}`,
          );
      }
    }
  }
  for (const key of Object.keys(rules))
    if (!ACCESS_SPEC[key]) found.push(`${key}: a rule in ACCESS_RULES that the specification does not list`);
  return found;
}

const ALLOW_VALUES: AccessRule["allow"][] = [
  "public",
  ...[1, 2, 3, 4, 5, 6, 7].map((mask) => ROLES.filter((_, i) => mask & (1 << i))),
];
const VIAS: AccessRule["via"][] = ["session", "token", "session+token"];
const sameAllow = (a: AccessRule["allow"], b: AccessRule["allow"]) =>
  a === "public" || b === "public" ? a === b : a.length === b.length && a.every((role) => b.includes(role));

/** Every table that differs from ACCESS_RULES in one rule: its roles, or how its callers prove who they are. */
function oneRuleMutations(): { name: string; rules: Record<string, AccessRule> }[] {
  const base = ACCESS_RULES as Record<string, AccessRule>;
  const mutations: { name: string; rules: Record<string, AccessRule> }[] = [];
  for (const [key, rule] of Object.entries(base)) {
    for (const allow of ALLOW_VALUES) {
      if (sameAllow(allow, rule.allow)) continue;
      mutations.push({
        name: `${key}: allow ${rule.allow === "public" ? "public" : rule.allow.join("+")} → ${allow === "public" ? "public" : allow.join("+")}`,
        rules: { ...base, [key]: { ...rule, allow } },
      });
    }
    // A study's entry point without the membership check (or one outside a study with it).
    const { scope: _scope, ...unscoped } = rule;
    mutations.push({
      name: `${key}: scope ${rule.scope ?? "none"} → ${rule.scope ? "none" : "study"}`,
      rules: { ...base, [key]: rule.scope ? unscoped : { ...rule, scope: "study" } },
    });
    // A public rule's `via` decides nothing (publicAccess and publicRoute let anyone in): changing it
    // changes no answer, so it is not a mutation a test could catch.
    if (rule.allow === "public") continue;
    for (const via of VIAS) {
      if (via !== rule.via)
        mutations.push({ name: `${key}: via ${rule.via} → ${via}`, rules: { ...base, [key]: { ...rule, via } } });
    }
  }
  return mutations;
}

describe("the hand-written access specification", () => {
  it("lists every page, route handler and server action of the app, and nothing else", () => {
    const found = entries.map((e) => e.key).sort();
    expect(Object.keys(ACCESS_SPEC).sort(), "add a row to e2e/access-spec.ts for each new entry point").toEqual([
      ...new Set(found),
    ]);
    for (const entry of entries) expect(ACCESS_SPEC[entry.key]?.kind, entry.key).toBe(entry.kind);
  });

  it("agrees with every decision of the guard", () => {
    expect(disagreements(ACCESS_RULES as Record<string, AccessRule>)).toEqual([]);
  });

  const mutations = oneRuleMutations();
  it(`catches every one-rule change of ACCESS_RULES (${mutations.length} changes)`, () => {
    expect(mutations.length).toBeGreaterThan(Object.keys(ACCESS_RULES).length * 7);
    const survivors = mutations.filter((m) => disagreements(m.rules).length === 0).map((m) => m.name);
    expect(survivors).toEqual([]);
  });

  it("answers 404 to non-members for everything of another study, and lets admins in", () => {
    const studyRows = Object.entries(ACCESS_SPEC).filter(([key]) => key.includes("/studies/[slug]"));
    expect(studyRows.length).toBeGreaterThan(10);
    for (const [key, row] of studyRows) {
      expect(row.other, key).toBeDefined();
      expect([row.other!.reviewer, row.other!.researcher], key).toEqual([404, 404]);
    }
  });

  it("gives reviewers nothing that shows checkpoints or strategies, and only admins users and tokens", () => {
    for (const key of [
      "/studies/[slug]/analytics",
      "/studies/[slug]/responses",
      "/studies/[slug]/responses/[id]",
      "/api/v1/studies/[slug]/export",
    ]) {
      expect(ACCESS_SPEC[key]!.reviewer, key).toBe(403);
    }
    for (const [key, row] of Object.entries(ACCESS_SPEC).filter(([k]) => k.includes("/admin/"))) {
      expect([row.reviewer, row.researcher, row.admin], key).toEqual([403, 403, "ok"]);
    }
  });
});
