import { invalid } from '../contracts/errors.js';
import { sizeServers } from './sizing.js';
import { nonNegative, openUnit, positive } from './validate.js';

/**
 * `verify`'s maths, pure: which fleets to start for a run's sizing, whether a fleet held the predicted
 * peak, and — when the prediction missed — which term of the model was wrong. The model being checked:
 * Erlang C (src/analysis/sizing.ts) treats each instance as a server of the measured per-instance rate μ,
 * so N instances serve N·μ; any loss as instances are added (USL's κ: every instance paying to keep the
 * one shared SQLite file coherent) is not in it.
 */

/** Measured within ±15% of predicted: the target of the verification. */
export const VERIFY_TARGET = 0.15;
/** A fleet whose instances used this share of their quota, or were throttled in this share of periods, was CPU-bound. */
export const CPU_BOUND_SHARE = 0.85;
/** More dropped iterations than this share, or generator-saturated seconds, and the offered load was not the plan's. */
export const DROPPED_SHARE_MAX = 0.01;
/** Errors inside the portal (5xx but its 503 shedding) above this share of answers, in a fleet sharing one file, are the file's. */
export const SERVER_ERROR_SHARE_MAX = 0.01;

export interface VerificationPlanInput {
  /** the run's sizing: real peak demand, requests per second */
  peakDemandRps: number;
  /** arrivals the run offered per real arrival (scale × time scale; 1 for a sweep) */
  rateFactor: number;
  perInstanceRps: number;
  maxWaitMs: number;
  quantile: number;
  headroom: number;
  /** verify another count than Erlang C's (the `--instances` flag) */
  instances?: number;
}

export interface VerificationPlan {
  /** the peak as the run offered it: peakDemandRps × rateFactor */
  predictedRps: number;
  /** Erlang C's smallest fleet for predictedRps (before headroom): the prediction N−1 must fail */
  instances: number;
  instancesWithHeadroom: number;
  perInstanceRps: number;
  /** N·μ: what the model says N instances serve at most */
  modelCapacityRps: number;
  /** the fleets to measure: N, and N − 1 when N > 1 */
  fleets: number[];
}

export function verificationPlan(i: VerificationPlanInput): VerificationPlan {
  const peak = positive('peak demand (rps)', i.peakDemandRps);
  const factor = positive('rate factor', i.rateFactor);
  const mu = positive('per-instance capacity (rps)', i.perInstanceRps);
  const predictedRps = peak * factor;
  const s = sizeServers({ rate: predictedRps, serviceMs: 1000 / mu, maxWaitMs: nonNegative('max wait (ms)', i.maxWaitMs), quantile: openUnit('quantile', i.quantile), headroom: nonNegative('headroom', i.headroom) });
  if (i.instances !== undefined && !(Number.isInteger(i.instances) && i.instances >= 1 && i.instances <= 64)) throw invalid('--instances', 'an integer from 1 to 64', i.instances);
  const n = i.instances ?? s.servers;
  return {
    predictedRps, instances: n, instancesWithHeadroom: s.serversWithHeadroom, perInstanceRps: mu, modelCapacityRps: n * mu,
    fleets: n > 1 ? [n, n - 1] : [n],
  };
}

/** What one fleet did under the held peak, over the measured window. */
export interface FleetMeasurement {
  instances: number;
  /** requests per second the generator sent (answered or not) */
  offeredRps: number;
  /** requests per second answered without failure */
  measuredRps: number;
  p95Ms: number | null;
  errorRate: number;
  /** answers that were errors inside the portal (5xx other than 503, its shedding) ÷ requests */
  serverErrorShare: number;
  /** dropped iterations ÷ (iterations + dropped) */
  droppedShare: number;
  /** seconds of the window in which the generator could not keep its schedule */
  saturatedSeconds: number;
  windowSeconds: number;
  /** the instances' own cgroup accounting: used ÷ quota over the load, and the share of periods throttled (worst instance) */
  quotaUsedShare: number | null;
  throttledShare: number | null;
}

export interface FleetVerdict extends FleetMeasurement { held: boolean; reasons: string[] }

/** Held: the SLO met, the load offered as planned, and at least (1 − target) of the predicted rate served. */
export function judgeFleet(m: FleetMeasurement, predictedRps: number, slo: { p95Ms: number; errorRate: number }): FleetVerdict {
  const reasons: string[] = [];
  if (m.p95Ms === null) reasons.push('no latency measured');
  else if (m.p95Ms > slo.p95Ms) reasons.push(`p95 ${round(m.p95Ms)} ms over the SLO's ${slo.p95Ms} ms`);
  if (m.errorRate > slo.errorRate) reasons.push(`errors ${round(m.errorRate * 100, 2)}% over the SLO's ${round(slo.errorRate * 100, 2)}%`);
  if (m.droppedShare > DROPPED_SHARE_MAX) reasons.push(`${round(m.droppedShare * 100, 1)}% of arrivals dropped (no free VU: answers too slow)`);
  if (m.measuredRps < (1 - VERIFY_TARGET) * predictedRps) reasons.push(`served ${round(m.measuredRps, 1)} requests/s, under ${round((1 - VERIFY_TARGET) * 100)}% of the predicted ${round(predictedRps, 1)}`);
  return { ...m, held: reasons.length === 0, reasons };
}

export type Finding =
  /** N held within target and N − 1 did not (or N = 1) */
  | 'verified'
  /** N − 1 held too: each instance does more than μ — Erlang C's service time 1/μ was too long */
  | 'overProvisioned'
  /** N failed with its instances at their CPU quota: each does less than μ — the service time was too short */
  | 'perInstanceSlower'
  /** N failed with CPU to spare in the instances: they wait on what they share — USL's κ (the one SQLite file) */
  | 'sharedDatabase'
  /** the generator or the machine, not the fleet, limited the measurement */
  | 'inconclusive';

export interface VerificationVerdict {
  finding: Finding;
  /** the model term that was wrong, when one was */
  wrongTerm: 'serviceTime' | 'kappa' | null;
  /** (measured − predicted) ÷ predicted, for N */
  deviation: number;
  withinTarget: boolean;
  /** μ the measurement implies (a lower bound when N − 1 held) */
  impliedPerInstanceRps: number | null;
  /** κ in X(N) = N·μ / (1 + κ·N·(N − 1)) that the measurement implies (sharedDatabase only) */
  impliedKappa: number | null;
  explanation: string;
}

export interface VerdictInput {
  plan: VerificationPlan;
  fleets: FleetVerdict[];
  /** the fleet's quotas add up to more than the cores left beside the generator */
  machineOvercommitted: boolean;
  /** other work kept the machine's load average above its cores while the fleets ran */
  machineBusy?: boolean;
}

function cpuBound(f: FleetMeasurement): boolean {
  return (f.quotaUsedShare ?? 0) >= CPU_BOUND_SHARE || (f.throttledShare ?? 0) >= CPU_BOUND_SHARE;
}

function generatorLimited(f: FleetMeasurement): boolean {
  return f.saturatedSeconds > 0.1 * f.windowSeconds;
}

export function verificationVerdict(i: VerdictInput): VerificationVerdict {
  const { plan } = i;
  const n = i.fleets.find((f) => f.instances === plan.instances);
  if (!n) throw invalid('fleets', `a measurement of ${plan.instances} instances`, i.fleets.map((f) => f.instances));
  const fewer = i.fleets.find((f) => f.instances === plan.instances - 1) ?? null;
  const deviation = (n.measuredRps - plan.predictedRps) / plan.predictedRps;
  const withinTarget = Math.abs(deviation) <= VERIFY_TARGET;
  const pct = `${deviation >= 0 ? '+' : ''}${round(deviation * 100, 1)}%`;
  const base = { deviation, withinTarget };
  const mu = plan.perInstanceRps;

  if ([n, fewer].some((f) => f && !f.held && generatorLimited(f))) {
    return { ...base, finding: 'inconclusive', wrongTerm: null, impliedPerInstanceRps: null, impliedKappa: null,
      explanation: 'the load generator fell behind its schedule: the fleet was not offered the planned load, so this says nothing about the prediction' };
  }
  if (n.held) {
    if (fewer?.held) {
      const implied = fewer.measuredRps / fewer.instances;
      return { ...base, finding: 'overProvisioned', wrongTerm: 'serviceTime', impliedPerInstanceRps: implied, impliedKappa: null,
        explanation: `${fewer.instances} instances held the peak too: each instance serves at least ${round(implied, 1)} requests/s, not the ${round(mu, 1)} measured, so Erlang C's service time (1/μ = ${round(1000 / mu, 2)} ms) was too long and the sizing asks for more than is needed` };
    }
    return { ...base, finding: 'verified', wrongTerm: null, impliedPerInstanceRps: null, impliedKappa: null,
      explanation: `${n.instances} instances served ${round(n.measuredRps, 1)} requests/s (${pct} of the predicted ${round(plan.predictedRps, 1)}) within the SLO${fewer ? `, and ${fewer.instances} did not (${fewer.reasons.join('; ')})` : ''}` };
  }
  // errors inside the instances, which one instance alone did not make: the shared file refusing them
  const alone = fewer?.instances === 1 ? fewer : null;
  if (n.instances > 1 && n.serverErrorShare > SERVER_ERROR_SHARE_MAX && (!alone || alone.serverErrorShare < n.serverErrorShare / 2)) {
    return { ...base, finding: 'sharedDatabase', wrongTerm: 'kappa', impliedPerInstanceRps: n.measuredRps / n.instances, impliedKappa: null,
      explanation: `${n.instances} instances failed (${n.reasons.join('; ')}), ${round(n.serverErrorShare * 100, 2)}% of their answers errors inside the portal (500: the instances' logs say why, e.g. "database is locked"): they contend for the one SQLite file they share, a cost the model leaves out (κ = 0)` };
  }
  if ((i.machineOvercommitted || i.machineBusy) && !cpuBound(n)) {
    const why = i.machineOvercommitted ? "their quotas add up to more than this machine's free cores" : 'other work kept the machine busier than its cores';
    return { ...base, finding: 'inconclusive', wrongTerm: null, impliedPerInstanceRps: null, impliedKappa: null,
      explanation: `${n.instances} instances failed (${n.reasons.join('; ')}) without using their quotas, but ${why}: the machine, not the model, may be the limit` };
  }
  const perInstance = n.measuredRps / n.instances;
  if (cpuBound(n) || n.instances === 1) {
    return { ...base, finding: 'perInstanceSlower', wrongTerm: 'serviceTime', impliedPerInstanceRps: perInstance, impliedKappa: null,
      explanation: `${n.instances} instances failed (${n.reasons.join('; ')})${cpuBound(n) ? ' at their CPU quota' : ''}: each served ${round(perInstance, 1)} requests/s, not the ${round(mu, 1)} measured alone, so Erlang C's service time (1/μ = ${round(1000 / mu, 2)} ms) was too short` };
  }
  // μ as the measurement shows it: the run's, or more when a fleet held more per instance
  const bestMu = Math.max(mu, ...i.fleets.filter((f) => f.held).map((f) => f.measuredRps / f.instances));
  const kappa = Math.max(0, ((n.instances * bestMu) / Math.max(n.measuredRps, 1e-9) - 1) / (n.instances * (n.instances - 1)));
  const worse = fewer && (fewer.held || fewer.measuredRps > n.measuredRps) ? `, where ${fewer.instances} did ${fewer.held ? 'hold it' : 'better'} (${round(fewer.measuredRps, 1)} requests/s)` : '';
  return { ...base, finding: 'sharedDatabase', wrongTerm: 'kappa', impliedPerInstanceRps: perInstance, impliedKappa: kappa,
    explanation: `${n.instances} instances failed (${n.reasons.join('; ')}) with CPU to spare in their quotas${worse}: they wait on what they share, the one SQLite file; the model assumed no such loss (κ = 0), the measurement implies κ ≈ ${kappa.toPrecision(2)}` };
}

function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
