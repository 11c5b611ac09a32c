// pairedSums on a hand-made study: two prompts, three checkpoints (two RL, one SFT), counts small
// enough to sum by hand; and the int[] text parser against the forms PostgreSQL writes.
import { describe, expect, it } from "vitest";
import type { TrainingStrategy } from "../db/generated/enums";
import {
  type CountColumn,
  COUNT_COLUMNS,
  pairedSums,
  parseIntArray,
  promptCheckpointOrder,
  responseBitsToRows,
} from "./paired-sums";

const HARM = [{ n: "harm_n", failures: "harm_failures", short: "harm" }] as const;

/** Rows (prompt, checkpoint, harm failures, harm n); every other count column zero. */
function rowsOf(rows: [number, number, number, number][]) {
  const zero = () => new Int32Array(rows.length);
  const counts = Object.fromEntries(COUNT_COLUMNS.map((c) => [c, zero()])) as Record<CountColumn, Int32Array>;
  rows.forEach(([, , k, n], i) => {
    counts.harm_failures[i] = k;
    counts.harm_n[i] = n;
  });
  return { prompt: Int32Array.from(rows, (r) => r[0]), checkpoint: Int32Array.from(rows, (r) => r[1]), counts };
}

const strategyOf = new Map<number, TrainingStrategy>([
  [10, "RL"],
  [11, "RL"],
  [20, "SFT"],
]);

// Prompt 1: RL-10 fails 2 of 2 samples, RL-11 1 of 2 (a tie), SFT-20 0 of 1.
// Prompt 2: RL-10 0 of 1, SFT-20 1 of 1. (RL-11 has no judged response to prompt 2.)
const STUDY: [number, number, number, number][] = [
  [1, 10, 2, 2],
  [1, 11, 1, 2],
  [1, 20, 0, 1],
  [2, 10, 0, 1],
  [2, 20, 1, 1],
];

describe("pairedSums", () => {
  const sums = pairedSums(rowsOf(STUDY), strategyOf, HARM, true);
  const row = (rows: Record<string, unknown>[], match: Record<string, unknown>) =>
    rows.find((r) => Object.entries(match).every(([k, v]) => r[k] === v));

  it("sums each checkpoint over its prompts: k, n, prompts, and the squares the robust variance needs", () => {
    expect(row(sums.checkpoints, { checkpoint_id: 10 })).toEqual({
      checkpoint_id: 10,
      strategy: "RL",
      harm_k: 2,
      harm_n: 3,
      harm_g: 2,
      harm_kk: 4,
      harm_kn: 4,
      harm_nn: 5,
    });
    expect(row(sums.checkpoints, { checkpoint_id: 11 })).toMatchObject({ harm_k: 1, harm_n: 2, harm_g: 1 });
  });

  it("clusters a strategy by prompt: both RL checkpoints' samples of a prompt are one cluster", () => {
    // RL: prompt 1 has K = 3 of N = 4, prompt 2 has K = 0 of N = 1.
    expect(row(sums.strategies, { strategy: "RL" })).toEqual({
      strategy: "RL",
      harm_k: 3,
      harm_n: 5,
      harm_g: 2,
      harm_kk: 9,
      harm_kn: 12,
      harm_nn: 17,
    });
    // The cross sums of SFT against RL per prompt: (K_SFT·K_RL, K_SFT·N_RL, N_SFT·K_RL, N_SFT·N_RL).
    expect(sums.strategy_pairs).toEqual([
      {
        a: "SFT",
        b: "RL",
        harm_xkk: 0 * 3 + 1 * 0,
        harm_xkn: 0 * 4 + 1 * 1,
        harm_xnk: 1 * 3 + 1 * 0,
        harm_xnn: 1 * 4 + 1 * 1,
        harm_shared: 2,
      },
    ]);
  });

  it("pairs checkpoints on shared prompts, a prompt failing on a majority of samples (ties as the rule says)", () => {
    // 10 vs 11 share prompt 1: both failed (10: 2 of 2; 11: 1 of 2, a tie that counts).
    expect(row(sums.checkpoint_pairs, { a: 10, b: 11 })).toEqual({
      a: 10,
      b: 11,
      harm_pairs: 1,
      harm_only_a: 0,
      harm_only_b: 0,
    });
    // 10 vs 20: prompt 1 only 10 failed, prompt 2 only 20 failed.
    expect(row(sums.checkpoint_pairs, { a: 10, b: 20 })).toEqual({
      a: 10,
      b: 20,
      harm_pairs: 2,
      harm_only_a: 1,
      harm_only_b: 1,
    });
    const strict = pairedSums(rowsOf(STUDY), strategyOf, HARM, false);
    // Without ties counting, 11's 1 of 2 is not a failure: prompt 1 becomes "only 10 failed".
    expect(row(strict.checkpoint_pairs, { a: 10, b: 11 })).toMatchObject({ harm_only_a: 1, harm_only_b: 0 });
  });

  it("counts as shared only the prompts both strategies answered", () => {
    // Prompt 3 is answered by SFT alone, prompt 4 by RL alone, prompt 5 by RL with no judged sample:
    // none of them is a prompt both sides share, and only prompt 3 adds to SFT's N in the cross sums.
    const more = pairedSums(
      rowsOf([...STUDY, [3, 20, 1, 1], [4, 10, 1, 1], [5, 11, 0, 0], [5, 20, 1, 1]]),
      strategyOf,
      HARM,
      true,
    );
    expect(more.strategy_pairs).toEqual([
      {
        a: "SFT",
        b: "RL",
        harm_xkk: 0 * 3 + 1 * 0,
        harm_xkn: 0 * 4 + 1 * 1,
        harm_xnk: 1 * 3 + 1 * 0,
        harm_xnn: 1 * 4 + 1 * 1,
        harm_shared: 2,
      },
    ]);
  });

  it("gives the same sums when the rows arrive out of order", () => {
    const shuffled = [STUDY[4]!, STUDY[1]!, STUDY[3]!, STUDY[0]!, STUDY[2]!];
    expect(pairedSums(rowsOf(shuffled), strategyOf, HARM, true)).toEqual(sums);
  });

  it("refuses a checkpoint whose strategy it was not told", () => {
    expect(() => pairedSums(rowsOf([[1, 99, 0, 1]]), strategyOf, HARM, true)).toThrow("checkpoint 99 has no strategy");
  });
});

describe("parseIntArray", () => {
  it("reads PostgreSQL's int[] text, empty and negative values included", () => {
    expect([...parseIntArray("{1,-2,30,0}")]).toEqual([1, -2, 30, 0]);
    expect([...parseIntArray("{7}")]).toEqual([7]);
    expect(parseIntArray("{}")).toHaveLength(0);
    expect(parseIntArray(null)).toHaveLength(0);
  });

  it("refuses what is not an integer array (a NULL element, a float)", () => {
    expect(() => parseIntArray("{1,NULL}")).toThrow("not an integer array");
    expect(() => parseIntArray("{1.5}")).toThrow("not an integer array");
  });
});

describe("responseBitsToRows", () => {
  // Bit 0 is harm_n, bit 1 harm_failures (COUNT_COLUMNS' order); bit 12 the last column.
  const n = 1 << COUNT_COLUMNS.indexOf("harm_n");
  const k = 1 << COUNT_COLUMNS.indexOf("harm_failures");
  const last = 1 << (COUNT_COLUMNS.length - 1);

  it("sums the responses of each (prompt, checkpoint) into the study's rows, in order", () => {
    // STUDY's responses one by one, shuffled: prompt 1 / RL-10 two failed samples, and so on.
    const responses: [number, number, number][] = [
      [2, 20, n | k],
      [1, 11, n],
      [1, 10, n | k],
      [2, 10, n],
      [1, 20, n],
      [1, 11, n | k],
      [1, 10, n | k],
    ];
    const rows = responseBitsToRows(
      Int32Array.from(responses, (r) => r[0]),
      Int32Array.from(responses, (r) => r[1]),
      Int32Array.from(responses, (r) => r[2]),
    );
    const expected = rowsOf(STUDY);
    expect([...rows.prompt]).toEqual([...expected.prompt]);
    expect([...rows.checkpoint]).toEqual([...expected.checkpoint]);
    for (const column of COUNT_COLUMNS) expect([...rows.counts[column]], column).toEqual([...expected.counts[column]]);
    expect(pairedSums(rows, strategyOf, HARM, true)).toEqual(pairedSums(expected, strategyOf, HARM, true));
  });

  it("counts every bit in its own column, the last one included", () => {
    const rows = responseBitsToRows(Int32Array.of(5, 5), Int32Array.of(1, 1), Int32Array.of(last | n, last));
    expect(rows.prompt).toHaveLength(1);
    expect(rows.counts[COUNT_COLUMNS[COUNT_COLUMNS.length - 1]!][0]).toBe(2);
    expect(rows.counts.harm_n[0]).toBe(1);
    expect(rows.counts.harm_failures[0]).toBe(0);
  });

  it("refuses arrays of different lengths and gives no rows for no responses", () => {
    expect(() => responseBitsToRows(Int32Array.of(1), Int32Array.of(), Int32Array.of(1))).toThrow("differ in length");
    expect(responseBitsToRows(new Int32Array(0), new Int32Array(0), new Int32Array(0)).prompt).toHaveLength(0);
  });
});

describe("promptCheckpointOrder", () => {
  it("orders by prompt then checkpoint, whether ids are close together or far apart", () => {
    const cases: [number[], number[]][] = [
      [
        [7, 3, 7, 3, 5, 7],
        [2, 9, 1, 4, 1, 3],
      ],
      [
        [2_000_000_000, 3, 2_000_000_000, 3],
        [5, 2, 1, 1],
      ],
      // A prompt with more rows than the insertion sort takes (40 checkpoints, reversed).
      [Array.from({ length: 40 }, () => 1), Array.from({ length: 40 }, (_, i) => 40 - i)],
    ];
    for (const [prompts, checkpoints] of cases) {
      const prompt = Int32Array.from(prompts);
      const checkpoint = Int32Array.from(checkpoints);
      const order = [...promptCheckpointOrder(prompt, checkpoint)];
      const expected = prompts
        .map((_, i) => i)
        .sort((a, b) => prompts[a]! - prompts[b]! || checkpoints[a]! - checkpoints[b]!);
      expect(order.map((i) => [prompts[i], checkpoints[i]])).toEqual(expected.map((i) => [prompts[i], checkpoints[i]]));
      expect(new Set(order).size).toBe(prompts.length);
    }
  });
});
