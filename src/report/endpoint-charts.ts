import type { RunDigest } from '../assess/index.js';
import { hasString } from './i18n.js';
import type { ChartModel, SeriesModel } from './model-types.js';

/**
 * Charts of every endpoint and of what people did when a step failed: one small chart per endpoint
 * (its p95 over the latency chart's trailing window, its answers and failures per second), the paths
 * where money moves first; retries and people giving up per journey step, and retry amplification
 * (requests sent per first attempt) per endpoint, all per chart bucket.
 */

/** A paying user's path (scenarios/lib/journeys.ts: otp/send → top-up → order): charted first. */
export const MONEY_PATHS = ['POST /api/v1/orders', 'POST /api/v1/wallet/topup', 'POST /api/v1/otp/send'] as const;

const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#bf8700', '#8250df', '#0a8f8f', '#cf222e', '#57606a', '#e16f24', '#6639ba'];

export interface EndpointChartInput {
  d: RunDigest;
  /** endpoint names, busiest first */
  names: string[];
  width: number; seconds: number; nb: number;
  labels: string[];
  shade: boolean[];
  xLabel: string;
}

/** Money paths first (in MONEY_PATHS order), then the others as given (busiest first). */
export function endpointOrder(names: readonly string[]): string[] {
  const money = MONEY_PATHS.filter((n) => names.includes(n));
  return [...money, ...names.filter((n) => !(MONEY_PATHS as readonly string[]).includes(n))];
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function endpointCharts(c: EndpointChartInput): ChartModel[] {
  const { d, width, seconds, nb, labels, shade, xLabel } = c;
  const perSec = (v: number, b: number) => v / Math.min(width, seconds - b * width);
  return endpointOrder(c.names).map((name, i) => {
    const outcomes = d.chart.endpointOutcomes.get(name), errors = d.chart.endpointErrors.get(name);
    const p95 = d.chart.endpointP95Ms.get(name);
    const series: SeriesModel[] = [
      { label: { key: 'series.p95' }, data: Array.from({ length: nb }, (_, b) => p95?.[b] ?? null), color: COLORS[0] },
      { label: { key: 'series.answersRps' }, data: Array.from({ length: nb }, (_, b) => perSec((outcomes?.[b] ?? 0) - (errors?.[b] ?? 0), b)), color: COLORS[2], axis: 'y2', dashed: true },
      { label: { key: 'series.failedRps' }, data: Array.from({ length: nb }, (_, b) => perSec(errors?.[b] ?? 0, b)), color: COLORS[1], axis: 'y2' },
    ];
    return {
      id: `endpoint-${String(i + 1).padStart(2, '0')}-${slug(name)}`, group: 'endpoint' as const,
      title: (MONEY_PATHS as readonly string[]).includes(name) ? 'chart.endpointMoney' : 'chart.endpoint', titleVars: { endpoint: name },
      yLabel: 'axis.ms', y2Label: 'axis.requestsPerSecond', xLabel, kind: 'time' as const, labels, series, shade,
    };
  });
}

/** Retries and abandonment per step, amplification per endpoint; none when the scenario counted neither. */
export function retryCharts(c: EndpointChartInput): ChartModel[] {
  const { d, width, seconds, nb, labels, shade, xLabel } = c;
  const perSec = (v: number, b: number) => v / Math.min(width, seconds - b * width);
  const { retries, abandoned, retried } = d.chart.counts;
  const charts: ChartModel[] = [];
  const bySteps = (m: Map<string, number[]>) => [...m].sort((a, b) => sum(b[1]) - sum(a[1])).map(([step, arr], i): SeriesModel => (
    { label: hasString(`step.${step}`) ? { key: `step.${step}` } : { raw: step }, data: arr.map((v, b) => perSec(v, b)), color: COLORS[i % COLORS.length] }));
  if (retries.size) {
    charts.push({ id: 'retries', title: 'chart.retries', yLabel: 'axis.retriesPerSecond', xLabel, kind: 'time', labels, shade, series: bySteps(retries) });
  }
  if (abandoned.size) {
    charts.push({ id: 'abandoned', title: 'chart.abandoned', yLabel: 'axis.abandonedPerSecond', xLabel, kind: 'time', labels, shade, series: bySteps(abandoned) });
  }
  if (retried.size) {
    const series = endpointOrder([...retried.keys()].filter((n) => sum(retried.get(n)!) > 0)).map((name, i): SeriesModel => {
      const sent = d.chart.endpointOutcomes.get(name), again = retried.get(name)!;
      // requests sent ÷ first attempts: 1 = nobody retried, 2 = every first attempt was sent twice
      const data = Array.from({ length: nb }, (_, b) => {
        const all = sent?.[b] ?? 0, first = all - (again[b] ?? 0);
        return all > 0 && first > 0 ? all / first : null;
      });
      return { label: { raw: name }, data, color: COLORS[i % COLORS.length] };
    });
    if (series.length) charts.push({ id: 'amplification', title: 'chart.amplification', yLabel: 'axis.amplification', xLabel, kind: 'time', labels, shade, series });
  }
  return charts;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, x) => a + x, 0);
}
