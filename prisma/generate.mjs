// Runs `prisma generate` without network: Prisma 7's CLI first tries to download a native
// schema engine; pointing it at a stub that exits 1 lets `generate` (which does not need it) run.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const stub = path.join(here, "schema-engine-offline.sh");
const result = spawnSync(
  process.execPath,
  [path.join(here, "..", "node_modules", "prisma", "build", "index.js"), "generate"],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: stub,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  },
);
process.exit(result.status ?? 1);
