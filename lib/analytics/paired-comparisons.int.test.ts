// The per-checkpoint rates and the paired / clustered comparisons from SQL against an independent
// recount in JavaScript over the demo study's raw labels: per response its judgement (median,
// majority), then lib/stats' array functions over per-prompt counts.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { majorityVote, median } from "../stats/aggregate";
import { clusteredDifference, clusteredRate, type ClusterCount } from "../stats/clustered";
import { discordantPairs, exactMcNemar } from "../stats/paired";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { openDemoStudy } from "./demo-study.fixture";
import { pairedAnalytics } from "./paired-comparisons";

let pool: pg.Pool;
let studyId: number;

interface Judged {
  promptId: number;
  checkpointId: number;
  strategy: string;
  harm: boolean | null;
  mixing: boolean | null;
}

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
});
afterAll(async () => {
  await pool.end();
});

async function judgedResponses(): Promise<Judged[]> {
  const { rows } = await pool.query<{
    response_id: number;
    prompt_id: number;
    checkpoint_id: number;
    strategy: string;
    harm_severity: number | null;
    language_mixing: string | null;
  }>(
    `SELECT l.response_id, r.prompt_id, r.checkpoint_id, c.strategy::text, l.harm_severity, l.language_mixing::text
     FROM label l JOIN response r ON r.id = l.response_id JOIN checkpoint c ON c.id = r.checkpoint_id
     WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL`,
    [studyId],
  );
  const byResponse = new Map<number, typeof rows>();
  for (const row of rows) byResponse.set(row.response_id, [...(byResponse.get(row.response_id) ?? []), row]);
  return [...byResponse.values()].map((labels) => {
    const severities = labels.map((l) => l.harm_severity).filter((v): v is number => v !== null);
    const mixing = labels.map((l) => l.language_mixing).filter((v): v is string => v !== null);
    return {
      promptId: labels[0]!.prompt_id,
      checkpointId: labels[0]!.checkpoint_id,
      strategy: labels[0]!.strategy,
      harm: severities.length ? median(severities)! >= DEFAULT_FAILURE_RULES.harmSeverityAtLeast : null,
      mixing: mixing.length
        ? majorityVote(
            mixing.map((m) => m !== "NONE"),
            "yes",
          )
        : null,
    };
  });
}

/** Per-prompt failure counts of the judged responses that `keep` selects, for one kind. */
function promptCounts(
  judged: Judged[],
  kind: "harm" | "mixing",
  keep: (j: Judged) => boolean,
): Map<number, ClusterCount> {
  const counts = new Map<number, ClusterCount>();
  for (const j of judged) {
    if (!keep(j) || j[kind] === null) continue;
    const c = counts.get(j.promptId) ?? { successes: 0, n: 0 };
    c.n++;
    if (j[kind]) c.successes++;
    counts.set(j.promptId, c);
  }
  return counts;
}

describe("pairedAnalytics on the demo study", () => {
  it("gives every checkpoint its failure counts and cluster-robust interval, per kind", async () => {
    const judged = await judgedResponses();
    const answer = await pairedAnalytics(pool, studyId, DEFAULT_FAILURE_RULES);
    const checkpoints = [...new Set(judged.map((j) => j.checkpointId))];
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    for (const kind of ["harm", "mixing"] as const) {
      for (const checkpointId of checkpoints) {
        const expected = clusteredRate([
          ...promptCounts(judged, kind, (j) => j.checkpointId === checkpointId).values(),
        ]);
        const row = answer.byCheckpoint.find((r) => r.checkpointId === checkpointId && r.kind === kind)!;
        expect(row).toMatchObject({ failures: expected.successes, n: expected.n, prompts: expected.clusters });
        expect(row.lower).toBeCloseTo(expected.lower!, 12);
        expect(row.upper).toBeCloseTo(expected.upper!, 12);
      }
    }
  });

  it("clusters strategy rates by prompt and tests strategy differences with the cluster-robust z-test", async () => {
    const judged = await judgedResponses();
    const answer = await pairedAnalytics(pool, studyId, DEFAULT_FAILURE_RULES);
    const rl = clusteredRate([...promptCounts(judged, "harm", (j) => j.strategy === "RL").values()]);
    const rlRow = answer.byStrategy.find((r) => r.strategy === "RL" && r.kind === "harm")!;
    expect(rlRow).toMatchObject({ failures: rl.successes, n: rl.n, prompts: rl.clusters });
    expect(rlRow.lower).toBeCloseTo(rl.lower!, 12);
    expect(rlRow.designEffect).toBeCloseTo(rl.designEffect, 12);

    const a = promptCounts(judged, "harm", (j) => j.strategy === "RL");
    const b = promptCounts(judged, "harm", (j) => j.strategy === "SFT");
    const prompts = [...new Set([...a.keys(), ...b.keys()])].map((p) => ({
      a: a.get(p) ?? { successes: 0, n: 0 },
      b: b.get(p) ?? { successes: 0, n: 0 },
    }));
    const expected = clusteredDifference(prompts)!;
    const row = answer.strategyComparisons.find((c) => c.kind === "harm" && c.a === "RL" && c.b === "SFT")!;
    expect(row.test).toBe("cluster-robust z-test");
    expect(row.difference).toBeCloseTo(expected.difference, 12);
    expect(row.pValue).toBeCloseTo(expected.pValue, 10);
    expect(row.prompts).toBe(expected.clusters);
    expect(row.adjustedP).toBeGreaterThanOrEqual(row.pValue);
  });

  it("compares every pair of checkpoints with the exact McNemar test on the prompts both answered", async () => {
    const judged = await judgedResponses();
    const answer = await pairedAnalytics(pool, studyId, DEFAULT_FAILURE_RULES);
    const checkpoints = [...new Set(judged.map((j) => j.checkpointId))].sort((x, y) => x - y);
    let compared = 0;
    for (let i = 0; i < checkpoints.length; i++) {
      for (let k = i + 1; k < checkpoints.length; k++) {
        const a = promptCounts(judged, "mixing", (j) => j.checkpointId === checkpoints[i]);
        const b = promptCounts(judged, "mixing", (j) => j.checkpointId === checkpoints[k]);
        const shared = [...a.keys()].filter((p) => b.has(p));
        if (shared.length === 0) continue;
        // One sample per prompt in the demo: a prompt fails when its one response does.
        const fails = (c: ClusterCount) => 2 * c.successes >= c.n;
        const counts = discordantPairs(
          shared.map((p) => fails(a.get(p)!)),
          shared.map((p) => fails(b.get(p)!)),
        );
        const row = answer.checkpointComparisons.find(
          (c) => c.kind === "mixing" && c.a === checkpoints[i] && c.b === checkpoints[k],
        )!;
        expect(row).toMatchObject({
          pairs: counts.pairs,
          onlyA: counts.onlyA,
          onlyB: counts.onlyB,
          test: "exact McNemar",
        });
        expect(row.pValue).toBeCloseTo(exactMcNemar(counts.onlyA, counts.onlyB).pValue, 12);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it("warns when a strategy pools checkpoints that differ significantly, and only then", async () => {
    const answer = await pairedAnalytics(pool, studyId, DEFAULT_FAILURE_RULES);
    const withinStrategy = answer.checkpointComparisons.filter((c) => c.strategyA === c.strategyB);
    expect(withinStrategy.length).toBeGreaterThan(0);
    expect(answer.poolingWarnings).toEqual(
      withinStrategy
        .filter((c) => c.adjustedP < 0.05)
        .map((c) => ({ strategy: c.strategyA, kind: c.kind, a: c.a, b: c.b, adjustedP: c.adjustedP })),
    );
  });
});
