import { describe, expect, it } from "vitest";
import type { FailureRate } from "@/lib/analytics/failure-rates";
import { checkpointTrends, groupedRows, rateBars } from "./chart-data";

const rate = (over: Partial<FailureRate>): FailureRate => ({
  strategy: "SFT",
  group: null,
  kind: "harm",
  failures: 1,
  n: 4,
  rate: 0.25,
  lower: 0.05,
  upper: 0.7,
  ...over,
});

describe("chart data", () => {
  it("orders bars by strategy and turns the interval into distances from the bar", () => {
    const bars = rateBars([rate({ strategy: "RL" }), rate({ strategy: "SFT" }), rate({ kind: "mixing" })], "harm");
    expect(bars.map((b) => b.strategy)).toEqual(["SFT", "RL"]);
    expect(bars[0]!.percent).toBe(25);
    expect(bars[0]!.interval[0]).toBeCloseTo(20);
    expect(bars[0]!.interval[1]).toBeCloseTo(45);
  });

  it("draws no bar and no interval when nothing was judged", () => {
    expect(rateBars([rate({ n: 0, failures: 0, rate: null, lower: null, upper: null })], "harm")[0]).toMatchObject({
      percent: 0,
      interval: [0, 0],
      n: 0,
    });
  });

  it("groups by category with a column per strategy", () => {
    const { rows, strategies } = groupedRows(
      [rate({ group: "math", strategy: "RL" }), rate({ group: "code" }), rate({ group: "math" })],
      "harm",
    );
    expect(strategies).toEqual(["SFT", "RL"]);
    expect(rows.map((r) => r.group)).toEqual(["code", "math"]);
    expect(rows[1]).toMatchObject({ SFT_n: 4, RL_n: 4, RL_percent: 25 });
  });

  it("lines up checkpoints by training step", () => {
    const checkpoints = [
      { id: 2, name: "rl-2000", strategy: "RL" as const, trainingStep: 2000 },
      { id: 1, name: "rl-1000", strategy: "RL" as const, trainingStep: 1000 },
      { id: 3, name: "sft", strategy: "SFT" as const, trainingStep: null },
    ];
    const lines = checkpointTrends(
      [rate({ strategy: "RL", group: "2" }), rate({ strategy: "RL", group: "1", rate: 0.5 }), rate({ group: "3" })],
      checkpoints,
      "harm",
    );
    expect(lines).toEqual([
      {
        strategy: "RL",
        points: [
          expect.objectContaining({ step: 1000, percent: 50 }),
          expect.objectContaining({ step: 2000, percent: 25 }),
        ],
      },
    ]);
  });
});
