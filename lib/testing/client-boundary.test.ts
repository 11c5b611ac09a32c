// No client component's imports reach the database: lib/db, pg, Prisma, or a module that runs SQL.
// A failure names the chain of imports, so the fix (a small universal module for what the client
// needs) is plain. The walker itself is checked on a small project written for the purpose.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clientBoundaryViolations, clientEntryFiles } from "./client-boundary";

const root = path.resolve(import.meta.dirname, "..", "..");

// Parsing every client file with the TypeScript compiler takes a few seconds on a loaded machine.
describe("the browser/server boundary of this project", { timeout: 60_000 }, () => {
  it("finds the client components, the review workspace among them", () => {
    const entries = clientEntryFiles(root).map((f) => path.relative(root, f));
    expect(entries).toContain(path.join("components", "review", "review-workspace.tsx"));
    expect(entries.length).toBeGreaterThan(10);
  });

  it("lets no client component reach lib/db, pg, Prisma or a module that runs SQL", () => {
    const violations = clientBoundaryViolations(root).map((v) => `${v.reason}: ${v.chain.join(" → ")}`);
    expect(violations).toEqual([]);
  });
});

describe("the import walk", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "parallax-boundary-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  write("lib/db/client.ts", "export const pool = () => null;\n");
  write("lib/shared/names.ts", 'export const NAMES = ["a"];\n');
  write("lib/shared/index.ts", 'export * from "./names";\n');
  write("lib/report/query.ts", "export const run = (db: any) => db.query<{ n: number }>('SELECT 1');\n");
  write("lib/report/uses-db.ts", 'import { pool } from "../db/client";\nexport const p = pool;\n');
  write("lib/report/via.ts", 'export { p } from "./uses-db";\n');
  write(
    "app/actions.ts",
    '"use server";\nimport { pool } from "@/lib/db/client";\nexport async function save() { pool(); }\n',
  );
  write(
    "components/ok.tsx",
    '"use client";\nimport { NAMES } from "@/lib/shared";\nimport type { pool } from "@/lib/db/client";\nimport { save } from "@/app/actions";\nexport const x = [NAMES, save];\n',
  );
  write("components/direct.tsx", '"use client";\nimport { pool } from "@/lib/db/client";\nexport const x = pool;\n');
  write("components/transitive.tsx", '"use client";\nimport { p } from "../lib/report/via";\nexport const x = p;\n');
  write(
    "components/driver.tsx",
    '\'use client\';\nimport pg from "pg";\nimport { PrismaClient } from "@prisma/client";\nexport const x = [pg, PrismaClient];\n',
  );
  write("components/sql.tsx", '"use client";\nimport { run } from "@/lib/report/query";\nexport const x = run;\n');
  write("components/server.tsx", 'import { pool } from "@/lib/db/client";\nexport const x = pool;\n');

  const found = () => clientBoundaryViolations(dir).map((v) => ({ chain: v.chain.join(" → "), reason: v.reason }));

  it("reports each way a client file reaches the server, with its import chain", () => {
    expect(found()).toEqual(
      expect.arrayContaining([
        { chain: "components/direct.tsx → lib/db/client.ts", reason: "the database layer (lib/db)" },
        {
          chain: "components/transitive.tsx → lib/report/via.ts → lib/report/uses-db.ts → lib/db/client.ts",
          reason: "the database layer (lib/db)",
        },
        { chain: "components/driver.tsx → pg", reason: "the PostgreSQL driver" },
        { chain: "components/driver.tsx → @prisma/client", reason: "Prisma" },
        { chain: "components/sql.tsx → lib/report/query.ts", reason: "a module that runs SQL" },
      ]),
    );
    expect(found()).toHaveLength(5);
  });

  it('passes type-only imports, server actions and files without "use client"', () => {
    const chains = found().map((v) => v.chain);
    expect(chains.some((c) => c.startsWith("components/ok.tsx"))).toBe(false);
    expect(chains.some((c) => c.startsWith("components/server.tsx"))).toBe(false);
    expect(clientEntryFiles(dir).map((f) => path.relative(dir, f))).not.toContain(
      path.join("components", "server.tsx"),
    );
  });
});
