// Percentile bootstrap intervals for statistics computed from counted cells (a contingency table,
// the rows of a coincidence matrix), without the units themselves: the Poisson bootstrap (Hanley &
// MacGibbon 2006; Chamandy et al. 2012) redraws each cell's count as Poisson(count), which for a
// large sample is the multinomial resampling of its units cell by cell. Seeded, so the same data
// give the same interval on the page, in the API and on the command line.
import { normalQuantile } from "./distributions";

/** mulberry32: a small, fast 32-bit generator; uniform on [0, 1). */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal quantiles at the midpoints of 4,096 equal slices of (0, 1): a draw is one uniform
 * and a lookup, which is what makes a thousand redraws of every cell affordable on a page.
 */
const NORMAL_SLICES = 4096;
const NORMAL_TABLE = (() => {
  const table = new Float64Array(NORMAL_SLICES);
  for (let i = 0; i < NORMAL_SLICES; i++) table[i] = normalQuantile((i + 0.5) / NORMAL_SLICES);
  return table;
})();

/**
 * One Poisson(λ) draw: Knuth's product method below λ = 12 (it costs λ + 1 uniforms), a rounded
 * normal above (from the quantile table), where its error in an interval's ends is far below the
 * bootstrap's own noise.
 */
export function poissonDraw(lambda: number, uniform: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda < 12) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let product = uniform();
    while (product > limit) {
      k++;
      product *= uniform();
    }
    return k;
  }
  const z = NORMAL_TABLE[(uniform() * NORMAL_SLICES) | 0]!;
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
}

export interface BootstrapInterval {
  lower: number | null;
  upper: number | null;
  /** Replicates whose statistic was defined. */
  replicates: number;
}

export interface BootstrapOptions {
  replicates?: number;
  confidence?: number;
  seed?: number;
}

/**
 * The percentile interval of `statistic` over `replicates` Poisson redraws of the cell counts.
 * Replicates where the statistic is undefined (null) are left out; fewer than half defined gives no interval.
 */
export function poissonBootstrap(
  counts: readonly number[],
  statistic: (counts: readonly number[]) => number | null,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const replicates = options.replicates ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const uniform = seededUniform(options.seed ?? 0x5eed);
  const values: number[] = [];
  const drawn = new Array<number>(counts.length);
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < counts.length; i++) drawn[i] = poissonDraw(counts[i]!, uniform);
    const value = statistic(drawn);
    if (value !== null && Number.isFinite(value)) values.push(value);
  }
  if (values.length < replicates / 2) return { lower: null, upper: null, replicates: values.length };
  values.sort((a, b) => a - b);
  const at = (q: number) => {
    // Linear interpolation between order statistics (numpy's default percentile).
    const position = q * (values.length - 1);
    const below = Math.floor(position);
    const above = Math.min(values.length - 1, below + 1);
    return values[below]! + (values[above]! - values[below]!) * (position - below);
  };
  const tail = (1 - confidence) / 2;
  return { lower: at(tail), upper: at(1 - tail), replicates: values.length };
}
