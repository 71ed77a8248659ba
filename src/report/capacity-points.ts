import { statistic, type MetricsQuery } from '../metrics/index.js';
import type { LoadPoint } from '../analysis/capacity.js';
import type { RunInfo } from '../rundir/run-dir.js';
import type { RunDigest } from './digest.js';

/** One measured load level, the input of the analysis' capacity functions. */
export type CapacityPoint = LoadPoint & { t: number; p95Ms: number; meanLatencyMs: number; to: number };

/** At most this many levels: a run whose plan changes every second (a ramp) is cut in equal slices. */
export const MAX_LEVELS = 120;

/** Width of a slice of a ramp in seconds: ≥ 5 s, and at most MAX_LEVELS slices. */
export function levelWidth(seconds: number): number {
  return Math.max(5, Math.ceil(seconds / MAX_LEVELS));
}

/**
 * Load levels of a run as [from, to) second ranges: the steps of a stepped plan (consecutive seconds
 * whose planned iterations are within 1% of the step's first second), or equal slices of a ramp.
 * `planned` is the planned iterations of each second, or null when the run planned none. The report
 * finds the same levels as its windows stream past (StepTracker in digest.ts; a test pins the two equal).
 */
export function loadLevels(planned: ((t: number) => number) | null, seconds: number): Array<[number, number]> {
  const slices = (): Array<[number, number]> => {
    const w = levelWidth(seconds);
    const out: Array<[number, number]> = [];
    for (let from = 0; from + w <= seconds; from += w) out.push([from, from + w]);
    return out;
  };
  if (!planned) return slices();
  const steps: Array<[number, number]> = [];
  let from = 0, ref = planned(0);
  for (let t = 1; t <= seconds; t++) {
    const v = t < seconds ? planned(t) : NaN;
    if (t < seconds && Math.abs(v - ref) <= 0.01 * Math.max(ref, 1e-9)) continue;
    steps.push([from, t]);
    from = t; ref = v;
  }
  // A step shorter than 3 s says little; too many steps means a ramp, not a stepped plan.
  const long = steps.filter(([a, b]) => b - a >= 3);
  return long.length >= 2 && long.length <= MAX_LEVELS ? long : slices();
}

/**
 * One point per load level. Offered load in requests/s is the planned iterations times the run's
 * requests per started iteration (open model); without a plan, what was sent. Throughput counts
 * successful requests only. A level touching a generator-saturated second is flagged.
 */
export function capacityPoints(d: RunDigest, saturated: ReadonlySet<number>): CapacityPoint[] {
  const q = d.totals;
  const totalPlanned = statistic(q.aggregate('planned_iterations'), 'count') ?? 0;
  const totalDropped = statistic(q.aggregate('dropped_iterations'), 'count') ?? 0;
  const totalReqs = statistic(q.aggregate('http_reqs'), 'count') ?? 0;
  const started = totalPlanned - totalDropped;
  const reqsPerIteration = started > 0 ? totalReqs / started : null;
  const out: CapacityPoint[] = [];
  for (const l of d.levels) {
    const { from, to } = l;
    const width = to - from;
    const n = l.requests;
    const p95 = l.p95Ms;
    if (n === 0 || p95 === null) continue;
    const offered = d.has.planned && reqsPerIteration !== null ? (l.planned * reqsPerIteration) / width : n / width;
    let sat = false;
    for (let t = from; t < to && !sat; t++) sat = saturated.has(t);
    out.push({
      t: from, to,
      offeredRps: offered,
      throughputRps: (n - l.errors) / width,
      p95Ms: p95,
      p99Ms: l.p99Ms ?? p95,
      meanLatencyMs: l.meanMs ?? p95,
      errorRate: l.outcomes > 0 ? l.errors / l.outcomes : 0,
      saturated: sat,
    });
  }
  return out;
}

/**
 * A sweep cuts its run into load levels of its own: the steps of its plan (src/run/sweep.ts), after a
 * warm-up that is not analysed. Its analysis reads one load point per second of each step. The report
 * of a sweep run reads the same points with the same rule and analyses them the same way, so that
 * summary.json and sweep.json agree (pinned by a test); other runs are cut by loadLevels.
 */
export interface SweepStepRange { rate: number; startSeconds: number; durationSeconds: number }

/** The steps of a sweep from run.json (extra.sweep.plan), or null when the run is not a sweep. */
export function sweepPlanOf(runInfo: RunInfo): SweepStepRange[] | null {
  const plan = (runInfo.extra?.sweep as { plan?: unknown } | undefined)?.plan;
  if (!Array.isArray(plan) || plan.length === 0) return null;
  const ok = plan.every((s) => s && typeof s === 'object'
    && [s.rate, s.startSeconds, s.durationSeconds].every((v) => typeof v === 'number' && Number.isFinite(v)) && s.durationSeconds > 0);
  return ok ? (plan as SweepStepRange[]).map(({ rate, startSeconds, durationSeconds }) => ({ rate, startSeconds, durationSeconds })) : null;
}

export interface SaturationLimits {
  /** A second whose schedule lag p99 exceeds this is generator-saturated. Default 50 ms, the engine's own limit. */
  scheduleLagP99Ms: number;
  /** …or whose generator event-loop lag max exceeds this. Default 100 ms. */
  eventLoopLagMs: number;
}
export const DEFAULT_SATURATION: SaturationLimits = { scheduleLagP99Ms: 50, eventLoopLagMs: 100 };

/**
 * Per-second load points of each step from the run's metric windows (k6 metric names). Offered is the
 * planned rate; throughput the iterations completed in that second (one request per iteration in a
 * sweep); dropped iterations count against throughput, i.e. against the system, while schedule lag and
 * event-loop lag mark the second as the generator's fault (saturated).
 */
export function sweepPoints(query: MetricsQuery, plan: readonly SweepStepRange[], limits: SaturationLimits = DEFAULT_SATURATION): LoadPoint[] {
  const points: LoadPoint[] = [];
  for (const s of plan) {
    for (let t = s.startSeconds; t < s.startSeconds + s.durationSeconds; t++) points.push(secondPoint(query, t, s.rate, limits));
  }
  return points;
}

/** The load point of one second of any run, given what was offered in it (e.g. planned arrivals). */
export function secondPoint(query: MetricsQuery, t: number, offeredRps: number, limits: SaturationLimits = DEFAULT_SATURATION): LoadPoint {
  const r = { from: t, to: t + 1 };
  const dur = query.aggregate('http_req_duration', r);
  const iterations = statistic(query.aggregate('iterations', r), 'count') ?? 0;
  const reqs = query.aggregate('http_reqs', r);
  const failed = query.aggregate('http_req_failed', r);
  const lag = query.aggregate('schedule_lag', r);
  const loop = query.aggregate('generator_event_loop_lag', r);
  const lagP99 = lag.count ? statistic(lag, 'p(99)') : null;
  const loopMax = loop.count ? loop.max : null;
  return {
    t,
    offeredRps,
    throughputRps: iterations > 0 ? iterations : (statistic(reqs, 'count') ?? 0),
    p95Ms: dur.count ? statistic(dur, 'p(95)') : null,
    p99Ms: dur.count ? statistic(dur, 'p(99)') : null,
    meanLatencyMs: dur.count ? statistic(dur, 'avg') : null,
    errorRate: failed.count ? (statistic(failed, 'rate') ?? 0) : 0,
    saturated: (lagP99 !== null && lagP99 > limits.scheduleLagP99Ms) || (loopMax !== null && loopMax > limits.eventLoopLagMs),
  };
}

