// The authorization matrix: every page, route handler and server action of the app — found in the
// source (lib/auth/route-inventory.ts) and checked against the build's own list of server actions —
// requested as anonymous, reviewer, researcher and admin, against what ACCESS_RULES says each may
// get. A new entry point without a rule, or one that answers differently than its rule says, fails.
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { ROLES, ruleFor, isAllowed, type AccessRule } from "../lib/auth/access-rules";
import type { EntryPoint } from "../lib/auth/route-inventory";
import type { Role } from "../lib/db/generated/enums";
import { apiTokens, storageStatePath } from "./support/accounts";
import { actionArguments, builtActions, inventory, sampleRequests, type ActionInfo } from "./support/entry-points";

type Caller = Role | "ANONYMOUS";
const CALLERS: Caller[] = ["ANONYMOUS", ...ROLES];

interface Outcome {
  status: number;
  location: string | null;
}

/** What the rule says a caller gets. */
function expected(entry: EntryPoint, rule: AccessRule, caller: Caller, method: string): string {
  const role = caller === "ANONYMOUS" ? null : caller;
  if (rule.allow === "public") return method === "GET" ? "200" : "not 401/403";
  if (role === null) return entry.kind === "page" ? "redirect to /signin" : "401";
  if (!isAllowed(rule, role)) return "403";
  // A route that changes data answers an allowed caller's empty sample request with its own refusal.
  return entry.kind === "route" && method !== "GET" ? "not 401/403" : "200";
}

function matches(outcome: Outcome, expectation: string): boolean {
  if (expectation === "redirect to /signin")
    return (
      [302, 303, 307].includes(outcome.status) && /^(https?:\/\/[^/]+)?\/signin(\?|$)/.test(outcome.location ?? "")
    );
  if (expectation === "not 401/403") return outcome.status !== 401 && outcome.status !== 403;
  return String(outcome.status) === expectation;
}

const contexts = new Map<Caller, APIRequestContext>();
let tokens: Record<Role, string>;
let origin: string;

test.beforeAll(async ({ baseURL }) => {
  tokens = apiTokens();
  origin = new URL(baseURL!).origin;
  for (const caller of CALLERS) {
    contexts.set(
      caller,
      await playwrightRequest.newContext({
        baseURL,
        storageState: caller === "ANONYMOUS" ? undefined : storageStatePath(caller),
        maxRedirects: 0,
      }),
    );
  }
});
test.afterAll(async () => {
  for (const context of contexts.values()) await context.dispose();
});

async function call(
  entry: EntryPoint,
  rule: AccessRule,
  caller: Caller,
  method: string,
  pathname: string,
  action?: ActionInfo,
): Promise<APIResponse> {
  const context = contexts.get(caller)!;
  if (entry.kind === "action") {
    // How a browser calls a server action: a POST to its page naming the action, arguments encoded
    // by React (at most the study it belongs to: the action must refuse or report invalid input, never act).
    return context.post(pathname, {
      headers: {
        "Next-Action": action!.id,
        Accept: "text/x-component",
        "Content-Type": "text/plain;charset=UTF-8",
        Origin: origin,
      },
      data: actionArguments(entry.key),
    });
  }
  // A browser sends its page's Origin with every POST; a cookie-authenticated one needs it.
  const headers: Record<string, string> = method === "GET" ? {} : { Origin: origin };
  // Token routes: each role calls with its own API token (cookies never count there). Routes that
  // take either are called with the cookie here, and with tokens in their own test below.
  if (rule.via === "token" && caller !== "ANONYMOUS") headers.Authorization = `Bearer ${tokens[caller]}`;
  return context.fetch(pathname, { method, headers });
}

test("every page, route handler and server action has a rule", () => {
  expect(inventory.problems).toEqual([]);
  const missing = inventory.entries.filter((entry) => !ruleFor(entry.key)).map((e) => `${e.key} (${e.file})`);
  expect(missing, "entry points without a rule in lib/auth/access-rules.ts").toEqual([]);
});

test("the server actions found in the source are exactly those of the build", () => {
  const inSource = inventory.entries
    .filter((e) => e.kind === "action")
    .map((e) => e.key)
    .sort();
  expect([...builtActions().keys()].sort()).toEqual(inSource);
});

test("each caller gets what the rules say", async ({ baseURL }) => {
  const actions = builtActions();
  const rows: string[] = [];
  const wrong: string[] = [];
  for (const entry of inventory.entries) {
    const rule = ruleFor(entry.key);
    if (!rule) continue; // reported by the first test
    const requests =
      entry.kind === "action"
        ? sampleRequests(actions.get(entry.key)?.pattern ?? "/", ["GET"])
            .slice(0, 1)
            .map(({ path }) => ({ method: "POST", path }))
        : sampleRequests(entry.key, entry.kind === "route" ? (entry.methods ?? ["GET"]) : ["GET"]);
    for (const { method, path: pathname } of requests) {
      const cells: string[] = [];
      for (const caller of CALLERS) {
        const response = await call(entry, rule, caller, method, pathname, actions.get(entry.key));
        const outcome = { status: response.status(), location: response.headers().location ?? null };
        const want = expected(entry, rule, caller, method);
        const ok = matches(outcome, want);
        cells.push(`${caller.toLowerCase()} ${outcome.status}${ok ? "" : ` ✗ (expected ${want})`}`);
        if (!ok)
          wrong.push(
            `${entry.kind} ${entry.key} — ${method} ${pathname} as ${caller}: got ${outcome.status} ${outcome.location ?? ""}, expected ${want}`,
          );
        if (entry.kind === "action" && ok && outcome.status === 200) {
          // An allowed caller got the action's own answer (a refusal of the empty input), not a page.
          expect(response.headers()["content-type"], `${entry.key} as ${caller}`).toContain("text/x-component");
        }
      }
      rows.push(
        `${entry.kind.padEnd(6)} ${`${method} ${entry.kind === "action" ? entry.key : pathname}`.padEnd(64)} ${cells.join(" · ")}`,
      );
    }
  }
  await test.info().attach("access-matrix.txt", { body: rows.join("\n"), contentType: "text/plain" });
  console.log(`Authorization matrix against ${baseURL}:\n${rows.join("\n")}`);
  expect(wrong).toEqual([]);
});

test("token routes ignore the sign-in cookie", async () => {
  for (const entry of inventory.entries.filter((e) => ruleFor(e.key)?.via === "token")) {
    for (const { method, path: pathname } of sampleRequests(entry.key, entry.methods ?? ["GET"])) {
      const response = await contexts.get("ADMIN")!.fetch(pathname, { method });
      expect(response.status(), `${pathname} with an admin's cookie but no token`).toBe(401);
      expect(response.headers()["www-authenticate"]).toContain("Bearer");
    }
  }
});

test("session+token routes take each role's API token as they take its cookie", async () => {
  const anonymous = contexts.get("ANONYMOUS")!;
  const entries = inventory.entries.filter((e) => ruleFor(e.key)?.via === "session+token");
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) {
    const rule = ruleFor(entry.key)!;
    for (const { method, path: pathname } of sampleRequests(entry.key, entry.methods ?? ["GET"])) {
      for (const role of ROLES) {
        const response = await anonymous.fetch(pathname, {
          method,
          headers: { Authorization: `Bearer ${tokens[role]}` },
        });
        const outcome = { status: response.status(), location: response.headers().location ?? null };
        expect(
          matches(outcome, expected(entry, rule, role, method)),
          `${method} ${pathname} with ${role}'s token: ${outcome.status}`,
        ).toBe(true);
      }
      const forged = await anonymous.fetch(pathname, {
        method,
        headers: { Authorization: "Bearer plx_not-a-real-token" },
      });
      expect(forged.status(), `${method} ${pathname} with a made-up token`).toBe(401);
    }
  }
});

test("session+token routes that change data refuse the cookie from another site", async () => {
  for (const entry of inventory.entries.filter((e) => ruleFor(e.key)?.via === "session+token")) {
    for (const { method, path: pathname } of sampleRequests(entry.key, entry.methods ?? ["GET"]).filter(
      (s) => s.method !== "GET",
    )) {
      const response = await contexts
        .get("ADMIN")!
        .fetch(pathname, { method, headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" } });
      expect(response.status(), `${method} ${pathname} with an admin's cookie from another site`).toBe(403);
    }
  }
});
