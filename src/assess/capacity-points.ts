import { statistic, type MetricsQuery, type SeriesTotals } from '../metrics/index.js';
import type { LoadPoint } from '../analysis/capacity.js';
import type { RunInfo } from '../rundir/run-dir.js';
import type { RunDigest } from './digest.js';
import { secondHealth } from '../analysis/generator-health.js';

/** One measured load level, the input of the analysis' capacity functions. */
export type CapacityPoint = LoadPoint & { t: number; p95Ms: number; meanLatencyMs: number; to: number };

/**
 * One point per load level. Offered load in requests/s is each scenario's planned arrivals times that
 * scenario's requests per started arrival over the run (open model; the whole run's ratio where the
 * requests carry no scenario tag); without a plan, what was sent. A journey makes its requests over
 * seconds after it arrives, so a level's requests lag its arrivals (most when the load jumps, as at
 * 09:00): achieved is therefore measured as arrivals started ÷ planned, not as requests ÷ offered.
 * Throughput counts successful requests only. A level touching a generator-saturated second is flagged.
 */
export function capacityPoints(d: RunDigest, saturated: ReadonlySet<number>): CapacityPoint[] {
  const { overall: reqsPerIteration, perScenario } = requestsPerArrival(d.totals);
  const out: CapacityPoint[] = [];
  for (const l of d.levels) {
    const { from, to } = l;
    const width = to - from;
    const n = l.requests;
    const p95 = l.p95Ms;
    if (n === 0 || p95 === null) continue;
    // a planned run's seconds that planned nothing (its drain) are not a load level
    if (d.has.planned && l.planned === 0) continue;
    let offered = n / width;
    if (d.has.planned && reqsPerIteration !== null) {
      let reqs = 0;
      for (const [scenario, planned] of l.plannedByScenario) reqs += planned * (perScenario.get(scenario) ?? reqsPerIteration);
      offered = reqs / width;
    }
    let sat = false;
    for (let t = from; t < to && !sat; t++) sat = saturated.has(t);
    out.push({
      t: from, to,
      offeredRps: offered,
      throughputRps: (n - l.errors) / width,
      ...(d.has.planned && l.planned > 0 ? { achievedShare: Math.max(0, l.planned - l.dropped) / l.planned } : {}),
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
 * Requests per started arrival over the run, per scenario (its http_reqs ÷ its planned less dropped
 * iterations) and over all of them (null when nothing started). The offered load of a planned run's
 * levels, and the journeys' weights in launch-day's limit sweep (src/run/journey-sweep.ts).
 */
export function requestsPerArrival(q: SeriesTotals): { overall: number | null; perScenario: Map<string, number> } {
  const count = (metric: string, tags?: Record<string, string>) => statistic(q.aggregate(metric, tags ? { tags } : undefined), 'count') ?? 0;
  const started = count('planned_iterations') - count('dropped_iterations');
  const perScenario = new Map<string, number>();
  for (const scenario of q.tagValues('planned_iterations', 'scenario')) {
    const n = count('http_reqs', { scenario });
    const st = count('planned_iterations', { scenario }) - count('dropped_iterations', { scenario });
    if (n > 0 && st > 0) perScenario.set(scenario, n / st);
  }
  return { overall: started > 0 ? count('http_reqs') / started : null, perScenario };
}

/**
 * A sweep cuts its run into load levels of its own: the steps of its plan (run/sweep.ts), after a
 * warm-up that is not analysed. Its analysis reads one load point per second of each step. The report
 * of a sweep run reads the same points with the same rule and analyses them the same way, and sweep.json is written from the same
 * Assessment as summary.json; other runs are cut by load levels (levels.ts).
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

/** Whether a sweep's run.json says it offered user journeys (extra.sweep.journeys: launch-day's limit sweep), not one request an arrival. */
export function sweepOfJourneys(runInfo: RunInfo): boolean {
  const j = (runInfo.extra?.sweep as { journeys?: unknown } | undefined)?.journeys;
  return Array.isArray(j) && j.length > 0;
}

/**
 * Per-second load points of each step from the run's metric windows (k6 metric names). Offered is the
 * planned rate; throughput the iterations completed in that second (one request per iteration in a
 * sweep); dropped iterations count against throughput, i.e. against the system, while a late schedule
 * marks the second as the generator's fault (saturated).
 */
export function sweepPoints(query: MetricsQuery, plan: readonly SweepStepRange[]): LoadPoint[] {
  const points: LoadPoint[] = [];
  plan.forEach((s, level) => {
    for (let t = s.startSeconds; t < s.startSeconds + s.durationSeconds; t++) points.push({ ...secondPoint(query, t, s.rate), level });
  });
  return points;
}

/**
 * The load point of one second of a sweep of user journeys (launch-day's limit sweep), whose step rates
 * are requests per second: throughput is the successful requests of that second (the replay's unit, so
 * the fleet is sized alike), and achieved the share of its planned arrivals that started (a journey's
 * requests lag its arrival: requests ÷ offered would fail every step that rises, as capacityPoints says).
 * Latency, errors and saturation as secondPoint.
 */
export function journeySecondPoint(query: MetricsQuery, t: number, offeredRps: number): LoadPoint {
  const r = { from: t, to: t + 1 };
  const p = secondPoint(query, t, offeredRps);
  const requests = statistic(query.aggregate('http_reqs', r), 'count') ?? 0;
  const failed = query.aggregate('http_req_failed', r);
  const planned = statistic(query.aggregate('planned_iterations', r), 'count') ?? 0;
  const dropped = statistic(query.aggregate('dropped_iterations', r), 'count') ?? 0;
  return {
    ...p,
    throughputRps: Math.max(0, requests - (failed.count ? failed.sum : 0)),
    ...(planned > 0 ? { achievedShare: Math.max(0, planned - dropped) / planned } : {}),
  };
}

/**
 * The load point of one second of any run, given what was offered in it (e.g. planned arrivals).
 * Saturated by the one rule of src/analysis/generator-health.ts (schedule lag p99 over 50 ms), the rule
 * the engine warns by and the digest marks seconds by. The generator's event-loop lag is not a second
 * rule: a stall that started no arrival late did not bend the plan, and one that did shows in schedule
 * lag, which is measured against the plan itself.
 */
export function secondPoint(query: MetricsQuery, t: number, offeredRps: number): LoadPoint {
  const r = { from: t, to: t + 1 };
  const dur = query.aggregate('http_req_duration', r);
  const iterations = statistic(query.aggregate('iterations', r), 'count') ?? 0;
  const reqs = query.aggregate('http_reqs', r);
  const failed = query.aggregate('http_req_failed', r);
  const lag = query.aggregate('schedule_lag', r);
  const lagP99 = lag.count ? statistic(lag, 'p(99)') : null;
  return {
    t,
    offeredRps,
    throughputRps: iterations > 0 ? iterations : (statistic(reqs, 'count') ?? 0),
    p95Ms: dur.count ? statistic(dur, 'p(95)') : null,
    p99Ms: dur.count ? statistic(dur, 'p(99)') : null,
    meanLatencyMs: dur.count ? statistic(dur, 'avg') : null,
    errorRate: failed.count ? (statistic(failed, 'rate') ?? 0) : 0,
    saturated: secondHealth(lagP99, 0, 0).saturated,
  };
}
