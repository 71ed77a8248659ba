import { HistogramAccumulator } from './accumulator.js';
import { percentile } from './histogram.js';
import { tagsMatch } from './series-key.js';
import type { EncodedWindow, MetricKind, Tags } from './types.js';

/** Everything a statistic of one metric over a range needs: exact, from added windows. */
export interface Aggregate {
  metric: string;
  kind: MetricKind;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** gauge: the summed last values of the last second in range. */
  last: number | null;
  /** seconds covered by the range (for counter rates). */
  seconds: number;
  /** trend only: every sample of the range, by HDR bucket */
  histogram: HistogramAccumulator | null;
}

export interface RangeFilter {
  tags?: Tags;
  /** inclusive second index */
  from?: number;
  /** exclusive second index */
  to?: number;
}

/**
 * What thresholds and summaries read from a run's metrics: MetricsQuery (windows in memory, any time
 * range) and SeriesTotals (whole-run totals per series, built while streaming a long run) both answer it.
 */
export interface MetricsSource {
  /** the last second holding a window (-1 when none) */
  readonly lastSecond: number;
  metrics(): string[];
  kindOf(metric: string): MetricKind | undefined;
  tagValues(metric: string, tag: string): string[];
  aggregate(metric: string, filter?: RangeFilter): Aggregate;
}

/** Query windows of a run: any time range, any tag filter, statistics computed from added windows. */
export class MetricsQuery implements MetricsSource {
  private readonly byMetric = new Map<string, EncodedWindow[]>();
  readonly lastSecond: number;

  constructor(windows: readonly EncodedWindow[]) {
    let last = -1;
    for (const w of windows) {
      let list = this.byMetric.get(w.metric);
      if (!list) this.byMetric.set(w.metric, (list = []));
      list.push(w);
      if (w.t > last) last = w.t;
    }
    this.lastSecond = last;
  }

  metrics(): string[] {
    return [...this.byMetric.keys()].sort();
  }

  kindOf(metric: string): MetricKind | undefined {
    return this.byMetric.get(metric)?.[0]?.kind;
  }

  /** Windows of a metric matching the filter. */
  windows(metric: string, filter: RangeFilter = {}): EncodedWindow[] {
    const from = filter.from ?? -Infinity;
    const to = filter.to ?? Infinity;
    return (this.byMetric.get(metric) ?? []).filter((w) => w.t >= from && w.t < to && tagsMatch(w.tags, filter.tags));
  }

  /** Distinct values of one tag among a metric's series (e.g. endpoint names). */
  tagValues(metric: string, tag: string): string[] {
    const values = new Set<string>();
    for (const w of this.byMetric.get(metric) ?? []) {
      const v = w.tags[tag];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  aggregate(metric: string, filter: RangeFilter = {}): Aggregate {
    const first = filter.from ?? 0;
    const end = filter.to ?? this.lastSecond + 1;
    return aggregateWindows(metric, this.kindOf(metric) ?? 'counter', this.windows(metric, filter), Math.max(0, end - Math.max(0, first)));
  }
}

/** Add up windows of one metric (exact: counts and sums add, histograms add); `seconds` is the range's length. */
export function aggregateWindows(metric: string, kind: MetricKind, windows: readonly EncodedWindow[], seconds: number): Aggregate {
  let count = 0, sum = 0, min = Infinity, max = -Infinity, lastT = -1;
  const h = kind === 'trend' ? new HistogramAccumulator() : null;
  const lastBySecond = new Map<number, number>();
  for (const w of windows) {
    count += w.count;
    if (kind === 'gauge') lastBySecond.set(w.t, (lastBySecond.get(w.t) ?? 0) + w.sum);
    else sum += w.sum;
    if (w.min < min) min = w.min;
    if (w.max > max) max = w.max;
    if (w.t > lastT) lastT = w.t;
    if (h && w.buckets) h.addBuckets(w.buckets);
  }
  return {
    metric, kind, count, sum,
    min: count ? min : null,
    max: count ? max : null,
    last: kind === 'gauge' && lastT >= 0 ? lastBySecond.get(lastT)! : null,
    seconds,
    histogram: h,
  };
}

/**
 * A statistic of an aggregate in k6's threshold vocabulary: `count`, `rate`, `avg`, `min`, `max`,
 * `med`, `p(N)`, `value`. Returns null when the metric has no samples (never 0 for "not measured").
 */
export function statistic(agg: Aggregate, stat: string): number | null {
  if (agg.count === 0 && stat !== 'count') return null;
  switch (agg.kind) {
    case 'counter':
      if (stat === 'count') return agg.sum;
      if (stat === 'rate') return agg.seconds > 0 ? agg.sum / agg.seconds : null;
      break;
    case 'rate':
      if (stat === 'rate') return agg.sum / agg.count;
      if (stat === 'count') return agg.sum;
      break;
    case 'gauge':
      if (stat === 'value') return agg.last;
      if (stat === 'min') return agg.min;
      if (stat === 'max') return agg.max;
      break;
    case 'trend': {
      if (stat === 'count') return agg.count;
      if (stat === 'avg') return agg.sum / agg.count;
      if (stat === 'min') return agg.min;
      if (stat === 'max') return agg.max;
      if (stat === 'med') return percentile(agg.histogram!, 50);
      const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
      if (m) {
        const p = Number(m[1]);
        if (p < 0 || p > 100) throw new Error(`invalid percentile: expected 0–100, got ${m[1]}`);
        return percentile(agg.histogram!, p);
      }
      break;
    }
  }
  throw new Error(`invalid statistic: ${stat} is not defined for the ${agg.kind} metric ${agg.metric}`);
}
