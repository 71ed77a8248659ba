import { MetricsQuery, statistic, type EncodedWindow, type MetricsSource, type SeriesTotals, type Tags } from '../metrics/index.js';
import type { ReconcileResult, RunInfo, ServerMetricsFile } from '../run/run-dir.js';
import { summarySchema, type EndpointSummary, type Summary, type ThresholdCheck, type TimelinePoint } from '../config/summary.js';
import { capacityPoints, secondPoint, sweepPlanOf } from './capacity-points.js';
import { digestWindows, type DigestOptions, type RunDigest } from './digest.js';
import { analyseCapacity, type CapacityOptions, type CapacityResult, type LoadPoint } from '../analysis/capacity.js';
import { evaluateThresholdOptions } from '../engine/thresholds/index.js';

/** What the summary needs from the analysis and threshold modules; tests may pass their own. */
export interface SummaryDeps {
  /** `points`: one per load level, or for a sweep one per second of its steps (as sweep.json's) */
  analyseCapacity?: (points: LoadPoint[], o: CapacityOptions) => Pick<CapacityResult, 'maxSustainableRps' | 'kneeRps' | 'peakDemandRps' | 'instancesForPeak'> & Omit<Partial<CapacityResult>, 'usl'> & { usl: unknown };
  /** `q` holds whole-run totals (no time ranges) */
  evaluateThresholds?: (thresholds: Record<string, unknown>, q: MetricsSource) => { pass: boolean; checks: Array<{ name: string; threshold: string; value: number | null; pass: boolean; reason?: string }> };
}

export const defaultSummaryDeps: Required<SummaryDeps> = {
  analyseCapacity,
  evaluateThresholds: (thresholds, q) => evaluateThresholdOptions(thresholds, q),
};

export interface SummaryInput {
  runInfo: RunInfo;
  /** the run's windows in memory, or (a run read from disk) their digest */
  windows?: readonly EncodedWindow[];
  digest?: RunDigest;
  server?: ServerMetricsFile | null;
  generatedAt?: string;
  deps?: SummaryDeps;
}

/**
 * How a run's windows are digested: its declared length; for a sweep, its steps as the load levels and
 * one load point per second of each step, read as the sweep reads them (capacity-points.ts).
 */
export function digestOptions(runInfo: RunInfo): DigestOptions {
  const plan = sweepPlanOf(runInfo);
  if (!plan) return { declaredSeconds: runInfo.durationSeconds ?? null };
  const ranges = plan.map((s) => ({ from: s.startSeconds, to: s.startSeconds + s.durationSeconds, offeredRps: s.rate }));
  return {
    declaredSeconds: runInfo.durationSeconds ?? null,
    givenLevels: ranges.map((r) => [r.from, r.to] as const),
    pointSeconds: ranges,
    pointOf: (windows, t, offeredRps) => secondPoint(new MetricsQuery(windows), t, offeredRps),
  };
}

/** The digest of a summary's or model's input: given, or made from the windows in memory. */
export function digestOf(input: { runInfo: RunInfo; windows?: readonly EncodedWindow[]; digest?: RunDigest }): RunDigest {
  return input.digest ?? digestWindows(input.windows ?? [], digestOptions(input.runInfo));
}

/** The default SLO when the run states none: p95 under 800 ms and under 1% errors (DESIGN.md example). */
export const DEFAULT_SLO = { p95Ms: 800, errorRate: 0.01 };

/** summary.json (DESIGN.md §3.4), pure: the same inputs give the same summary apart from generatedAt. */
export function buildSummary(input: SummaryInput): Summary & { generatedAt: string } {
  const { runInfo, server = null, deps = defaultSummaryDeps } = input;
  const d = digestOf(input);
  const q = d.totals;
  const seconds = d.seconds;

  const timeline = buildTimeline(d);
  const saturated = saturatedSeconds(runInfo, d);
  const slo = sloOf(runInfo);
  const peakDemandRps = numberOr(runInfo.extra?.peakDemandRps, null);

  const capacity = { maxSustainableRps: null as number | null, kneeRps: null as number | null, usl: null as unknown,
    peakDemandRps, instancesForPeak: null as number | null, slo, analysed: false as boolean, notes: [] as string[] };
  if (deps.analyseCapacity) {
    // A sweep's own cut (its steps, a point a second); otherwise one point per load level.
    const points: LoadPoint[] = d.secondPoints ?? capacityPoints(d, new Set(saturated));
    if (points.length > 0) {
      const headroom = numberOr(runInfo.extra?.headroom, undefined);
      try {
        const r = deps.analyseCapacity(points, { slo, peakDemandRps, ...(headroom !== undefined ? { headroom } : {}) });
        Object.assign(capacity, {
          maxSustainableRps: r.maxSustainableRps, kneeRps: r.kneeRps, usl: r.usl ?? null,
          instancesForPeak: r.instancesForPeak, limitReached: r.limitReached ?? null, analysed: true,
          notes: r.notes ?? [], sizing: r.sizing ?? null, knees: r.knees ?? null,
          levels: d.secondPoints ? d.levels.length : points.length,
          levelSource: d.secondPoints ? 'sweep steps' : d.levelSource === 'steps' ? 'plan steps' : 'slices',
        });
      } catch (err) {
        // A report must still be written when the analysis refuses its input; say why in the summary.
        capacity.notes.push(`capacity analysis failed: ${(err as Error).message}`);
      }
    } else capacity.notes.push('no load level with requests and latencies: no capacity analysis');
  }

  const thresholds = runInfo.options?.thresholds ?? {};
  let thresholdResult: { pass: boolean; checks: ThresholdCheck[]; evaluated: boolean };
  if (Object.keys(thresholds).length === 0) thresholdResult = { pass: true, checks: [], evaluated: true };
  else if (deps.evaluateThresholds) thresholdResult = { ...deps.evaluateThresholds(thresholds, q), evaluated: true };
  else thresholdResult = { pass: true, checks: [], evaluated: false };

  const summary = {
    schemaVersion: 1 as const,
    run: {
      id: runInfo.id, scenario: runInfo.scenario, target: runInfo.target, startedAt: runInfo.startedAt,
      durationSeconds: runInfo.durationSeconds ?? (q.lastSecond >= 0 ? seconds : null),
      engine: runInfo.engine, workers: runInfo.workers, portalMode: runInfo.portalMode,
      endedAt: runInfo.endedAt, segment: runInfo.segment, aborted: runInfo.aborted,
    },
    overall: endpointSummary(q, {}, seconds),
    endpoints: Object.fromEntries(q.tagValues('http_reqs', 'name').map((name) => [name, endpointSummary(q, { name }, seconds)])),
    timeline,
    // One timeline point per second whatever the run's length (a 24-hour run: 86,400 points).
    timelineResolutionSeconds: 1,
    generator: generatorSummary(d, saturated),
    capacity,
    business: businessSummary(q, server?.reconcile ?? null),
    thresholds: thresholdResult,
    // a merge of distributed runners (capacity-test k8s): each runner, its seconds and its generator's health
    ...(Array.isArray(runInfo.extra?.runners) ? { runners: runInfo.extra.runners } : {}),
  };
  const parsed = summarySchema.parse(summary);
  // generatedAt lives outside the contract fields so that a rebuild differs from the original only there.
  return { ...parsed, generatedAt: input.generatedAt ?? new Date().toISOString() };
}

function numberOr<T>(v: unknown, fallback: T): number | T {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** The SLO the capacity analysis uses: from the run's extra (launch-day), else the default. */
function sloOf(runInfo: RunInfo): { p95Ms: number; errorRate: number } {
  const s = runInfo.extra?.slo as { p95Ms?: unknown; errorRate?: unknown } | undefined;
  return { p95Ms: numberOr(s?.p95Ms, DEFAULT_SLO.p95Ms), errorRate: numberOr(s?.errorRate, DEFAULT_SLO.errorRate) };
}

function latency(q: MetricsSource, tags: Tags) {
  const agg = q.aggregate('http_req_duration', { tags });
  return {
    p50: statistic(agg, 'p(50)'), p90: statistic(agg, 'p(90)'), p95: statistic(agg, 'p(95)'),
    p99: statistic(agg, 'p(99)'), max: statistic(agg, 'max'),
  };
}

export function endpointSummary(q: MetricsSource, tags: Tags, seconds: number): EndpointSummary {
  const requests = statistic(q.aggregate('http_reqs', { tags }), 'count') ?? 0;
  return {
    requests,
    rps: seconds > 0 && q.lastSecond >= 0 ? requests / seconds : null,
    errorRate: statistic(q.aggregate('http_req_failed', { tags }), 'rate'),
    latencyMs: latency(q, tags),
  };
}

const orNull = (v: number): number | null => (v === v ? v : null);

/** Started iterations: planned minus dropped when the run planned arrivals (open model). */
function buildTimeline(d: RunDigest): TimelinePoint[] {
  const s = d.perSecond;
  const out: TimelinePoint[] = new Array(d.seconds);
  for (let t = 0; t < d.seconds; t++) {
    const outcomes = s.outcomes.get(t);
    const plannedArrivals = d.has.planned ? s.planned.get(t) : null;
    out[t] = {
      t,
      rps: s.requests.get(t),
      errorRate: outcomes > 0 ? s.failed.get(t) / outcomes : null,
      p95Ms: orNull(s.p95Ms.get(t)),
      activeVUs: orNull(s.vus.get(t)),
      plannedArrivals,
      arrivals: plannedArrivals !== null ? Math.max(0, plannedArrivals - s.dropped.get(t)) : d.has.iterations ? s.iterations.get(t) : null,
    };
  }
  return out;
}

/**
 * Seconds where the generator fell behind (schedule-lag p99 over 50 ms: src/analysis/generator-health.ts).
 * Seconds whose iterations were dropped for want of a free VU are the target's doing and stay in.
 * The engine's own list (run.json extra.saturatedSeconds) wins when present.
 */
export function saturatedSeconds(runInfo: RunInfo, d: RunDigest): number[] {
  const given = runInfo.extra?.saturatedSeconds;
  if (Array.isArray(given) && given.every((s) => typeof s === 'number')) return [...(given as number[])].sort((a, b) => a - b);
  return d.lagSaturatedSeconds.filter((t) => t >= 0 && t < d.seconds);
}

function generatorSummary(d: RunDigest, saturated: number[]) {
  const q = d.totals;
  const has = (m: string) => q.kindOf(m) !== undefined;
  const runStat = (metric: string, stat: string) => statistic(q.aggregate(metric), stat);
  let cpuMax: number | null = null;
  for (let t = 0, n = d.perSecond.cpu.data.length; t < n; t++) {
    const v = d.perSecond.cpu.data[t];
    if (v === v && (cpuMax === null || v > cpuMax)) cpuMax = v;
  }
  return {
    // No arrival-rate executor ran when nothing was planned: drops were not possible, so not measured.
    droppedIterations: has('dropped_iterations') ? statistic(q.aggregate('dropped_iterations'), 'count')
      : has('planned_iterations') ? 0 : null,
    scheduleLagP99Ms: runStat('schedule_lag', 'p(99)'),
    eventLoopLagP99Ms: runStat('generator_event_loop_lag', 'p(99)'),
    // time requests queued for a connection inside the generator (k6's http_req_blocked)
    httpReqBlockedP95Ms: runStat('http_req_blocked', 'p(95)'),
    cpuPercentMax: cpuMax,
    saturatedSeconds: saturated,
    saturatedSecondCount: saturated.length,
    vuPoolExhaustedSeconds: d.vuPoolExhaustedSeconds.filter((t) => t >= 0 && t < d.seconds),
  };
}

const REGISTER = 'POST /api/v1/register';
const ORDERS = 'POST /api/v1/orders';

/** 2xx responses of one endpoint, or null when the run never called it. */
function successes(q: SeriesTotals, name: string): number | null {
  const series = q.series('http_reqs', { name });
  if (series.length === 0) return null;
  let n = 0;
  for (const s of series) if (/^2\d\d$/.test(s.tags.status ?? '')) n += s.sum;
  return n;
}

function pick(obj: unknown, ...path: string[]): number | null {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}

function firstOf(...values: Array<number | null>): number | null {
  for (const v of values) if (v !== null) return v;
  return null;
}

/** Orders and money: from the portal's reconcile when it was read, else what the client saw; null otherwise. */
export function businessSummary(q: SeriesTotals, reconcile: ReconcileResult | null) {
  const r = reconcile;
  return {
    registrations: successes(q, REGISTER),
    ordersPlaced: firstOf(pick(r, 'orders', 'placed'), pick(r, 'orders', 'total'), pick(r, 'ordersPlaced'), successes(q, ORDERS)),
    // The portal's own count of orders ever accepted; else accepted + delivered (delivered were accepted first).
    ordersAccepted: pick(r, 'orders', 'acceptedTotal') ?? (pick(r, 'orders', 'accepted') !== null ? pick(r, 'orders', 'accepted')! + (pick(r, 'orders', 'delivered') ?? 0) : pick(r, 'ordersAccepted')),
    walletDiscrepancyPaise: pick(r, 'walletDiscrepancyPaise'),
    stuckDebits: pick(r, 'stuckDebits'),
    refundLatencyP95Seconds: firstOf(pick(r, 'refundLatencyP95Seconds'), pick(r, 'refunds', 'latencyP95Seconds')),
    heldPaise: pick(r, 'totals', 'heldPaise'),
    capturedPaise: pick(r, 'totals', 'capturedPaise'),
    refundedPaise: pick(r, 'totals', 'refundedPaise'),
    releasedPaise: pick(r, 'totals', 'releasedPaise'),
    stuckPaise: firstOf(pick(r, 'stuckPaise'), pick(r, 'stuckDebitsPaise')),
  };
}
