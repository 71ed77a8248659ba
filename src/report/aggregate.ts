import * as hdr from 'hdr-histogram-js';
import { SIGNIFICANT_DIGITS, statistic, toRecorded, type Aggregate, type EncodedWindow, type Histogram, type MetricKind, type MetricsQuery, type Tags } from '../metrics/index.js';

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

/** Sized for the largest value up front (growing an auto-resizing histogram step by step is costly). */
function accumulator(maxValue = 0): Histogram {
  const highest = Math.max(2048, toRecorded(maxValue) * 2);
  return hdr.build({ bitBucketSize: 32, autoResize: true, highestTrackableValue: highest, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS });
}

/** Aggregate of windows of one metric covering seconds [from, to). */
export function aggregateWindows(metric: string, kind: MetricKind, ws: readonly EncodedWindow[], from: number, to: number): Aggregate {
  let count = 0, sum = 0, min = Infinity, max = -Infinity, lastT = -1;
  let h: Histogram | null = null;
  let top = 0;
  for (const w of ws) if (w.hdr && w.max > top) top = w.max;
  const lastBySecond = kind === 'gauge' ? new Map<number, number>() : null;
  for (const w of ws) {
    count += w.count;
    if (lastBySecond) lastBySecond.set(w.t, (lastBySecond.get(w.t) ?? 0) + w.sum);
    else sum += w.sum;
    if (w.min < min) min = w.min;
    if (w.max > max) max = w.max;
    if (w.t > lastT) lastT = w.t;
    if (w.hdr) {
      h ??= accumulator(top);
      const p = pairsOf(w);
      for (let i = 0; i < p.length; i += 2) h.recordValueWithCount(p[i], p[i + 1]);
    }
  }
  return {
    metric, kind, count, sum,
    min: count ? min : null,
    max: count ? max : null,
    last: lastBySecond && lastT >= 0 ? lastBySecond.get(lastT)! : null,
    seconds: Math.max(0, to - Math.max(0, from)),
    histogram: kind === 'trend' ? (h ?? accumulator()) : null,
  };
}

/** A statistic of a metric over the whole run, like statistic(q.aggregate(metric, { tags }), stat), with cached decoding. */
export function runStat(q: MetricsQuery, metric: string, stat: string, tags?: Tags): number | null {
  const kind = q.kindOf(metric);
  const agg = kind === 'trend' ? aggregateWindows(metric, kind, q.windows(metric, tags ? { tags } : {}), 0, q.lastSecond + 1) : q.aggregate(metric, tags ? { tags } : {});
  return statistic(agg, stat);
}
