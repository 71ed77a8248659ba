import { statistic, type MetricsQuery } from '../metrics/index.js';
import { Buckets } from './buckets.js';

/** One measured load level, the input of the analysis' capacity functions. */
export interface CapacityPoint {
  t: number;
  offeredRps: number;
  throughputRps: number;
  p95Ms: number;
  p99Ms?: number;
  meanLatencyMs: number;
  errorRate: number;
  saturated: boolean;
}

/** Width of a load level in seconds: steps of sweeps are ≥ 5 s; long runs give at most ~120 levels. */
export function levelWidth(seconds: number): number {
  return Math.max(5, Math.ceil(seconds / 120));
}

/**
 * Load levels of a run, one per bucket of `levelWidth` seconds. Offered load in requests/s is the planned
 * iterations times the run's requests per started iteration (open model); without a plan, what was sent.
 * Throughput counts successful requests only. A level touching a generator-saturated second is flagged.
 */
export function capacityPoints(q: MetricsQuery, seconds: number, saturated: ReadonlySet<number>, width = levelWidth(seconds)): CapacityPoint[] {
  const reqs = Buckets.of(q, 'http_reqs', undefined, width);
  const failed = Buckets.of(q, 'http_req_failed', undefined, width);
  const dur = Buckets.of(q, 'http_req_duration', undefined, width);
  const planned = Buckets.of(q, 'planned_iterations', undefined, width);
  const totalPlanned = statistic(q.aggregate('planned_iterations'), 'count') ?? 0;
  const totalDropped = statistic(q.aggregate('dropped_iterations'), 'count') ?? 0;
  const totalReqs = statistic(q.aggregate('http_reqs'), 'count') ?? 0;
  const started = totalPlanned - totalDropped;
  const reqsPerIteration = started > 0 ? totalReqs / started : null;
  const out: CapacityPoint[] = [];
  const buckets = Math.floor(seconds / width); // whole levels only: a partial tail would skew rates
  for (let b = 0; b < buckets; b++) {
    const n = reqs.sum(b);
    const p95 = dur.stat(b, 'p(95)');
    if (n === 0 || p95 === null) continue;
    const errors = failed.sum(b);
    const errorRate = failed.count(b) > 0 ? errors / failed.count(b) : 0;
    const offered = !planned.empty && reqsPerIteration !== null ? (planned.sum(b) * reqsPerIteration) / width : n / width;
    let sat = false;
    for (let t = b * width; t < (b + 1) * width && !sat; t++) sat = saturated.has(t);
    out.push({
      t: b * width,
      offeredRps: offered,
      throughputRps: (n - errors) / width,
      p95Ms: p95,
      p99Ms: dur.stat(b, 'p(99)') ?? p95,
      meanLatencyMs: dur.stat(b, 'avg') ?? p95,
      errorRate,
      saturated: sat,
    });
  }
  return out;
}
