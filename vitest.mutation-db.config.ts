// Vitest for mutation runs of modules whose tests need PostgreSQL: unit and integration tests in
// one project. Every Stryker worker is its own Vitest instance, so database-setup.ts gives each
// worker its own scratch database on TEST_DATABASE_URL's server (lib/testing/mutation.ts starts
// one embedded server when none is given: two workers must not both start one in one directory).
import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    // The module's own tests when lib/testing/mutation-floors.ts names them (MUTATION_TESTS).
    include: (process.env.MUTATION_TESTS ?? "lib/**/*.test.ts").split(","),
    exclude: ["**/*.fault.test.ts", "node_modules/**"],
    environment: "node",
    globalSetup: ["lib/testing/database-setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
