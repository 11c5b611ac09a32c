// Vitest for mutation runs of modules whose tests need no database (stryker.config.mjs): unit tests only.
import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    // The module's own tests when lib/testing/mutation-floors.ts names them (MUTATION_TESTS).
    include: (process.env.MUTATION_TESTS ?? "lib/**/*.test.ts").split(","),
    exclude: ["**/*.int.test.ts", "**/*.fault.test.ts", "node_modules/**"],
    environment: "node",
    // Mutants run beside each other on two shared cores: a bcrypt hash at cost 12 can take seconds.
    testTimeout: 60_000,
  },
});
