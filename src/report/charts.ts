import type { ServerMetricsFile } from '../rundir/run-dir.js';
import type { CapacityPoint, Column, RunDigest } from '../assess/index.js';
import type { ChartModel, Point, SeriesModel } from './model-types.js';
import { serverSeries } from './server-series.js';
import { kindOf, namedSeries } from './metric-series.js';
import { concurrency, uslParams } from './verdict.js';
import { endpointCharts, retryCharts } from './endpoint-charts.js';

const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#bf8700', '#8250df', '#0a8f8f', '#cf222e', '#57606a', '#e16f24', '#6639ba'];

/** What the charts are drawn from: the run's Assessment cut in chart buckets. */
export interface ChartInput {
  d: RunDigest;
  server: ServerMetricsFile | null;
  /** endpoint names, busiest first */
  names: string[];
  /** one per load level */
  points: CapacityPoint[];
  cap: { usl: unknown; kneeRps: number | null };
  width: number; seconds: number; nb: number;
  labels: string[];
  /** buckets holding a generator-saturated second */
  shade: boolean[];
  time: { simulated: boolean };
}

/** Per chart bucket sums of a per-second column. */
function bucketSums(col: Column, width: number, seconds: number, nb: number): number[] {
  const out = new Array<number>(nb).fill(0);
  for (let t = 0; t < seconds; t++) out[Math.floor(t / width)] += col.get(t);
  return out;
}

/**
 * The report's charts: load, latency, errors by kind, throughput against concurrency, server and money.
 * Per-bucket figures are sums of the per-second columns and percentiles of each bucket's added
 * histograms (never averages of per-second percentiles).
 */
export function buildCharts(c: ChartInput): ChartModel[] {
  const { d, server, names, points, cap, width, seconds, nb, labels, shade, time } = c;
  const ps = d.perSecond;
  const sums = (col: Column) => bucketSums(col, width, seconds, nb);
  const reqs = sums(ps.requests), failed = sums(ps.failed), planned = sums(ps.planned), dropped = sums(ps.dropped), iters = sums(ps.iterations);
  const perSec = (v: number, b: number) => v / Math.min(width, seconds - b * width);
  const range = (f: (b: number) => number | null) => Array.from({ length: nb }, (_, b) => f(b));
  const chartOf = (arr: ReadonlyArray<number | null> | undefined) => range((b) => arr?.[b] ?? null);

  const charts: ChartModel[] = [];
  const loadSeries: SeriesModel[] = [];
  if (d.has.planned) {
    loadSeries.push({ label: { key: 'series.planned' }, data: range((b) => perSec(planned[b], b)), color: COLORS[0], dashed: true });
    loadSeries.push({ label: { key: 'series.started' }, data: range((b) => perSec(planned[b] - dropped[b], b)), color: COLORS[2] });
  } else if (d.has.iterations) {
    loadSeries.push({ label: { key: 'series.iterations' }, data: range((b) => perSec(iters[b], b)), color: COLORS[2] });
  }
  loadSeries.push({ label: { key: 'series.okRps' }, data: range((b) => perSec(reqs[b] - failed[b], b)), color: COLORS[4], axis: 'y2' });
  loadSeries.push({ label: { key: 'series.failedRps' }, data: range((b) => perSec(failed[b], b)), color: COLORS[1], axis: 'y2' });
  charts.push({ id: 'load', title: 'chart.load', yLabel: 'axis.iterationsPerSecond', y2Label: 'axis.requestsPerSecond', xLabel: time.simulated ? 'axis.simulatedTime' : 'axis.runTime', kind: 'time', labels, series: loadSeries, shade });

  // Latency: overall p50/p95/p99 and p95 of the busiest endpoints, each over a trailing window (digest.ts).
  const latSeries: SeriesModel[] = [
    { label: { key: 'series.p50' }, data: chartOf(d.chart.p50Ms), color: COLORS[7], dashed: true },
    { label: { key: 'series.p95' }, data: chartOf(d.chart.p95Ms), color: COLORS[0] },
    { label: { key: 'series.p99' }, data: chartOf(d.chart.p99Ms), color: COLORS[1], dashed: true },
  ];
  names.slice(0, 6).forEach((name, i) => {
    latSeries.push({ label: { key: 'series.endpointP95', raw: name }, data: chartOf(d.chart.endpointP95Ms.get(name)), color: COLORS[(i + 3) % COLORS.length] });
  });
  charts.push({ id: 'latency', title: 'chart.latency', titleVars: { s: d.chart.latencyWindowSeconds }, yLabel: 'axis.ms', xLabel: time.simulated ? 'axis.simulatedTime' : 'axis.runTime', kind: 'time', labels, series: latSeries, shade });

  // Errors by kind: failed requests by status class.
  const kinds = d.chart.failuresByKind;
  const kindOrder = ['network', '429', '503', '5xx', '4xx', 'other'];
  charts.push({
    id: 'errors', title: 'chart.errors', yLabel: 'axis.failedPerSecond', xLabel: time.simulated ? 'axis.simulatedTime' : 'axis.runTime', kind: 'time', labels, shade, stacked: true,
    series: kindOrder.filter((k) => kinds.has(k)).map((k, i) => ({ label: { key: `errorKind.${k}` }, data: kinds.get(k)!.map((v, b) => perSec(v, b)), color: COLORS[[1, 3, 6, 4, 7, 8][kindOrder.indexOf(k)] ?? i], type: 'bar' as const, stack: 'errors' })),
  });

  // Capacity: throughput against concurrency (Little's law N = X·R) with the USL fit when there is one.
  const measured: Point[] = points.filter((p) => !p.saturated).map((p) => ({ x: concurrency(p), y: p.throughputRps }));
  const satPoints: Point[] = points.filter((p) => p.saturated).map((p) => ({ x: concurrency(p), y: p.throughputRps }));
  const uslSeries: SeriesModel[] = [{ label: { key: 'series.measured' }, data: measured, color: COLORS[0], type: 'scatter' }];
  if (satPoints.length) uslSeries.push({ label: { key: 'series.measuredSaturated' }, data: satPoints, color: COLORS[7], type: 'scatter' });
  const usl = uslParams(cap.usl);
  if (usl) {
    const maxN = Math.max(1, ...measured.map((p) => p.x), ...satPoints.map((p) => p.x)) * 1.3;
    const curve: Point[] = Array.from({ length: 60 }, (_, i) => {
      const n = (maxN * (i + 1)) / 60;
      return { x: n, y: (usl.lambda * n) / (1 + usl.sigma * (n - 1) + usl.kappa * n * (n - 1)) };
    });
    uslSeries.push({ label: { key: 'series.uslFit' }, data: curve, color: COLORS[1], type: 'line' });
  }
  let markerX: number | null = null;
  if (cap.kneeRps !== null) {
    // The knee is a throughput: mark the concurrency of the measured level closest to it.
    const near = [...points].sort((a, b) => Math.abs(a.throughputRps - cap.kneeRps!) - Math.abs(b.throughputRps - cap.kneeRps!))[0];
    markerX = near ? concurrency(near) : null;
  }
  charts.push({ id: 'usl', title: 'chart.usl', yLabel: 'axis.throughput', xLabel: 'axis.concurrency', kind: 'xy', labels: [], series: uslSeries, markerX });

  // Server metrics scraped from the portal.
  if (server && server.scrapes.length > 0) {
    const sv = serverSeries(server.scrapes, width, nb);
    const s: SeriesModel[] = [];
    if (sv.queue) s.push({ label: { key: 'series.queueDepth' }, data: sv.queue, color: COLORS[0] });
    if (sv.waitingRoom && sv.waitingRoom.some((v) => v !== null && v > 0)) s.push({ label: { key: 'series.waitingRoom' }, data: sv.waitingRoom, color: COLORS[4] });
    if (sv.lagMs) s.push({ label: { key: 'series.serverLag' }, data: sv.lagMs, color: COLORS[1], axis: 'y2' });
    if (sv.cpu) s.push({ label: { key: 'series.serverCpu' }, data: sv.cpu, color: COLORS[2], axis: 'y2', dashed: true });
    if (s.length) charts.push({ id: 'server', title: 'chart.server', yLabel: 'axis.queue', y2Label: 'axis.msOrPercent', xLabel: time.simulated ? 'axis.simulatedTime' : 'axis.runTime', kind: 'time', labels, series: s, shade });
  }

  // --metrics-url / --metrics-series: the user's own Prometheus series, beside the client's
  if (server?.sources?.length && server.series?.length) {
    const ms: SeriesModel[] = [];
    for (const src of server.sources) {
      let host = src.url;
      try { host = new URL(src.url).host; } catch { /* keep the URL */ }
      for (const name of server.series) {
        const data = namedSeries(src.scrapes, name, width, nb);
        if (data.some((v) => v !== null)) ms.push({ label: { key: `series.metric.${kindOf(name)}`, raw: `${name} @ ${host}` }, data, color: COLORS[ms.length % COLORS.length] });
      }
    }
    if (ms.length) charts.push({ id: 'metrics', title: 'chart.metrics', yLabel: 'axis.value', xLabel: time.simulated ? 'axis.simulatedTime' : 'axis.runTime', kind: 'time', labels, series: ms, shade });
  }

  // Money over time from reconcile samples (rupees on the axis, integer paise in the data files).
  if (server && server.reconcileTimeline.length > 0) {
    const held = new Array<number | null>(nb).fill(null), captured = [...held], refunded = [...held], released = [...held], stuck = [...held];
    for (const { t, result } of server.reconcileTimeline) {
      const b = Math.floor(t / width);
      if (b < 0 || b >= nb) continue;
      held[b] = result.totals.heldPaise / 100;
      captured[b] = result.totals.capturedPaise / 100;
      refunded[b] = result.totals.refundedPaise / 100;
      const rel = (result.totals as { releasedPaise?: unknown }).releasedPaise;
      released[b] = typeof rel === 'number' ? rel / 100 : null;
      stuck[b] = result.stuckDebits;
    }
    charts.push({ id: 'money', title: 'chart.money', yLabel: 'axis.rupees', y2Label: 'axis.stuckDebits', xLabel: time.simulated ? 'axis.simulatedTime' : 'axis.runTime', kind: 'time', labels, shade, series: [
      { label: { key: 'series.held' }, data: held, color: COLORS[3] },
      { label: { key: 'series.captured' }, data: captured, color: COLORS[2] },
      { label: { key: 'series.refunded' }, data: refunded, color: COLORS[0] },
      ...(released.some((v) => v !== null) ? [{ label: { key: 'series.released' }, data: released, color: COLORS[5] }] : []),
      { label: { key: 'series.stuck' }, data: stuck, color: COLORS[1], axis: 'y2', dashed: true },
    ] });
  }
  // Every endpoint, money paths first; retries, abandonment and amplification per step (endpoint-charts.ts).
  const each = { d, names, width, seconds, nb, labels, shade, xLabel: time.simulated ? 'axis.simulatedTime' : 'axis.runTime' };
  charts.push(...retryCharts(each), ...endpointCharts(each));
  return charts;
}
