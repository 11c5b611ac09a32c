// Access as the product defines it, against the running app: every page, route handler and server
// action (found as the authorization matrix finds them) requested as anonymous, reviewer,
// researcher and admin with the sign-in cookie, and with each role's API token, compared with the
// hand-written table in e2e/access-spec.ts. Unlike e2e/access-matrix.spec.ts, nothing here reads
// lib/auth/access-rules.ts: a wrong rule there fails this test instead of moving its expectation.
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import type { Role } from "../lib/db/generated/enums";
import {
  ACCESS_SPEC,
  OTHER_STUDY,
  SPEC_CALLERS,
  TOKEN_CALLERS,
  type AccessSpecRow,
  type Expected,
  type SpecCaller,
} from "./access-spec";
import { apiTokens, storageStatePath } from "./support/accounts";
import {
  SAMPLE_STUDY as SAMPLE_STUDY_SLUG,
  actionArguments,
  builtActions,
  inStudy,
  inventory,
  sampleRequests,
  type ActionInfo,
} from "./support/entry-points";

const contexts = new Map<SpecCaller, APIRequestContext>();
let tokens: Record<Role, string>;
let origin: string;

test.beforeAll(async ({ baseURL }) => {
  tokens = apiTokens();
  origin = new URL(baseURL!).origin;
  for (const caller of SPEC_CALLERS) {
    contexts.set(
      caller,
      await playwrightRequest.newContext({
        baseURL,
        storageState: caller === "anonymous" ? undefined : storageStatePath(caller.toUpperCase() as Role),
        maxRedirects: 0,
      }),
    );
  }
});
test.afterAll(async () => {
  for (const context of contexts.values()) await context.dispose();
});

function verdict(kind: AccessSpecRow["kind"], method: string, response: APIResponse, want: Expected): string | null {
  const status = response.status();
  const location = response.headers().location ?? "";
  const got = `${status}${location ? ` → ${location}` : ""}`;
  switch (want) {
    case "signin":
      return [302, 303, 307].includes(status) && /^(https?:\/\/[^/]+)?\/signin(\?|$)/.test(location) ? null : got;
    case 401:
    case 403:
    case 404:
      return status === want ? null : got;
    case "ok":
      if (kind === "action") {
        // The action's own reply to its empty arguments (a refusal of the input), not a page or a 401/403.
        return status === 200 && (response.headers()["content-type"] ?? "").includes("text/x-component")
          ? null
          : `${got} ${response.headers()["content-type"]}`;
      }
      if (method === "GET") return status === 200 ? null : got;
      return status !== 401 && status !== 403 ? null : got;
  }
}

async function call(
  kind: AccessSpecRow["kind"],
  context: APIRequestContext,
  method: string,
  pathname: string,
  extraHeaders: Record<string, string>,
  action?: ActionInfo & { key: string; study: string },
): Promise<APIResponse> {
  if (kind === "action") {
    // A browser's call of a server action: a POST to its page naming the action, with arguments
    // that name at most its study (support/entry-points.ts actionArguments).
    return context.post(pathname, {
      headers: {
        "Next-Action": action!.id,
        Accept: "text/x-component",
        "Content-Type": "text/plain;charset=UTF-8",
        Origin: origin,
        ...extraHeaders,
      },
      data: actionArguments(action!.key, action!.study),
    });
  }
  return context.fetch(pathname, {
    method,
    headers: { ...(method === "GET" ? {} : { Origin: origin }), ...extraHeaders },
  });
}

test("the specification lists every page, route handler and server action, and nothing that is gone", () => {
  const found = new Set(inventory.entries.map((e) => e.key));
  const unlisted = inventory.entries.filter((e) => !ACCESS_SPEC[e.key]).map((e) => `${e.kind} ${e.key} (${e.file})`);
  expect(unlisted, "add a row for each to e2e/access-spec.ts, from the product's roles").toEqual([]);
  expect(
    Object.keys(ACCESS_SPEC).filter((key) => !found.has(key)),
    "rows of e2e/access-spec.ts without an entry point",
  ).toEqual([]);
  const actions = [...builtActions().keys()];
  expect(
    actions.filter((key) => !ACCESS_SPEC[key]),
    "server actions of the build without a row",
  ).toEqual([]);
});

test("each caller gets what the specification says", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const actions = builtActions();
  const rows: string[] = [];
  const wrong: string[] = [];
  for (const entry of inventory.entries) {
    const spec = ACCESS_SPEC[entry.key];
    if (!spec) continue; // reported by the test above
    const requests =
      entry.kind === "action"
        ? sampleRequests(actions.get(entry.key)?.pattern ?? "/", ["GET"])
            .slice(0, 1)
            .map(({ path }) => ({ method: "POST", path }))
        : sampleRequests(entry.key, entry.kind === "route" ? (entry.methods ?? ["GET"]) : ["GET"]);
    // Each request in the demo study, whose members the demo accounts are, and for a study's entry
    // points the same request in OTHER_STUDY, of which they are not.
    const studies = [{ study: SAMPLE_STUDY_SLUG, want: (caller: Exclude<SpecCaller, "anonymous">) => spec[caller] }];
    if (spec.other) {
      const other = spec.other;
      studies.push({ study: OTHER_STUDY, want: (caller) => other[caller] });
    }
    for (const { study, want } of studies) {
      for (const { method, path: samplePath } of requests) {
        const pathname = study === SAMPLE_STUDY_SLUG ? samplePath : inStudy(samplePath, study);
        const action = actions.get(entry.key);
        const cells: string[] = [];
        const check = async (
          label: string,
          context: APIRequestContext,
          headers: Record<string, string>,
          expected: Expected,
        ) => {
          const response = await call(
            entry.kind,
            context,
            method,
            pathname,
            headers,
            action ? { ...action, key: entry.key, study } : undefined,
          );
          const problem = verdict(entry.kind, method, response, expected);
          cells.push(`${label} ${response.status()}${problem ? " ✗" : ""}`);
          if (problem)
            wrong.push(
              `${entry.kind} ${entry.key} — ${method} ${pathname} (${study}) as ${label}: got ${problem}, the specification says ${expected}`,
            );
        };
        for (const caller of SPEC_CALLERS)
          await check(caller, contexts.get(caller)!, {}, caller === "anonymous" ? spec.anonymous : want(caller));
        if (entry.kind !== "action") {
          for (const role of TOKEN_CALLERS) {
            // A route that takes no token treats a caller with only a token as anonymous; a token acts
            // with its owner's memberships.
            const expected = !spec.token ? spec.anonymous : study === SAMPLE_STUDY_SLUG ? spec.token[role] : want(role);
            await check(
              `${role}-token`,
              contexts.get("anonymous")!,
              { Authorization: `Bearer ${tokens[role.toUpperCase() as Role]}` },
              expected,
            );
          }
        }
        rows.push(
          `${entry.kind.padEnd(6)} ${`${method} ${entry.kind === "action" ? `${entry.key} (${study})` : pathname}`.padEnd(72)} ${cells.join(" · ")}`,
        );
      }
    }
  }
  await test.info().attach("access-independent.txt", { body: rows.join("\n"), contentType: "text/plain" });
  console.log(`Access against the specification, ${baseURL}:\n${rows.join("\n")}`);
  expect(wrong).toEqual([]);
});
