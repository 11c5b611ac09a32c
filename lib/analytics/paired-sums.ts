// The sums behind the paired and clustered comparisons, from the judged responses' counts per
// (prompt, checkpoint). SQL builds those rows (the expensive part: one pass over the judgements)
// and sends them as a few integer arrays sorted by prompt; one linear pass here then sums them per
// checkpoint, per (prompt, strategy) and per strategy, and pairs checkpoints and strategies within
// each prompt. Done in SQL, the pairing took two self-joins and a second grouping of the rows, about
// three quarters of the question's time at a million responses (docs/benchmarks.md, Analytics).
// Memory: a few integers per (prompt, checkpoint) with a judged response, never the responses.
import type { TrainingStrategy } from "../db/generated/enums";

/** Count columns of a (prompt, checkpoint) row, as failureCountColumns names them. */
export const COUNT_COLUMNS = [
  "harm_n",
  "harm_failures",
  "mixing_n",
  "mixing_failures",
  "quality_n",
  "quality_failures",
  "overrefusal_n",
  "overrefusal_failures",
  "refusal_n",
  "refusal_full",
  "refusal_partial",
  "harmful_compliance_n",
  "harmful_compliance_failures",
] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];

/** One measure: its n and failure columns and the short name its sums are reported under. */
export interface KindColumns {
  n: CountColumn;
  failures: CountColumn;
  short: string;
}

/** The (prompt, checkpoint) rows as columns: equal lengths, sorted by prompt, then checkpoint. */
export interface PromptCheckpointRows {
  prompt: Int32Array;
  checkpoint: Int32Array;
  counts: Record<CountColumn, Int32Array>;
}

type Row = Record<string, number | string>;

export interface PairedSums {
  checkpoints: Row[];
  strategies: Row[];
  strategy_pairs: Row[];
  checkpoint_pairs: Row[];
}

/** The strategies in the enum's order (SQL compared them so; pairs are reported a before b). */
const STRATEGY_ORDER: readonly TrainingStrategy[] = ["SFT", "RL", "HYBRID", "BASE"];

/**
 * PostgreSQL's text form of an int[] (`{1,-2,3}`, `{}`), as `array_agg(x)::text` sends it: one scan
 * of the characters (a hundred thousand elements in a few milliseconds; split and Number take ten
 * times as long). Elements are integers without NULLs: count columns and ids.
 */
export function parseIntArray(text: string | null): Int32Array {
  if (!text || text.length <= 2) return new Int32Array(0);
  let commas = 0;
  for (let c = 1; c < text.length - 1; c++) if (text.charCodeAt(c) === 44) commas++;
  const out = new Int32Array(commas + 1);
  let value = 0;
  let sign = 1;
  let index = 0;
  for (let c = 1; c < text.length; c++) {
    const code = text.charCodeAt(c);
    if (code === 44 || code === 125) {
      out[index++] = sign * value;
      value = 0;
      sign = 1;
    } else if (code === 45) sign = -1;
    else if (code >= 48 && code <= 57) value = value * 10 + (code - 48);
    else throw new Error(`not an integer array: ${JSON.stringify(text.slice(0, 40))}`);
  }
  return out;
}

/**
 * The (prompt, checkpoint) rows from one integer per judged response (failureBitsSql: bit i set when
 * the response counts in COUNT_COLUMNS[i]), in (prompt, checkpoint) order. The responses come in
 * any order: their indices are sorted here (a few milliseconds for a hundred thousand), which is
 * cheaper than a sort and a grouping in SQL followed by a dozen arrays.
 */
export function responseBitsToRows(prompt: Int32Array, checkpoint: Int32Array, bits: Int32Array): PromptCheckpointRows {
  if (prompt.length !== checkpoint.length || prompt.length !== bits.length) {
    throw new Error("prompt, checkpoint and bits arrays differ in length");
  }
  const order = promptCheckpointOrder(prompt, checkpoint);
  // Groups first, to size the columns.
  let groups = 0;
  for (let i = 0; i < order.length; i++) {
    const r = order[i]!;
    const q = i === 0 ? -1 : order[i - 1]!;
    if (i === 0 || prompt[r] !== prompt[q] || checkpoint[r] !== checkpoint[q]) groups++;
  }
  const out: PromptCheckpointRows = {
    prompt: new Int32Array(groups),
    checkpoint: new Int32Array(groups),
    counts: Object.fromEntries(COUNT_COLUMNS.map((c) => [c, new Int32Array(groups)])) as Record<
      CountColumn,
      Int32Array
    >,
  };
  const columns = COUNT_COLUMNS.map((c) => out.counts[c]);
  let g = -1;
  for (let i = 0; i < order.length; i++) {
    const r = order[i]!;
    if (g < 0 || prompt[r] !== out.prompt[g] || checkpoint[r] !== out.checkpoint[g]) {
      g++;
      out.prompt[g] = prompt[r]!;
      out.checkpoint[g] = checkpoint[r]!;
    }
    const b = bits[r]!;
    for (let c = 0; c < columns.length; c++) if (b & (1 << c)) columns[c]![g]!++;
  }
  return out;
}

/**
 * Indices of rows in (prompt, checkpoint) order. A study's prompt ids are close together, so the
 * rows are counted into place by prompt (linear; a comparison sort of a hundred thousand indices took
 * most of this file's time) and each prompt's few rows then sorted by checkpoint. Prompt ids spread
 * far apart fall back to a comparison sort.
 */
export function promptCheckpointOrder(prompt: Int32Array, checkpoint: Int32Array): Int32Array {
  const length = prompt.length;
  const order = new Int32Array(length);
  if (length === 0) return order;
  let min = prompt[0]!;
  let max = prompt[0]!;
  for (let i = 1; i < length; i++) {
    const p = prompt[i]!;
    if (p < min) min = p;
    else if (p > max) max = p;
  }
  const range = max - min + 1;
  if (range > 4 * length + 1024) {
    for (let i = 0; i < length; i++) order[i] = i;
    return order.sort((a, b) => prompt[a]! - prompt[b]! || checkpoint[a]! - checkpoint[b]!);
  }
  const next = new Int32Array(range + 1);
  for (let i = 0; i < length; i++) next[prompt[i]! - min + 1]!++;
  for (let p = 1; p <= range; p++) next[p]! += next[p - 1]!;
  for (let i = 0; i < length; i++) order[next[prompt[i]! - min]!++] = i;
  // Each prompt's run by checkpoint: insertion sort for the usual handful, a sort for long runs.
  let start = 0;
  while (start < length) {
    const p = prompt[order[start]!]!;
    let end = start + 1;
    while (end < length && prompt[order[end]!] === p) end++;
    if (end - start > 32) {
      order.subarray(start, end).sort((a, b) => checkpoint[a]! - checkpoint[b]! || a - b);
    } else {
      for (let i = start + 1; i < end; i++) {
        const row = order[i]!;
        const c = checkpoint[row]!;
        let j = i - 1;
        while (j >= start && checkpoint[order[j]!]! > c) {
          order[j + 1] = order[j]!;
          j--;
        }
        order[j + 1] = row;
      }
    }
    start = end;
  }
  return order;
}

function identity(length: number): Int32Array {
  const order = new Int32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  return order;
}

/** Indices of the rows in (prompt, checkpoint) order: null when they are in that order already. */
function rowOrder(rows: PromptCheckpointRows): Int32Array | null {
  const { prompt, checkpoint } = rows;
  for (let i = 1; i < prompt.length; i++) {
    if (prompt[i]! < prompt[i - 1]! || (prompt[i] === prompt[i - 1] && checkpoint[i]! <= checkpoint[i - 1]!)) {
      return promptCheckpointOrder(prompt, checkpoint);
    }
  }
  return null;
}

function add(values: Float64Array, index: number, amount: number) {
  values[index] = values[index]! + amount;
}

// Per group and kind: k, n, clusters with n > 0, Σk², Σkn, Σn².
const GROUP_SUMS = 6;
// Per strategy pair and kind: Σk_a·k_b, Σk_a·n_b, Σn_a·k_b, Σn_a·n_b, prompts with both n > 0.
const CROSS_SUMS = 5;
// Per checkpoint pair and kind: prompts with both judged, only A failed, only B failed.
const DISCORDANT = 3;

function addGroup(sums: Float64Array, kindIndex: number, k: number, n: number) {
  const o = kindIndex * GROUP_SUMS;
  add(sums, o, k);
  add(sums, o + 1, n);
  if (n > 0) add(sums, o + 2, 1);
  add(sums, o + 3, k * k);
  add(sums, o + 4, k * n);
  add(sums, o + 5, n * n);
}

function groupRow(kinds: readonly KindColumns[], sums: Float64Array, row: Row): Row {
  kinds.forEach(({ short }, i) => {
    const o = i * GROUP_SUMS;
    row[`${short}_k`] = sums[o]!;
    row[`${short}_n`] = sums[o + 1]!;
    row[`${short}_g`] = sums[o + 2]!;
    row[`${short}_kk`] = sums[o + 3]!;
    row[`${short}_kn`] = sums[o + 4]!;
    row[`${short}_nn`] = sums[o + 5]!;
  });
  return row;
}

/**
 * pairedSums' loop, one prompt's rows at a time. A method called once per prompt, rather than one
 * loop over every row inside pairedSums: V8 then compiles it once with the types and branches of
 * thousands of prompts seen, where the long loop was compiled mid-run and thrown away again at each
 * branch it had not seen yet (the first calls of the page cost several times the later ones).
 */
class PromptSummer {
  readonly checkpointSums: Float64Array[];
  readonly strategySums: Float64Array[];
  readonly strategySeen: boolean[];
  readonly strategyPairs: Float64Array[][];
  readonly strategyPairSeen: boolean[][];
  /** Checkpoint pairs by A's dense index × count + B's, made when first met. */
  readonly checkpointPairs = new Map<number, Float64Array>();
  /** One prompt's per-strategy totals (K, N per kind) and which strategies it has. */
  private readonly promptTotals: Float64Array[];
  private readonly touched: boolean[];
  private readonly kindCount: number;

  constructor(
    private readonly order: Int32Array,
    private readonly dense: Int32Array,
    private readonly strategyIndexOf: readonly number[],
    private readonly nColumns: readonly Int32Array[],
    private readonly fColumns: readonly Int32Array[],
    private readonly checkpointCount: number,
    private readonly tie: boolean,
  ) {
    const kindCount = nColumns.length;
    this.kindCount = kindCount;
    this.checkpointSums = Array.from({ length: checkpointCount }, () => new Float64Array(kindCount * GROUP_SUMS));
    this.strategySums = STRATEGY_ORDER.map(() => new Float64Array(kindCount * GROUP_SUMS));
    this.strategySeen = STRATEGY_ORDER.map(() => false);
    this.strategyPairs = STRATEGY_ORDER.map(() => STRATEGY_ORDER.map(() => new Float64Array(kindCount * CROSS_SUMS)));
    this.strategyPairSeen = STRATEGY_ORDER.map(() => STRATEGY_ORDER.map(() => false));
    this.promptTotals = STRATEGY_ORDER.map(() => new Float64Array(kindCount * 2));
    this.touched = STRATEGY_ORDER.map(() => false);
  }

  private failed(k: number, n: number): boolean {
    return 2 * k > n || (this.tie && 2 * k === n);
  }

  /** The rows order[start..end), one prompt's, in checkpoint order. */
  prompt(start: number, end: number) {
    const { order, touched } = this;
    touched.fill(false);
    for (let r = start; r < end; r++) {
      const i = order[r]!;
      this.row(i);
      // Every later checkpoint of the prompt (higher id: rows are in checkpoint order) pairs with this one.
      for (let r2 = r + 1; r2 < end; r2++) this.checkpointPair(i, order[r2]!);
    }
    for (let a = 0; a < STRATEGY_ORDER.length; a++) {
      if (!touched[a]) continue;
      this.strategySeen[a] = true;
      const totalsA = this.promptTotals[a]!;
      const sums = this.strategySums[a]!;
      for (let kind = 0; kind < this.kindCount; kind++)
        addGroup(sums, kind, totalsA[kind * 2]!, totalsA[kind * 2 + 1]!);
      for (let b = a + 1; b < STRATEGY_ORDER.length; b++) if (touched[b]) this.strategyPair(a, b);
    }
  }

  private row(i: number) {
    const c = this.dense[i]!;
    const s = this.strategyIndexOf[c]!;
    const totals = this.promptTotals[s]!;
    if (!this.touched[s]) {
      this.touched[s] = true;
      totals.fill(0);
    }
    const sums = this.checkpointSums[c]!;
    for (let kind = 0; kind < this.kindCount; kind++) {
      const k = this.fColumns[kind]![i]!;
      const n = this.nColumns[kind]![i]!;
      addGroup(sums, kind, k, n);
      totals[kind * 2] = totals[kind * 2]! + k;
      totals[kind * 2 + 1] = totals[kind * 2 + 1]! + n;
    }
  }

  private checkpointPair(i: number, j: number) {
    const key = this.dense[i]! * this.checkpointCount + this.dense[j]!;
    let pair = this.checkpointPairs.get(key);
    if (pair === undefined) {
      pair = new Float64Array(this.kindCount * DISCORDANT);
      this.checkpointPairs.set(key, pair);
    }
    for (let kind = 0; kind < this.kindCount; kind++) {
      const nA = this.nColumns[kind]![i]!;
      const nB = this.nColumns[kind]![j]!;
      if (nA === 0 || nB === 0) continue;
      const failedA = this.failed(this.fColumns[kind]![i]!, nA);
      const failedB = this.failed(this.fColumns[kind]![j]!, nB);
      const o = kind * DISCORDANT;
      pair[o] = pair[o]! + 1;
      if (failedA && !failedB) pair[o + 1] = pair[o + 1]! + 1;
      if (failedB && !failedA) pair[o + 2] = pair[o + 2]! + 1;
    }
  }

  private strategyPair(a: number, b: number) {
    const totalsA = this.promptTotals[a]!;
    const totalsB = this.promptTotals[b]!;
    this.strategyPairSeen[a]![b] = true;
    const cross = this.strategyPairs[a]![b]!;
    for (let kind = 0; kind < this.kindCount; kind++) {
      const kA = totalsA[kind * 2]!;
      const nA = totalsA[kind * 2 + 1]!;
      const kB = totalsB[kind * 2]!;
      const nB = totalsB[kind * 2 + 1]!;
      const o = kind * CROSS_SUMS;
      cross[o] = cross[o]! + kA * kB;
      cross[o + 1] = cross[o + 1]! + kA * nB;
      cross[o + 2] = cross[o + 2]! + nA * kB;
      cross[o + 3] = cross[o + 3]! + nA * nB;
      if (nA > 0 && nB > 0) cross[o + 4] = cross[o + 4]! + 1;
    }
  }
}

/**
 * The sums pairedAnalyticsFromRow reads, from the (prompt, checkpoint) rows. A prompt fails for a
 * checkpoint when most of its judged samples failed (half of them when `tie` counts ties).
 */
export function pairedSums(
  rows: PromptCheckpointRows,
  strategyOf: ReadonlyMap<number, TrainingStrategy>,
  kinds: readonly KindColumns[],
  tie: boolean,
): PairedSums {
  const order = rowOrder(rows) ?? identity(rows.prompt.length);
  const nColumns = kinds.map((k) => rows.counts[k.n]);
  const fColumns = kinds.map((k) => rows.counts[k.failures]);
  const length = rows.prompt.length;

  // Checkpoints numbered densely in order of id (so that a pair's A has the lower id, as before),
  // with their strategy's index: the loop below then indexes typed arrays instead of maps.
  const seen = new Set<number>();
  for (let i = 0; i < length; i++) seen.add(rows.checkpoint[i]!);
  const ids = [...seen].sort((a, b) => a - b);
  const denseOf = new Map(ids.map((id, i) => [id, i]));
  const strategyIndexOf = ids.map((id) => {
    const s = STRATEGY_ORDER.indexOf(strategyOf.get(id)!);
    if (s < 0) throw new Error(`checkpoint ${id} has no strategy`);
    return s;
  });
  const dense = new Int32Array(length);
  for (let i = 0; i < length; i++) dense[i] = denseOf.get(rows.checkpoint[i]!)!;
  const summer = new PromptSummer(order, dense, strategyIndexOf, nColumns, fColumns, ids.length, tie);
  let start = 0;
  while (start < length) {
    const prompt = rows.prompt[order[start]!]!;
    let end = start + 1;
    while (end < length && rows.prompt[order[end]!] === prompt) end++;
    summer.prompt(start, end);
    start = end;
  }
  const { checkpointSums, strategySums, strategySeen, strategyPairs, strategyPairSeen, checkpointPairs } = summer;
  const checkpointCount = ids.length;

  // In the order the maps gave them before: checkpoints and strategies as first met, i.e. in order.
  const strategyEntries = STRATEGY_ORDER.flatMap((strategy, a) =>
    strategySeen[a] ? [[strategy, strategySums[a]!] as const] : [],
  );
  const strategyPairEntries = STRATEGY_ORDER.flatMap((strategyA, a) =>
    STRATEGY_ORDER.flatMap((strategyB, b) =>
      strategyPairSeen[a]![b] ? [[`${strategyA}:${strategyB}`, strategyPairs[a]![b]!] as const] : [],
    ),
  );
  return {
    checkpoints: ids.map((checkpoint, c) =>
      groupRow(kinds, checkpointSums[c]!, { checkpoint_id: checkpoint, strategy: strategyOf.get(checkpoint)! }),
    ),
    strategies: strategyEntries.map(([strategy, sums]) => groupRow(kinds, sums, { strategy })),
    strategy_pairs: strategyPairEntries.map(([key, cross]) => {
      const [a, b] = key.split(":");
      const row: Row = { a: a!, b: b! };
      kinds.forEach(({ short }, kind) => {
        const o = kind * CROSS_SUMS;
        row[`${short}_xkk`] = cross[o]!;
        row[`${short}_xkn`] = cross[o + 1]!;
        row[`${short}_xnk`] = cross[o + 2]!;
        row[`${short}_xnn`] = cross[o + 3]!;
        row[`${short}_shared`] = cross[o + 4]!;
      });
      return row;
    }),
    checkpoint_pairs: [...checkpointPairs.keys()]
      .sort((a, b) => a - b)
      .map((key): Row => {
        const pair = checkpointPairs.get(key)!;
        const row: Row = { a: ids[Math.floor(key / checkpointCount)]!, b: ids[key % checkpointCount]! };
        kinds.forEach(({ short }, kind) => {
          const o = kind * DISCORDANT;
          row[`${short}_pairs`] = pair[o]!;
          row[`${short}_only_a`] = pair[o + 1]!;
          row[`${short}_only_b`] = pair[o + 2]!;
        });
        return row;
      }),
  };
}
