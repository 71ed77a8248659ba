import { statistic, type Aggregate, type EncodedWindow, type MetricKind, type MetricsQuery, type Tags } from '../metrics/index.js';
import { aggregateWindows } from './aggregate.js';

/**
 * Statistics per time bucket (1 s for the summary timeline, wider for charts of long runs), computed
 * from the windows of each bucket added together: percentiles stay exact, never averaged.
 */
export class Buckets {
  /** bucket index → windows of that bucket */
  private readonly byBucket = new Map<number, EncodedWindow[]>();

  readonly kind: MetricKind;

  constructor(readonly metric: string, windows: readonly EncodedWindow[], readonly width = 1) {
    this.kind = windows[0]?.kind ?? 'counter';
    for (const w of windows) {
      const b = Math.floor(w.t / width);
      let list = this.byBucket.get(b);
      if (!list) this.byBucket.set(b, (list = []));
      list.push(w);
    }
  }

  static of(q: MetricsQuery, metric: string, tags?: Tags, width = 1): Buckets {
    return new Buckets(metric, q.windows(metric, tags ? { tags } : {}), width);
  }

  get empty(): boolean {
    return this.byBucket.size === 0;
  }

  /** The sum of values (counters, rates) in bucket b; 0 when nothing was recorded there. */
  sum(b: number): number {
    let s = 0;
    for (const w of this.byBucket.get(b) ?? []) s += w.sum;
    return s;
  }

  count(b: number): number {
    let c = 0;
    for (const w of this.byBucket.get(b) ?? []) c += w.count;
    return c;
  }

  /** A k6 statistic (`p(95)`, `rate`, `max`, `value`…) over bucket b, or null when it holds no sample. */
  stat(b: number, stat: string): number | null {
    const ws = this.byBucket.get(b);
    if (!ws || ws.length === 0) return null;
    return statistic(this.aggregate(b, b + 1, ws), stat);
  }

  /** Aggregates asked for more than one statistic (p95, p99, avg of one level) are built once. */
  private readonly cache = new Map<string, Aggregate>();

  private aggregate(from: number, to: number, ws: EncodedWindow[]): Aggregate {
    const key = `${from}:${to}`;
    let agg = this.cache.get(key);
    if (!agg) {
      agg = aggregateWindows(this.metric, this.kind, ws, from * this.width, to * this.width);
      // Small: the same level is asked a few statistics in a row; histograms are tens of KB each.
      if (this.cache.size >= 8) this.cache.clear();
      this.cache.set(key, agg);
    }
    return agg;
  }

  /** Windows of buckets [from, to). */
  range(from: number, to: number): EncodedWindow[] {
    const out: EncodedWindow[] = [];
    for (let b = from; b < to; b++) {
      const ws = this.byBucket.get(b);
      if (ws) for (const w of ws) out.push(w);
    }
    return out;
  }

  /** A statistic over buckets [from, to). */
  rangeStat(from: number, to: number, stat: string): number | null {
    const ws = this.range(from, to);
    if (ws.length === 0) return null;
    return statistic(this.aggregate(from, to, ws), stat);
  }

  rangeSum(from: number, to: number): number {
    let s = 0;
    for (let b = from; b < to; b++) s += this.sum(b);
    return s;
  }

  rangeCount(from: number, to: number): number {
    let c = 0;
    for (let b = from; b < to; b++) c += this.count(b);
    return c;
  }

  /** Gauges: the largest per-second total in bucket b (sources such as workers add up within a second). */
  gaugeMax(b: number): number | null {
    const ws = this.byBucket.get(b);
    if (!ws || ws.length === 0) return null;
    const perSecond = new Map<number, number>();
    for (const w of ws) perSecond.set(w.t, (perSecond.get(w.t) ?? 0) + w.sum);
    return Math.max(...perSecond.values());
  }
}
