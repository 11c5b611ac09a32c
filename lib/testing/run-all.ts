// `npm test`: every suite — unit and integration (Vitest), browser (Playwright in Chromium) — one
// after another, whatever fails, then one summary. With TEST_DATABASE_URL the suites use that
// PostgreSQL server (a fresh database each); without it, embedded PostgreSQL.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../db/schema-engine";
import { buildIsCurrent, nextBin, runToEnd } from "../cli/build-freshness";
import { createScratchDatabase } from "./database-setup";
import { firstLine, vitestFailureLine } from "./failure-lines";

const resultsDir = path.join(projectRoot, ".parallax", "test-results");
const bin = (name: string) => path.join(projectRoot, "node_modules", ".bin", name);

interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  exitCode: number;
  /** "file › test name: first line of the error" of every failed test, for the summary. */
  failures: string[];
}

const run = runToEnd;

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

async function vitest(name: string, projects: string[]): Promise<SuiteResult> {
  const output = path.join(resultsDir, `vitest-${projects.join("-")}.json`);
  const projectArgs = projects.flatMap((project) => ["--project", project]);
  const exitCode = await run(
    bin("vitest"),
    ["run", ...projectArgs, "--reporter=default", "--reporter=json", `--outputFile.json=${output}`],
    process.env,
  );
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults?: {
      name: string;
      message?: string;
      assertionResults?: { status: string; fullName: string; failureMessages?: string[]; duration?: number }[];
    }[];
  }>(output);
  const failures = (report?.testResults ?? []).flatMap((file) => {
    const where = path.relative(projectRoot, file.name);
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === "failed");
    if (failedTests.length === 0 && file.message) return [`${where}: ${firstLine(file.message)}`];
    return failedTests.map(
      (test) => `${where} › ${test.fullName}: ${vitestFailureLine(test.failureMessages?.[0], test.duration)}`,
    );
  });
  return {
    name,
    passed: report?.numPassedTests ?? 0,
    failed: report ? report.numFailedTests : 1,
    skipped: (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0),
    exitCode,
    failures,
  };
}

function chromiumAvailable(): boolean {
  return (
    Boolean(process.env.CHROMIUM_PATH) ||
    existsSync("/usr/bin/chromium") ||
    existsSync(path.join(process.env.HOME ?? "", ".cache", "ms-playwright"))
  );
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  suites?: PlaywrightSuite[];
  specs?: {
    title: string;
    file: string;
    line: number;
    ok: boolean;
    tests: { status: string; results: { error?: { message?: string } }[] }[];
  }[];
}

function playwrightFailures(suite: PlaywrightSuite, titles: string[]): string[] {
  const inner = suite.file && titles.length === 0 ? [] : [...titles, suite.title];
  const own = (suite.specs ?? [])
    .filter((spec) => spec.tests.some((test) => test.status === "unexpected"))
    .map((spec) => {
      const error = spec.tests.flatMap((test) => test.results).find((result) => result.error)?.error?.message;
      return `${spec.file}:${spec.line} › ${[...inner, spec.title].join(" › ")}: ${firstLine(error)}`;
    });
  return [...own, ...(suite.suites ?? []).flatMap((child) => playwrightFailures(child, inner))];
}

async function playwright(): Promise<SuiteResult> {
  const name = "browser (playwright)";
  if (!chromiumAvailable()) {
    console.error(
      "\nNo Chromium for the browser tests. Install one: `apt-get install chromium` (Debian/Ubuntu) or `npx playwright install chromium`, or set CHROMIUM_PATH.",
    );
    return { name, passed: 0, failed: 1, skipped: 0, exitCode: 1, failures: ["no Chromium"] };
  }
  const output = path.join(resultsDir, "playwright.json");
  const env: NodeJS.ProcessEnv = { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: output };
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  if (process.env.TEST_DATABASE_URL) {
    scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL, "parallax_e2e");
    env.E2E_DATABASE_URL = scratch.url;
  } else {
    // A fresh embedded database for every run, so the demo study loads from scratch.
    rmSync(path.join(projectRoot, ".parallax", "e2e-db"), { recursive: true, force: true });
  }
  try {
    const exitCode = await run(bin("playwright"), ["test", "--reporter=list,json"], env);
    const report = readJson<{
      stats: { expected: number; unexpected: number; flaky: number; skipped: number };
      suites?: PlaywrightSuite[];
    }>(output);
    return {
      name,
      passed: report ? report.stats.expected + report.stats.flaky : 0,
      failed: report ? report.stats.unexpected : 1,
      skipped: report?.stats.skipped ?? 0,
      exitCode,
      failures: (report?.suites ?? []).flatMap((suite) => playwrightFailures(suite, [])),
    };
  } finally {
    await scratch?.drop();
  }
}

async function main() {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const where = process.env.TEST_DATABASE_URL ? "the PostgreSQL server of TEST_DATABASE_URL" : "embedded PostgreSQL";
  console.log(`Running every test suite against ${where}.\n`);
  const results = [await vitest("unit + integration (vitest)", ["unit", "integration"])];
  // The fault and browser suites start the production app: build it once here, outside every test's
  // time limit (a build takes minutes on a busy machine), as the launcher would.
  if (!buildIsCurrent()) {
    console.log("\nBuilding the web app for the suites that start it…");
    const code = await run(nextBin, ["build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
    if (code !== 0)
      results.push({
        name: "next build",
        passed: 0,
        failed: 1,
        skipped: 0,
        exitCode: code,
        failures: ["next build failed"],
      });
  }
  // Real app processes whose clients, importer or database are killed: after the others, alone.
  results.push(await vitest("fault (vitest)", ["fault"]));
  results.push(await playwright());

  console.log("\n── Summary ─────────────────────────────");
  for (const r of results) {
    const status = r.failed === 0 && r.exitCode === 0 ? "ok  " : "FAIL";
    console.log(
      `${status} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}`,
    );
    // The failed tests by name, so that the last lines of a long log say what to look at.
    for (const failure of r.failures) console.log(`       ✗ ${failure.slice(0, 300)}`);
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  const ok = results.every((r) => r.exitCode === 0) && failed === 0 && passed > 0;
  console.log(`${passed} passed, ${ok ? failed : Math.max(failed, 1)} failed`);
  process.exit(ok ? 0 : 1);
}

void main();
