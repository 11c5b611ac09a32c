// Whether the production build (.next) is older than the sources it is made from, and making it: the
// launcher builds before it starts Next, and `npm test` builds once before the suites that start the
// app, so that no test's time limit includes a build (minutes on a busy two-core machine).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../db/schema-engine";

export const nextBin = path.join(projectRoot, "node_modules", ".bin", "next");

/** Newest modification time under the folders the build is made from. */
function newestSource(): number {
  let newest = 0;
  const visit = (target: string) => {
    if (!existsSync(target)) return;
    const info = statSync(target);
    if (info.isDirectory()) {
      for (const entry of readdirSync(target)) {
        if (entry === "node_modules" || entry.startsWith(".")) continue;
        visit(path.join(target, entry));
      }
    } else if (!/\.test\.tsx?$/.test(target)) {
      newest = Math.max(newest, info.mtimeMs);
    }
  };
  for (const entry of [
    "app",
    "components",
    "lib",
    "public",
    "proxy.ts",
    "next.config.js",
    "postcss.config.mjs",
    "package-lock.json",
    "tsconfig.json",
  ]) {
    visit(path.join(projectRoot, entry));
  }
  return newest;
}

export function buildIsCurrent(): boolean {
  const buildId = path.join(projectRoot, ".next", "BUILD_ID");
  return existsSync(buildId) && statSync(buildId).mtimeMs >= newestSource();
}

/** Runs a command in the project with the given environment, its output passed through; resolves to its exit code. */
export function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
