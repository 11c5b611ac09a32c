import { describe, expect, it } from "vitest";
import type { FailureRate } from "./failure-rates";
import { strategyDifferences } from "./strategy-differences";

const rate = (strategy: FailureRate["strategy"], kind: FailureRate["kind"], failures: number, n: number): FailureRate => ({
  strategy, kind, group: null, failures, n, rate: failures / n, lower: null, upper: null,
});

describe("strategyDifferences", () => {
  it("tests every pair per failure kind and Holm-corrects across the table", () => {
    const table = strategyDifferences([
      rate("SFT", "harm", 30, 100),
      rate("RL", "harm", 45, 100),
      rate("HYBRID", "harm", 29, 100),
      rate("SFT", "mixing", 1, 10),
      rate("RL", "mixing", 6, 10),
    ]);
    expect(table.map((r) => `${r.kind}:${r.a}-${r.b}`)).toEqual(["harm:RL-SFT", "harm:RL-HYBRID", "harm:SFT-HYBRID", "mixing:RL-SFT"]);
    const rlSft = table[0]!;
    // 45/100 vs 30/100: z-test p = 0.02846 (R: prop.test(c(45, 30), c(100, 100), correct = FALSE)).
    expect(rlSft.test).toBe("two-proportion z-test");
    expect(rlSft.pValue).toBeCloseTo(0.02846, 4);
    expect(rlSft.difference).toBeCloseTo(0.15, 10);
    // Small counts go to Fisher's exact test.
    expect(table[3]!.test).toBe("Fisher's exact test");
    // Holm: the adjusted p-value is never below the raw one, and significance follows it.
    for (const row of table) {
      expect(row.adjustedP).toBeGreaterThanOrEqual(row.pValue);
      expect(row.significant).toBe(row.adjustedP < 0.05);
    }
  });

  it("leaves out strategies without judgements and grouped rows", () => {
    const table = strategyDifferences([rate("SFT", "harm", 0, 0) , rate("RL", "harm", 3, 10), { ...rate("HYBRID", "harm", 1, 10), group: "cyber" }]);
    expect(table).toEqual([]);
  });
});
