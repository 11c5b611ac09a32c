// Mutation check of the access rules: rewrites one rule of lib/auth/access-rules.ts at a time (its
// roles, or how its callers prove who they are), runs the given unit tests, and counts the changes
// no test notices. It works on a copy of the project in a temporary folder (node_modules linked),
// so the working tree, and with it the app's build, is never touched. Usage:
//   npx tsx lib/testing/access-mutations.ts [test files…]   (default: lib/auth/access-spec.test.ts)
// A public rule's `via` is not mutated: publicAccess/publicRoute never read it.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ACCESS_RULES, ROLES, type AccessRule } from "../auth/access-rules";

const project = path.resolve(import.meta.dirname, "..", "..");
const root = mkdtempSync(path.join(tmpdir(), "parallax-mutations-"));
for (const entry of [
  "lib",
  "e2e",
  "app",
  "components",
  "prisma",
  "package.json",
  "tsconfig.json",
  "vitest.config.ts",
]) {
  cpSync(path.join(project, entry), path.join(root, entry), { recursive: true });
}
symlinkSync(path.join(project, "node_modules"), path.join(root, "node_modules"));
const file = path.join(root, "lib", "auth", "access-rules.ts");
const original = readFileSync(file, "utf8");
const cleanUp = () => rmSync(root, { recursive: true, force: true });
process.on("SIGINT", () => {
  cleanUp();
  process.exit(130);
});

const allowText = (allow: AccessRule["allow"]) =>
  allow === "public" ? `"public"` : `[${allow.map((r) => `"${r}"`).join(", ")}] as const`;
const allowName = (allow: AccessRule["allow"]) => (allow === "public" ? "public" : allow.join("+"));
const ALLOWS: AccessRule["allow"][] = [
  "public",
  ...[1, 2, 3, 4, 5, 6, 7].map((mask) => ROLES.filter((_, i) => mask & (1 << i))),
];
const same = (a: AccessRule["allow"], b: AccessRule["allow"]) =>
  (a === "public" ? a : [...a].sort().join()) === (b === "public" ? b : [...b].sort().join());

/** The source with one property of one rule replaced. */
function mutate(key: string, property: "allow" | "via", value: string): string {
  const start = original.indexOf(`${JSON.stringify(key)}: {`);
  if (start < 0) throw new Error(`No rule ${key} in ${file}`);
  const pattern = property === "allow" ? /allow: (?:"public"|[A-Z_]+|\[[^\]]*\](?: as const)?)/ : /via: "[a-z+]+"/;
  const rest = original.slice(start);
  const match = pattern.exec(rest);
  if (!match) throw new Error(`No ${property} in the rule ${key}`);
  const at = start + match.index;
  return original.slice(0, at) + `${property}: ${value}` + original.slice(at + match[0].length);
}

const tests = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["lib/auth/access-spec.test.ts"];
const mutations: { name: string; source: string }[] = [];
for (const [key, rule] of Object.entries(ACCESS_RULES as Record<string, AccessRule>)) {
  for (const allow of ALLOWS) {
    if (same(allow, rule.allow)) continue;
    mutations.push({
      name: `${key}: allow ${allowName(rule.allow)} → ${allowName(allow)}`,
      source: mutate(key, "allow", allowText(allow)),
    });
  }
  if (rule.allow === "public") continue;
  for (const via of ["session", "token", "session+token"] as const) {
    if (via !== rule.via)
      mutations.push({ name: `${key}: via ${rule.via} → ${via}`, source: mutate(key, "via", JSON.stringify(via)) });
  }
}

const survivors: string[] = [];
try {
  // The unmutated source must pass, or every mutation would look killed.
  const clean = spawnSync("node_modules/.bin/vitest", ["run", "--project", "unit", ...tests], {
    cwd: root,
    encoding: "utf8",
  });
  if (clean.status !== 0) throw new Error(`The tests fail without any mutation:\n${clean.stdout}`);
  let index = 0;
  for (const mutation of mutations) {
    index++;
    writeFileSync(file, mutation.source);
    const run = spawnSync("node_modules/.bin/vitest", ["run", "--project", "unit", ...tests], {
      cwd: root,
      encoding: "utf8",
    });
    const killed = run.status !== 0;
    if (!killed) survivors.push(mutation.name);
    console.log(
      `${String(index).padStart(3)}/${mutations.length} ${killed ? "killed  " : "SURVIVED"} ${mutation.name}`,
    );
  }
} finally {
  cleanUp();
}
console.log(
  `\n${mutations.length - survivors.length} of ${mutations.length} one-rule changes fail a test (${tests.join(" ")}).`,
);
if (survivors.length > 0) {
  console.log(`Survivors:\n${survivors.map((s) => `  ${s}`).join("\n")}`);
  process.exit(1);
}
