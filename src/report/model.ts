import { statistic, type EncodedWindow, type MetricsSource } from '../metrics/index.js';
import type { RunInfo, ServerMetricsFile, ServerScrape } from '../rundir/run-dir.js';
import type { Summary } from '../contracts/summary.js';
import { capacityPoints, type CapacityPoint } from './capacity-points.js';
import { chartBucketSeconds, digestWindows, type Column, type RunDigest } from './digest.js';
import { DEFAULT_SLO, digestOf, digestOptions } from './summary.js';
import type { WhatIfDefaults } from './whatif-panel.js';

/**
 * The report model: plain, language-neutral data (numbers, endpoint names, i18n keys) that the HTML and
 * PNG views render. Built once from the summary and the windows; views never touch metrics.
 */
export type Point = { x: number; y: number };
export interface SeriesModel {
  /** i18n key of the label, or `raw` for names from data (endpoints, status codes) */
  label: { key: string } | { raw: string } | { key: string; raw: string };
  data: Array<number | null> | Point[];
  color: string;
  dashed?: boolean;
  axis?: 'y' | 'y2';
  type?: 'line' | 'bar' | 'scatter';
  stack?: string;
  fill?: boolean;
}
export interface ChartModel {
  id: string;
  title: string;           // i18n key
  titleVars?: Record<string, string | number>;
  yLabel: string;          // i18n key
  y2Label?: string;
  xLabel: string;          // i18n key
  kind: 'time' | 'xy';
  labels: string[];        // x labels for time charts
  series: SeriesModel[];
  /** time charts: buckets where the generator was saturated (shaded) */
  shade?: boolean[];
  stacked?: boolean;
  /** xy charts: a vertical marker (the knee) */
  markerX?: number | null;
}

export interface FirstBreak { endpoint: string; reason: 'latency' | 'errors'; value: number; atRps: number; atLabel: string }

export interface ReportModel {
  summary: Summary;
  slo: { p95Ms: number; errorRate: number };
  seconds: number;
  bucketSeconds: number;
  simulatedTime: boolean;
  verdict: {
    instancesForPeak: number | null;
    peakDemandRps: number | null;
    headroom: number | null;
    maxSustainableRps: number | null;
    /** false: nothing tested above maxSustainableRps failed, so it is a lower bound */
    limitReached: boolean;
    kneeRps: number | null;
    bestWithinSloRps: number | null;
    maxTestedRps: number;
    firstBreak: FirstBreak | null;
    wait: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; busiestP95Ms: number | null; busiestLabel: string | null };
    money: null | { heldPaise: number | null; stuckDebits: number | null; stuckPaise: number | null; discrepancyPaise: number | null; capturedPaise: number | null; refundedPaise: number | null; refundP95Seconds: number | null };
    registrations: number | null;
    ordersPlaced: number | null;
    ordersAccepted: number | null;
    saturatedSeconds: number;
    droppedIterations: number | null;
    thresholds: { evaluated: boolean; pass: boolean; failed: string[]; total: number };
    aborted: boolean;
    /** run.json has no end: the process was killed or crashed, and the figures are of the seconds it wrote */
    unfinished: boolean;
  };
  charts: ChartModel[];
  /** defaults of the what-if panel; null when this run measured no per-instance capacity */
  whatIf: WhatIfDefaults | null;
  endpoints: Array<{ name: string; requests: number; rps: number | null; errorRate: number | null; p50: number | null; p95: number | null; p99: number | null; max: number | null; withinSlo: boolean | null }>;
  method: {
    profile: Array<{ name: string; value: string; source: string | null }>;
    run: Array<{ key: string; value: string }>;
    compression: { timeScale: number | null; simulatedStart: string | null; plannedDurationSeconds: number | null };
  };
}

const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#bf8700', '#8250df', '#0a8f8f', '#cf222e', '#57606a', '#e16f24', '#6639ba'];

export { chartBucketSeconds, errorKind } from './digest.js';

function hms(totalSeconds: number, withSeconds: boolean): string {
  const s = ((Math.floor(totalSeconds) % 86400) + 86400) % 86400;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}${withSeconds ? ':' + p(s % 60) : ''}`;
}

function parseClock(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : null;
}

/** x labels: simulated time of day when the portal's clock or the run's compression is known, else run time. */
export function timeLabeller(runInfo: RunInfo, server: ServerMetricsFile | null): { simulated: boolean; label: (t: number) => string } {
  const clock = (server?.clock ?? []).map((c) => ({ t: c.t, s: parseClock(c.simulated) })).filter((c): c is { t: number; s: number } => c.s !== null).sort((a, b) => a.t - b.t);
  const scale = typeof runInfo.extra?.timeScale === 'number' && runInfo.extra.timeScale > 0 ? runInfo.extra.timeScale : 1;
  if (clock.length > 0) {
    return { simulated: true, label: (t) => {
      let c = clock[0];
      for (const x of clock) { if (x.t <= t) c = x; else break; }
      return hms(c.s + (t - c.t) * scale, scale < 60);
    } };
  }
  const start = parseClock(runInfo.extra?.simulatedStart);
  if (start !== null) return { simulated: true, label: (t) => hms(start + t * scale, scale < 60) };
  return { simulated: false, label: (t) => `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}` };
}

/** The summary and the run's windows in memory, or (a run read from disk) their digest, as the summary was built from. */
export interface ModelInput { summary: Summary; runInfo: RunInfo; windows?: readonly EncodedWindow[]; digest?: RunDigest; server?: ServerMetricsFile | null }

/** Per chart bucket sums of a per-second column. */
function bucketSums(col: Column, width: number, seconds: number, nb: number): number[] {
  const out = new Array<number>(nb).fill(0);
  for (let t = 0; t < seconds; t++) out[Math.floor(t / width)] += col.get(t);
  return out;
}

export function buildReportModel(input: ModelInput): ReportModel {
  const { summary, runInfo } = input;
  const server = input.server ?? null;
  const seconds = Math.max(summary.timeline.length, 1);
  const width = chartBucketSeconds(seconds);
  let d = digestOf(input);
  // A summary of another length than the windows' (a caller's own): bucket the windows its way.
  if (d.chart.width !== width) d = digestWindows(input.windows ?? [], { ...digestOptions(runInfo), declaredSeconds: seconds });
  const q = d.totals;
  const nb = Math.ceil(seconds / width);
  const time = timeLabeller(runInfo, server);
  const labels = Array.from({ length: nb }, (_, b) => time.label(b * width));
  const satList = Array.isArray(summary.generator.saturatedSeconds) ? summary.generator.saturatedSeconds : [];
  const satSet = new Set(satList);
  const shade = Array.from({ length: nb }, (_, b) => satList.some((s) => Math.floor(s / width) === b));
  const cap = summary.capacity as Summary['capacity'] & { slo?: { p95Ms: number; errorRate: number }; sizing?: { headroom?: number } | null };
  const slo = cap.slo ?? DEFAULT_SLO;

  // Per-bucket figures shared by several charts and the verdict: sums of the per-second columns, and
  // percentiles of each bucket's added histograms (never averages of per-second percentiles).
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
  const names = Object.entries(summary.endpoints).sort((a, b) => b[1].requests - a[1].requests).map(([n]) => n);
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
  const points = capacityPoints(d, satSet);
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

  const withinSlo = (e: { p95: number | null; errorRate: number | null }) => e.p95 === null ? null : e.p95 <= slo.p95Ms && (e.errorRate ?? 0) <= slo.errorRate;
  const endpoints = names.map((name) => {
    const e = summary.endpoints[name];
    const row = { name, requests: e.requests, rps: e.rps, errorRate: e.errorRate, p50: e.latencyMs.p50, p95: e.latencyMs.p95, p99: e.latencyMs.p99, max: e.latencyMs.max };
    return { ...row, withinSlo: withinSlo(row) };
  });

  const good = points.filter((p) => !p.saturated && p.p95Ms <= slo.p95Ms && p.errorRate <= slo.errorRate);
  const busiest = points.length ? points.reduce((a, b) => (b.offeredRps > a.offeredRps ? b : a)) : null;
  const b = summary.business as Summary['business'] & { heldPaise?: number | null; stuckPaise?: number | null; capturedPaise?: number | null; refundedPaise?: number | null };
  const th = summary.thresholds as Summary['thresholds'] & { evaluated?: boolean };
  const money = server?.reconcile ? {
    heldPaise: b.heldPaise ?? null, stuckDebits: b.stuckDebits, stuckPaise: b.stuckPaise ?? null, discrepancyPaise: b.walletDiscrepancyPaise,
    capturedPaise: b.capturedPaise ?? null, refundedPaise: b.refundedPaise ?? null, refundP95Seconds: b.refundLatencyP95Seconds,
  } : null;

  const bestWithinSloRps = good.length ? Math.max(...good.map((p) => p.throughputRps)) : null;
  const whatIf = whatIfDefaults(runInfo, summary, q, cap.maxSustainableRps, bestWithinSloRps, cap.sizing?.headroom, slo);

  return {
    summary, slo, seconds, bucketSeconds: width, simulatedTime: time.simulated, whatIf,
    verdict: {
      instancesForPeak: cap.instancesForPeak, peakDemandRps: cap.peakDemandRps,
      headroom: typeof cap.sizing?.headroom === 'number' ? cap.sizing.headroom : null,
      maxSustainableRps: cap.maxSustainableRps, kneeRps: cap.kneeRps,
      limitReached: (cap as { limitReached?: boolean | null }).limitReached !== false,
      bestWithinSloRps,
      maxTestedRps: points.length ? Math.max(...points.map((p) => p.offeredRps)) : (summary.overall.rps ?? 0),
      firstBreak: firstBreak(d, names, points, slo, time.label),
      wait: {
        p50Ms: summary.overall.latencyMs.p50, p95Ms: summary.overall.latencyMs.p95, p99Ms: summary.overall.latencyMs.p99,
        busiestP95Ms: busiest?.p95Ms ?? null, busiestLabel: busiest ? time.label(busiest.t) : null,
      },
      money,
      registrations: b.registrations, ordersPlaced: b.ordersPlaced, ordersAccepted: b.ordersAccepted,
      saturatedSeconds: satList.length, droppedIterations: summary.generator.droppedIterations,
      thresholds: { evaluated: th.evaluated !== false, pass: th.pass, failed: th.checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.threshold}`), total: th.checks.length },
      aborted: Boolean((summary.run as { aborted?: boolean }).aborted),
      // null is what a run writes at its start and replaces at its end; a run.json without the field says nothing
      unfinished: (summary.run as { endedAt?: string | null }).endedAt === null,
    },
    charts,
    endpoints,
    method: {
      profile: profileRows(runInfo.profile),
      run: runRows(runInfo, summary),
      compression: {
        timeScale: typeof runInfo.extra?.timeScale === 'number' ? runInfo.extra.timeScale : null,
        simulatedStart: typeof runInfo.extra?.simulatedStart === 'string' ? runInfo.extra.simulatedStart : null,
        plannedDurationSeconds: runInfo.plannedDurationSeconds,
      },
    },
  };
}

function concurrency(p: CapacityPoint): number {
  return (p.throughputRps * p.meanLatencyMs) / 1000;
}

function uslParams(u: unknown): { sigma: number; kappa: number; lambda: number } | null {
  if (!u || typeof u !== 'object') return null;
  const { sigma, kappa, lambda } = u as Record<string, unknown>;
  return typeof sigma === 'number' && typeof kappa === 'number' && typeof lambda === 'number' ? { sigma, kappa, lambda } : null;
}

/** The earliest load level where one endpoint left the SLO, and the load offered then. */
function firstBreak(d: RunDigest, names: string[], points: CapacityPoint[], slo: { p95Ms: number; errorRate: number }, label: (t: number) => string): FirstBreak | null {
  if (points.length === 0) return null;
  const levelAt = new Map(d.levels.map((l) => [l.from, l]));
  let best: FirstBreak & { t: number; ratio: number } | null = null;
  for (const name of names) {
    for (const p of points) {
      const e = levelAt.get(p.t)?.endpoints.get(name);
      const outcomes = e?.outcomes ?? 0;
      if (outcomes < 5) continue;
      const p95 = e!.p95Ms;
      const er = e!.errors / outcomes;
      const lat = p95 !== null && p95 > slo.p95Ms ? p95 / slo.p95Ms : 0;
      const err = er > slo.errorRate ? er / Math.max(slo.errorRate, 1e-9) : 0;
      if (lat === 0 && err === 0) continue;
      const ratio = Math.max(lat, err);
      if (!best || p.t < best.t || (p.t === best.t && ratio > best.ratio)) {
        best = { endpoint: name, reason: lat >= err ? 'latency' : 'errors', value: lat >= err ? p95! : er, atRps: p.offeredRps, atLabel: label(p.t), t: p.t, ratio };
      }
      break;
    }
  }
  if (!best) return null;
  const { t: _t, ratio: _r, ...out } = best;
  return out;
}

function serverSeries(scrapes: ServerScrape[], width: number, nb: number) {
  const names = new Set<string>();
  for (const s of scrapes) for (const n of Object.keys(s.samples)) names.add(n);
  const all = [...names];
  const queueName = all.find((n) => /queue.*(depth|length|size)|queue$/i.test(n));
  const lagName = all.find((n) => /event_?loop_lag_p99/i.test(n)) ?? all.find((n) => /event_?loop_lag(_seconds)?$/i.test(n));
  const cpuName = all.find((n) => n === 'process_cpu_seconds_total');
  const waitingName = all.find((n) => /waiting_room_(size|length|depth)/i.test(n));
  const maxIn = (f: (s: ServerScrape, i: number) => number | null) => {
    const out = new Array<number | null>(nb).fill(null);
    scrapes.forEach((s, i) => {
      const v = f(s, i);
      const b = Math.floor(s.t / width);
      if (v === null || b < 0 || b >= nb) return;
      out[b] = out[b] === null ? v : Math.max(out[b]!, v);
    });
    return out;
  };
  const total = (s: ServerScrape, n: string) => {
    const xs = s.samples[n];
    if (!xs || xs.length === 0) return null;
    // A series labelled "all" is the portal's own total (portal_queue_depth{shop="all"}): don't add it twice.
    const all = xs.find((x) => Object.values(x.labels).includes('all'));
    return all ? all.value : xs.reduce((a, x) => a + x.value, 0);
  };
  const sorted = [...scrapes].sort((a, b) => a.at - b.at);
  return {
    queue: queueName ? maxIn((s) => total(s, queueName)) : null,
    waitingRoom: waitingName ? maxIn((s) => total(s, waitingName)) : null,
    lagMs: lagName ? maxIn((s) => { const xs = s.samples[lagName]; return xs?.length ? Math.max(...xs.map((x) => x.value)) * 1000 : null; }) : null,
    cpu: cpuName ? (() => {
      const out = new Array<number | null>(nb).fill(null);
      for (let i = 1; i < sorted.length; i++) {
        const a = total(sorted[i - 1], cpuName), c = total(sorted[i], cpuName);
        const dt = (sorted[i].at - sorted[i - 1].at) / 1000;
        const b = Math.floor(sorted[i].t / width);
        if (a === null || c === null || dt <= 0 || b >= nb) continue;
        const pct = ((c - a) / dt) * 100;
        out[b] = out[b] === null ? pct : Math.max(out[b]!, pct);
      }
      return out;
    })() : null,
  };
}

/** Profile parameters: `{ value, source }` leaves become rows with their source; other leaves show as is. */
export function profileRows(profile: unknown): Array<{ name: string; value: string; source: string | null }> {
  const rows: Array<{ name: string; value: string; source: string | null }> = [];
  const walk = (v: unknown, path: string) => {
    if (rows.length >= 80) return;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if ('value' in o && ('source' in o || 'sources' in o)) {
        rows.push({ name: path, value: show(o.value), source: show(o.source ?? o.sources) });
        return;
      }
      for (const [k, x] of Object.entries(o)) walk(x, path ? `${path}.${k}` : k);
      return;
    }
    rows.push({ name: path, value: show(v), source: null });
  };
  if (profile !== null && profile !== undefined) walk(profile, '');
  return rows;
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 200 ? s.slice(0, 197) + '…' : s;
}

function runRows(r: RunInfo, s: Summary): Array<{ key: string; value: string }> {
  const g = s.generator;
  const rows: Array<[string, unknown]> = [
    ['method.runId', r.id], ['method.command', r.command], ['method.scenario', r.scenario], ['method.target', r.target],
    ['method.portalMode', r.portalMode], ['method.started', r.startedAt], ['method.duration', s.run.durationSeconds],
    ['method.engine', `${r.engine.name} ${r.engine.version}`], ['method.workers', r.workers], ['method.segment', r.segment],
    ['method.gitCommit', r.gitCommit], ['method.seed', r.seed],
    ['method.dropped', g.droppedIterations], ['method.scheduleLag', g.scheduleLagP99Ms], ['method.loopLag', g.eventLoopLagP99Ms],
    ['method.cpuMax', g.cpuPercentMax], ['method.saturated', Array.isArray(g.saturatedSeconds) ? g.saturatedSeconds.length : g.saturatedSeconds],
  ];
  return rows.map(([key, v]) => ({ key, value: v === null || v === undefined ? '' : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v) }));
}

/** A profile parameter by name anywhere in the profile: `{ value, source }` or a bare number. */
function findParam(profile: unknown, names: string[]): { value: number; source: string | null } | null {
  if (!profile || typeof profile !== 'object') return null;
  for (const [k, v] of Object.entries(profile as Record<string, unknown>)) {
    if (names.includes(k)) {
      if (typeof v === 'number') return { value: v, source: null };
      if (v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'number') {
        const src = (v as { source?: unknown }).source;
        return { value: (v as { value: number }).value, source: typeof src === 'string' ? src : null };
      }
    }
    const inner = findParam(v, names);
    if (inner) return inner;
  }
  return null;
}

function whatIfDefaults(runInfo: RunInfo, summary: Summary, q: MetricsSource, maxSustainable: number | null, bestObserved: number | null,
  headroom: number | undefined, slo: { p95Ms: number }): WhatIfDefaults | null {
  const perInstanceRps = maxSustainable ?? bestObserved;
  if (perInstanceRps === null || perInstanceRps <= 0) return null;
  const requests = summary.overall.requests;
  const registrations = summary.business.registrations ?? 0;
  const journeys = Math.max(0, (statistic(q.aggregate('planned_iterations'), 'count') ?? 0) - (statistic(q.aggregate('dropped_iterations'), 'count') ?? 0))
    || (statistic(q.aggregate('iterations'), 'count') ?? 0);
  const over = registrations > 0 ? registrations : journeys;
  if (requests <= 0 || over <= 0) return null;
  const reg = findParam(runInfo.profile, ['registrations', 'registrationsPerDay']);
  const share = findParam(runInfo.profile, ['firstHourShare']);
  return {
    registrationsPerDay: reg?.value ?? 300_000,
    firstHourShare: share?.value ?? 0.26,
    headroom: headroom ?? 0.33,
    perInstanceRps,
    callsPerRegistration: requests / over,
    maxWaitMs: slo.p95Ms,
    sources: {
      registrationsPerDay: reg?.source ?? null,
      firstHourShare: share?.source ?? null,
      perInstanceRps: maxSustainable !== null ? 'maxSustainable' : 'bestObserved',
      calls: { requests, over, kind: registrations > 0 ? 'registrations' : 'journeys' },
    },
  };
}
