import { describe, expect, it } from "vitest";
import type { FailureRate } from "@/lib/analytics/failure-rates";
import { computeSeries } from "./compute-points";

const rate = (group: string, failures: number, n: number, kind: FailureRate["kind"] = "harm"): FailureRate => ({
  strategy: "RL",
  group,
  kind,
  failures,
  n,
  rate: n ? failures / n : null,
  lower: null,
  upper: null,
});

describe("computeSeries", () => {
  it("places each checkpoint with known compute at its failure rate, by strategy and compute", () => {
    const series = computeSeries(
      [rate("1", 1, 4), rate("2", 3, 4), rate("3", 2, 10), rate("4", 0, 0), rate("2", 4, 4, "mixing")],
      [
        { id: 2, name: "rl-late", strategy: "RL", computeGpuHours: 900 },
        { id: 1, name: "rl-early", strategy: "RL", computeGpuHours: 300 },
        { id: 3, name: "sft", strategy: "SFT", computeGpuHours: 120 },
        { id: 4, name: "hybrid-unjudged", strategy: "HYBRID", computeGpuHours: 500 },
        { id: 5, name: "base-no-compute", strategy: "BASE", computeGpuHours: null },
      ],
      "harm",
    );
    expect(series.map((s) => s.strategy)).toEqual(["SFT", "RL"]);
    expect(series[1]!.points).toEqual([
      { compute: 300, percent: 25, n: 4, failures: 1, checkpoint: "rl-early" },
      { compute: 900, percent: 75, n: 4, failures: 3, checkpoint: "rl-late" },
    ]);
  });
});
