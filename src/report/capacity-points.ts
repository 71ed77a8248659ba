import { statistic } from '../metrics/index.js';
import type { LoadPoint } from '../analysis/capacity.js';
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
