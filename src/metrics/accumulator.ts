import { HDR_INDEX, type BucketList, type PercentileSource } from './histogram.js';

/** hdr-histogram-js's own `ulp` (dist/ulp.js, not exported), so ranks round exactly as its getValueAtPercentile. */
const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);

/** The count a percentile must reach, rounded as hdr-histogram-js's getValueAtPercentile does. */
function rankOf(percentile: number, total: number): number {
  const fp = (Math.min(percentile, 100) / 100) * total;
  return Math.max(Math.ceil(fp - ulp(fp)), 1);
}

const EMPTY = new Float64Array(0);
/**
 * An indexed accumulator also sums counts by blocks of 64 indices, so that a percentile skips whole
 * blocks: worth it where percentiles are read often (a report's per-second p95 over ~6,000 indices),
 * not where counts are added often and read once (whole-run totals, chart buckets).
 */
const BLOCK_BITS = 6;
const BLOCK = 1 << BLOCK_BITS;

/**
 * A BucketList decoded once into absolute indices and counts, for adding the same window to several
 * accumulators (a report adds each window to its second, chart bucket, load levels and series).
 */
export class DecodedBuckets {
  index = new Int32Array(64);
  count = new Float64Array(64);
  n = 0;
  total = 0;

  /** Decode `b` (reusing this object's arrays); returns this. */
  decode(b: readonly number[]): this {
    if (this.index.length < b.length) {
      this.index = new Int32Array(b.length * 2);
      this.count = new Float64Array(b.length * 2);
    }
    const ix = this.index, cx = this.count;
    let index = -1, count = 1, n = 0, total = 0;
    for (let k = 0; k < b.length; k++) {
      const v = b[k];
      if (v < 0) { count = -v; continue; }
      index += v;
      ix[n] = index;
      cx[n] = count;
      n++;
      total += count;
      count = 1;
    }
    this.n = n;
    this.total = total;
    return this;
  }
}

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
  /** sums of counts[k·64 … k·64+63] */
  private blocks: Float64Array = EMPTY;
  /** HDR index of counts[0] (a multiple of 64) */
  private base = 0;
  /** lowest and highest non-empty index since the last clear (lo > hi when empty) */
  private lo = Infinity;
  private hi = -1;

  /** `indexed`: keep block sums for fast percentiles (see BLOCK_BITS). */
  constructor(private readonly indexed = false) {}

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
    const c = this.counts, blk = this.blocks, base = this.base, indexed = this.indexed;
    let index = -1, count = 1, total = 0;
    for (let k = 0; k < n; k++) {
      const v = b[k];
      if (v < 0) { count = -v; continue; }
      index += v;
      c[index - base] += count;
      if (indexed) blk[(index - base) >> BLOCK_BITS] += count;
      total += count;
      count = 1;
    }
    this.totalCount += total;
    if (first < this.lo) this.lo = first;
    if (last > this.hi) this.hi = last;
  }

  /** Add a decoded window (see DecodedBuckets). */
  addDecoded(d: DecodedBuckets): void {
    const n = d.n;
    if (n === 0) return;
    const ix = d.index, cx = d.count;
    const first = ix[0], last = ix[n - 1];
    this.ensure(first, last);
    const c = this.counts, base = this.base;
    if (this.indexed) {
      const blk = this.blocks;
      for (let k = 0; k < n; k++) {
        const o = ix[k] - base;
        const v = cx[k];
        c[o] += v;
        blk[o >> BLOCK_BITS] += v;
      }
    } else {
      for (let k = 0; k < n; k++) c[ix[k] - base] += cx[k];
    }
    this.totalCount += d.total;
    if (first < this.lo) this.lo = first;
    if (last > this.hi) this.hi = last;
  }

  /** Add everything another accumulator holds. */
  add(other: HistogramAccumulator): void {
    if (other.totalCount === 0) return;
    this.ensure(other.lo, other.hi);
    const c = this.counts, blk = this.blocks, oc = other.counts, indexed = this.indexed;
    const shift = other.base - this.base;
    for (let i = other.lo - other.base, end = other.hi - other.base; i <= end; i++) {
      const v = oc[i];
      if (v === 0) continue;
      c[i + shift] += v;
      if (indexed) blk[(i + shift) >> BLOCK_BITS] += v;
    }
    this.totalCount += other.totalCount;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  /** Forget every count, keeping the memory for the next use. */
  clear(): void {
    if (this.hi >= 0) {
      this.counts.fill(0, this.lo - this.base, this.hi - this.base + 1);
      if (this.indexed) this.blocks.fill(0, (this.lo - this.base) >> BLOCK_BITS, ((this.hi - this.base) >> BLOCK_BITS) + 1);
    }
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
    if (this.totalCount === 0) return 0;
    return this.valueAt(this.offsetOfRank(rankOf(percentile, this.totalCount), this.lo - this.base, 0).offset, percentile);
  }

  /** Several percentiles in one walk over the counts (any order of `percentiles`). */
  valuesAtPercentiles(percentiles: readonly number[]): number[] {
    const out = new Array<number>(percentiles.length).fill(0);
    if (this.totalCount === 0) return out;
    const order = percentiles.map((p, k) => ({ k, p, rank: rankOf(p, this.totalCount) })).sort((a, b) => a.rank - b.rank);
    let at = { offset: this.lo - this.base, running: 0 };
    for (const { k, p, rank } of order) {
      at = this.offsetOfRank(rank, at.offset, at.running);
      out[k] = this.valueAt(at.offset, p);
    }
    return out;
  }

  /**
   * The first offset (index − base) where the running count reaches `rank`, walking from `offset` with
   * `running` counted before it: whole blocks of 64 at a time, then bucket by bucket within one.
   */
  private offsetOfRank(rank: number, offset: number, running: number): { offset: number; running: number } {
    const c = this.counts, blk = this.blocks, end = this.hi - this.base;
    let i = offset;
    if (!this.indexed) {
      for (; i < end; i++) {
        const v = c[i];
        if (running + v >= rank) break;
        running += v;
      }
      return { offset: i, running };
    }
    while (i < end) {
      if ((i & (BLOCK - 1)) === 0) {
        const sum = blk[i >> BLOCK_BITS];
        if (running + sum < rank) { running += sum; i += BLOCK; continue; }
      }
      const v = c[i];
      if (running + v >= rank) break;
      running += v;
      i++;
    }
    return { offset: Math.min(i, end), running };
  }

  /** hdr-histogram-js's answer for the bucket at `offset`: its highest equivalent value (its lowest for p0). */
  private valueAt(offset: number, percentile: number): number {
    const v = HDR_INDEX.valueFromIndex(offset + this.base);
    return percentile === 0 ? HDR_INDEX.lowestEquivalentValue(v) : HDR_INDEX.highestEquivalentValue(v);
  }

  /** Make counts[] cover indices [from, to] (and what it holds already). */
  private ensure(from: number, to: number): void {
    if (from >= this.base && to < this.base + this.counts.length) return;
    const lo = this.hi >= 0 ? Math.min(from, this.lo) : from;
    const hi = this.hi >= 0 ? Math.max(to, this.hi) : to;
    const span = hi - lo + 1;
    const base = Math.max(0, lo - (span >> 2)) & ~(BLOCK - 1);
    const size = (Math.ceil((hi + (span >> 2) + 1 - base) / BLOCK) + 1) * BLOCK;
    const next = new Float64Array(size);
    const blocks = this.indexed ? new Float64Array(size >> BLOCK_BITS) : EMPTY;
    if (this.hi >= 0) {
      for (let i = this.lo; i <= this.hi; i++) {
        const v = this.counts[i - this.base];
        if (v === 0) continue;
        next[i - base] = v;
        if (this.indexed) blocks[(i - base) >> BLOCK_BITS] += v;
      }
    }
    this.counts = next;
    this.blocks = blocks;
    this.base = base;
  }
}
