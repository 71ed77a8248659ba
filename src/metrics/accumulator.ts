import { HDR_INDEX, type BucketList, type PercentileSource } from './histogram.js';

/** hdr-histogram-js's own `ulp` (dist/ulp.js, not exported), so ranks round exactly as its getValueAtPercentile. */
const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);

const EMPTY = new Float64Array(0);

/**
 * The one place where trend windows are added up: counts by HDR counts-array index (see BucketList),
 * in a dense array covering only the indices seen. Adding a window is a loop over its few buckets;
 * percentiles walk the counts as hdr-histogram-js's getValueAtPercentile does (same rank rounding, same
 * highest-equivalent value), so they equal those of an HDR histogram holding every sample added
 * (pinned by property tests against hdr-histogram-js). Counts are doubles: exact to 2^53 samples.
 */
export class HistogramAccumulator implements PercentileSource {
  totalCount = 0;
  private counts: Float64Array = EMPTY;
  /** HDR index of counts[0] */
  private base = 0;
  /** lowest and highest non-empty index since the last clear (lo > hi when empty) */
  private lo = Infinity;
  private hi = -1;

  static of(...lists: ReadonlyArray<readonly number[]>): HistogramAccumulator {
    const a = new HistogramAccumulator();
    for (const b of lists) a.addBuckets(b);
    return a;
  }

  /** Add a window's BucketList. */
  addBuckets(b: readonly number[]): void {
    const n = b.length;
    let first = -1, last = -1;
    for (let k = 0; k < n; k++) {
      const v = b[k];
      if (v > 0) { last += v; if (first < 0) first = last; }
    }
    if (last < 0) return;
    this.ensure(first, last);
    const c = this.counts, base = this.base;
    let index = -1, count = 1, total = 0;
    for (let k = 0; k < n; k++) {
      const v = b[k];
      if (v < 0) { count = -v; continue; }
      index += v;
      c[index - base] += count;
      total += count;
      count = 1;
    }
    this.totalCount += total;
    if (first < this.lo) this.lo = first;
    if (last > this.hi) this.hi = last;
  }

  /** Add everything another accumulator holds. */
  add(other: HistogramAccumulator): void {
    if (other.totalCount === 0) return;
    this.ensure(other.lo, other.hi);
    const c = this.counts, oc = other.counts;
    const shift = other.base - this.base;
    for (let i = other.lo - other.base, end = other.hi - other.base; i <= end; i++) c[i + shift] += oc[i];
    this.totalCount += other.totalCount;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  /** Forget every count, keeping the memory for the next use. */
  clear(): void {
    if (this.hi >= 0) this.counts.fill(0, this.lo - this.base, this.hi - this.base + 1);
    this.totalCount = 0;
    this.lo = Infinity;
    this.hi = -1;
  }

  /** The counts as a BucketList (ascending indices). */
  toBuckets(): BucketList {
    const out: BucketList = [];
    let prev = -1;
    for (let i = this.lo; i <= this.hi; i++) {
      const c = this.counts[i - this.base];
      if (c === 0) continue;
      if (c !== 1) out.push(-c);
      out.push(i - prev);
      prev = i;
    }
    return out;
  }

  /** As hdr-histogram-js's JsHistogram.getValueAtPercentile on the same counts (recorded units). */
  getValueAtPercentile(percentile: number): number {
    return this.valuesAtPercentiles([percentile])[0];
  }

  /** Several percentiles in one walk over the counts (any order of `percentiles`). */
  valuesAtPercentiles(percentiles: readonly number[]): number[] {
    const out = new Array<number>(percentiles.length).fill(0);
    if (this.totalCount === 0) return out;
    const order = percentiles.map((p, k) => {
      const fp = (Math.min(p, 100) / 100) * this.totalCount;
      return { k, p, rank: Math.max(Math.ceil(fp - ulp(fp)), 1) };
    }).sort((a, b) => a.rank - b.rank);
    const c = this.counts, base = this.base;
    let running = 0, j = 0;
    for (let i = this.lo; i <= this.hi && j < order.length; i++) {
      running += c[i - base];
      while (j < order.length && running >= order[j].rank) {
        const v = HDR_INDEX.valueFromIndex(i);
        out[order[j].k] = order[j].p === 0 ? HDR_INDEX.lowestEquivalentValue(v) : HDR_INDEX.highestEquivalentValue(v);
        j++;
      }
    }
    return out;
  }

  /** Make counts[] cover indices [from, to] (and what it holds already). */
  private ensure(from: number, to: number): void {
    if (from >= this.base && to < this.base + this.counts.length) return;
    const lo = this.hi >= 0 ? Math.min(from, this.lo) : from;
    const hi = this.hi >= 0 ? Math.max(to, this.hi) : to;
    const span = hi - lo + 1;
    const size = Math.max(64, span + (span >> 1));
    const base = Math.max(0, lo - ((size - span) >> 1));
    const next = new Float64Array(size);
    if (this.hi >= 0) next.set(this.counts.subarray(this.lo - this.base, this.hi - this.base + 1), this.lo - base);
    this.counts = next;
    this.base = base;
  }
}
