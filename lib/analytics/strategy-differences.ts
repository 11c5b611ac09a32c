// Which differences between training strategies are statistically significant: every pair of
// strategies for every failure kind, tested (Fisher's exact test for small counts, else the
// two-proportion z-test) and Holm-corrected across the whole table.
import type { TrainingStrategy } from "../db/generated/enums";
import { compareProportions, holmAdjust } from "../stats/proportions";
import type { FailureKind, FailureRate } from "./failure-rates";

export interface StrategyDifference {
  kind: FailureKind;
  a: TrainingStrategy;
  b: TrainingStrategy;
  rateA: number | null;
  rateB: number | null;
  nA: number;
  nB: number;
  /** rate A − rate B. */
  difference: number;
  test: string;
  pValue: number;
  /** Holm-adjusted over every comparison in the table. */
  adjustedP: number;
  significant: boolean;
}

/** The order in which pairs are listed: the product's question first (RL vs SFT vs hybrid). */
const ORDER: TrainingStrategy[] = ["RL", "SFT", "HYBRID", "BASE"];

export function strategyDifferences(rates: readonly FailureRate[], alpha = 0.05): StrategyDifference[] {
  const overall = rates.filter((r) => r.group === null);
  const rows: Omit<StrategyDifference, "adjustedP" | "significant">[] = [];
  const kinds = [...new Set(overall.map((r) => r.kind))];
  for (const kind of kinds) {
    const byStrategy = new Map(overall.filter((r) => r.kind === kind).map((r) => [r.strategy, r]));
    const present = ORDER.filter((s) => (byStrategy.get(s)?.n ?? 0) > 0);
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        const a = byStrategy.get(present[i]!)!;
        const b = byStrategy.get(present[j]!)!;
        const result = compareProportions(a.failures, a.n, b.failures, b.n);
        rows.push({ kind, a: a.strategy, b: b.strategy, rateA: a.rate, rateB: b.rate, nA: a.n, nB: b.n, difference: result.difference, test: result.test, pValue: result.pValue });
      }
    }
  }
  const adjusted = holmAdjust(rows.map((r) => r.pValue));
  return rows.map((row, i) => ({ ...row, adjustedP: adjusted[i]!, significant: adjusted[i]! < alpha }));
}
