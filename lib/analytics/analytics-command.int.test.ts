// `npm run parallax -- analytics` as a script runs it on the demo study: the JSON's flat rows are the
// page's numbers (studyAnalytics) under the same filters, CSV gives one table, bad options exit 2.
import { runParallax } from "../testing/run-cli";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { analyticsRows, MEASURE_NAMES, TABLE_COLUMNS, type AnalyticsRows } from "./analytics-rows";
import { openDemoStudy } from "./demo-study.fixture";
import { studyAnalytics } from "./study-analytics";

let pool: pg.Pool;
let studyId: number;

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
});
afterAll(async () => {
  await pool.end();
});

const parallax = (args: string[]) => runParallax(args, inject("databaseUrl"));

describe("npm run parallax -- analytics", () => {
  it("prints the page's numbers as flat rows under the page's filters (JSON)", async () => {
    const out = await parallax(["analytics", "--study", "r1-safety-demo", "--format", "json", "--split", "jailbreak"]);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as AnalyticsRows & { study: { slug: string } };
    expect(json.study.slug).toBe("r1-safety-demo");
    const expected = analyticsRows(await studyAnalytics(studyId, { splits: ["jailbreak"] }, pool));
    expect(json.results).toEqual(expected.results);
    expect(json.agreement).toEqual(expected.agreement);
    expect(json.comparisons).toEqual(expected.comparisons);

    // Every checkpoint has a row per measure, with its strategy and an interval around its rate.
    const checkpoints = (
      await pool.query<{ name: string; strategy: string }>(
        "SELECT name, strategy::text FROM checkpoint WHERE study_id = $1",
        [studyId],
      )
    ).rows;
    for (const c of checkpoints) {
      for (const measure of Object.values(MEASURE_NAMES)) {
        const row = json.results.find((r) => r.group === "checkpoint" && r.key === c.name && r.measure === measure);
        expect(row, `${c.name} ${measure}`).toMatchObject({ strategy: c.strategy });
        if (row!.n > 0) expect(row!.ci_low!).toBeLessThanOrEqual(row!.rate!);
      }
    }
    // Only the split asked for: every split row is "jailbreak".
    expect(json.results.filter((r) => r.group === "split").every((r) => r.key === "jailbreak")).toBe(true);
    expect(json.comparisons.some((r) => r.group === "checkpoint" && r.test === "exact McNemar")).toBe(true);
    expect(json.comparisons.some((r) => r.group === "strategy" && r.test === "cluster-robust z-test")).toBe(true);
  });

  it("writes one table as CSV with its documented columns", async () => {
    const out = await parallax(["analytics", "--study", "r1-safety-demo", "--format", "csv", "--table", "agreement"]);
    expect(out.code).toBe(0);
    const [header, ...lines] = out.stdout.trimEnd().split("\r\n");
    expect(header).toBe(TABLE_COLUMNS.agreement.join(","));
    expect(lines.some((l) => l.startsWith("harm_severity,all,,,"))).toBe(true);
    expect(lines.some((l) => l.startsWith("harm_severity,checkpoint,r1-zero-rl,,"))).toBe(true);
  });

  it("names a bad option and exits 2, and an unknown study too", async () => {
    const bad = await parallax(["analytics", "--study", "r1-safety-demo", "--strategy", "ppo", "--format", "xml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('format must be "json" or "csv"');
    expect(bad.stderr).toContain("strategy must be one of SFT, RL, HYBRID, BASE");
    expect(bad.stdout).toBe("");
    const unknown = await parallax(["analytics", "--study", "no-such-study"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no study "no-such-study".');
  });
});
