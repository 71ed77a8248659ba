import * as hdr from 'hdr-histogram-js';
import { SIGNIFICANT_DIGITS, statistic, type Aggregate, type EncodedWindow, type Histogram, type MetricKind, type MetricsQuery, type Tags } from '../metrics/index.js';

/**
 * The report groups the same windows many ways (per second, per endpoint, per load level, whole run),
 * and decoding a window's histogram costs far more than adding it. So each window is decoded once and
 * kept; the aggregate has the same meaning as MetricsQuery.aggregate and goes to the same `statistic`.
 */
const decoded = new WeakMap<EncodedWindow, Histogram>();

function histogramOf(w: EncodedWindow): Histogram {
  let h = decoded.get(w);
  // Same encoding as decodeHistogram, decoded into 32-bit buckets: packed ones decode and add ~30× slower.
  if (!h) decoded.set(w, (h = hdr.decodeFromCompressedBase64(w.hdr!, 32) as Histogram));
  return h;
}

function accumulator(): Histogram {
  // 32-bit buckets add several times faster than packed ones; percentiles are the same.
  return hdr.build({ bitBucketSize: 32, autoResize: true, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS });
}

/** Aggregate of windows of one metric covering seconds [from, to). */
export function aggregateWindows(metric: string, kind: MetricKind, ws: readonly EncodedWindow[], from: number, to: number): Aggregate {
  let count = 0, sum = 0, min = Infinity, max = -Infinity, lastT = -1;
  let h: Histogram | null = null;
  // One histogram in range: use it as decoded, adding it to an empty one would only copy it.
  const withHdr = ws.filter((w) => w.hdr);
  const single = withHdr.length === 1 ? histogramOf(withHdr[0]) : null;
  const lastBySecond = kind === 'gauge' ? new Map<number, number>() : null;
  for (const w of ws) {
    count += w.count;
    if (lastBySecond) lastBySecond.set(w.t, (lastBySecond.get(w.t) ?? 0) + w.sum);
    else sum += w.sum;
    if (w.min < min) min = w.min;
    if (w.max > max) max = w.max;
    if (w.t > lastT) lastT = w.t;
    if (w.hdr && !single) (h ??= accumulator()).add(histogramOf(w));
  }
  return {
    metric, kind, count, sum,
    min: count ? min : null,
    max: count ? max : null,
    last: lastBySecond && lastT >= 0 ? lastBySecond.get(lastT)! : null,
    seconds: Math.max(0, to - Math.max(0, from)),
    histogram: kind === 'trend' ? (single ?? h ?? accumulator()) : null,
  };
}

/** A statistic of a metric over the whole run, like statistic(q.aggregate(metric, { tags }), stat), with cached decoding. */
export function runStat(q: MetricsQuery, metric: string, stat: string, tags?: Tags): number | null {
  const kind = q.kindOf(metric);
  const agg = kind === 'trend' ? aggregateWindows(metric, kind, q.windows(metric, tags ? { tags } : {}), 0, q.lastSecond + 1) : q.aggregate(metric, tags ? { tags } : {});
  return statistic(agg, stat);
}
