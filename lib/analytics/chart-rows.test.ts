// The analytics page's chart downloads: the columns in order and a row per bar or point, named as
// the reader knows them (checkpoint names, not ids).
import { describe, expect, it } from "vitest";
import {
  checkpointFailureTable,
  checkpointRateTable,
  groupedRateTable,
  RATE_COLUMNS,
  scoreTable,
  strategyRateTable,
} from "./chart-rows";
import type { FailureRate } from "./failure-rates";
import type { CheckpointFailureRate } from "./paired-comparisons";
import type { AnalyticsCheckpoint } from "./study-analytics";

const rate = (patch: Partial<FailureRate>): FailureRate => ({
  strategy: "RL",
  group: null,
  kind: "harm",
  failures: 3,
  n: 10,
  rate: 0.3,
  lower: 0.1,
  upper: 0.6,
  ...patch,
});

const checkpoints: AnalyticsCheckpoint[] = [
  { id: 7, name: "rl-step-100", strategy: "RL", trainingStep: 100, computeGpuHours: 12.5 },
  { id: 9, name: "sft-final", strategy: "SFT", trainingStep: null, computeGpuHours: null },
];

describe("chart downloads", () => {
  it("a strategy panel keeps only its kind, one row per strategy", () => {
    const rates = [rate({}), rate({ strategy: "SFT", failures: 1, rate: 0.1 }), rate({ kind: "mixing" })];
    expect(strategyRateTable(rates, "harm")).toEqual({
      columns: ["strategy", "kind", "failures", "n", "rate", "ci95_lower", "ci95_upper"],
      rows: [
        { strategy: "RL", kind: "harm", failures: 3, n: 10, rate: 0.3, ci95_lower: 0.1, ci95_upper: 0.6 },
        { strategy: "SFT", kind: "harm", failures: 1, n: 10, rate: 0.1, ci95_lower: 0.1, ci95_upper: 0.6 },
      ],
    });
    expect(strategyRateTable(rates, "overRefusal").rows).toEqual([]);
  });

  it("category and split charts put the group first, unset as empty", () => {
    const table = groupedRateTable([rate({ group: "cyber" }), rate({ group: null, rate: null })], "category");
    expect(table.columns).toEqual(["category", ...RATE_COLUMNS]);
    expect(table.rows.map((r) => [r.category, r.rate])).toEqual([
      ["cyber", 0.3],
      [null, null],
    ]);
  });

  it("checkpoint charts name the checkpoint and add its training step or compute", () => {
    const rates = [rate({ group: "7" }), rate({ group: "9", strategy: "SFT" }), rate({ group: "42" })];
    const trend = checkpointRateTable(rates, checkpoints, "training_step");
    expect(trend.columns).toEqual(["checkpoint", "training_step", ...RATE_COLUMNS]);
    expect(trend.rows.map((r) => [r.checkpoint, r.training_step, r.strategy])).toEqual([
      ["rl-step-100", 100, "RL"],
      ["sft-final", null, "SFT"],
      ["42", null, "RL"],
    ]);
    const compute = checkpointRateTable(rates, checkpoints, "compute_gpu_hours");
    expect(compute.columns).toEqual(["checkpoint", "compute_gpu_hours", ...RATE_COLUMNS]);
    expect(compute.rows.map((r) => r.compute_gpu_hours)).toEqual([12.5, null, null]);
  });

  it("the per-checkpoint table carries the prompts each rate covers", () => {
    const rates: CheckpointFailureRate[] = [
      {
        checkpointId: 9,
        strategy: "SFT",
        kind: "mixing",
        failures: 2,
        n: 8,
        prompts: 4,
        rate: 0.25,
        lower: 0.05,
        upper: 0.6,
        designEffect: 1,
      },
    ];
    expect(checkpointFailureTable(rates, checkpoints)).toEqual({
      columns: ["checkpoint", "strategy", "kind", "failures", "n", "prompts", "rate", "ci95_lower", "ci95_upper"],
      rows: [
        {
          checkpoint: "sft-final",
          strategy: "SFT",
          kind: "mixing",
          failures: 2,
          n: 8,
          prompts: 4,
          rate: 0.25,
          ci95_lower: 0.05,
          ci95_upper: 0.6,
        },
      ],
    });
  });

  it("score distributions name the score's column", () => {
    const counts = [{ strategy: "HYBRID" as const, score: 2, labels: 5, share: 0.5 }];
    expect(scoreTable(counts, "reasoning_quality")).toEqual({
      columns: ["strategy", "reasoning_quality", "labels", "share"],
      rows: [{ strategy: "HYBRID", reasoning_quality: 2, labels: 5, share: 0.5 }],
    });
    expect(scoreTable(counts, "harm_severity").rows[0]).toHaveProperty("harm_severity", 2);
  });
});
