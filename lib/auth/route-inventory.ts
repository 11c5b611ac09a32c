// Every entry point of the app found in the source: pages (app/**/page.tsx), route handlers
// (app/**/route.ts, with their HTTP methods), metadata routes, and server actions (the exports of
// files that start with "use server"). The authorization matrix and route-inventory.test.ts hold
// this list against ACCESS_RULES, so a new entry point without a rule fails the tests.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export type EntryKind = "page" | "route" | "action";

export interface EntryPoint {
  kind: EntryKind;
  /** The ACCESS_RULES key: a route pattern, or "action:<file>#<export>". */
  key: string;
  /** Path from the project root, with forward slashes. */
  file: string;
  /** Route handlers: the HTTP methods the file exports. */
  methods?: string[];
}

export interface Inventory {
  entries: EntryPoint[];
  /** Things the inventory cannot vouch for, e.g. a "use server" inside a function body. */
  problems: string[];
}

const SOURCE = /\.(tsx?|jsx?|mjs)$/;
/** The directive as a statement of its own line (not the words in a comment or a string). */
const DIRECTIVE = /^\s*["']use server["'];?\s*$/gm;
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
// Files in app/ that answer requests by themselves (https://nextjs.org/docs/app/api-reference/file-conventions/metadata).
const METADATA_ROUTE =
  /^(icon|apple-icon|opengraph-image|twitter-image|sitemap|robots|manifest)\d*\.(tsx?|jsx?|png|jpe?g|gif|svg|ico|txt|xml|json|webmanifest)$|^favicon\.ico$/;

function walk(dir: string, visit: (file: string) => void) {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, visit);
    else visit(full);
  }
}

/** app/admin/(tools)/users/@modal/page.tsx → /admin/users: groups and slots are not in the URL. */
export function routePattern(segments: string[]): string {
  const kept = segments.filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith("@"));
  return "/" + kept.join("/");
}

/** The names `export { a, b as c, type T }` lists give out: "a", "c", "type T". */
function exportListNames(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    // split() gives at least one part, so at(-1) is always there.
    for (const part of match[1]!.split(","))
      names.push(
        part
          .trim()
          .split(/\s+as\s+/)
          .at(-1)!,
      );
  }
  return names.filter((name) => name !== "");
}

function exportedMethods(source: string): string[] {
  const found = new Set(exportListNames(source));
  for (const match of source.matchAll(/export\s+(?:async\s+)?(?:function|const|let|var)\s+([A-Z]+)\b/g))
    found.add(match[1]!);
  return HTTP_METHODS.filter((method) => found.has(method));
}

/** A "use server" directive as the file's first statement (after comments). */
function isServerActionFile(source: string): boolean {
  const code = source.replace(/^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/, "");
  return /^["']use server["']/.test(code);
}

function serverActionExports(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/export\s+async\s+function\s+(\w+)/g)) names.add(match[1]!);
  for (const match of source.matchAll(/export\s+const\s+(\w+)\s*=\s*async\b/g)) names.add(match[1]!);
  for (const name of exportListNames(source)) if (!name.startsWith("type ")) names.add(name);
  if (/export\s+default\b/.test(source)) names.add("default");
  return [...names];
}

export function listEntryPoints(projectRoot: string): Inventory {
  const entries: EntryPoint[] = [];
  const problems: string[] = [];
  const relative = (file: string) => path.relative(projectRoot, file).split(path.sep).join("/");

  walk(path.join(projectRoot, "app"), (file) => {
    const rel = relative(file);
    const segments = rel.split("/").slice(1, -1);
    if (segments.some((segment) => segment.startsWith("_"))) return; // private folders are not routes
    const name = path.basename(file);
    if (/^page\.(tsx?|jsx?|mdx?)$/.test(name)) entries.push({ kind: "page", key: routePattern(segments), file: rel });
    else if (/^route\.(tsx?|jsx?)$/.test(name)) {
      entries.push({
        kind: "route",
        key: routePattern(segments),
        file: rel,
        methods: exportedMethods(readFileSync(file, "utf8")),
      });
    } else if (METADATA_ROUTE.test(name)) {
      entries.push({
        kind: "route",
        key: routePattern([...segments, name.replace(/\.(tsx?|jsx?)$/, "")]),
        file: rel,
        methods: ["GET"],
      });
    }
  });

  for (const folder of ["app", "components", "lib"]) {
    walk(path.join(projectRoot, folder), (file) => {
      if (!SOURCE.test(file) || file.includes(`${path.sep}generated${path.sep}`)) return;
      const source = readFileSync(file, "utf8");
      if (!source.includes("use server")) return;
      const rel = relative(file);
      const directives = (source.match(DIRECTIVE) ?? []).length;
      if (isServerActionFile(source)) {
        for (const name of serverActionExports(source))
          entries.push({ kind: "action", key: `action:${rel}#${name}`, file: rel });
        // A second directive inside the file would be an inline action the export list misses.
        if (directives > 1)
          problems.push(
            `${rel}: a "use server" besides the file's first line; keep server actions as exports of actions files.`,
          );
      } else if (directives > 0) {
        problems.push(
          `${rel}: "use server" inside the file (an inline server action); move it into an actions file that starts with "use server".`,
        );
      }
    });
  }
  entries.sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
  return { entries, problems };
}

/** The call that must open every entry point: requireAccess/publicAccess (pages, actions), apiRoute/sessionOrTokenRoute/publicRoute (route handlers). */
export function guardCallsIn(source: string): string[] {
  return [
    ...source.matchAll(
      /\b(requireAccess|requireStudyAccess|publicAccess|apiRoute|sessionOrTokenRoute|studyApiRoute|publicRoute)\(\s*["'`]([^"'`]+)["'`]/g,
    ),
  ].map((m) => m[2]!);
}

/** The body of one exported server action: from its export to the next top-level export. */
export function actionSource(source: string, name: string): string {
  const start = source.search(new RegExp(`export\\s+(?:async\\s+function|const)\\s+${name}\\b`));
  if (start < 0) return "";
  const rest = source.slice(start + 1);
  const next = rest.search(/\nexport\s/);
  return next < 0 ? source.slice(start) : source.slice(start, start + 1 + next);
}
