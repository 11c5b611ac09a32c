// The browser/server boundary, made visible: from every file marked "use client", the modules the
// browser bundle will contain (value imports, followed through the project's files), and which of
// them are server-only — the database layer (lib/db), the PostgreSQL driver (pg), Prisma, or any
// module that runs SQL. Type-only imports are erased and do not count; a "use server" module is
// replaced by references to its actions, so the walk stops there.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".mjs"];
const SKIP_DIRS = new Set(["node_modules", ".next", ".parallax", "generated", "e2e", "public", "prisma"]);

/** A query sent through a pg client or pool (`db.query(`, `.query<Row>(`), or SQL composed with lib/db/sql's tag. */
const RUNS_SQL = /\.query(?:<[^>()]*>)?\(|\bsql`/;

/** Why a module may not reach the browser, or null. */
export function serverOnlyReason(root: string, file: string | null, specifier: string): string | null {
  if (file === null) {
    if (specifier === "pg" || specifier.startsWith("pg-") || specifier.startsWith("pg/"))
      return "the PostgreSQL driver";
    if (specifier.startsWith("@prisma/")) return "Prisma";
    if (specifier === "server-only") return "a server-only module";
    return null;
  }
  const rel = path.relative(root, file).split(path.sep).join("/");
  if (rel.startsWith("lib/db/")) return "the database layer (lib/db)";
  if (RUNS_SQL.test(readFileSync(file, "utf8"))) return "a module that runs SQL";
  return null;
}

/** A module's text: a "use client"/"use server" directive and its value imports (type-only ones left out). */
export function readModule(file: string): { directive: string | null; imports: string[] } {
  const cached = moduleCache.get(file);
  if (cached !== undefined) return cached;
  const module = parseModule(file);
  moduleCache.set(file, module);
  return module;
}
const moduleCache = new Map<string, { directive: string | null; imports: string[] }>();

function parseModule(file: string): { directive: string | null; imports: string[] } {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  let directive: string | null = null;
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    if (statement.expression.text === "use client" || statement.expression.text === "use server")
      directive = statement.expression.text;
  }
  const imports: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) imports.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) imports.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      imports.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node)) {
      return; // import("…").Type in a type position
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { directive, imports };
}

/** The project file an import names, or null for a package. */
export function resolveImport(root: string, from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null;
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return c;
  throw new Error(`${path.relative(root, from)}: cannot resolve "${specifier}"`);
}

export function clientEntryFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (SKIP_DIRS.has(entry) || entry.startsWith(".")) continue;
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (
        /\.(tsx?|mts)$/.test(entry) &&
        !/\.test\.tsx?$/.test(entry) &&
        readModule(full).directive === "use client"
      )
        found.push(full);
    }
  };
  for (const dir of ["app", "components", "lib"]) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return found.sort();
}

export interface BoundaryViolation {
  /** The client file, the chain of imports, and what it reaches (all relative to the root). */
  chain: string[];
  reason: string;
}

/** Every server-only module reachable from a client file, with the shortest import chain that reaches it. */
export function clientBoundaryViolations(root: string, entries = clientEntryFiles(root)): BoundaryViolation[] {
  const rel = (f: string) => path.relative(root, f).split(path.sep).join("/");
  const violations: BoundaryViolation[] = [];
  const reported = new Set<string>();
  for (const entry of entries) {
    const seen = new Map<string, string[]>([[entry, [rel(entry)]]]);
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.shift()!;
      const chain = seen.get(file)!;
      for (const specifier of readModule(file).imports) {
        const target = resolveImport(root, file, specifier);
        // A "use server" module reaches the browser as references to its actions, not as code.
        if (target !== null && readModule(target).directive === "use server") continue;
        const reason = serverOnlyReason(root, target, specifier);
        if (reason !== null) {
          const key = `${rel(entry)} ${target ? rel(target) : specifier}`;
          if (!reported.has(key)) {
            reported.add(key);
            violations.push({ chain: [...chain, target ? rel(target) : specifier], reason });
          }
          continue;
        }
        if (target !== null && !seen.has(target)) {
          seen.set(target, [...chain, rel(target)]);
          queue.push(target);
        }
      }
    }
  }
  return violations;
}
