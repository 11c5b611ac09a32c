// @ts-check
// Mutation testing, one module of lib/ per run: `npm run test:mutation` (lib/testing/mutation.ts)
// runs Stryker once per module with MUTATION_MODULE set, so each module keeps its own committed
// incremental file and report, and its own floor (lib/testing/mutation-floors.ts).
const module = process.env.MUTATION_MODULE ?? "stats";
const withDatabase = process.env.MUTATION_WITH_DATABASE === "1";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: withDatabase ? "vitest.mutation-db.config.ts" : "vitest.mutation.config.ts", related: true },
  // The files of the module, as lib/testing/mutation-floors.ts lists them.
  mutate: (process.env.MUTATION_FILES ?? `lib/${module}/**/*.ts,!lib/**/*.test.ts`).split(","),
  coverageAnalysis: "perTest",
  // A mutant in module-level code (a table of access rules, a list of refusal patterns) cannot be
  // traced to the tests that use it, so Stryker runs every related test for each one, reloading
  // the modules: hundreds of them made one module's run take hours on two cores. They are left out
  // (reported as ignored, not counted); those tables have checks of their own (docs/testing.md).
  ignoreStatic: true,
  // Two cores shared with other work; each worker with a database gets its own (see database-setup.ts).
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  incremental: true,
  incrementalFile: `stryker-incremental/${module}.json`,
  reporters: ["clear-text", "progress", "json"],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  jsonReporter: { fileName: `reports/mutation/${module}.json` },
  tempDirName: ".stryker-tmp",
  // Databases, builds and reports of this checkout are no part of the code under test.
  ignorePatterns: [".parallax", ".next", "reports", "test-results", "playwright-report", "stryker-incremental"],
  // Integration tests wait on PostgreSQL; a busy two-core machine needs room before a timeout.
  timeoutMS: 10000,
};
