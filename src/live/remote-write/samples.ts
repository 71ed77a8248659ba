/**
 * The engine's 1-second windows → Prometheus time series with k6's names (k6's
 * `experimental-prometheus-rw` output: `k6_` prefix, counters `_total`, rates `_rate`, a trend as one
 * gauge per statistic, `k6_http_req_duration_p95`, in seconds for time trends). Tags become labels.
 * Why trends are per-second percentile gauges and not native histograms: docs/measurements.md,
 * "Live views: dashboard and remote write".
 */
import { BUILTIN_METRIC_KINDS } from '../../thresholds/index.js';
import { HistogramAccumulator, statistic, type Aggregate, type EncodedWindow } from '../../metrics/index.js';
import type { Label, TimeSeries } from './wire.js';

/** What we send for a trend when nobody says (k6's own default is p(99) alone). */
export const DEFAULT_TREND_STATS: readonly string[] = ['p(50)', 'p(95)', 'p(99)'];

/** Trend statistics k6 accepts in K6_PROMETHEUS_RW_TREND_STATS. */
const TREND_STAT = /^(count|sum|min|max|avg|med|p\((\d+(?:\.\d+)?)\))$/;

/** Check a list of trend statistics (`p(95)`, `med`…), naming the bad one. */
export function parseTrendStats(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const s = raw.trim();
    const m = TREND_STAT.exec(s);
    if (!m || (m[2] !== undefined && Number(m[2]) > 100)) {
      throw new Error(`invalid trend statistic: expected count, sum, min, max, avg, med or p(N) with 0 ≤ N ≤ 100, got ${JSON.stringify(raw)}`);
    }
    out.push(s);
  }
  return out;
}

/** The suffix of a trend statistic's series: p(95) → p95, p(99.9) → p999, med → med. */
export function statSuffix(stat: string): string {
  const m = /^p\((\d+)(?:\.(\d+))?\)$/.exec(stat);
  return m ? `p${m[1]}${m[2] ?? ''}` : stat;
}

const INVALID_NAME_CHARS = /[^a-zA-Z0-9_]/g;
/** A metric or label name Prometheus accepts ([a-zA-Z_][a-zA-Z0-9_]*). */
export function promIdentifier(text: string): string {
  const s = text.replace(INVALID_NAME_CHARS, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** k6's series name of one of our metrics (and, for a trend, one of its statistics). */
export function promName(metric: string, kind: EncodedWindow['kind'], stat?: string): string {
  const base = `k6_${promIdentifier(metric)}`;
  switch (kind) {
    case 'counter': return `${base}_total`;
    case 'rate': return `${base}_rate`;
    case 'gauge': return base;
    case 'trend': return `${base}_${statSuffix(stat ?? 'p(99)')}`;
  }
}

/** Built-in trends are recorded in milliseconds; k6 sends time in seconds, Prometheus's base unit. */
function isTimeTrend(metric: string): boolean {
  return BUILTIN_METRIC_KINDS[metric] === 'trend' || metric === 'generator_event_loop_lag';
}

/** Labels of a series: its tags (names made valid, empty values left out) and the static ones, sorted. */
export function labelsOf(name: string, tags: Readonly<Record<string, string>>, staticLabels: Readonly<Record<string, string>> = {}): Label[] {
  const byName = new Map<string, string>();
  for (const [k, v] of Object.entries(staticLabels)) if (v !== '') byName.set(promIdentifier(k), v);
  // a series' own tags win over static labels (as in k6)
  for (const [k, v] of Object.entries(tags)) if (v !== '') byName.set(promIdentifier(k), v);
  byName.delete('__name__');
  const labels: Label[] = [{ name: '__name__', value: name }];
  for (const k of [...byName.keys()].sort()) labels.push({ name: k, value: byName.get(k)! });
  return labels;
}

export interface SampleOptions {
  /** epoch ms of second 0 (the `start` event) */
  startedAtMs: number;
  trendStats?: readonly string[];
  /** added to every series (K6_PROMETHEUS_RW_LABELS) */
  staticLabels?: Readonly<Record<string, string>>;
}

interface Cumulative { value: number; lastTs: number }

/**
 * Turns each closed second into samples. Counters (and a trend's `count`/`sum`) are cumulative since the
 * start, as Prometheus counters are, so a batch lost on the way costs resolution, never the total;
 * gauges, rates and trend statistics are the value of that second alone. A late window (a second
 * already sent) adds to the counters only: its percentiles would be those of a fragment of the second.
 */
export class SampleBuilder {
  private readonly trendStats: readonly string[];
  private readonly cumulative = new Map<string, Cumulative>();
  private lastSecond = -1;

  constructor(private readonly o: SampleOptions) {
    this.trendStats = o.trendStats ?? DEFAULT_TREND_STATS;
  }

  /** The time series of one `windows` event (one second's windows). */
  second(windows: readonly EncodedWindow[]): TimeSeries[] {
    if (windows.length === 0) return [];
    const t = windows[0].t;
    const late = t <= this.lastSecond;
    if (!late) this.lastSecond = t;
    const ts = this.o.startedAtMs + (t + 1) * 1000;
    const out: TimeSeries[] = [];
    for (const w of windows) {
      if (w.kind === 'counter') { this.addCumulative(out, promName(w.metric, 'counter'), w.tags, w.sum, ts); continue; }
      if (w.kind === 'trend') {
        const scale = isTimeTrend(w.metric) ? 1 / 1000 : 1;
        for (const stat of this.trendStats) {
          const name = promName(w.metric, 'trend', stat);
          if (stat === 'count') this.addCumulative(out, name, w.tags, w.count, ts);
          else if (stat === 'sum') this.addCumulative(out, name, w.tags, w.sum * scale, ts);
          else if (!late) {
            const v = statistic(aggregateOf(w), stat);
            if (v !== null) this.gauge(out, name, w.tags, v * scale, ts);
          }
        }
        continue;
      }
      if (late || w.count === 0) continue;
      if (w.kind === 'rate') this.gauge(out, promName(w.metric, 'rate'), w.tags, w.sum / w.count, ts);
      else this.gauge(out, promName(w.metric, 'gauge'), w.tags, w.sum, ts);
    }
    return out;
  }

  private addCumulative(out: TimeSeries[], name: string, tags: EncodedWindow['tags'], add: number, ts: number): void {
    const labels = labelsOf(name, tags, this.o.staticLabels);
    const key = labelKey(labels);
    let c = this.cumulative.get(key);
    if (!c) this.cumulative.set(key, (c = { value: 0, lastTs: -Infinity }));
    c.value += add;
    // a late window's new total goes one ms after the series' last sample: a receiver refuses a
    // second value at the same timestamp, and out-of-order samples
    const at = Math.max(ts, c.lastTs + 1);
    c.lastTs = at;
    out.push({ labels, samples: [{ value: c.value, timestamp: at }] });
  }

  private gauge(out: TimeSeries[], name: string, tags: EncodedWindow['tags'], value: number, ts: number): void {
    out.push({ labels: labelsOf(name, tags, this.o.staticLabels), samples: [{ value, timestamp: ts }] });
  }
}

/** One series' identity on the wire (labels are sorted already). */
export function labelKey(labels: readonly Label[]): string {
  let k = '';
  for (const l of labels) k += `${l.name}\u0000${l.value}\u0001`;
  return k;
}

/** A single window as the Aggregate `statistic()` reads (one rule for statistics: src/metrics/query.ts). */
function aggregateOf(w: EncodedWindow): Aggregate {
  return {
    metric: w.metric, kind: w.kind, count: w.count, sum: w.sum, min: w.min, max: w.max, last: w.sum, seconds: 1,
    histogram: w.buckets ? HistogramAccumulator.of(w.buckets) : null,
  };
}
