import { HistogramAccumulator, fromRecorded } from '../metrics/index.js';
import type { FrameFigures } from './accumulate.js';
import { LevelAcc } from './accumulate.js';
import { LatencyWindows } from './latency-windows.js';

/** At most this many points per chart series: a long run is shown in buckets of several seconds. */
export const MAX_CHART_POINTS = 600;

export function chartBucketSeconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / MAX_CHART_POINTS));
}

/**
 * The latency chart's points each hold the percentiles of every sample of the last this many seconds
 * (whole chart buckets, at least one), added exactly by histogram. Second by second, an overloaded run's
 * p95 flipped between 3 s and 30 s (some seconds only the client timeouts came back), which told a
 * reader nothing; over 10 s it reads as what it was.
 */
export const LATENCY_WINDOW_SECONDS = 10;

/** Kinds of failure shown in the errors chart, by status tag. */
export function errorKind(status: string | undefined): string {
  if (status === undefined || status === '0' || status === '') return 'network';
  if (status === '429' || status === '503') return status;
  if (/^5\d\d$/.test(status)) return '5xx';
  if (/^4\d\d$/.test(status)) return '4xx';
  return 'other';
}

/** A bucket's latency histograms, kept for the trailing window of the latency chart. */
interface BucketLatency { b: number; dur: HistogramAccumulator; eps: Array<HistogramAccumulator | undefined> }

/** Chart buckets: failures per bucket; percentiles of the trailing window's added histograms, overall and per endpoint. */
export class ChartBuckets {
  private readonly acc = new LevelAcc();
  private current = -1;
  readonly p50: Array<number | null> = [];
  readonly p95: Array<number | null> = [];
  readonly p99: Array<number | null> = [];
  /** by endpoint slot */
  readonly endpointP95: Array<Array<number | null>> = [];
  readonly failures = new Map<string, number[]>();
  /** each bucket's own percentiles, for the gate's statistics */
  readonly windows = new LatencyWindows();
  /** by endpoint slot: request outcomes and failures of each bucket */
  readonly endpointOutcomes: number[][] = [];
  readonly endpointErrors: number[][] = [];
  /** buckets in the latency chart's trailing window (LATENCY_WINDOW_SECONDS, at least one bucket) */
  readonly latencyBuckets: number;
  private readonly recent: BucketLatency[];
  private readonly scratch = new HistogramAccumulator();

  constructor(readonly width: number) {
    this.latencyBuckets = Math.max(1, Math.ceil(LATENCY_WINDOW_SECONDS / width));
    this.recent = Array.from({ length: this.latencyBuckets }, () => ({ b: -1, dur: new HistogramAccumulator(), eps: [] }));
  }

  add(f: FrameFigures): void {
    const b = Math.floor(f.t / this.width);
    if (b !== this.current) {
      this.close();
      this.current = b;
      this.acc.reset(b * this.width);
    }
    this.acc.addFrame(f);
    for (let k = 0; k < f.failN; k++) {
      if (f.failSum[k] === 0) continue;
      let arr = this.failures.get(f.failKind[k]);
      if (!arr) this.failures.set(f.failKind[k], (arr = []));
      while (arr.length <= b) arr.push(0);
      arr[b] += f.failSum[k];
    }
  }

  close(): void {
    const b = this.current;
    if (b < 0) return;
    // keep this bucket's histograms, then read the percentiles of every sample of the trailing window
    const mine = this.recent[b % this.latencyBuckets];
    mine.b = b;
    mine.dur.clear();
    mine.dur.add(this.acc.dur);
    for (const h of mine.eps) h?.clear();
    this.acc.eps.forEach((e, slot) => {
      if (e && e.dur.totalCount > 0) (mine.eps[slot] ??= new HistogramAccumulator()).add(e.dur);
      if (e && e.outcomes > 0) { (this.endpointOutcomes[slot] ??= [])[b] = e.outcomes; (this.endpointErrors[slot] ??= [])[b] = e.errors; }
    });
    const inWindow = this.recent.filter((r) => r.b >= 0 && r.b > b - this.latencyBuckets);
    const win = this.scratch;
    win.clear();
    for (const r of inWindow) win.add(r.dur);
    if (win.totalCount > 0) {
      const [p50, p95, p99] = win.valuesAtPercentiles([50, 95, 99]).map(fromRecorded);
      this.p50[b] = p50; this.p95[b] = p95; this.p99[b] = p99;
    }
    // an endpoint with responses anywhere in the window has a point, as the overall percentiles do
    const slots = Math.max(...inWindow.map((r) => r.eps.length));
    for (let slot = 0; slot < slots; slot++) {
      win.clear();
      for (const r of inWindow) { const h = r.eps[slot]; if (h) win.add(h); }
      if (win.totalCount > 0) (this.endpointP95[slot] ??= [])[b] = fromRecorded(win.getValueAtPercentile(95));
    }
    this.windows.add(b, this.acc);
    this.current = -1;
  }
}

/** Fill holes (never-set buckets) with `fill` and make the array `n` long. */
export function dense<T>(arr: ReadonlyArray<T | null | undefined> | undefined, n: number, fill: T | null): Array<T | null> {
  return Array.from({ length: n }, (_, i) => (arr && i < arr.length && arr[i] !== undefined ? arr[i]! : fill));
}
