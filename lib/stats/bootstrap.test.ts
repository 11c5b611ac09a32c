import { describe, expect, it } from "vitest";
import { kappaFromTable } from "./agreement";
import { poissonBootstrap, poissonDraw, seededUniform } from "./bootstrap";

describe("poissonDraw", () => {
  it.each([0.5, 4, 25, 400])("has mean and variance λ = %f", (lambda) => {
    const uniform = seededUniform(42);
    const draws = Array.from({ length: 40_000 }, () => poissonDraw(lambda, uniform));
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / (draws.length - 1);
    // 40,000 draws: the mean's standard error is √(λ/40000); five of them is a wide margin.
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / 40_000));
    expect(variance / lambda).toBeGreaterThan(0.95);
    expect(variance / lambda).toBeLessThan(1.05);
  });
});

describe("poissonBootstrap", () => {
  it("gives a proportion's interval close to its normal-theory interval", () => {
    // 300 successes in 1,000: the 95% interval of p is about 0.3 ± 1.96·√(0.3·0.7/1000) = [0.2716, 0.3284].
    const interval = poissonBootstrap([300, 700], ([k, rest]) => k! / (k! + rest!), { replicates: 4000 });
    expect(interval.lower).toBeGreaterThan(0.265);
    expect(interval.lower).toBeLessThan(0.278);
    expect(interval.upper).toBeGreaterThan(0.322);
    expect(interval.upper).toBeLessThan(0.335);
    expect(interval.replicates).toBe(4000);
  });

  it("holds Cohen's kappa and is the same for the same data and seed", () => {
    const cells = [
      { a: "yes", b: "yes", count: 40 },
      { a: "yes", b: "no", count: 9 },
      { a: "no", b: "yes", count: 6 },
      { a: "no", b: "no", count: 45 },
    ];
    const kappa = (counts: readonly number[]) =>
      kappaFromTable(cells.map((c, i) => ({ ...c, count: counts[i]! }))).kappa;
    const point = kappa(cells.map((c) => c.count))!;
    const first = poissonBootstrap(
      cells.map((c) => c.count),
      kappa,
    );
    expect(first.lower!).toBeLessThan(point);
    expect(first.upper!).toBeGreaterThan(point);
    // statsmodels 0.13.5's cohens_kappa([[40, 9], [6, 45]]): kappa 0.6995, asymptotic 95% interval
    // [0.5596, 0.8394]; the bootstrap's ends fall within a few hundredths of those.
    expect(point).toBeCloseTo(0.6995192307692307, 12);
    expect(Math.abs(first.lower! - 0.5595903407506923)).toBeLessThan(0.04);
    expect(Math.abs(first.upper! - 0.8394481207877692)).toBeLessThan(0.04);
    expect(
      poissonBootstrap(
        cells.map((c) => c.count),
        kappa,
      ),
    ).toEqual(first);
  });

  it("gives no interval when the statistic is mostly undefined", () => {
    expect(poissonBootstrap([1], () => null)).toEqual({ lower: null, upper: null, replicates: 0 });
  });
});
