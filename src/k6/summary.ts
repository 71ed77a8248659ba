/**
 * k6's end-of-test summary data (what handleSummary(data) receives, k6's documented shape): metrics
 * by name with k6's values per kind (trend: the summaryTrendStats; counter: count and rate; rate:
 * rate, passes, fails; gauge: value, min, max), each threshold's ok, sub-metrics of tag-filtered
 * thresholds, and root_group with the checks' passes and fails by group. Pure: totals in, data out.
 */
import { createHash } from 'node:crypto';
import { statistic, type MetricsSource } from '../metrics/index.js';
import { parseThresholdKey, type ThresholdsResult } from '../thresholds/index.js';

export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

export interface K6Check { name: string; path: string; id: string; passes: number; fails: number }
export interface K6Group { name: string; path: string; id: string; groups: K6Group[]; checks: K6Check[] }
export interface K6Metric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'time' | 'data' | 'default';
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
export interface K6SummaryData {
  root_group: K6Group;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, K6Metric>;
}

const TIME_METRICS = /^(http_req_(duration|waiting|blocked|connecting|tls_handshaking|sending|receiving)|iteration_duration|group_duration)$/;

function containsOf(metric: string, kind: string): K6Metric['contains'] {
  if (metric === 'data_sent' || metric === 'data_received') return 'data';
  return kind === 'trend' && TIME_METRICS.test(metric) ? 'time' : 'default';
}

/** k6's trend stats as written in summaryTrendStats ('avg', 'p(99.9)', 'count'…), validated. */
export function parseTrendStats(text: string): string[] {
  const stats = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of stats) {
    if (!/^(avg|min|med|max|count|p\(\d+(\.\d+)?\))$/.test(s)) throw new Error(`invalid summary trend stat: expected avg, min, med, max, count or p(N), got ${JSON.stringify(s)}`);
  }
  if (stats.length === 0) throw new Error('invalid summary trend stats: expected at least one of avg, min, med, max, count, p(N)');
  return stats;
}

function valuesOf(q: MetricsSource, metric: string, tags: Record<string, string>, trendStats: readonly string[]): K6Metric | null {
  const kind = q.kindOf(metric);
  if (!kind) return null;
  const agg = q.aggregate(metric, { tags });
  const v = (stat: string) => statistic(agg, stat) ?? 0;
  let values: Record<string, number>;
  switch (kind) {
    case 'counter': values = { count: v('count'), rate: v('rate') }; break;
    case 'rate': values = { rate: v('rate'), passes: agg.sum, fails: agg.count - agg.sum }; break;
    case 'gauge': values = { value: v('value'), min: v('min'), max: v('max') }; break;
    default: values = Object.fromEntries(trendStats.map((s) => [s, v(s)]));
  }
  return { type: kind, contains: containsOf(metric, kind), values };
}

const groupId = (path: string) => createHash('md5').update(path).digest('hex');

function rootGroup(q: MetricsSource): K6Group {
  const root: K6Group = { name: '', path: '', id: groupId(''), groups: [], checks: [] };
  const groupAt = (path: string): K6Group => {
    if (path === '') return root;
    const parts = path.split('::').slice(1);
    let g = root;
    let p = '';
    for (const name of parts) {
      p += `::${name}`;
      let child = g.groups.find((c) => c.name === name);
      if (!child) g.groups.push((child = { name, path: p, id: groupId(p), groups: [], checks: [] }));
      g = child;
    }
    return g;
  };
  if (q.kindOf('checks') !== 'rate') return root;
  const groups = q.tagValues('checks', 'group');
  for (const name of q.tagValues('checks', 'check')) {
    const all = q.aggregate('checks', { tags: { check: name } });
    let passes = all.sum;
    let count = all.count;
    const add = (path: string, p: number, n: number) => {
      if (n > 0) groupAt(path).checks.push({ name, path: `${path}::${name}`, id: groupId(`${path}::${name}`), passes: p, fails: n - p });
    };
    for (const g of groups) {
      const a = q.aggregate('checks', { tags: { check: name, group: g } });
      passes -= a.sum;
      count -= a.count;
      add(g, a.sum, a.count);
    }
    add('', passes, count);
  }
  return root;
}

export interface SummaryInput {
  totals: MetricsSource;
  thresholds: ThresholdsResult;
  testRunDurationMs: number;
  trendStats?: readonly string[];
  isStdOutTTY?: boolean;
  isStdErrTTY?: boolean;
}

export function summaryData(o: SummaryInput): K6SummaryData {
  const trendStats = [...(o.trendStats ?? DEFAULT_TREND_STATS)];
  const metrics: Record<string, K6Metric> = {};
  for (const name of o.totals.metrics().sort()) {
    const m = valuesOf(o.totals, name, {}, trendStats);
    if (m) metrics[name] = m;
  }
  for (const c of o.thresholds.checks) {
    if (!metrics[c.name]) {
      const { metric, tags } = parseThresholdKey(c.name);
      const m = valuesOf(o.totals, metric, tags, trendStats);
      if (!m) continue;
      metrics[c.name] = m;
    }
    (metrics[c.name].thresholds ??= {})[c.threshold] = { ok: c.pass };
  }
  return {
    root_group: rootGroup(o.totals),
    options: { summaryTrendStats: trendStats, summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: o.isStdOutTTY ?? false, isStdErrTTY: o.isStdErrTTY ?? false, testRunDurationMs: o.testRunDurationMs },
    metrics,
  };
}

/** `--summary-export`: k6's legacy export, metrics flattened to their values (thresholds: expression → failed). */
export function summaryExport(d: K6SummaryData): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(d.metrics)) {
    const v: Record<string, unknown> = m.type === 'rate' ? { passes: m.values.passes, fails: m.values.fails, value: m.values.rate } : { ...m.values };
    if (m.thresholds) v.thresholds = Object.fromEntries(Object.entries(m.thresholds).map(([k, t]) => [k, !t.ok]));
    metrics[name] = v;
  }
  return { root_group: d.root_group, metrics };
}
