import * as hdr from 'hdr-histogram-js';
import { SIGNIFICANT_DIGITS, statistic, type Aggregate, type EncodedWindow, type Histogram, type MetricKind, type MetricsQuery, type Tags } from '../metrics/index.js';

/**
 * The report groups the same windows many ways (per second, per endpoint, per load level, whole run),
 * and decoding a window's histogram costs far more than using it. A decoded histogram is also big
 * (its counts array spans every bucket up to its max), so each window is decoded once into its few
 * non-empty buckets, (value, count) pairs, and those are kept. Recording a bucket's lowest equivalent
 * value with its count into a histogram of the same precision lands in the same bucket, so the
 * aggregate equals MetricsQuery.aggregate's and goes to the same `statistic`.
 */
const sparse = new WeakMap<EncodedWindow, Float64Array>();

interface CountsAccess { countsArrayLength: number; getCountAtIndex(i: number): number; valueFromIndex(i: number): number }

function pairsOf(w: EncodedWindow): Float64Array {
  let p = sparse.get(w);
  if (p) return p;
  const h = hdr.decodeFromCompressedBase64(w.hdr!, 32) as unknown as CountsAccess;
  const out: number[] = [];
  for (let i = 0; i < h.countsArrayLength; i++) {
    const c = h.getCountAtIndex(i);
    if (c > 0) out.push(h.valueFromIndex(i), c);
  }
  p = Float64Array.from(out);
  sparse.set(w, p);
  return p;
}

/** Precision reference: bucket arithmetic only, never records (same digits as every window). */
const REF = hdr.build({ bitBucketSize: 32, autoResize: true, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS }) as unknown as
  { lowestEquivalentValue(v: number): number; highestEquivalentValue(v: number): number };

/**
 * Buckets of several windows added together, answering percentiles exactly as an HDR histogram holding
 * them would (same rounding of the rank, same highest-equivalent value), without allocating a counts
 * array spanning every bucket. Implements the part of Histogram that `statistic` reads.
 */
export class MergedBuckets {
  readonly totalCount: number;
  private readonly values: Float64Array;
  private readonly cumulative: Float64Array;

  constructor(byValue: Map<number, number>) {
    const values = Float64Array.from(byValue.keys()).sort();
    const cumulative = new Float64Array(values.length);
    let total = 0;
    values.forEach((v, i) => { total += byValue.get(v)!; cumulative[i] = total; });
    this.values = values;
    this.cumulative = cumulative;
    this.totalCount = total;
  }

  getValueAtPercentile(percentile: number): number {
    if (this.totalCount === 0) return 0;
    const p = Math.min(percentile, 100);
    const fp = (p / 100) * this.totalCount;
    const rank = Math.max(fp > 0 ? Math.ceil(fp - ulp(fp)) : 0, 1);
    // first index whose cumulative count reaches the rank (binary search)
    let lo = 0, hi = this.values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] >= rank) hi = mid; else lo = mid + 1;
    }
    const v = this.values[lo];
    return percentile === 0 ? REF.lowestEquivalentValue(v) : REF.highestEquivalentValue(v);
  }
}

function ulp(x: number): number {
  return Math.pow(2, Math.floor(Math.log2(x)) - 52);
}

/** Aggregate of windows of one metric covering seconds [from, to). */
export function aggregateWindows(metric: string, kind: MetricKind, ws: readonly EncodedWindow[], from: number, to: number): Aggregate {
  let count = 0, sum = 0, min = Infinity, max = -Infinity, lastT = -1;
  const byValue = kind === 'trend' ? new Map<number, number>() : null;
  const lastBySecond = kind === 'gauge' ? new Map<number, number>() : null;
  for (const w of ws) {
    count += w.count;
    if (lastBySecond) lastBySecond.set(w.t, (lastBySecond.get(w.t) ?? 0) + w.sum);
    else sum += w.sum;
    if (w.min < min) min = w.min;
    if (w.max > max) max = w.max;
    if (w.t > lastT) lastT = w.t;
    if (w.hdr && byValue) {
      const p = pairsOf(w);
      for (let i = 0; i < p.length; i += 2) byValue.set(p[i], (byValue.get(p[i]) ?? 0) + p[i + 1]);
    }
  }
  return {
    metric, kind, count, sum,
    min: count ? min : null,
    max: count ? max : null,
    last: lastBySecond && lastT >= 0 ? lastBySecond.get(lastT)! : null,
    seconds: Math.max(0, to - Math.max(0, from)),
    histogram: byValue ? (new MergedBuckets(byValue) as unknown as Histogram) : null,
  };
}

/** A statistic of a metric over the whole run, like statistic(q.aggregate(metric, { tags }), stat), with cached decoding. */
export function runStat(q: MetricsQuery, metric: string, stat: string, tags?: Tags): number | null {
  const kind = q.kindOf(metric);
  const agg = kind === 'trend' ? aggregateWindows(metric, kind, q.windows(metric, tags ? { tags } : {}), 0, q.lastSecond + 1) : q.aggregate(metric, tags ? { tags } : {});
  return statistic(agg, stat);
}
