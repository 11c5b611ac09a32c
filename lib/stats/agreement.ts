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
export function krippendorffAlpha(
  units: readonly (readonly (number | string | null | undefined)[])[],
  level: MeasurementLevel,
): AlphaResult {
  const coincidences: Coincidence[] = [];
  let pairableUnits = 0;
  let values = 0;
  for (const unit of units) {
    const present = unit.filter((v): v is number | string => v !== null && v !== undefined);
    if (present.length < 2) continue;
    pairableUnits += 1;
    values += present.length;
    const weight = 1 / (present.length - 1);
    for (let i = 0; i < present.length; i++) {
      for (let j = 0; j < present.length; j++)
        if (i !== j) coincidences.push({ c: present[i]!, k: present[j]!, weight });
    }
  }
  return { alpha: alphaFromCoincidences(coincidences, level), units: pairableUnits, values };
}

/** One cell's worth of the coincidence matrix: value c paired with value k, with its weight. */
export interface Coincidence {
  c: number | string;
  k: number | string;
  weight: number;
}

/**
 * Alpha from coincidences (which SQL can sum up without sending labels to JavaScript): each pair
 * of values two reviewers gave one unit of m values counts 1 / (m − 1), in both orders.
 */
export function alphaFromCoincidences(coincidences: readonly Coincidence[], level: MeasurementLevel): number | null {
  const categories = sortedCategories(coincidences.flatMap((x) => [x.c, x.k]));
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  const o = new Float64Array(k * k);
  for (const x of coincidences) o[index.get(x.c)! * k + index.get(x.k)!]! += x.weight;
  return alphaFromMatrix(o, categories, level);
}

/** Values in their scale's order: numbers numerically, text alphabetically. */
export function sortedCategories(values: readonly (number | string)[]): (number | string)[] {
  return [...new Set(values)].sort((x, y) =>
    typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y)),
  );
}

/**
 * Alpha from the coincidence matrix over `categories` (in scale order), row-major in a flat array
 * (o[c·k + d]): a bootstrap calls this a thousand times per scope, so it allocates only the margins.
 */
export function alphaFromMatrix(
  o: ArrayLike<number>,
  categories: readonly (number | string)[],
  level: MeasurementLevel,
): number | null {
  const k = categories.length;
  const nc = new Float64Array(k);
  let n = 0;
  for (let c = 0; c < k; c++) {
    let row = 0;
    for (let d = 0; d < k; d++) row += o[c * k + d]!;
    nc[c] = row;
    n += row;
  }
  if (n < 2) return null;
  // Ordinal distances need the sum of the margins between two values: prefix sums.
  const prefix = new Float64Array(k + 1);
  for (let g = 0; g < k; g++) prefix[g + 1] = prefix[g]! + nc[g]!;
  if (level === "interval" && categories.some((v) => typeof v !== "number"))
    throw new TypeError("interval alpha needs numeric values");

  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      if (c === d) continue;
      let dist = 1;
      if (level === "interval") dist = ((categories[c] as number) - (categories[d] as number)) ** 2;
      else if (level === "ordinal") {
        const lo = c < d ? c : d;
        const hi = c < d ? d : c;
        dist = (prefix[hi + 1]! - prefix[lo]! - (nc[lo]! + nc[hi]!) / 2) ** 2;
      }
      observed += o[c * k + d]! * dist;
      expected += nc[c]! * nc[d]! * dist;
    }
  }
  return expected === 0 ? null : 1 - ((n - 1) * observed) / expected;
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
export function cohensKappa(
  pairs: readonly (readonly [number | string, number | string])[],
  weights: "none" | "quadratic" = "none",
): KappaResult {
  const counts = new Map<string, { a: number | string; b: number | string; count: number }>();
  for (const [a, b] of pairs) {
    const key = `${typeof a}:${a}\u0000${typeof b}:${b}`;
    const cell = counts.get(key) ?? { a, b, count: 0 };
    cell.count += 1;
    counts.set(key, cell);
  }
  return kappaFromTable([...counts.values()], weights);
}

/** Kappa from the contingency table of two reviewers (one cell per pair of values and its count). */
export function kappaFromTable(
  cells: readonly { a: number | string; b: number | string; count: number }[],
  weights: "none" | "quadratic" = "none",
): KappaResult {
  const categories = sortedCategories(cells.flatMap((cell) => [cell.a, cell.b]));
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  const table = new Float64Array(k * k);
  for (const cell of cells) table[index.get(cell.a)! * k + index.get(cell.b)!]! += cell.count;
  return kappaFromMatrix(table, categories, weights);
}

/** Kappa from the k × k table of two reviewers' values over `categories` (in scale order), row-major and flat. */
export function kappaFromMatrix(
  table: ArrayLike<number>,
  categories: readonly (number | string)[],
  weights: "none" | "quadratic" = "none",
): KappaResult {
  const k = categories.length;
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  let n = 0;
  let agree = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = table[i * k + j]!;
      rows[i]! += v;
      cols[j]! += v;
      n += v;
    }
    agree += table[i * k + i]!;
  }
  if (n === 0) return { kappa: null, n, observedAgreement: null };
  if (weights === "none") {
    // Unweighted: disagreement is 1 off the diagonal, so both sums follow from the diagonal.
    let chance = 0;
    for (let i = 0; i < k; i++) chance += rows[i]! * cols[i]!;
    const expected = 1 - chance / (n * n);
    if (expected <= 1e-15) return { kappa: null, n, observedAgreement: agree / n };
    return { kappa: 1 - (1 - agree / n) / expected, n, observedAgreement: agree / n };
  }
  // Quadratic weights: the squared distance between two values over the scale's range.
  if (categories.some((v) => typeof v !== "number")) throw new TypeError("weighted kappa needs numeric values");
  const range = (categories.at(-1) as number) - (categories[0] as number);
  const disagreement = (i: number, j: number) =>
    range === 0 ? 0 : (((categories[i] as number) - (categories[j] as number)) / range) ** 2;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = disagreement(i, j);
      if (w === 0) continue;
      observed += (w * table[i * k + j]!) / n;
      expected += (w * rows[i]! * cols[j]!) / (n * n);
    }
  }
  if (expected === 0) return { kappa: null, n, observedAgreement: agree / n };
  return { kappa: 1 - observed / expected, n, observedAgreement: agree / n };
}
