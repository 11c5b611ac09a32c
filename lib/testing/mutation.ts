// `npm run test:mutation [-- module…]`: Stryker over each module of lib/ named in
// mutation-floors.ts (all of them by default), one run per module with its own committed
// incremental file (stryker-incremental/<module>.json: only code or tests changed since it was
// written are mutated again), then one line per module against its floor; exit 1 when one misses.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../db/embedded";
import { projectRoot } from "../db/schema-engine";
import { formatScore, MUTATION_MODULES, mutateGlobs, type MutationReport, scoreModules } from "./mutation-floors";

const reportFile = (module: string) => path.join(projectRoot, "reports", "mutation", `${module}.json`);

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(names: string[]) {
  const unknown = names.filter((n) => !MUTATION_MODULES.some((m) => m.name === n));
  if (unknown.length > 0) {
    console.error(`Unknown module ${unknown.join(", ")}; known: ${MUTATION_MODULES.map((m) => m.name).join(", ")}`);
    process.exit(2);
  }
  const modules =
    names.length === 0
      ? MUTATION_MODULES.filter((m) => !m.pending)
      : MUTATION_MODULES.filter((m) => names.includes(m.name));
  let server: EmbeddedPostgres | undefined;
  let databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl && modules.some((m) => m.database)) {
    // One server for every Stryker worker; each worker makes its own database on it.
    server = await startEmbeddedPostgres({
      dataDir: path.join(projectRoot, ".parallax", "mutation-db"),
      settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
    });
    databaseUrl = server.url;
  }
  const failedRuns: string[] = [];
  try {
    for (const m of modules) {
      console.log(`\n── Mutation testing lib/${m.name} ──`);
      const env = {
        ...process.env,
        MUTATION_MODULE: m.name,
        MUTATION_WITH_DATABASE: m.database ? "1" : "0",
        MUTATION_FILES: mutateGlobs(m).join(","),
        MUTATION_TESTS: (m.tests ?? ["lib/**/*.test.ts"]).join(","),
        ...(databaseUrl ? { TEST_DATABASE_URL: databaseUrl } : {}),
      };
      // A report left by an earlier run must not stand in for this one.
      rmSync(reportFile(m.name), { force: true });
      const code = await run(path.join(projectRoot, "node_modules", ".bin", "stryker"), ["run"], env);
      if (code !== 0) failedRuns.push(m.name);
    }
  } finally {
    await server?.stop();
  }
  const reports: MutationReport[] = [];
  for (const m of modules) {
    const file = reportFile(m.name);
    if (existsSync(file) && !failedRuns.includes(m.name)) reports.push(JSON.parse(readFileSync(file, "utf8")));
  }
  console.log("\n── Mutation score per module ──");
  const scores = scoreModules(reports, modules);
  for (const s of scores) console.log(formatScore(s));
  for (const name of failedRuns) console.log(`FAIL lib/${name}: Stryker did not finish (see its output above)`);
  if (names.length === 0) {
    for (const m of MUTATION_MODULES.filter((m) => m.pending)) console.log(`SKIP lib/${m.name}: ${m.pending}`);
  }
  process.exit(failedRuns.length === 0 && scores.every((s) => s.pass) ? 0 : 1);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
