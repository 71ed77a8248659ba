import { HistogramAccumulator, type DecodedBuckets } from './accumulator.js';
import type { Aggregate, MetricsSource, RangeFilter } from './query.js';
import { seriesKey, tagsMatch } from './series-key.js';
import type { EncodedWindow, MetricKind, Tags } from './types.js';

export interface SeriesTotal {
  metric: string;
  kind: MetricKind;
  tags: Tags;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** gauges: the last second seen and the sum of the values in it */
  lastT: number;
  lastSum: number;
  histogram: HistogramAccumulator | null;
}

/**
 * Whole-run totals of every series (metric + tag set), added window by window: what a long run's
 * thresholds, endpoint tables and business figures need, without keeping its windows. Answers
 * `aggregate(metric, { tags })` exactly as MetricsQuery does over the same windows (every matching
 * series added); a time range needs the windows, so it is refused.
 */
export class SeriesTotals implements MetricsSource {
  private readonly byKey = new Map<string, SeriesTotal>();
  private readonly byRef = new Map<object, SeriesTotal>();
  private readonly byMetric = new Map<string, SeriesTotal[]>();
  lastSecond = -1;

  /** Add one window; `ref` (a series object shared by its windows, e.g. a decoder's) saves re-keying its tags. */
  add(w: EncodedWindow, ref?: object): void {
    this.addTo(this.totalOf(w, ref), w.t, w.count, w.sum, w.min, w.max, w.buckets);
  }

  /** The running total of a series (made on first use); `ref` as in add. */
  totalOf(s: { metric: string; kind: MetricKind; tags: Tags }, ref?: object): SeriesTotal {
    let total = ref ? this.byRef.get(ref) : undefined;
    if (total) return total;
    const key = seriesKey(s.metric, s.tags);
    total = this.byKey.get(key);
    if (!total) {
      total = { metric: s.metric, kind: s.kind, tags: s.tags, count: 0, sum: 0, min: Infinity, max: -Infinity, lastT: -1, lastSum: 0, histogram: s.kind === 'trend' ? new HistogramAccumulator() : null };
      this.byKey.set(key, total);
      let list = this.byMetric.get(s.metric);
      if (!list) this.byMetric.set(s.metric, (list = []));
      list.push(total);
    }
    if (ref) this.byRef.set(ref, total);
    return total;
  }

  /** Add one window's figures to a series' total (`decoded`: its buckets already decoded). */
  addTo(s: SeriesTotal, t: number, count: number, sum: number, min: number, max: number, buckets: readonly number[] | undefined, decoded?: DecodedBuckets): void {
    s.count += count;
    if (s.kind === 'gauge') {
      if (t > s.lastT) { s.lastT = t; s.lastSum = 0; }
      if (t === s.lastT) s.lastSum += sum;
    } else s.sum += sum;
    if (min < s.min) s.min = min;
    if (max > s.max) s.max = max;
    if (s.histogram && buckets) {
      if (decoded) s.histogram.addDecoded(decoded);
      else s.histogram.addBuckets(buckets);
    }
    if (t > this.lastSecond) this.lastSecond = t;
  }

  metrics(): string[] {
    return [...this.byMetric.keys()].sort();
  }

  kindOf(metric: string): MetricKind | undefined {
    return this.byMetric.get(metric)?.[0]?.kind;
  }

  tagValues(metric: string, tag: string): string[] {
    const values = new Set<string>();
    for (const s of this.byMetric.get(metric) ?? []) {
      const v = s.tags[tag];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  /** The series of a metric matching a tag filter, for sums by tag (e.g. 2xx answers of one endpoint). */
  series(metric: string, tags?: Tags): ReadonlyArray<Readonly<Pick<SeriesTotal, 'tags' | 'count' | 'sum'>>> {
    return (this.byMetric.get(metric) ?? []).filter((s) => tagsMatch(s.tags, tags));
  }

  aggregate(metric: string, filter: RangeFilter = {}): Aggregate {
    if (filter.from !== undefined || filter.to !== undefined) {
      throw new Error('invalid query: whole-run totals have no time range (read the windows for one)');
    }
    const kind = this.kindOf(metric) ?? 'counter';
    let count = 0, sum = 0, min = Infinity, max = -Infinity, lastT = -1, last = 0;
    const h = kind === 'trend' ? new HistogramAccumulator() : null;
    for (const s of this.byMetric.get(metric) ?? []) {
      if (!tagsMatch(s.tags, filter.tags)) continue;
      count += s.count;
      sum += s.sum;
      if (s.min < min) min = s.min;
      if (s.max > max) max = s.max;
      if (s.lastT > lastT) { lastT = s.lastT; last = 0; }
      if (s.lastT === lastT && s.lastT >= 0) last += s.lastSum;
      if (h && s.histogram) h.add(s.histogram);
    }
    return {
      metric, kind, count, sum,
      min: count ? min : null,
      max: count ? max : null,
      last: kind === 'gauge' && lastT >= 0 ? last : null,
      seconds: this.lastSecond + 1,
      histogram: h,
    };
  }
}
