// The bootstrap's building blocks as a user meets them: the seeded generator gives mulberry32's
// published sequence (so an interval is reproducible anywhere), and the interval is numpy's
// default percentile of the replicates that gave a value.
//   mulberry32 in python3:
//     def mulberry32(seed):
//         state = seed & 0xFFFFFFFF; imul = lambda a, b: (a * b) & 0xFFFFFFFF
//         while True:
//             state = (state + 0x6D2B79F5) & 0xFFFFFFFF; t = state
//             t = imul(t ^ (t >> 15), t | 1); t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
//             yield ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296
//   numpy.percentile([10, 20, 30, 40, 50], [10, 90]) = [14, 46]
import { describe, expect, it } from "vitest";
import { poissonBootstrap, poissonDraw, seededUniform } from "./bootstrap";

/** A statistic that ignores the redrawn counts and returns the given values in turn. */
const inTurn = (values: readonly (number | null)[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe("seededUniform", () => {
  it("is mulberry32: seed 1 starts 0.6270739405881613, 0.002735721180215478, 0.5274470399599522", () => {
    const uniform = seededUniform(1);
    expect([uniform(), uniform(), uniform()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });
});

describe("poissonBootstrap", () => {
  it("takes numpy's percentile of the replicates with a finite value", () => {
    const interval = poissonBootstrap([], inTurn([Number.NaN, 10, 20, Infinity, 30, 40, null, 50]), {
      replicates: 8,
      confidence: 0.8,
    });
    expect(interval).toEqual({ lower: 14, upper: 46, replicates: 5 });
  });

  it("gives an interval when exactly half of the replicates have a value, none below half", () => {
    expect(poissonBootstrap([], inTurn([1, null]), { replicates: 8 })).toMatchObject({ replicates: 4 });
    expect(poissonBootstrap([], inTurn([1, null]), { replicates: 8 }).lower).toBe(1);
    expect(poissonBootstrap([], inTurn([1, null, null]), { replicates: 9 })).toEqual({
      lower: null,
      upper: null,
      replicates: 3,
    });
  });

  it("redraws every cell and only the cells: the total of 40 + 60 stays near 100", () => {
    const total = (counts: readonly number[]) => counts.reduce((sum, c) => sum + c, 0);
    const interval = poissonBootstrap([40, 60], total, { replicates: 400, seed: 3 });
    // Poisson(100): the 95 % interval is about 100 ± 1.96·10.
    expect(interval.replicates).toBe(400);
    expect(interval.lower).toBeGreaterThan(75);
    expect(interval.upper).toBeLessThan(125);
  });

  it("depends on the seed it is given", () => {
    const share = (counts: readonly number[]) => counts[0]! / (counts[0]! + counts[1]!);
    const one = poissonBootstrap([30, 70], share, { replicates: 200, seed: 1 });
    const two = poissonBootstrap([30, 70], share, { replicates: 200, seed: 2 });
    expect(one.lower).not.toBe(two.lower);
  });

  it("draws nothing from an empty cell", () => {
    const uniform = seededUniform(9);
    expect(Array.from({ length: 50 }, () => poissonDraw(0, uniform))).toEqual(Array(50).fill(0));
  });
});
