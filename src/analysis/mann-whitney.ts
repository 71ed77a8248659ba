/**
 * The Mann–Whitney U test (Wilcoxon rank-sum) of two independent samples, its Hodges–Lehmann shift
 * estimate with a distribution-free confidence interval, and Holm's step-down adjustment for a family
 * of tests. Pure; no randomness, so a gate verdict is the same every time it is computed.
 *
 * Why this test for the gate (docs/measurements.md#the-gates-statistics): it works on ranks, so one
 * stalled second of a busy machine moves it by one rank and not by its size; it needs only each
 * second's percentile (which summary.json can carry), not the seconds' histograms.
 */

export interface MannWhitney {
  /** sizes of the two samples */
  n1: number;
  n2: number;
  /** U of sample `x`: pairs where x > y, plus half the ties */
  u: number;
  /** the normal approximation's z, continuity-corrected, tie-corrected; 0 when every value ties */
  z: number;
  /** one-sided p-value that x tends to be larger than y */
  pGreater: number;
  /** one-sided p-value that x tends to be smaller than y */
  pLess: number;
}

/** Complementary error function, fractional error < 1.2e-7 everywhere (Chebyshev fit, Numerical Recipes' erfcc). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z: an upper tail, accurate relative to its size far into the tail. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** z of the two-sided 95% interval (Φ⁻¹(0.975)). */
export const Z_975 = 1.959963984540054;

/** Mid-ranks (1-based) of `values`, and the tie correction term Σ(t³ − t) over groups of ties. */
function midRanks(values: readonly number[]): { ranks: Float64Array; ties: number } {
  const order = values.map((v, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(values.length);
  let ties = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    const t = j - i + 1;
    if (t > 1) ties += t * t * t - t;
    i = j + 1;
  }
  return { ranks, ties };
}

/**
 * Mann–Whitney U of `x` against `y` with the normal approximation (continuity and tie corrections).
 * Both samples need at least one value; NaN values are not samples (the caller removes them).
 */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitney {
  const n1 = x.length, n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError(`mannWhitney needs two non-empty samples, got ${n1} and ${n2}`);
  const { ranks, ties } = midRanks([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (!(variance > 0)) return { n1, n2, u, z: 0, pGreater: 1, pLess: 1 };
  const sd = Math.sqrt(variance);
  const zUp = (u - mean - 0.5) / sd;
  const zDown = (u - mean + 0.5) / sd;
  return {
    n1, n2, u,
    z: (u - mean) / sd,
    pGreater: Math.min(1, normalUpperTail(zUp)),
    pLess: Math.min(1, normalUpperTail(-zDown)),
  };
}

export interface Shift {
  /** Hodges–Lehmann estimate: the median of every difference x_i − y_j */
  estimate: number;
  /** the distribution-free 95% interval of the shift (order statistics of those differences) */
  low: number;
  high: number;
}

/** k-th smallest (0-based) of a Float64Array, in place (quickselect). */
function select(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * The Hodges–Lehmann shift of x over y and its 95% interval (Bauer 1972; the normal approximation of U's
 * critical value). The differences are n1·n2 numbers: 600 seconds a side is 360,000, a few ms.
 */
export function hodgesLehmann(x: readonly number[], y: readonly number[]): Shift {
  const n1 = x.length, n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError(`hodgesLehmann needs two non-empty samples, got ${n1} and ${n2}`);
  const m = n1 * n2;
  const d = new Float64Array(m);
  let k = 0;
  for (const xi of x) for (const yj of y) d[k++] = xi - yj;
  const median = m % 2 ? select(d, (m - 1) / 2) : (select(d, m / 2 - 1) + select(d, m / 2)) / 2;
  // the C-th smallest and C-th largest difference bound the interval
  const c = Math.floor(m / 2 - Z_975 * Math.sqrt((m * (n1 + n2 + 1)) / 12));
  const lowIndex = Math.max(0, Math.min(m - 1, c));
  const highIndex = Math.max(0, Math.min(m - 1, m - 1 - c));
  return { estimate: median, low: select(d, lowIndex), high: select(d, highIndex) };
}

/**
 * Holm's step-down adjustment: adjusted p-values, in the input's order, that keep the chance of any
 * false rejection in the family at or below α when each is compared with α. Monotone, never below
 * the raw p-value, never above 1.
 */
export function holmAdjust(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[idx]));
    out[idx] = running;
  });
  return out;
}
