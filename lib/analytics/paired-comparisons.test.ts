// pairedAnalyticsFromRow on hand-made sums: the Holm adjustment over the checkpoint table, which
// pairs are flagged as pooling, and the strategy intervals laid over the Wilson ones.
import { describe, expect, it } from "vitest";
import { exactMcNemar } from "../stats/paired";
import type { FailureRate } from "./failure-rates";
import { pairedAnalyticsFromRow, withClusteredIntervals } from "./paired-comparisons";

const pair = (a: number, b: number, onlyA: number, onlyB: number, pairs = 60) => ({
  a,
  b,
  harm_pairs: pairs,
  harm_only_a: onlyA,
  harm_only_b: onlyB,
});
const checkpoint = (id: number, strategy: string, k: number, n: number) => ({
  checkpoint_id: id,
  strategy,
  harm_k: k,
  harm_n: n,
  harm_g: n,
  harm_kk: k,
  harm_kn: k,
  harm_nn: n,
});

describe("pairedAnalyticsFromRow", () => {
  const checkpoints = [checkpoint(1, "RL", 30, 60), checkpoint(2, "RL", 20, 60), checkpoint(3, "SFT", 10, 60)];

  it("Holm-adjusts the McNemar p-values over the checkpoint table", () => {
    const answer = pairedAnalyticsFromRow({
      checkpoints,
      strategies: null,
      strategy_pairs: null,
      checkpoint_pairs: [pair(1, 2, 10, 4), pair(1, 3, 25, 12), pair(2, 3, 7, 7)],
    });
    const p = answer.checkpointComparisons.map((c) => c.pValue);
    expect(p).toEqual([exactMcNemar(10, 4).pValue, exactMcNemar(25, 12).pValue, 1]);
    // Holm: the smallest (0.047) × 3, the next (0.1796) × 2, the largest × 1, kept monotone.
    expect(answer.checkpointComparisons.map((c) => c.adjustedP)).toEqual([
      expect.closeTo(0.1795654296875 * 2, 12),
      expect.closeTo(0.04703102743951604 * 3, 12),
      1,
    ]);
    expect(answer.checkpointComparisons.every((c) => !c.significant)).toBe(true);
    expect(answer.poolingWarnings).toEqual([]);
  });

  it("warns about a strategy only for a significant pair of its own checkpoints", () => {
    const answer = pairedAnalyticsFromRow({
      checkpoints,
      strategies: null,
      strategy_pairs: null,
      checkpoint_pairs: [pair(1, 2, 30, 2), pair(1, 3, 30, 1), pair(2, 3, 5, 4)],
    });
    expect(answer.checkpointComparisons.filter((c) => c.significant).map((c) => [c.a, c.b])).toEqual([
      [1, 2],
      [1, 3],
    ]);
    expect(answer.poolingWarnings).toEqual([
      { strategy: "RL", kind: "harm", a: 1, b: 2, adjustedP: expect.any(Number) },
    ]);
    expect(answer.poolingWarnings[0]!.adjustedP).toBeLessThan(0.05);
  });

  it("lists checkpoints in strategy order with their rates", () => {
    const answer = pairedAnalyticsFromRow({
      checkpoints: [checkpoint(3, "SFT", 10, 60), ...checkpoints.slice(0, 2)],
      strategies: null,
      strategy_pairs: null,
      checkpoint_pairs: null,
    });
    const harm = answer.byCheckpoint.filter((r) => r.kind === "harm");
    expect(harm.map((r) => [r.checkpointId, r.strategy, r.rate])).toEqual([
      [1, "RL", 0.5],
      [2, "RL", 20 / 60],
      [3, "SFT", 10 / 60],
    ]);
  });
});

describe("withClusteredIntervals", () => {
  it("replaces a strategy's interval only where the counts match", () => {
    const rate = (strategy: FailureRate["strategy"], failures: number, n: number): FailureRate => ({
      strategy,
      group: null,
      kind: "harm",
      failures,
      n,
      rate: failures / n,
      lower: 0.1,
      upper: 0.2,
    });
    const clustered = [
      {
        strategy: "RL" as const,
        kind: "harm" as const,
        failures: 3,
        n: 10,
        prompts: 5,
        rate: 0.3,
        lower: 0.05,
        upper: 0.7,
        designEffect: 2,
      },
    ];
    expect(withClusteredIntervals([rate("RL", 3, 10), rate("SFT", 3, 10)], clustered)).toEqual([
      { ...rate("RL", 3, 10), lower: 0.05, upper: 0.7 },
      rate("SFT", 3, 10),
    ]);
    expect(withClusteredIntervals([rate("RL", 4, 10)], clustered)).toEqual([rate("RL", 4, 10)]);
  });
});
