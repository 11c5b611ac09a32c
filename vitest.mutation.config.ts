import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["lib/**/*.test.ts"],
    exclude: ["**/*.int.test.ts", "**/*.fault.test.ts", "node_modules/**"],
    environment: "node",
  },
});
