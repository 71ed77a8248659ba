/**
 * Per-second view of a running test, computed from merged windows: planned vs started arrivals,
 * VUs, requests, errors, p95 of the last 10 s, and whether the generator kept the plan.
 */
import { HistogramAccumulator, percentile, type EncodedWindow } from '../metrics/index.js';
import { GENERATOR_LIMITS, secondHealth } from '../analysis/generator-health.js';

export interface ProgressSnapshot {
  /** the metric second just completed */
  second: number;
  elapsedSeconds: number;
  plannedSeconds: number;
  plannedArrivals: number;
  startedArrivals: number;
  droppedIterations: number;
  iterations: number;
  vus: number;
  rps: number;
  errors: number;
  p95Ms: number | null;
  scheduleLagP99Ms: number | null;
  eventLoopLagP99Ms: number | null;
  cpuPercent: number | null;
  /** the generator started iterations late: this second does not measure the target */
  saturated: boolean;
  /** iterations dropped with every VU busy waiting for the target: a measurement of the target */
  vuPoolExhausted: boolean;
  saturationReason: string | null;
  /** which rule fired (src/analysis/generator-health.ts) */
  saturationCause: 'lag' | 'dropped' | null;
}

export const SATURATION = GENERATOR_LIMITS;

export class ProgressTracker {
  /** http_req_duration buckets of the last seconds, added up only when a p95 is read */
  private readonly recent: Array<{ t: number; encoded: number[][] }> = [];

  constructor(private readonly plannedSeconds: number) {}

  /** Summarise the merged windows of one finished second. */
  second(t: number, windows: readonly EncodedWindow[]): ProgressSnapshot {
    let planned = 0, started: number, dropped = 0, iterations = 0, vus = 0, reqs = 0, errors = 0;
    let cpu: number | null = null;
    const lag: number[][] = [];
    let lagMax = -Infinity;
    const loop: number[][] = [];
    const dur: number[][] = [];
    for (const w of windows) {
      switch (w.metric) {
        case 'planned_iterations': planned += w.sum; break;
        case 'dropped_iterations': dropped += w.sum; break;
        case 'iterations': iterations += w.sum; break;
        case 'vus': vus += w.sum; break;
        case 'http_reqs': reqs += w.sum; break;
        case 'http_req_failed': errors += w.sum; break;
        case 'generator_cpu': cpu = (cpu ?? 0) + w.sum; break;
        case 'schedule_lag': if (w.buckets) lag.push(w.buckets); lagMax = Math.max(lagMax, w.max); break;
        case 'generator_event_loop_lag': if (w.buckets) loop.push(w.buckets); break;
        case 'http_req_duration': if (w.buckets) dur.push(w.buckets); break;
      }
    }
    // Started by planned second (dropped iterations are recorded at their planned time), so an
    // arrival that slips a few ms across a second boundary is not counted as missing.
    started = planned - dropped;
    this.recent.push({ t, encoded: dur });
    while (this.recent.length > 0 && this.recent[0].t <= t - 10) this.recent.shift();
    const last10 = this.recent.flatMap((r) => r.encoded);
    // p99 ≤ max (+0.1%, HDR's bucket rounding): below the limit, no need to decode to know the
    // second is not saturated.
    const lagP99 = lagMax * 1.002 < SATURATION.lagP99Ms ? undefined : mergedPercentile(lag, 99);
    const health = secondHealth(lagP99 ?? null, planned, dropped);
    const snapshot: ProgressSnapshot = {
      second: t, elapsedSeconds: t + 1, plannedSeconds: this.plannedSeconds,
      plannedArrivals: planned, startedArrivals: started, droppedIterations: dropped, iterations, vus,
      rps: reqs, errors, p95Ms: null,
      scheduleLagP99Ms: null, eventLoopLagP99Ms: null, cpuPercent: cpu,
      saturated: health.saturated, vuPoolExhausted: health.vuPoolExhausted, saturationReason: health.reason,
      saturationCause: health.saturated ? 'lag' : health.vuPoolExhausted ? 'dropped' : null,
    };
    lazy(snapshot, 'p95Ms', () => mergedPercentile(last10, 95));
    lazy(snapshot, 'scheduleLagP99Ms', () => (lagP99 === undefined ? mergedPercentile(lag, 99) : lagP99));
    lazy(snapshot, 'eventLoopLagP99Ms', () => mergedPercentile(loop, 99));
    return snapshot;
  }
}

/**
 * Decoding and adding histograms every second cost the main thread 10–20 ms a second (measured
 * at 5,000/s with the HDR base64 windows of metrics format v1), on the core the worker runs on, where
 * it showed up as schedule lag; a --quiet run never reads these figures, so they are computed when
 * first read.
 */
function lazy(o: ProgressSnapshot, key: 'p95Ms' | 'scheduleLagP99Ms' | 'eventLoopLagP99Ms', compute: () => number | null): void {
  let value: number | null | undefined;
  Object.defineProperty(o, key, {
    enumerable: true, configurable: true,
    get: () => (value === undefined ? (value = compute()) : value),
    set: (v: number | null) => { value = v; },
  });
}

function mergedPercentile(buckets: readonly number[][], p: number): number | null {
  if (buckets.length === 0) return null;
  return percentile(HistogramAccumulator.of(...buckets), p);
}
