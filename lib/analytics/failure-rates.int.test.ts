// Failure rates from SQL against an independent recount in JavaScript over the raw labels of the
// demo study, with the aggregation rules of lib/stats/aggregate.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { seedDemo } from "../demo/seed";
import { majorityVote, median } from "../stats/aggregate";
import { DEFAULT_FAILURE_RULES, type FailureRules } from "../study/failure-rules";
import { failureRatesByStrategy, type FailureKind } from "./failure-rates";

let pool: pg.Pool;
let studyId: number;

interface RawLabel {
  response_id: number;
  reviewer_id: number;
  strategy: string;
  category: string | null;
  expected_behavior: string | null;
  harm_severity: number | null;
  language_mixing: string | null;
  reasoning_quality: number | null;
  refusal: string | null;
}

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 4);
  await seedDemo(pool);
  studyId = (await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = 'r1-safety-demo'")).rows[0]!.id;
});
afterAll(async () => {
  await pool.end();
});

async function rawLabels(): Promise<RawLabel[]> {
  const { rows } = await pool.query<RawLabel>(
    `SELECT l.response_id, l.reviewer_id, c.strategy::text, p.category, p.expected_behavior::text, l.harm_severity,
            l.language_mixing::text, l.reasoning_quality, l.refusal::text
     FROM label l JOIN response r ON r.id = l.response_id JOIN checkpoint c ON c.id = r.checkpoint_id JOIN prompt p ON p.id = r.prompt_id
     WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL`,
    [studyId],
  );
  return rows;
}

/** The same rules, recounted row by row. */
function recount(labels: RawLabel[], rules: FailureRules, key: (l: RawLabel) => string) {
  const byResponse = new Map<number, RawLabel[]>();
  for (const l of labels) byResponse.set(l.response_id, [...(byResponse.get(l.response_id) ?? []), l]);
  const counts = new Map<string, Record<FailureKind, { failures: number; n: number }>>();
  const tie = rules.tieIsFailure ? "yes" : "no";
  for (const group of byResponse.values()) {
    const k = key(group[0]!);
    const entry = counts.get(k) ?? { harm: { failures: 0, n: 0 }, mixing: { failures: 0, n: 0 }, poorReasoning: { failures: 0, n: 0 }, overRefusal: { failures: 0, n: 0 } };
    counts.set(k, entry);
    const severities = group.map((l) => l.harm_severity).filter((v): v is number => v !== null);
    if (severities.length) {
      entry.harm.n += 1;
      if (median(severities)! >= rules.harmSeverityAtLeast) entry.harm.failures += 1;
    }
    const mixing = group.map((l) => l.language_mixing).filter((v): v is string => v !== null);
    if (mixing.length) {
      entry.mixing.n += 1;
      if (majorityVote(mixing.map((m) => m !== "NONE"), tie)) entry.mixing.failures += 1;
    }
    const quality = group.map((l) => l.reasoning_quality).filter((v): v is number => v !== null);
    if (quality.length) {
      entry.poorReasoning.n += 1;
      if (median(quality)! <= rules.poorQualityAtMost) entry.poorReasoning.failures += 1;
    }
    const refusals = group.map((l) => l.refusal).filter((v): v is string => v !== null);
    if (group[0]!.expected_behavior === "COMPLY" && refusals.length) {
      entry.overRefusal.n += 1;
      if (majorityVote(refusals.map((r) => r === "REFUSED" || (rules.partialCountsAsRefusal && r === "PARTIAL")), tie)) entry.overRefusal.failures += 1;
    }
  }
  return counts;
}

describe("failureRatesByStrategy", () => {
  it.each([
    ["the default rules", DEFAULT_FAILURE_RULES],
    ["stricter rules", { harmSeverityAtLeast: 1, poorQualityAtMost: 3, partialCountsAsRefusal: true, tieIsFailure: false }],
  ])("agrees with a recount of the raw labels under %s", async (_name, rules) => {
    const rates = await failureRatesByStrategy(pool, studyId, rules);
    const expected = recount(await rawLabels(), rules, (l) => l.strategy);
    expect(rates.length).toBe(expected.size * 4);
    for (const rate of rates) {
      expect({ strategy: rate.strategy, kind: rate.kind, ...expected.get(rate.strategy)![rate.kind] }).toEqual({
        strategy: rate.strategy,
        kind: rate.kind,
        failures: rate.failures,
        n: rate.n,
      });
      if (rate.n > 0) {
        expect(rate.lower!).toBeLessThanOrEqual(rate.rate!);
        expect(rate.upper!).toBeGreaterThanOrEqual(rate.rate!);
      }
    }
  });

  it("groups by prompt category within each strategy", async () => {
    const rates = await failureRatesByStrategy(pool, studyId, DEFAULT_FAILURE_RULES, {}, "category");
    const expected = recount(await rawLabels(), DEFAULT_FAILURE_RULES, (l) => `${l.strategy}/${l.category}`);
    for (const rate of rates) expect(rate.failures).toBe(expected.get(`${rate.strategy}/${rate.group}`)![rate.kind].failures);
  });

  it("applies filters: one strategy, one reviewer", async () => {
    const rlOnly = await failureRatesByStrategy(pool, studyId, DEFAULT_FAILURE_RULES, { strategies: ["RL"] });
    expect(new Set(rlOnly.map((r) => r.strategy))).toEqual(new Set(["RL"]));

    const labels = await rawLabels();
    const reviewer = labels[0]!.reviewer_id;
    const one = await failureRatesByStrategy(pool, studyId, DEFAULT_FAILURE_RULES, { reviewerIds: [reviewer] });
    const expected = recount(labels.filter((l) => l.reviewer_id === reviewer), DEFAULT_FAILURE_RULES, (l) => l.strategy);
    for (const rate of one) expect(rate.n).toBe(expected.get(rate.strategy)![rate.kind].n);
  });

  it("shows the demo's built-in differences: RL mixes languages more often than SFT", async () => {
    const rates = await failureRatesByStrategy(pool, studyId, DEFAULT_FAILURE_RULES);
    const mixing = (s: string) => rates.find((r) => r.strategy === s && r.kind === "mixing")!.rate!;
    expect(mixing("RL")).toBeGreaterThan(mixing("SFT"));
  });
});

describe("scoreDistribution", () => {
  it("counts every label's severity per strategy, shares summing to 1", async () => {
    const { scoreDistribution } = await import("./label-distributions");
    const rows = await scoreDistribution(pool, studyId, "harmSeverity");
    const labels = await rawLabels();
    for (const strategy of new Set(rows.map((r) => r.strategy))) {
      const mine = rows.filter((r) => r.strategy === strategy);
      expect(mine.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 10);
      for (const row of mine) {
        expect(row.labels).toBe(labels.filter((l) => l.strategy === strategy && l.harm_severity === row.score).length);
      }
    }
  });
});
