// Three suites: unit tests (pure functions, no database), integration tests (*.int.test.ts)
// against a real PostgreSQL prepared by lib/testing/database-setup.ts, and the fault suite
// (*.fault.test.ts): real app processes (lib/testing/app-server.ts) whose clients, importer or
// database a test kills or cuts off.
import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts?(x)"],
          // The fault suite is its own project (it starts whole apps): not a unit test.
          exclude: ["**/*.int.test.ts", "**/*.fault.test.ts", "node_modules/**"],
          environment: "node",
          // Tests assert behaviour, not speed (that is `npm run bench`): bcrypt at cost 12 or a walk
          // of the import graph takes 0.3 s on a quiet machine and over 5 s (the default limit) on
          // one busy with other work.
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["lib/testing/database-setup.ts"],
          // Files share one database; run them one after another so counts stay meaningful.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "fault",
          include: ["lib/**/*.fault.test.ts"],
          environment: "node",
          // Each file starts its own app (and database): one at a time on a two-core machine.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 420_000,
        },
      },
    ],
  },
});
