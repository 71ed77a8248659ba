import {
  DecodedBuckets, HistogramAccumulator, SecondFrames, SeriesTotals, fromRecorded, seriesKey,
  type EncodedWindow, type Frame, type SeriesInfo, type SeriesTotal, type WindowSink,
} from '../metrics/index.js';
import { GENERATOR_LIMITS, secondHealth } from '../analysis/generator-health.js';
import type { LoadPoint } from '../analysis/capacity.js';
import { Column, FrameFigures, type LevelStats } from './accumulate.js';
import { ChartBuckets, chartBucketSeconds, dense, errorKind } from './chart-buckets.js';
import type { LatencyWindowsDigest } from './latency-windows.js';
import { FoundLevels, RangeLevels, levelWidth } from './levels.js';
import { BucketCounts, countedOf, type BucketCountsOut, type Counted } from './bucket-counts.js';

/**
 * Everything the summary and the report read from a run's windows, computed in one pass over them in
 * time order, second by second, without keeping them: a 24-hour run of 10 endpoints is 2.7 million
 * windows, which as objects took more memory than the report may use. Exact throughout: every figure
 * comes from counts and sums added up and from percentiles of histograms added by HDR bucket
 * (HistogramAccumulator), over the same second, chart bucket, load level or whole run as before:
 *
 * - per second: requests, failures, planned/dropped/started iterations, VUs, generator CPU, p95, and
 *   the generator's health (schedule-lag p99): the summary's timeline and saturated seconds;
 * - per chart bucket (chartBucketSeconds wide): p50/p95/p99 and each endpoint's p95, failures by kind;
 * - per load level (given levels, e.g. a sweep's steps; else wherever the planned arrivals hold still,
 *   found as the seconds pass by the one level rule of src/analysis/levels.ts; a run planning nothing:
 *   equal slices): requests, failures, planned (by scenario), dropped, p95/p99/mean and each endpoint's
 *   p95 and failures;
 * - whole run, per series (SeriesTotals): thresholds, endpoint table, generator and business figures.
 *
 * Widths depend on the run's length, taken from run.json before reading. The windows are read a
 * second time, with what the first pass learnt, when they end elsewhere than run.json said. A run writes its windows in second order (rundir/window-log.ts); a
 * file written before that, with a window more than `horizon` seconds late (see SecondFrames), is read
 * again with a horizon past its lateness, its steps found again: the one tolerant path, for old files.
 */

export interface RunDigest {
  /** whole seconds covered: max(last window + 1, run.json duration rounded up) */
  seconds: number;
  totals: SeriesTotals;
  perSecond: {
    requests: Column; failed: Column; outcomes: Column; planned: Column; dropped: Column; iterations: Column;
    /** NaN where no window */
    vus: Column; cpu: Column; p95Ms: Column;
  };
  has: { planned: boolean; iterations: boolean };
  /** seconds where schedule-lag p99 exceeded the generator's limit (src/analysis/generator-health.ts) */
  lagSaturatedSeconds: number[];
  vuPoolExhaustedSeconds: number[];
  chart: {
    width: number;
    buckets: number;
    /** the seconds each latency point covers, its own bucket and those before it (LATENCY_WINDOW_SECONDS) */
    latencyWindowSeconds: number;
    /** percentiles of the trailing latency window ending with each bucket that had requests */
    p50Ms: Array<number | null>; p95Ms: Array<number | null>; p99Ms: Array<number | null>;
    endpointP95Ms: Map<string, Array<number | null>>;
    /** failed requests per bucket by kind of failure (errorKind) */
    failuresByKind: Map<string, number[]>;
    /** each bucket's own p95/p99 and request count, overall and per endpoint (summary.json latencyWindows) */
    windows: LatencyWindowsDigest;
    /** per endpoint and bucket: request outcomes (http_req_failed samples) and failures */
    endpointOutcomes: Map<string, number[]>; endpointErrors: Map<string, number[]>;
    /** the scenarios' retries and abandonment per step, retried requests per endpoint (bucket-counts.ts) */
    counts: BucketCountsOut;
  };
  /** the load levels (given, or found in the planned arrivals, or slices) holding windows, in time order */
  levels: LevelStats[];
  /** given: a sweep's steps; plan: where the planned arrivals held still; slices: nothing planned */
  levelSource: 'given' | 'plan' | 'slices';
  /** one load point per second of each range of DigestOptions.pointSeconds, in their order (null when none asked) */
  secondPoints: LoadPoint[] | null;
  /** how many times the windows were read (1, or 2: see above) */
  passes: number;
}

export interface DigestOptions {
  /** run.json durationSeconds (null when unknown) */
  declaredSeconds: number | null;
  /** load levels known before reading, e.g. a sweep's steps, as [from, to) */
  givenLevels?: ReadonlyArray<readonly [number, number]> | null;
  /** seconds a window may come after later ones and still be read in one pass (default 30) */
  horizon?: number;
  /** seconds to read one load point each from (a sweep's steps, with the rate each offered) */
  pointSeconds?: ReadonlyArray<{ from: number; to: number; offeredRps: number }> | null;
  /** the load point of second t from its windows (none for a second without any) */
  pointOf?: (windows: EncodedWindow[], t: number, offeredRps: number) => LoadPoint;
}

// What a series is to the digest (by metric name, k6's built-ins).
const OTHER = 0, REQS = 1, FAILED = 2, DUR = 3, PLANNED = 4, DROPPED = 5, ITERATIONS = 6, VUS = 7, CPU = 8, LAG = 9;
const ROLES: Record<string, number> = {
  http_reqs: REQS, http_req_failed: FAILED, http_req_duration: DUR, planned_iterations: PLANNED, dropped_iterations: DROPPED,
  iterations: ITERATIONS, vus: VUS, generator_cpu: CPU, schedule_lag: LAG,
};
interface SeriesRole { role: number; slot: number; errorKind: string; total: SeriesTotal; counted: Counted | null }

/** One pass over the windows, with the widths fixed from `expectedSeconds`. */
class DigestPass {
  readonly totals = new SeriesTotals();
  readonly sink: SecondFrames;
  private readonly roles = new Map<SeriesInfo, SeriesRole>();
  private readonly names: string[] = [];
  private readonly slots = new Map<string, number>();
  private readonly scenarios: string[] = [];
  private readonly scenarioSlots = new Map<string, number>();
  private readonly ps = {
    requests: new Column(0), failed: new Column(0), outcomes: new Column(0), planned: new Column(0), dropped: new Column(0),
    iterations: new Column(0), vus: new Column(NaN), cpu: new Column(NaN), p95Ms: new Column(NaN),
  };
  private readonly has = { planned: false, iterations: false };
  private readonly lagSaturated: number[] = [];
  private readonly exhausted: number[] = [];
  // read every second: indexed (block sums) for a fast percentile
  private readonly second = new HistogramAccumulator(true);
  private readonly lag = new HistogramAccumulator(true);
  private readonly decoded: DecodedBuckets[] = [];
  private readonly fig = new FrameFigures();
  private readonly found: FoundLevels | null;
  private readonly given: RangeLevels | null;
  private readonly chart: ChartBuckets;
  private readonly counts: BucketCounts;
  /** per range of o.pointSeconds, the points of its seconds that held windows */
  private readonly points: Array<Array<LoadPoint | undefined>>;
  readonly sliceWidth: number;

  constructor(private readonly o: DigestOptions, expectedSeconds: number, horizon: number) {
    this.sink = new SecondFrames(horizon, (f) => this.frame(f));
    const cw = chartBucketSeconds(expectedSeconds);
    this.sliceWidth = levelWidth(expectedSeconds);
    this.chart = new ChartBuckets(cw);
    this.counts = new BucketCounts(cw);
    const given = o.givenLevels ? [...o.givenLevels].sort((a, b) => a[0] - b[0]) : null;
    this.given = given ? new RangeLevels((k) => given[k], (t) => given.findIndex(([a, b]) => t >= a && t < b), this.names, this.scenarios) : null;
    this.found = given ? null : new FoundLevels(this.sliceWidth, this.names, this.scenarios);
    this.points = (o.pointSeconds ?? []).map(() => []);
  }

  private roleOf(s: SeriesInfo): SeriesRole {
    let r = this.roles.get(s);
    if (r) return r;
    const role = ROLES[s.metric] ?? OTHER;
    let slot = -1;
    const name = s.tags.name;
    if ((role === DUR || role === FAILED) && name !== undefined) {
      slot = this.slots.get(name) ?? -1;
      if (slot < 0) { slot = this.names.length; this.names.push(name); this.slots.set(name, slot); }
    }
    if (role === PLANNED) {
      const scenario = s.tags.scenario ?? '';
      slot = this.scenarioSlots.get(scenario) ?? -1;
      if (slot < 0) { slot = this.scenarios.length; this.scenarios.push(scenario); this.scenarioSlots.set(scenario, slot); }
    }
    r = { role, slot, errorKind: errorKind(s.tags.status), total: this.totals.totalOf(s, s), counted: countedOf(s.metric, s.tags) };
    this.roles.set(s, r);
    return r;
  }

  private frame(f: Frame): void {
    const t = f.t;
    const fig = this.fig;
    fig.reset(t);
    const ps = this.ps;
    let dropped = 0, lagMax = -Infinity, hasLag = false, hasDur = false, used = 0;
    for (let k = 0; k < f.n; k++) {
      const r = this.roleOf(f.series[k]);
      const count = f.count[k], sum = f.sum[k], buckets = f.buckets[k];
      let dec: DecodedBuckets | undefined;
      if (buckets) {
        if (used === this.decoded.length) this.decoded.push(new DecodedBuckets());
        dec = this.decoded[used++].decode(buckets);
      }
      this.totals.addTo(r.total, t, count, sum, f.min[k], f.max[k], buckets, dec);
      if (r.counted) this.counts.add(r.counted, t, sum);
      switch (r.role) {
        case REQS: fig.requests += sum; break;
        case FAILED: {
          fig.failed += sum;
          fig.outcomes += count;
          const n = fig.failN++;
          fig.failSlot[n] = r.slot; fig.failCount[n] = count; fig.failSum[n] = sum; fig.failKind[n] = r.errorKind;
          break;
        }
        case DUR: {
          const n = fig.durN++;
          fig.durSlot[n] = r.slot; fig.durCount[n] = count; fig.durSum[n] = sum; fig.durDec[n] = dec ?? null;
          if (dec) { this.second.addDecoded(dec); hasDur = true; }
          break;
        }
        case PLANNED: {
          fig.planned += sum; this.has.planned = true;
          const n = fig.plannedN++;
          fig.plannedSlot[n] = r.slot; fig.plannedSum[n] = sum;
          break;
        }
        case DROPPED: dropped += sum; break;
        case ITERATIONS: ps.iterations.add(t, sum); this.has.iterations = true; break;
        case VUS: ps.vus.add(t, sum); break;
        case CPU: ps.cpu.add(t, sum); break;
        case LAG:
          hasLag = true;
          if (f.max[k] > lagMax) lagMax = f.max[k];
          if (dec) this.lag.addDecoded(dec);
          break;
      }
    }
    if (fig.requests) ps.requests.add(t, fig.requests);
    if (fig.outcomes) { ps.failed.add(t, fig.failed); ps.outcomes.add(t, fig.outcomes); }
    if (fig.planned) ps.planned.add(t, fig.planned);
    if (dropped) ps.dropped.add(t, dropped);
    fig.dropped = dropped;
    if (hasDur && this.second.totalCount > 0) ps.p95Ms.set(t, fromRecorded(this.second.getValueAtPercentile(95)));
    this.second.clear();
    // p99 ≤ max (+0.1%, HDR's bucket rounding): below the limit there is no need to walk the histogram.
    const lagP99 = hasLag && this.lag.totalCount > 0 && lagMax * 1.002 >= GENERATOR_LIMITS.lagP99Ms ? fromRecorded(this.lag.getValueAtPercentile(99)) : null;
    this.lag.clear();
    const health = secondHealth(lagP99, fig.planned, dropped);
    if (health.saturated) this.lagSaturated.push(t);
    if (health.vuPoolExhausted) this.exhausted.push(t);

    if (t < 0) return; // before second 0: only whole-run totals count it
    this.chart.add(fig);
    this.found?.add(fig);
    this.given?.add(fig);
    const ranges = this.o.pointSeconds, pointOf = this.o.pointOf;
    if (ranges && pointOf) {
      let windows: EncodedWindow[] | null = null;
      ranges.forEach((r, i) => {
        if (t >= r.from && t < r.to) this.points[i][t - r.from] = pointOf((windows ??= f.windows()), t, r.offeredRps);
      });
    }
  }

  /** Whether any second planned arrivals (an arrival-rate plan: levels follow it). */
  get planned(): boolean { return this.has.planned; }

  /** The run's whole seconds once every window has been seen. */
  seconds(): number {
    return runSeconds(this.totals.lastSecond, this.o.declaredSeconds);
  }

  /** Whether this pass's figures cannot stand: a window came too late, or a width guessed is not the run's. */
  mustRedo(seconds: number): boolean {
    const slicesWrong = !this.given && levelWidth(seconds) !== this.sliceWidth;
    return this.sink.late > 0 || chartBucketSeconds(seconds) !== this.chart.width || slicesWrong;
  }

  finish(seconds: number, levelSource: RunDigest['levelSource']): Omit<RunDigest, 'passes'> {
    this.chart.close();
    this.found?.finish(seconds);
    this.given?.finish(Infinity);
    const width = this.chart.width;
    const buckets = Math.ceil(Math.max(seconds, 1) / width);
    const endpointP95Ms = new Map<string, Array<number | null>>();
    this.chart.endpointP95.forEach((arr, slot) => { if (arr) endpointP95Ms.set(this.names[slot], dense(arr, buckets, null)); });
    const failuresByKind = new Map([...this.chart.failures].map(([k, v]) => [k, dense(v, buckets, 0) as number[]]));
    const bySlot = (arrs: ReadonlyArray<number[] | undefined>) => new Map(this.names.flatMap((n, slot) => (arrs[slot] ? [[n, dense(arrs[slot], buckets, 0) as number[]] as const] : [])));
    const levels = this.given ? this.given.done : this.found!.done;
    const ranges = this.o.pointSeconds, pointOf = this.o.pointOf;
    const secondPoints = ranges && pointOf ? ranges.flatMap((r, i) =>
      Array.from({ length: Math.max(0, r.to - r.from) }, (_, k) => ({ ...(this.points[i][k] ?? pointOf([], r.from + k, r.offeredRps)), level: i }))) : null;
    return {
      seconds, totals: this.totals, perSecond: this.ps, has: this.has, secondPoints,
      lagSaturatedSeconds: this.lagSaturated, vuPoolExhaustedSeconds: this.exhausted,
      chart: { width, buckets, latencyWindowSeconds: width * this.chart.latencyBuckets, p50Ms: dense(this.chart.p50, buckets, null), p95Ms: dense(this.chart.p95, buckets, null), p99Ms: dense(this.chart.p99, buckets, null), endpointP95Ms, failuresByKind,
        endpointOutcomes: bySlot(this.chart.endpointOutcomes), endpointErrors: bySlot(this.chart.endpointErrors), counts: this.counts.finish(buckets),
        windows: this.chart.windows.finish(width, buckets, this.names) },
      levels, levelSource,
    };
  }
}

/** Whole seconds covered: the last partial second counts as one window. */
export function runSeconds(lastSecond: number, declaredSeconds: number | null): number {
  return Math.max(lastSecond + 1, Math.ceil(declaredSeconds ?? 0));
}

const DEFAULT_HORIZON = 30;

/** A source that can be read more than once: it hands every window to the sink. */
export type WindowSource = (sink: WindowSink) => Promise<void> | void;

/** Run the passes over a source (at most two, three with late windows: see the top of this file). */
function* passes(o: DigestOptions, firstExpected: number, firstHorizon: number): Generator<DigestPass, RunDigest, void> {
  let p = new DigestPass(o, firstExpected, firstHorizon);
  let n = 1;
  yield p;
  p.sink.end();
  const seconds = p.seconds();
  const horizon = Math.max(firstHorizon, p.sink.late > 0 ? p.sink.maxLateness + 1 : 0);
  if (p.sink.late > 0 && !o.givenLevels) {
    p = new DigestPass(o, seconds, horizon);
    n += 1;
    yield p;
    p.sink.end();
  }
  if (p.mustRedo(seconds)) {
    p = new DigestPass(o, seconds, horizon);
    n += 1;
    yield p;
    p.sink.end();
  }
  return { ...p.finish(seconds, o.givenLevels ? 'given' : p.planned ? 'plan' : 'slices'), passes: n };
}

/** Digest of windows read from a source (a run directory's file). */
export async function digestSource(read: WindowSource, o: DigestOptions): Promise<RunDigest> {
  const run = passes(o, runSeconds(-1, o.declaredSeconds), o.horizon ?? DEFAULT_HORIZON);
  for (let step = run.next(); ; step = run.next()) {
    if (step.done) return step.value;
    await read(step.value.sink);
  }
}

/** Digest of windows in memory (tests, a run just made): in time order first, so nothing comes late. */
export function digestWindows(windows: readonly EncodedWindow[], o: DigestOptions): RunDigest {
  const sorted = [...windows].sort((a, b) => a.t - b.t);
  let last = -1;
  for (const w of sorted) if (w.t > last) last = w.t;
  const series = new Map<string, SeriesInfo>();
  const infos = sorted.map((w) => {
    const key = seriesKey(w.metric, w.tags);
    let s = series.get(key);
    if (!s) series.set(key, (s = { id: series.size, metric: w.metric, kind: w.kind, tags: w.tags }));
    return s;
  });
  const run = passes(o, runSeconds(last, o.declaredSeconds), Infinity);
  for (let step = run.next(); ; step = run.next()) {
    if (step.done) return step.value;
    const sink = step.value.sink;
    sorted.forEach((w, i) => sink.window(infos[i], w.t, w.count, w.sum, w.min, w.max, w.buckets));
  }
}
