import { fromRecorded } from '../metrics/index.js';
import type { LevelAcc } from './accumulate.js';

/**
 * Each chart bucket's own latency percentiles (not the chart's trailing window), overall and per
 * endpoint, with its request count: the samples the gate's statistics compare (summary.json
 * `latencyWindows`, src/analysis/window-shift.ts). A bucket is one second up to 600 seconds of run,
 * so the file stays at most 600 points an endpoint whatever the run's length.
 */
export interface WindowColumn { requests: number[]; p95Ms: Array<number | null>; p99Ms: Array<number | null> }

export interface LatencyWindowsDigest {
  /** seconds per window (the chart bucket's width) */
  seconds: number;
  overall: WindowColumn;
  endpoints: Map<string, WindowColumn>;
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

function column(): WindowColumn { return { requests: [], p95Ms: [], p99Ms: [] }; }

function put(c: WindowColumn, b: number, count: number, p95: number | null, p99: number | null): void {
  while (c.requests.length < b) { c.requests.push(0); c.p95Ms.push(null); c.p99Ms.push(null); }
  c.requests[b] = count; c.p95Ms[b] = p95; c.p99Ms[b] = p99;
}

function pad(c: WindowColumn, n: number): WindowColumn {
  while (c.requests.length < n) { c.requests.push(0); c.p95Ms.push(null); c.p99Ms.push(null); }
  return c;
}

export class LatencyWindows {
  private readonly overall = column();
  /** by endpoint slot */
  private readonly eps: Array<WindowColumn | undefined> = [];

  /** A closed bucket `b`: its own histograms' p95 and p99. */
  add(b: number, acc: LevelAcc): void {
    if (acc.durCount > 0) {
      const [p95, p99] = acc.dur.valuesAtPercentiles([95, 99]).map((v) => round(fromRecorded(v)));
      put(this.overall, b, acc.durCount, p95, p99);
    }
    acc.eps.forEach((e, slot) => {
      if (!e || e.count === 0) return;
      const [p95, p99] = e.dur.valuesAtPercentiles([95, 99]).map((v) => round(fromRecorded(v)));
      put((this.eps[slot] ??= column()), b, e.count, p95, p99);
    });
  }

  finish(width: number, buckets: number, names: readonly string[]): LatencyWindowsDigest {
    const endpoints = new Map<string, WindowColumn>();
    this.eps.forEach((c, slot) => { if (c) endpoints.set(names[slot], pad(c, buckets)); });
    return { seconds: width, overall: pad(this.overall, buckets), endpoints };
  }
}
