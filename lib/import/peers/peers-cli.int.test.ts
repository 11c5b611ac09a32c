// The command line as a user runs it on a peer's export: the format recognised from the content,
// the summary with what was skipped, the search documents written after it, the exit codes, and the
// options checked before anything is read.
import { runParallax } from "../../testing/run-cli";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../../db/client";

const examples = path.join(import.meta.dirname, "examples");
const run36 = Date.now().toString(36);
let pool: pg.Pool;
beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 2);
});
afterAll(async () => {
  await pool.end();
});

const parallax = (args: string[]) => runParallax(args, inject("databaseUrl"));

describe("npm run parallax -- import, on peers' exports", () => {
  it("recognises a Label Studio export without --format, imports it and says what it did not import", async () => {
    const slug = `cli-ls-${run36}`;
    const out = await parallax([
      "import",
      path.join(examples, "label-studio-pairwise.json"),
      "--study",
      slug,
      "--create",
      "From Label Studio",
      "--map",
      `reviewer:label-studio-user-1=cli-ann-${run36}@lab.example`,
      "--map",
      `reviewer:bo.chen@lab.example=cli-bo-${run36}@lab.example`,
    ]);
    expect(out.stderr).not.toMatch(/Rejected/);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/inserted\s+6\n/);
    expect(out.stdout).toMatch(/labels\s+8 inserted, 0 already present/);
    expect(out.stdout).toMatch(/from Label Studio 3 tasks: 6 responses, 8 labels/);
    expect(out.stdout).toMatch(
      /not imported\s+1 cancelled annotation\(s\), 1 model suggestion\(s\)\/prediction\(s\)\n/,
    );
    expect(out.stdout).toMatch(/preferences\s+4 inserted, 0 completed, 0 already present\n/);
    // The new responses are searchable right away, as after an upload.
    expect(out.stdout).toMatch(/search\s+6 documents written in [\d.]+ s: the new responses are searchable\n/);
    const { rows } = await pool.query(
      `SELECT (SELECT count(*)::int FROM response_search rs WHERE rs.study_id = s.id) AS documents,
              s.search_indexed_through = (SELECT max(id) FROM response r WHERE r.study_id = s.id) AS covered
       FROM study s WHERE s.slug = $1`,
      [slug],
    );
    expect(rows).toEqual([{ documents: 6, covered: true }]);
  });

  it("leaves the search documents to the browse page with --no-search", async () => {
    const slug = `cli-ns-${run36}`;
    const out = await parallax([
      "import",
      path.join(examples, "argilla-records.jsonl"),
      "--study",
      slug,
      "--create",
      "No search",
      "--no-search",
      "--no-signals",
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).not.toMatch(/search/);
    const { rows } = await pool.query(
      "SELECT (SELECT count(*)::int FROM response_search rs WHERE rs.study_id = s.id) AS documents, s.search_indexed_through AS through FROM study s WHERE s.slug = $1",
      [slug],
    );
    expect(rows).toEqual([{ documents: 0, through: 0 }]);
  });

  it("refuses a bad option (exit 2), and rejects an Argilla export that does not match --checkpoints (exit 1, the record named)", async () => {
    const out = await parallax([
      "import",
      path.join(examples, "argilla-records.jsonl"),
      "--study",
      `cli-ar-${run36}`,
      "--create",
      "X",
      "--question",
      "note=ignore",
      "--question",
      "refusal=politeness",
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--question "refusal=politeness": write it as NAME=FIELD/);

    const rejected = await parallax([
      "import",
      path.join(examples, "argilla-records.jsonl"),
      "--study",
      `cli-ar-${run36}`,
      "--create",
      "X",
      "--format",
      "argilla",
      "--checkpoints",
      "a,b",
    ]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/Rejected argilla-records\.jsonl: 3 problem\(s\) found; nothing was imported/);
    expect(rejected.stderr).toMatch(
      /line 1: record ar-001: has 1 response\(s\) \(response\) but --checkpoints names 2/,
    );
  });
});
