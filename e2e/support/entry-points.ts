// How the browser tests find and call every entry point of the app: the entry points in the source
// (lib/auth/route-inventory.ts), the server actions of the build (Next's own manifest), and a
// concrete request for each. Shared by the authorization matrix (e2e/access-matrix.spec.ts, whose
// expectations come from ACCESS_RULES) and the independent specification
// (e2e/access-independent.spec.ts, whose expectations are written by hand): only discovery here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { listEntryPoints, routePattern } from "../../lib/auth/route-inventory";

const root = path.resolve(import.meta.dirname, "..", "..");
export const inventory = listEntryPoints(root);

/**
 * Concrete requests for routes with dynamic segments (a new one needs an entry here); other routes
 * are requested at their own path with each method their file exports.
 */
export const SAMPLE_REQUESTS: Record<string, { method: string; path: string }[]> = {
  // Static routes listed here are requested with these queries instead of their bare path.
  "/admin/audit": [{ method: "GET", path: "/admin/audit?action=study&from=2020-01-01" }],
  // The streamed CSV: an admin gets the file (200), anyone else is refused before it starts.
  "/api/v1/audit": [{ method: "GET", path: "/api/v1/audit?format=csv&action=study.member" }],
  "/studies/[slug]": [{ method: "GET", path: "/studies/r1-safety-demo" }],
  "/studies/[slug]/analytics": [{ method: "GET", path: "/studies/r1-safety-demo/analytics" }],
  "/studies/[slug]/settings": [{ method: "GET", path: "/studies/r1-safety-demo/settings" }],
  "/studies/[slug]/members": [{ method: "GET", path: "/studies/r1-safety-demo/members" }],
  "/studies/[slug]/checkpoints": [{ method: "GET", path: "/studies/r1-safety-demo/checkpoints" }],
  // Empty or bodiless: allowed callers get the route's own refusal of the input (400, 422), never 401/403.
  // Bodiless PATCH (400) and DELETE without the typed slug (422): never acted on.
  "/api/v1/studies/[slug]": [
    { method: "PATCH", path: "/api/v1/studies/r1-safety-demo" },
    { method: "DELETE", path: "/api/v1/studies/r1-safety-demo" },
  ],
  // Bodiless (400) or without the typed name (404/422 for a checkpoint 1 that is another study's): never acted on.
  "/api/v1/studies/[slug]/checkpoints/[id]": [
    { method: "PATCH", path: "/api/v1/studies/r1-safety-demo/checkpoints/1" },
    { method: "DELETE", path: "/api/v1/studies/r1-safety-demo/checkpoints/1" },
    { method: "POST", path: "/api/v1/studies/r1-safety-demo/checkpoints/1" },
  ],
  "/api/v1/studies/[slug]/members": [
    { method: "GET", path: "/api/v1/studies/r1-safety-demo/members" },
    { method: "POST", path: "/api/v1/studies/r1-safety-demo/members" },
    { method: "DELETE", path: "/api/v1/studies/r1-safety-demo/members" },
  ],
  "/api/v1/studies/[slug]/analytics": [{ method: "GET", path: "/api/v1/studies/r1-safety-demo/analytics?strategy=RL" }],
  "/api/v1/studies/[slug]/export": [
    { method: "GET", path: "/api/v1/studies/r1-safety-demo/export?shape=responses&strategy=SFT" },
  ],
  "/studies/[slug]/responses": [{ method: "GET", path: "/studies/r1-safety-demo/responses?strategy=RL&q=the" }],
  "/studies/[slug]/responses/[id]": [{ method: "GET", path: "/studies/r1-safety-demo/responses/1" }],
  "/studies/[slug]/import": [{ method: "GET", path: "/studies/r1-safety-demo/import" }],
  // An empty body: allowed callers get the pipeline's answer (415, no format), never 401/403.
  "/api/v1/studies/[slug]/responses": [{ method: "POST", path: "/api/v1/studies/r1-safety-demo/responses" }],
  "/api/v1/studies/[slug]/imports": [{ method: "GET", path: "/api/v1/studies/r1-safety-demo/imports" }],
  "/studies/[slug]/adjudicate": [{ method: "GET", path: "/studies/r1-safety-demo/adjudicate?dimension=refusal" }],
  "/studies/[slug]/adjudicate/[id]": [{ method: "GET", path: "/studies/r1-safety-demo/adjudicate/1" }],
  // Without a body / version: allowed callers get 400 (never 401/403), and nothing changes.
  "/api/v1/studies/[slug]/responses/[id]/adjudication": [
    { method: "PUT", path: "/api/v1/studies/r1-safety-demo/responses/1/adjudication" },
    { method: "DELETE", path: "/api/v1/studies/r1-safety-demo/responses/1/adjudication" },
  ],
  // An empty body: allowed callers get the preview's answer (415, no format), never 401/403.
  "/api/v1/studies/[slug]/import-preview": [{ method: "POST", path: "/api/v1/studies/r1-safety-demo/import-preview" }],
  // No mapping named: allowed callers get 400, never 401/403; nothing is forgotten.
  "/api/v1/studies/[slug]/import-mapping": [
    { method: "DELETE", path: "/api/v1/studies/r1-safety-demo/import-mapping" },
  ],
  // POSTs with an empty body: allowed callers get 400 (no settings / no action), never 401/403.
  "/api/v1/studies/[slug]/generation-runs": [
    { method: "GET", path: "/api/v1/studies/r1-safety-demo/generation-runs" },
    { method: "POST", path: "/api/v1/studies/r1-safety-demo/generation-runs" },
  ],
  "/api/v1/studies/[slug]/generation-runs/[id]": [
    { method: "POST", path: "/api/v1/studies/r1-safety-demo/generation-runs/1" },
  ],
  "/api/v1/studies/[slug]/judges": [
    { method: "GET", path: "/api/v1/studies/r1-safety-demo/judges" },
    { method: "POST", path: "/api/v1/studies/r1-safety-demo/judges" },
  ],
  "/api/v1/studies/[slug]/judges/runs/[id]": [{ method: "POST", path: "/api/v1/studies/r1-safety-demo/judges/runs/1" }],
  "/studies/[slug]/review": [{ method: "GET", path: "/studies/r1-safety-demo/review" }],
  "/studies/[slug]/labels": [{ method: "GET", path: "/studies/r1-safety-demo/labels" }],
  "/invite/[token]": [{ method: "GET", path: "/invite/not-a-real-invite-token-0000000000000000000000" }],
  "/api/auth/[...nextauth]": [
    { method: "GET", path: "/api/auth/csrf" },
    { method: "GET", path: "/api/auth/session" },
    { method: "GET", path: "/api/auth/providers" },
    // Without next-auth's CSRF token: refused by next-auth itself, whoever calls.
    { method: "POST", path: "/api/auth/callback/credentials" },
  ],
};

/** The requests that exercise an entry point: a page's GET, each method of a route handler, an action's POST to its page. */
export function sampleRequests(pattern: string, methods: string[]): { method: string; path: string }[] {
  const samples = SAMPLE_REQUESTS[pattern];
  if (!pattern.includes("[") && !samples) return methods.map((method) => ({ method, path: pattern }));
  if (!samples)
    throw new Error(
      `No sample request for the dynamic route ${pattern}: add one to SAMPLE_REQUESTS in e2e/support/entry-points.ts.`,
    );
  const missing = methods.filter((method) => !samples.some((sample) => sample.method === method));
  if (missing.length > 0) throw new Error(`No sample ${missing.join("/")} request for ${pattern} in SAMPLE_REQUESTS.`);
  return samples.filter((sample) => methods.includes(sample.method));
}

/** The study every sample request above is made in. */
export const SAMPLE_STUDY = "r1-safety-demo";

/** The same sample request in another study (same path, that study's slug). */
export function inStudy(pathname: string, slug: string): string {
  return pathname.replace(new RegExp(`(/studies/)${SAMPLE_STUDY}(?=/|\\?|$)`), `$1${slug}`);
}

/**
 * The arguments a sample call of a server action sends, as React encodes them: none for most (the
 * action must refuse or report invalid input, never act); a study's actions name their study, since
 * the guard looks at it first (a study one may not see is 404 before the input is read), and get
 * nothing else, which they refuse as invalid input.
 */
export function actionArguments(key: string, slug = SAMPLE_STUDY): string {
  if (!key.startsWith("action:app/studies/[slug]/")) return "[]";
  // Form actions take (previous state, form fields); the others one object with the slug.
  if (/\/(settings|members|checkpoints)\/actions\.ts#/.test(key)) return JSON.stringify([null, { study: slug }]);
  return JSON.stringify([{ slug }]);
}

export interface ActionInfo {
  id: string;
  /** The page the action is served from. */
  pattern: string;
}

/** The server actions of the build (id, file, export, page), from Next's own manifest. */
export function builtActions(): Map<string, ActionInfo> {
  const manifest = JSON.parse(
    readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  const actions = new Map<string, ActionInfo>();
  for (const [id, info] of Object.entries(manifest.node)) {
    const worker = Object.keys(info.workers).find((w) => w.startsWith("app/") && w.endsWith("/page"));
    const pattern = worker ? routePattern(worker.split("/").slice(1, -1)) : "/";
    actions.set(`action:${info.filename}#${info.exportedName}`, { id, pattern });
  }
  return actions;
}
