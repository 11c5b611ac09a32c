// Every page, route handler and server action has exactly one rule in ACCESS_RULES, and opens with
// the guard for that rule; every rule still names an entry point. (The authorization matrix in
// e2e/ then checks what each role actually gets.)
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACCESS_RULES, ruleFor } from "./access-rules";
import { actionSource, guardCallsIn, listEntryPoints, routePattern } from "./route-inventory";

const root = path.resolve(import.meta.dirname, "..", "..");
const { entries, problems } = listEntryPoints(root);

describe("the entry points of the app", () => {
  it("are found: pages, route handlers and server actions", () => {
    const kinds = new Set(entries.map((e) => e.kind));
    expect(kinds).toEqual(new Set(["page", "route", "action"]));
    expect(entries.map((e) => e.key)).toEqual(
      expect.arrayContaining(["/", "/studies/[slug]", "/api/v1/me", "action:app/admin/users/actions.ts#createUser"]),
    );
  });

  it("hold no inline server actions the inventory could miss", () => {
    expect(problems).toEqual([]);
  });

  it("each have a rule", () => {
    const missing = entries.filter((entry) => !ruleFor(entry.key)).map((e) => `${e.key} (${e.file})`);
    expect(missing, "add a rule to lib/auth/access-rules.ts for each of these").toEqual([]);
  });

  it("leave no rule without an entry point", () => {
    const keys = new Set(entries.map((e) => e.key));
    const stale = Object.keys(ACCESS_RULES).filter((key) => !keys.has(key));
    expect(stale, "these rules name nothing in app/; remove them").toEqual([]);
  });

  it("each call the guard with their own key", () => {
    const wrong: string[] = [];
    for (const entry of entries) {
      const source = readFileSync(path.join(root, entry.file), "utf8");
      const scope = entry.kind === "action" ? actionSource(source, entry.key.split("#")[1]!) : source;
      const calls = guardCallsIn(scope);
      if (!calls.includes(entry.key))
        wrong.push(`${entry.file}: expected a guard call with "${entry.key}", found ${JSON.stringify(calls)}`);
      const foreign = calls.filter((key) => key !== entry.key);
      if (foreign.length > 0)
        wrong.push(`${entry.file}: guard calls for other entry points ${JSON.stringify(foreign)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("take API tokens only under /api/v1, and session rules elsewhere", () => {
    for (const entry of entries) {
      const rule = ruleFor(entry.key)!;
      if (rule.via !== "session") expect(entry.key.startsWith("/api/v1/"), entry.key).toBe(true);
      if (entry.key.startsWith("/api/v1/")) expect(["token", "session+token"], entry.key).toContain(rule.via);
      // A page or server action proves itself with the cookie only; both proofs are for route handlers.
      if (rule.via === "session+token") expect(entry.kind, entry.key).toBe("route");
    }
  });
});

describe("routePattern", () => {
  it("drops route groups and parallel-route slots, keeps dynamic segments", () => {
    expect(routePattern([])).toBe("/");
    expect(routePattern(["(admin)", "users", "@modal", "[id]"])).toBe("/users/[id]");
  });
});

describe("actionSource", () => {
  it("cuts one export out of an actions file", () => {
    const source = `"use server";\nexport async function a() {\n  guard("a");\n}\n\nexport async function b() {\n  guard("b");\n}\n`;
    expect(actionSource(source, "a")).toContain('guard("a")');
    expect(actionSource(source, "a")).not.toContain('guard("b")');
    expect(actionSource(source, "b")).toContain('guard("b")');
  });
});
