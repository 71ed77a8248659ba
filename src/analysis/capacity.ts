import { CapacityTestError } from '../contracts/errors.js';
import { findKnee, type Knee } from './knee.js';
import { concurrencyFromLittle } from './littles-law.js';
import { sizeServers, type Sizing } from './sizing.js';
import { groupSteps, maxSustainable, type LoadPoint, type LoadStep } from './sustainable.js';
import { fitUsl, USL_MIN_POINTS, type UslFit } from './usl.js';
import { nonNegative, openUnit, positive } from './validate.js';

export type { LoadPoint, LoadStep } from './sustainable.js';

export interface CapacityOptions {
  slo: { p95Ms: number; errorRate: number };
  /** Peak arrival rate the launch must carry (from the traffic profile), requests per second. */
  peakDemandRps: number | null;
  /** Extra capacity over the queueing answer. Default 0.33. */
  headroom?: number;
  /** Time one instance spends per request, ms; default 1000 / per-instance capacity. */
  serviceMs?: number | null;
  /** Queueing wait allowed at the quantile below; default the SLO's p95. */
  maxWaitMs?: number;
  /** Default 0.95. */
  quantile?: number;
  /** Capacity of one instance, rps; default the measured max sustainable throughput. */
  perInstanceRps?: number | null;
}

export type UslSummary = Pick<UslFit, 'sigma' | 'kappa' | 'lambda' | 'nMax' | 'xMax' | 'r2' | 'stdErrors' | 'band'> & {
  /** The (N, X) points fitted, N from Little's law. */
  points: { n: number; x: number }[];
};

export interface SizingSummary extends Sizing {
  rate: number;
  serviceMs: number;
  maxWaitMs: number;
  quantile: number;
  perInstanceRps: number;
}

export interface CapacityResult {
  maxSustainableRps: number | null;
  /** false: maxSustainableRps is a lower bound (nothing tested above it failed) */
  limitReached: boolean;
  kneeRps: number | null;
  usl: UslSummary | null;
  peakDemandRps: number | null;
  instancesForPeak: number | null;
  sizing: SizingSummary | null;
  /** Offered-load knees of the latency (p95) and throughput curves; kneeRps is the first found of the two. */
  knees: { latency: Knee | null; throughput: Knee | null };
  steps: LoadStep[];
  notes: string[];
}

/**
 * The capacity figures of a run, from 1-second windows or load steps of an open-model run.
 * Everything not computable is null (never 0), with a note saying why.
 */
export function analyseCapacity(points: LoadPoint[], o: CapacityOptions): CapacityResult {
  const slo = { p95Ms: positive('SLO p95 (ms)', o.slo?.p95Ms), errorRate: nonNegative('SLO error rate', o.slo?.errorRate) };
  const peakDemandRps = o.peakDemandRps === null || o.peakDemandRps === undefined ? null : positive('peak demand (rps)', o.peakDemandRps);
  const headroom = nonNegative('headroom', o.headroom ?? 0.33);
  const quantile = openUnit('quantile', o.quantile ?? 0.95);
  const maxWaitMs = nonNegative('max wait (ms)', o.maxWaitMs ?? slo.p95Ms);

  const steps = groupSteps(points, slo);
  const notes: string[] = [];
  const sustainable = maxSustainable(steps, o.perInstanceRps ?? null);
  notes.push(...sustainable.notes);

  const measured = steps.filter((s): s is LoadStep & { throughputRps: number } => s.throughputRps !== null);
  const knees = kneesOf(measured, slo, notes);
  const kneeRps = knees.latency?.x ?? knees.throughput?.x ?? null;

  const usl = uslOf(measured, notes);

  let sizing: SizingSummary | null = null;
  const perInstanceRps = o.perInstanceRps ?? sustainable.maxSustainableRps;
  if (peakDemandRps === null) notes.push('no peak demand given: no instance sizing');
  else if (perInstanceRps === null || perInstanceRps <= 0) notes.push('no per-instance capacity measured (no sustained step): no instance sizing');
  else {
    const serviceMs = o.serviceMs ?? 1000 / perInstanceRps;
    // Each instance is modelled as one M/M/1 server whose service rate is its measured capacity.
    const s = sizeServers({ rate: peakDemandRps, serviceMs, maxWaitMs, quantile, headroom });
    sizing = { ...s, rate: peakDemandRps, serviceMs, maxWaitMs, quantile, perInstanceRps };
  }

  return {
    maxSustainableRps: sustainable.maxSustainableRps,
    limitReached: sustainable.limitReached,
    kneeRps,
    usl,
    peakDemandRps,
    instancesForPeak: sizing?.serversWithHeadroom ?? null,
    sizing,
    knees,
    steps,
    notes,
  };
}

function kneesOf(steps: (LoadStep & { throughputRps: number })[], slo: { p95Ms: number }, notes: string[]): CapacityResult['knees'] {
  const levels = new Set(steps.map((s) => s.offeredRps)).size;
  if (levels < 3) {
    notes.push(`fewer than 3 distinct load levels: no knee`);
    return { latency: null, throughput: null };
  }
  const byLoad = dedupeByOffered(steps);
  const withP95 = byLoad.filter((s) => s.p95Ms !== null);
  // Kneedle assumes a monotone curve; measured ones are noisy, so it reads their running maximum
  // (the worst latency / best throughput seen up to each load), which keeps real knees and drops dips.
  // Kneedle normalises the curve, so it finds a "knee" in any noise: a latency curve whose worst p95
  // stays under a tenth of the SLO (30 ms against 800 ms) has no knee a planner should hear about.
  const worstP95 = Math.max(...withP95.map((s) => s.p95Ms!));
  const latency = withP95.length >= 3 && worstP95 >= slo.p95Ms / 10
    ? findKnee(withP95.map((s) => s.offeredRps), runningMax(withP95.map((s) => s.p95Ms!)), 'convex') : null;
  const throughput = findKnee(byLoad.map((s) => s.offeredRps), runningMax(byLoad.map((s) => s.throughputRps)), 'concave');
  if (!latency && !throughput) notes.push('latency and throughput grow smoothly over the loads tested: no knee found');
  return { latency, throughput };
}

function runningMax(ys: number[]): number[] {
  let m = -Infinity;
  return ys.map((y) => (m = Math.max(m, y)));
}

/** With 1-second windows several points share an offered rate: keep one per rate (their mean). */
function dedupeByOffered<T extends LoadStep & { throughputRps: number }>(steps: T[]) {
  const by = new Map<number, T[]>();
  for (const s of steps) by.set(s.offeredRps, [...(by.get(s.offeredRps) ?? []), s]);
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([offeredRps, g]) => {
    const p95s = g.map((s) => s.p95Ms).filter((v): v is number => v !== null);
    return {
      offeredRps,
      throughputRps: g.reduce((a, s) => a + s.throughputRps, 0) / g.length,
      p95Ms: p95s.length ? p95s.reduce((a, v) => a + v, 0) / p95s.length : null,
    };
  });
}

function uslOf(steps: (LoadStep & { throughputRps: number })[], notes: string[]): UslSummary | null {
  // Open model: concurrency is not set by the test, so it comes from Little's law, N = X·R.
  const pts = steps
    .filter((s) => s.meanLatencyMs !== null && s.throughputRps > 0)
    .map((s) => ({ n: concurrencyFromLittle(s.throughputRps, s.meanLatencyMs!), x: s.throughputRps }))
    .filter((p) => p.n > 0);
  const distinct = new Set(pts.map((p) => p.n)).size;
  if (distinct < USL_MIN_POINTS) {
    notes.push(`fewer than ${USL_MIN_POINTS} distinct load levels with throughput and latency (${distinct}): no USL fit`);
    return null;
  }
  try {
    const f = fitUsl(pts);
    if (f.r2 < 0.8) notes.push(`the USL fits poorly (r² ${f.r2.toFixed(2)}): treat σ, κ and the peak as indicative only`);
    return { sigma: f.sigma, kappa: f.kappa, lambda: f.lambda, nMax: f.nMax, xMax: f.xMax, r2: f.r2, stdErrors: f.stdErrors, band: f.band, points: pts };
  } catch (err) {
    if (!(err instanceof CapacityTestError)) throw err;
    notes.push(`USL fit refused the data: ${err.message}`);
    return null;
  }
}

/**
 * The `capacity` block of summary.json (docs/contracts.md#summaryjson): the five contract fields first, then what
 * the report also shows (sizing, knees, notes). Steps stay out: they are in the timeline already.
 */
export function capacitySummary(r: CapacityResult) {
  return {
    maxSustainableRps: r.maxSustainableRps,
    kneeRps: r.kneeRps,
    usl: r.usl,
    peakDemandRps: r.peakDemandRps,
    instancesForPeak: r.instancesForPeak,
    limitReached: r.limitReached,
    sizing: r.sizing,
    knees: r.knees,
    notes: r.notes,
  };
}
