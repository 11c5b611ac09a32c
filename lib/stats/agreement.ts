// Agreement between reviewers: Krippendorff's alpha (any number of reviewers, missing labels
// allowed; nominal, ordinal or interval) and Cohen's kappa for one pair of reviewers.

export type MeasurementLevel = "nominal" | "ordinal" | "interval";

export interface AlphaResult {
  /** Null when there is nothing to compare (fewer than two pairable values, or no variation). */
  alpha: number | null;
  /** Units with at least two values: the ones that count. */
  units: number;
  /** Pairable values. */
  values: number;
}

/**
 * Krippendorff's alpha from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability"). `units` holds, per unit (a response), the values the reviewers gave;
 * null or undefined for a reviewer who did not label it.
 */
export function krippendorffAlpha(units: readonly (readonly (number | string | null | undefined)[])[], level: MeasurementLevel): AlphaResult {
  const categories = new Map<string | number, number>();
  const pairable: (string | number)[][] = [];
  for (const unit of units) {
    const present = unit.filter((v): v is number | string => v !== null && v !== undefined);
    if (present.length < 2) continue;
    pairable.push(present);
    for (const v of present) if (!categories.has(v)) categories.set(v, categories.size);
  }
  const values = pairable.reduce((sum, u) => sum + u.length, 0);
  if (values < 2) return { alpha: null, units: pairable.length, values };

  // Categories in order, so that ordinal and interval distances make sense.
  const sorted = [...categories.keys()].sort((x, y) => (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))));
  const index = new Map(sorted.map((c, i) => [c, i]));
  const k = sorted.length;
  const o: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const unit of pairable) {
    const weight = 1 / (unit.length - 1);
    for (let i = 0; i < unit.length; i++) {
      for (let j = 0; j < unit.length; j++) {
        if (i !== j) o[index.get(unit[i]!)!]![index.get(unit[j]!)!]! += weight;
      }
    }
  }
  const nc = o.map((row) => row.reduce((s, v) => s + v, 0));
  const n = nc.reduce((s, v) => s + v, 0);

  const delta2 = (c: number, d: number): number => {
    if (c === d) return 0;
    if (level === "nominal") return 1;
    if (level === "interval") {
      const a = sorted[c]!;
      const b = sorted[d]!;
      if (typeof a !== "number" || typeof b !== "number") throw new TypeError("interval alpha needs numeric values");
      return (a - b) ** 2;
    }
    const [lo, hi] = c < d ? [c, d] : [d, c];
    let sum = 0;
    for (let g = lo; g <= hi; g++) sum += nc[g]!;
    return (sum - (nc[lo]! + nc[hi]!) / 2) ** 2;
  };

  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      const dist = delta2(c, d);
      observed += o[c]![d]! * dist;
      expected += nc[c]! * nc[d]! * dist;
    }
  }
  if (expected === 0) return { alpha: null, units: pairable.length, values };
  return { alpha: 1 - ((n - 1) * observed) / expected, units: pairable.length, values };
}

export interface KappaResult {
  kappa: number | null;
  /** Items both reviewers labelled. */
  n: number;
  observedAgreement: number | null;
}

/**
 * Cohen's kappa (Cohen 1960) for two reviewers over the items both labelled; `weights` "quadratic"
 * gives the weighted kappa for ordinal scales (numeric values only).
 */
export function cohensKappa(pairs: readonly (readonly [number | string, number | string])[], weights: "none" | "quadratic" = "none"): KappaResult {
  const n = pairs.length;
  if (n === 0) return { kappa: null, n, observedAgreement: null };
  const categories = [...new Set(pairs.flat())].sort((x, y) => (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))));
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  const table: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const [a, b] of pairs) table[index.get(a)!]![index.get(b)!]! += 1;
  const rows = table.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = categories.map((_, j) => table.reduce((s, r) => s + r[j]!, 0));

  const disagreement = (i: number, j: number) => {
    if (weights === "none") return i === j ? 0 : 1;
    const a = categories[i]!;
    const b = categories[j]!;
    if (typeof a !== "number" || typeof b !== "number") throw new TypeError("weighted kappa needs numeric values");
    const range = (categories.at(-1) as number) - (categories[0] as number);
    return range === 0 ? 0 : ((a - b) / range) ** 2;
  };
  let observed = 0;
  let expected = 0;
  let agree = 0;
  for (let i = 0; i < k; i++) {
    agree += table[i]![i]!;
    for (let j = 0; j < k; j++) {
      observed += (disagreement(i, j) * table[i]![j]!) / n;
      expected += (disagreement(i, j) * rows[i]! * cols[j]!) / (n * n);
    }
  }
  if (expected === 0) return { kappa: null, n, observedAgreement: agree / n };
  return { kappa: 1 - observed / expected, n, observedAgreement: agree / n };
}
