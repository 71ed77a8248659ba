/**
 * Writing k6's `--out json` format (docs/k6.md "k6 results out"), so tools that read k6's JSON read
 * ours: a Metric line before a metric's first Point line, the thresholds the script gave it (its own,
 * and its submetrics' under `submetrics`), then one Point line a sample. Pure: strings out.
 *
 * While a run goes, each thread writes a part file of its own samples in time order, each line led by
 * its time and metric (`<epoch ms>\t<metric>\t<Point line>`, and `M\t<metric>\t<kind>` before a
 * metric's first sample), so the parts are put in time order into k6's file at the end without parsing
 * a line (src/run/k6-json-out.ts).
 */
import type { MetricKind, Series } from '../../metrics/index.js';
import { parseThresholdKey, type ThresholdsInput } from '../../thresholds/index.js';
import { formatK6Time } from './time.js';

/** k6's `contains` of our built-in metrics: time (ms) for timings, data (bytes) for traffic. */
export function containsOf(metric: string, kind: MetricKind): 'time' | 'data' | 'default' {
  if (metric === 'data_sent' || metric === 'data_received') return 'data';
  if (kind === 'trend' && (metric.startsWith('http_req_') || metric === 'iteration_duration' || metric === 'group_duration' || metric === 'schedule_lag' || metric === 'generator_event_loop_lag')) return 'time';
  return 'default';
}

export interface MetricThresholds {
  thresholds: string[];
  submetrics: Array<{ name: string; suffix: string; tags: Record<string, string>; thresholds: string[] }>;
}

/** The script's thresholds grouped as k6 writes them: per metric, submetrics (tag filters) under it. */
export function thresholdsByMetric(input: ThresholdsInput | undefined | null): Map<string, MetricThresholds> {
  const out = new Map<string, MetricThresholds>();
  for (const [key, list] of Object.entries(input ?? {})) {
    const { metric, tags } = parseThresholdKey(key);
    const sources = (Array.isArray(list) ? list : [list]).map((t) => (typeof t === 'string' ? t : t.threshold));
    let m = out.get(metric);
    if (!m) out.set(metric, (m = { thresholds: [], submetrics: [] }));
    if (Object.keys(tags).length === 0) m.thresholds.push(...sources);
    else m.submetrics.push({ name: key, suffix: key.slice(metric.length + 1, -1), tags, thresholds: sources });
  }
  return out;
}

/** A Metric line. */
export function metricLine(metric: string, kind: MetricKind, th: MetricThresholds | undefined): string {
  return JSON.stringify({
    type: 'Metric',
    data: { name: metric, type: kind, contains: containsOf(metric, kind), thresholds: th?.thresholds ?? [], submetrics: th && th.submetrics.length ? th.submetrics : null },
    metric,
  });
}

/** A number as JSON writes it (a non-finite value, which JSON has not, as null: never in practice). */
const num = (v: number) => (Number.isFinite(v) ? String(v) : 'null');

/** The lines of one thread's part file: a series' tags are written to JSON once, not once a sample. */
export class PartLines {
  private readonly tails = new WeakMap<Series, string>();
  private readonly declared = new Set<string>();

  /** The part line(s) of one sample: the metric's declaration first when it is new. */
  sample(s: Series, value: number, at: number): string {
    let tail = this.tails.get(s);
    let head = '';
    if (tail === undefined) {
      tail = `,"tags":${JSON.stringify(s.tags)}},"metric":${JSON.stringify(s.metric)}}\n`;
      this.tails.set(s, tail);
      if (!this.declared.has(s.metric)) { this.declared.add(s.metric); head = `M\t${s.metric}\t${s.kind}\n`; }
    }
    return `${head}${at}\t${s.metric}\t{"type":"Point","data":{"time":"${formatK6Time(at)}","value":${num(value)}${tail}`;
  }
}
