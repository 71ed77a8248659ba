import { MetricsQuery, statistic, type EncodedWindow, type MetricsSource, type SeriesTotals } from '../metrics/index.js';
import { analyseCapacity, type CapacityOptions, type CapacityResult, type LoadPoint, type LoadStep } from '../analysis/capacity.js';
import type { LevelCriterion } from '../analysis/levels.js';
import { evaluateThresholdOptions } from '../thresholds/index.js';
import type { ReconcileResult, RunInfo, ServerMetricsFile } from '../rundir/run-dir.js';
import type { ThresholdCheck } from '../contracts/summary.js';
import { capacityPoints, journeySecondPoint, secondPoint, sweepOfJourneys, sweepPlanOf, type CapacityPoint } from './capacity-points.js';
import { digestWindows, type DigestOptions, type RunDigest } from './digest.js';

/**
 * The Assessment of a run: everything the summary, the report, the sweep and the gate read about a run,
 * computed once from its run directory's data. Load levels (one step rule, levels.ts), chart buckets and
 * per-second figures (the digest), generator health (one saturation rule, analysis/generator-health.ts),
 * capacity points and their analysis, thresholds and business outcomes. Pure: the same input gives the
 * same Assessment.
 */
export interface Assessment {
  runInfo: RunInfo;
  server: ServerMetricsFile | null;
  digest: RunDigest;
  /** the SLO the capacity analysis used: the run's (run.json extra.slo), else DEFAULT_SLO */
  slo: { p95Ms: number; errorRate: number };
  /** seconds in [0, seconds) where the generator fell behind its plan (the engine's list when run.json has it) */
  saturatedSeconds: number[];
  /** one point per load level (the report's charts and first break) */
  levelPoints: CapacityPoint[];
  /** the points the capacity analysis read: a sweep's one a second of its steps, else levelPoints */
  analysedPoints: LoadPoint[];
  /** what the capacity analysis returned (sweep.json's capacity), null when it did not run */
  capacityResult: CapacityFigures | null;
  capacity: CapacityAssessment;
  thresholds: { pass: boolean; checks: ThresholdCheck[]; evaluated: boolean };
  generator: ReturnType<typeof generatorOf>;
  business: ReturnType<typeof businessOf>;
}

/** What summary.json's capacity holds (the fields of docs/contracts.md#summaryjson first). */
export interface CapacityAssessment {
  maxSustainableRps: number | null; kneeRps: number | null; usl: unknown; peakDemandRps: number | null; instancesForPeak: number | null;
  slo: { p95Ms: number; errorRate: number }; analysed: boolean; notes: string[];
  [more: string]: unknown;
}

type CapacityFigures = Pick<CapacityResult, 'maxSustainableRps' | 'kneeRps' | 'peakDemandRps' | 'instancesForPeak'> & Omit<Partial<CapacityResult>, 'usl'> & { usl: unknown };

/** What the assessment needs from the analysis and threshold modules; tests may pass their own. */
export interface AssessDeps {
  /** `points`: one per load level, or for a sweep one per second of its steps (as sweep.json's) */
  analyseCapacity?: (points: LoadPoint[], o: CapacityOptions) => CapacityFigures;
  /** `q` holds whole-run totals (no time ranges) */
  evaluateThresholds?: (thresholds: Record<string, unknown>, q: MetricsSource) => { pass: boolean; checks: Array<{ name: string; threshold: string; value: number | null; pass: boolean; reason?: string }> };
}

export const defaultAssessDeps: Required<AssessDeps> = {
  analyseCapacity,
  evaluateThresholds: (thresholds, q) => evaluateThresholdOptions(thresholds, q),
};

export interface AssessInput {
  runInfo: RunInfo;
  /** the run's windows in memory, or (a run read from disk) their digest */
  windows?: readonly EncodedWindow[];
  digest?: RunDigest;
  server?: ServerMetricsFile | null;
  deps?: AssessDeps;
}

/** The default SLO when the run states none: p95 under 800 ms and under 1% errors (the example of docs/contracts.md#scenario-files). */
export const DEFAULT_SLO = { p95Ms: 800, errorRate: 0.01 };

/**
 * How a run's windows are digested: its declared length; for a sweep, its steps as the load levels and
 * one load point per second of each step (capacity-points.ts).
 */
export function digestOptions(runInfo: RunInfo): DigestOptions {
  const plan = sweepPlanOf(runInfo);
  if (!plan) return { declaredSeconds: runInfo.durationSeconds ?? null };
  const ranges = plan.map((s) => ({ from: s.startSeconds, to: s.startSeconds + s.durationSeconds, offeredRps: s.rate }));
  // a sweep of user journeys (launch-day's limit sweep) steps requests/s of several per arrival
  const point = sweepOfJourneys(runInfo) ? journeySecondPoint : secondPoint;
  return {
    declaredSeconds: runInfo.durationSeconds ?? null,
    givenLevels: ranges.map((r) => [r.from, r.to] as const),
    pointSeconds: ranges,
    pointOf: (windows, t, offeredRps) => point(new MetricsQuery(windows), t, offeredRps),
  };
}

export function assess(input: AssessInput): Assessment {
  const { runInfo, deps = defaultAssessDeps } = input;
  const server = input.server ?? null;
  const d = input.digest ?? digestWindows(input.windows ?? [], digestOptions(runInfo));
  const saturatedSeconds = saturatedOf(runInfo, d);
  const slo = sloOf(runInfo);
  const peakDemandRps = numberOr(runInfo.extra?.peakDemandRps, null);
  const levelPoints = capacityPoints(d, new Set(saturatedSeconds));
  // A sweep's own cut (its steps, a point a second); otherwise one point per load level.
  const analysedPoints: LoadPoint[] = d.secondPoints ?? levelPoints;

  const capacity: CapacityAssessment = { maxSustainableRps: null, kneeRps: null, usl: null, peakDemandRps, instancesForPeak: null, slo, analysed: false, notes: [] };
  let capacityResult: CapacityFigures | null = null;
  if (deps.analyseCapacity) {
    if (analysedPoints.length > 0) {
      const headroom = numberOr(runInfo.extra?.headroom, undefined);
      // one instance's limit measured by launch-day's limit sweep, when it found one: the fleet is sized on it
      const sweep = limitSweepOf(runInfo);
      // (a sweep that held every step still measured more than the replay could offer: a tighter bound)
      const perInstanceRps = sweep && sweep.maxSustainableRps !== null ? sweep.maxSustainableRps : undefined;
      try {
        const r = (capacityResult = deps.analyseCapacity(analysedPoints, { slo, peakDemandRps, ...(headroom !== undefined ? { headroom } : {}), ...(perInstanceRps !== undefined ? { perInstanceRps } : {}) }));
        Object.assign(capacity, {
          maxSustainableRps: r.maxSustainableRps, kneeRps: r.kneeRps, usl: r.usl ?? null,
          instancesForPeak: r.instancesForPeak, limitReached: r.limitReached ?? null, analysed: true,
          notes: [...(r.notes ?? []), ...(sweep && !sweep.limitReached && perInstanceRps !== undefined ? ['the limit sweep did not reach the limit either: the instance count is an upper bound'] : [])], sizing: r.sizing ?? null, knees: r.knees ?? null,
          levels: d.secondPoints ? d.levels.length : analysedPoints.length,
          levelSource: d.secondPoints ? 'sweep steps' : d.levelSource === 'plan' ? 'planned arrivals' : 'slices',
          loadLevels: levelTable(r.steps ?? []),
          // what the instance count is sized on: the replay's highest level held, or the limit sweep's limit
          perInstance: { rps: r.sizing?.perInstanceRps ?? null, source: perInstanceRps !== undefined ? 'limit sweep' : 'replay', measuredLimit: perInstanceRps !== undefined ? sweep!.limitReached : r.limitReached === true },
          limitSweep: sweep,
        });
      } catch (err) {
        // A report must still be written when the analysis refuses its input; say why in the summary.
        capacity.notes.push(`capacity analysis failed: ${(err as Error).message}`);
      }
    } else capacity.notes.push('no load level with requests and latencies: no capacity analysis');
  }

  const thresholds = runInfo.options?.thresholds ?? {};
  let thresholdResult: Assessment['thresholds'];
  if (Object.keys(thresholds).length === 0) thresholdResult = { pass: true, checks: [], evaluated: true };
  else if (deps.evaluateThresholds) thresholdResult = { ...deps.evaluateThresholds(thresholds, d.totals), evaluated: true };
  else thresholdResult = { pass: true, checks: [], evaluated: false };

  return {
    runInfo, server, digest: d, slo, saturatedSeconds, levelPoints, analysedPoints, capacityResult, capacity,
    thresholds: thresholdResult, generator: generatorOf(d, saturatedSeconds), business: businessOf(d.totals, server?.reconcile ?? null),
  };
}

/** One row per analysed load level (summary.json capacity.loadLevels): its seconds, figures and verdict (src/analysis/levels.ts). */
export interface LevelRow {
  from: number | null; to: number | null;
  offeredRps: number; throughputRps: number | null; achievedShare: number | null; p95Ms: number | null; errorRate: number | null;
  saturatedPoints: number; held: boolean; failedBy: LevelCriterion[]; reasons: string[];
}

export function levelTable(steps: readonly LoadStep[]): LevelRow[] {
  return steps.map((s) => ({
    from: s.from ?? null, to: s.to ?? null,
    offeredRps: s.offeredRps, throughputRps: s.throughputRps, achievedShare: s.achievedShare ?? null, p95Ms: s.p95Ms, errorRate: s.errorRate,
    saturatedPoints: s.saturatedWindows, held: s.sustained, failedBy: s.failedBy ?? [], reasons: s.reasons,
  }));
}

/** What launch-day's limit sweep found (run.json extra.limitSweep: src/run/launch-day.ts), or null when none ran. */
export interface LimitSweep {
  /**
   * what was swept: the day's journeys and their shares of arrivals at its peak (path null); a run.json
   * written before the sweep replayed the journeys holds the one path it GET and no journeys
   */
  runDir: string | null; path: string | null; journeys: SweptJourneyShare[]; seconds: number; fromRps: number; toRps: number;
  maxSustainableRps: number | null; limitReached: boolean; failedAtRps: number | null; failedBy: LevelCriterion[];
  /** generator-saturated seconds of the sweep: its limit may be the generator's */
  saturatedSeconds: number; error?: string;
}

/** One journey of launch-day's limit sweep (src/run/journey-sweep.ts sweptJourneys). */
export interface SweptJourneyShare { journey: string; scenario: string; share: number; requestsPerArrival: number }

function journeysOf(v: unknown): SweptJourneyShare[] {
  if (!Array.isArray(v)) return [];
  return v.filter((j): j is SweptJourneyShare => j !== null && typeof j === 'object' && typeof j.journey === 'string' && typeof j.share === 'number')
    .map((j) => ({ journey: j.journey, scenario: typeof j.scenario === 'string' ? j.scenario : j.journey, share: j.share, requestsPerArrival: numberOr(j.requestsPerArrival, 1) }));
}

function limitSweepOf(runInfo: RunInfo): LimitSweep | null {
  const s = runInfo.extra?.limitSweep as (Omit<Partial<LimitSweep>, 'journeys'> & { journeys?: unknown }) | undefined;
  if (!s || typeof s !== 'object' || typeof s.limitReached !== 'boolean') return null;
  const journeys = journeysOf(s.journeys);
  // (a record of neither, a path nor journeys, is not one)
  if (typeof s.path !== 'string' && journeys.length === 0) return null;
  return {
    runDir: typeof s.runDir === 'string' ? s.runDir : null, path: typeof s.path === 'string' ? s.path : null, journeys, seconds: numberOr(s.seconds, 0), fromRps: numberOr(s.fromRps, 0), toRps: numberOr(s.toRps, 0),
    maxSustainableRps: numberOr(s.maxSustainableRps, null), limitReached: s.limitReached, failedAtRps: numberOr(s.failedAtRps, null),
    failedBy: Array.isArray(s.failedBy) ? s.failedBy : [], saturatedSeconds: numberOr(s.saturatedSeconds, 0), ...(typeof s.error === 'string' ? { error: s.error } : {}),
  };
}

function numberOr<T>(v: unknown, fallback: T): number | T {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** The SLO the capacity analysis uses: from the run's extra (launch-day), else the default. */
function sloOf(runInfo: RunInfo): { p95Ms: number; errorRate: number } {
  const s = runInfo.extra?.slo as { p95Ms?: unknown; errorRate?: unknown } | undefined;
  return { p95Ms: numberOr(s?.p95Ms, DEFAULT_SLO.p95Ms), errorRate: numberOr(s?.errorRate, DEFAULT_SLO.errorRate) };
}

/**
 * Seconds where the generator fell behind (schedule-lag p99 over 50 ms: src/analysis/generator-health.ts).
 * Seconds whose iterations were dropped for want of a free VU are the target's doing and stay in.
 * The engine's own list (run.json extra.saturatedSeconds, the same rule applied as the run went) wins
 * when present.
 */
function saturatedOf(runInfo: RunInfo, d: RunDigest): number[] {
  const given = runInfo.extra?.saturatedSeconds;
  if (Array.isArray(given) && given.every((s) => typeof s === 'number')) return [...(given as number[])].sort((a, b) => a - b);
  return d.lagSaturatedSeconds.filter((t) => t >= 0 && t < d.seconds);
}

function generatorOf(d: RunDigest, saturated: number[]) {
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

/**
 * A documented business counter a scenario emits (scenarios/README.md: `registrations`,
 * `orders_placed`; `capacity-test init` writes them), or null when it emitted none: the business
 * counts of a target other than the reference portal.
 */
function counted(q: SeriesTotals, metric: string): number | null {
  const series = q.series(metric, {});
  return series.length === 0 ? null : series.reduce((n, s) => n + s.sum, 0);
}

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
export function businessOf(q: SeriesTotals, reconcile: ReconcileResult | null) {
  const r = reconcile;
  return {
    registrations: firstOf(successes(q, REGISTER), counted(q, 'registrations')),
    ordersPlaced: firstOf(pick(r, 'orders', 'placed'), pick(r, 'orders', 'total'), pick(r, 'ordersPlaced'), successes(q, ORDERS), counted(q, 'orders_placed')),
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
