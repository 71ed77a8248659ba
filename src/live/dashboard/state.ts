/**
 * What the live page shows for each second, computed from the engine's merged windows as they close:
 * planned and started arrivals, requests, errors by kind, p50/p95/p99 per endpoint, VUs, the
 * generator's health, and the thresholds evaluated on the run so far. A late window (one that comes
 * after its second was shown) updates that second, so the page ends equal to the run directory.
 */
import { errorKind } from '../../assess/chart-buckets.js';
import { HistogramAccumulator, SeriesTotals, percentile, type EncodedWindow } from '../../metrics/index.js';
import { evaluateThresholds, parseThresholds, type ThresholdDef, type ThresholdsInput } from '../../thresholds/index.js';

export interface Percentiles { p50: number | null; p95: number | null; p99: number | null; count: number }

export interface ThresholdState {
  name: string;
  threshold: string;
  value: number | null;
  /** null while the metric has no sample yet */
  pass: boolean | null;
  /** the first second at whose end it was failing */
  firstFailedAt: number | null;
}

/** One second of the page (sent as an SSE `second` event, again if a late window changes it). */
export interface SecondPoint {
  t: number;
  planned: number;
  started: number;
  dropped: number;
  iterations: number;
  vus: number;
  requests: number;
  /** failed requests by kind (network, 429, 503, 5xx, 4xx, other: the report's kinds) */
  errors: Record<string, number>;
  /** every response (any status), then by the request's `name` tag */
  latency: Percentiles;
  endpoints: Record<string, Percentiles>;
  scheduleLagP99Ms: number | null;
  eventLoopLagP99Ms: number | null;
  cpuPercent: number | null;
  saturated: boolean;
  thresholds: ThresholdState[];
}

class SecondAcc {
  planned = 0; dropped = 0; iterations = 0; vus = 0; requests = 0;
  cpu: number | null = null;
  errors: Record<string, number> = {};
  readonly all = new HistogramAccumulator();
  readonly byName = new Map<string, HistogramAccumulator>();
  readonly lag = new HistogramAccumulator();
  readonly loop = new HistogramAccumulator();
  saturated = false;
  shown = false;

  add(w: EncodedWindow): void {
    switch (w.metric) {
      case 'planned_iterations': this.planned += w.sum; break;
      case 'dropped_iterations': this.dropped += w.sum; break;
      case 'iterations': this.iterations += w.sum; break;
      case 'vus': this.vus += w.sum; break;
      case 'http_reqs': this.requests += w.sum; break;
      case 'generator_cpu': this.cpu = (this.cpu ?? 0) + w.sum; break;
      case 'http_req_failed':
        if (w.sum > 0) { const k = errorKind(w.tags.status); this.errors[k] = (this.errors[k] ?? 0) + w.sum; }
        break;
      case 'http_req_duration': {
        if (!w.buckets) break;
        this.all.addBuckets(w.buckets);
        const name = w.tags.name ?? '(no name)';
        let h = this.byName.get(name);
        if (!h) this.byName.set(name, (h = new HistogramAccumulator()));
        h.addBuckets(w.buckets);
        break;
      }
      case 'schedule_lag': if (w.buckets) this.lag.addBuckets(w.buckets); break;
      case 'generator_event_loop_lag': if (w.buckets) this.loop.addBuckets(w.buckets); break;
    }
  }
}

const percentilesOf = (h: HistogramAccumulator): Percentiles =>
  ({ p50: percentile(h, 50), p95: percentile(h, 95), p99: percentile(h, 99), count: h.totalCount });

/** Seconds kept open for late windows; older ones are forgotten (the page keeps what it was sent). */
const KEEP_SECONDS = 30;

export class DashboardState {
  private readonly seconds = new Map<number, SecondAcc>();
  private readonly totals = new SeriesTotals();
  private defs: ThresholdDef[] = [];
  private readonly firstFailed = new Map<string, number>();
  private latest = -1;

  /** The run's thresholds (the `start` event's options). */
  setThresholds(thresholds: unknown): void {
    this.defs = parseThresholds(thresholds as ThresholdsInput | undefined);
  }

  /**
   * One `windows` event (one second's windows). Returns the updated point when that second was shown
   * already (a late window), else null: a second is shown on `closeSecond`.
   */
  addWindows(windows: readonly EncodedWindow[]): SecondPoint | null {
    if (windows.length === 0) return null;
    const t = windows[0].t;
    for (const w of windows) this.totals.add(w);
    let acc = this.seconds.get(t);
    if (!acc) {
      // a second older than what is kept only adds to the thresholds' totals
      if (t < this.latest - KEEP_SECONDS) return null;
      this.seconds.set(t, (acc = new SecondAcc()));
    }
    for (const w of windows) acc.add(w);
    return acc.shown ? this.point(t, acc) : null;
  }

  /** The `second` event of `t`: its point, with the engine's saturation verdict. */
  closeSecond(t: number, saturated: boolean): SecondPoint {
    let acc = this.seconds.get(t);
    if (!acc) this.seconds.set(t, (acc = new SecondAcc()));
    acc.saturated = saturated;
    acc.shown = true;
    if (t > this.latest) this.latest = t;
    for (const k of this.seconds.keys()) if (k < this.latest - KEEP_SECONDS) this.seconds.delete(k);
    return this.point(t, acc);
  }

  private point(t: number, a: SecondAcc): SecondPoint {
    const endpoints: Record<string, Percentiles> = {};
    for (const name of [...a.byName.keys()].sort()) endpoints[name] = percentilesOf(a.byName.get(name)!);
    return {
      t, planned: a.planned, started: a.planned - a.dropped, dropped: a.dropped, iterations: a.iterations, vus: a.vus,
      requests: a.requests, errors: { ...a.errors }, latency: percentilesOf(a.all), endpoints,
      scheduleLagP99Ms: percentile(a.lag, 99), eventLoopLagP99Ms: percentile(a.loop, 99), cpuPercent: a.cpu,
      saturated: a.saturated, thresholds: this.thresholdStates(t),
    };
  }

  private thresholdStates(t: number): ThresholdState[] {
    if (this.defs.length === 0) return [];
    return evaluateThresholds(this.defs, this.totals).checks.map((c) => {
      const pending = c.value === null;
      if (!pending && !c.pass && !this.firstFailed.has(`${c.name} ${c.threshold}`)) this.firstFailed.set(`${c.name} ${c.threshold}`, t);
      return { name: c.name, threshold: c.threshold, value: c.value, pass: pending ? null : c.pass, firstFailedAt: this.firstFailed.get(`${c.name} ${c.threshold}`) ?? null };
    });
  }
}
