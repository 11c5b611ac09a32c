// Every page, route handler and server action has exactly one rule in ACCESS_RULES, and opens with
// the guard for that rule; every rule still names an entry point. (The authorization matrix in
// e2e/ then checks what each role actually gets.)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
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
    // Only a whole segment in parentheses is a group.
    expect(routePattern(["a(b)", "(c)d"])).toBe("/a(b)/(c)d");
  });
});

describe("actionSource", () => {
  it("cuts one export out of an actions file", () => {
    const source = `"use server";\nexport async function a() {\n  guard("a");\n}\n\nexport async function b() {\n  guard("b");\n}\n`;
    expect(actionSource(source, "a")).toContain('guard("a")');
    expect(actionSource(source, "a")).not.toContain('guard("b")');
    expect(actionSource(source, "b")).toContain('guard("b")');
    expect(actionSource(source, "a")).toBe('export async function a() {\n  guard("a");\n}\n');
    expect(actionSource(source, "b")).toBe('export async function b() {\n  guard("b");\n}\n');
    expect(actionSource(source, "missing")).toBe("");
    expect(actionSource('export const c = async () => guard("c");\n', "missing")).toBe("");
    // An export at the very start of the text.
    expect(actionSource('export const c = async () => guard("c");\n', "c")).toBe(
      'export const c = async () => guard("c");\n',
    );
  });
});

describe("listEntryPoints on a small app", () => {
  const files: Record<string, string> = {
    "app/page.tsx": "export default function Home() {}",
    "app/(marketing)/about/page.tsx": "export default function About() {}",
    "app/_parts/page.tsx": "export default function NotARoute() {}",
    "app/.hidden/page.tsx": "export default function Hidden() {}",
    "app/node_modules/x/page.tsx": "export default function Vendored() {}",
    "app/api/items/route.ts": [
      "export async function GET() {}",
      "export const POST = async () => {};",
      "const handler = async () => {};",
      "const helper = 1;",
      "export { handler as PUT, helper };",
      // Spaced and packed as a formatter might leave them.
      "export  async  function  PATCH() {}",
      "export{DELETE}",
      "export { other as  OPTIONS };",
    ].join("\n"),
    // Every extension Next takes for a page or a route handler, and names that only look like one.
    "app/reports/page.ts": "export default function Reports() {}",
    "app/legacy/page.js": "export default function Legacy() {}",
    "app/docs/page.md": "# Docs",
    "app/blog/homepage.tsx": "export default function NotARoute() {}",
    "app/blog/page.tsx.orig": "export default function Backup() {}",
    "app/api/legacy/route.js": "export function GET() {}",
    "app/api/items/subroute.ts": "export function GET() {}",
    "app/api/items/route.ts.orig": "export function POST() {}",
    // A component file named page outside app/ is no page.
    "lib/widgets/page.tsx": "export default function Widget() {}",
    "app/icon.tsx": "export default function Icon() {}",
    "app/sitemap.ts": "export default function sitemap() {}",
    "app/robots.js": "export default function robots() {}",
    "app/favicon.ico": "binary",
    "app/blog/opengraph-image2.jsx": "export default function Image() {}",
    "app/blog/notes.md": "not a route",
    "app/admin/actions.ts": [
      "/* Admin actions,",
      "   for admins only. */",
      "// Each checks the role first.",
      "",
      "'use server';",
      "export async function one() {}",
      "export const two = async () => {};",
      "async function three() {}",
      "async function four() {}",
      "type Shape = {};",
      "export { three, four as  five, type Shape, };",
      "export  async  function  six() {}",
      "export  const  seven  =  async () => {};",
      "export{eight}",
      "export  default async function () {}",
    ].join("\n"),
    // Not source code, or generated: never read for actions.
    "lib/notes.md": ['"use server";', "export async function fromNotes() {}"].join("\n"),
    "lib/db/generated/actions.ts": ['"use server";', "export async function fromGenerated() {}"].join("\n"),
    "components/inline.tsx": [
      "export function Form() {",
      "  async function save() {",
      '    "use server";',
      "  }",
      "}",
    ].join("\n"),
    "lib/twice/actions.ts": ['"use server";', "export async function a() {", '  "use server";', "}"].join("\n"),
    "lib/plain.ts": "export const text = 'the words use server in a string';",
  };
  let root: string;
  let inventory: ReturnType<typeof listEntryPoints>;

  it("finds pages, route handlers with their methods, metadata routes and server actions, sorted", () => {
    root = mkdtempSync(path.join(os.tmpdir(), "inventory-"));
    try {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), text);
      }
      inventory = listEntryPoints(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    expect(inventory.entries).toEqual([
      { kind: "action", key: "action:app/admin/actions.ts#default", file: "app/admin/actions.ts" },
      { kind: "action", key: "action:app/admin/actions.ts#eight", file: "app/admin/actions.ts" },
      { kind: "action", key: "action:app/admin/actions.ts#five", file: "app/admin/actions.ts" },
      { kind: "action", key: "action:app/admin/actions.ts#one", file: "app/admin/actions.ts" },
      { kind: "action", key: "action:app/admin/actions.ts#seven", file: "app/admin/actions.ts" },
      { kind: "action", key: "action:app/admin/actions.ts#six", file: "app/admin/actions.ts" },
      { kind: "action", key: "action:app/admin/actions.ts#three", file: "app/admin/actions.ts" },
      { kind: "action", key: "action:app/admin/actions.ts#two", file: "app/admin/actions.ts" },
      { kind: "action", key: "action:lib/twice/actions.ts#a", file: "lib/twice/actions.ts" },
      { kind: "page", key: "/", file: "app/page.tsx" },
      { kind: "page", key: "/about", file: "app/(marketing)/about/page.tsx" },
      { kind: "page", key: "/docs", file: "app/docs/page.md" },
      { kind: "page", key: "/legacy", file: "app/legacy/page.js" },
      { kind: "page", key: "/reports", file: "app/reports/page.ts" },
      {
        kind: "route",
        key: "/api/items",
        file: "app/api/items/route.ts",
        methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      },
      { kind: "route", key: "/api/legacy", file: "app/api/legacy/route.js", methods: ["GET"] },
      { kind: "route", key: "/blog/opengraph-image2", file: "app/blog/opengraph-image2.jsx", methods: ["GET"] },
      { kind: "route", key: "/favicon.ico", file: "app/favicon.ico", methods: ["GET"] },
      { kind: "route", key: "/icon", file: "app/icon.tsx", methods: ["GET"] },
      { kind: "route", key: "/robots", file: "app/robots.js", methods: ["GET"] },
      { kind: "route", key: "/sitemap", file: "app/sitemap.ts", methods: ["GET"] },
    ]);
    expect(inventory.problems).toEqual([
      'components/inline.tsx: "use server" inside the file (an inline server action); move it into an actions file that starts with "use server".',
      'lib/twice/actions.ts: a "use server" besides the file\'s first line; keep server actions as exports of actions files.',
    ]);
  });
});
