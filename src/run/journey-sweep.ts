import { invalid } from '../contracts/errors.js';
import { MAX_VUS_PER_SCENARIO } from '../profile/plan.js';
import { peakHold } from '../profile/peak-hold.js';
import type { Options, RampingArrivalRate, Stage } from '../scenario-api/types.js';

/**
 * launch-day's limit sweep offers the day's own traffic: the journeys the replay ran (the reference
 * citizens or the user's --scenario), each in the share of arrivals it had at the day's peak, at the
 * stepped request rates of limitSweepPlan. Pure: the mix from the replay's options and measured
 * requests per arrival, and the engine options from the mix. A GET of one cheap read would measure an
 * instance far stronger than the day needs, and size too small a fleet.
 */
/** A step of the sweep's plan (src/run/sweep.ts SweepStep): requests per second from startSeconds for durationSeconds. */
export interface SweepStepRate { rate: number; startSeconds: number; durationSeconds: number }

/** The env var that carries the sweep's scenarios into the replay's scenario file (read by scenarios/lib/config.ts planFromEnv). */
export const SWEEP_SCENARIOS_ENV = 'SWEEP_SCENARIOS';

export interface SweptJourney {
  /** the replay's scenario name (e.g. newUsers), kept in the sweep so its figures read alike */
  scenario: string;
  /** the exported function it runs (e.g. newUser) */
  exec: string;
  /** its share of arrivals at the instant the day's arrivals peaked (the shares add up to 1) */
  share: number;
  /** requests one arrival of it made in the replay (retries included) */
  requestsPerArrival: number;
  /** the replay's VUs per arrival per second at that peak (pre-allocated, at most): the sweep's VUs scale with its rate */
  preAllocatedVUsPerRate: number;
  maxVUsPerRate: number;
}

/**
 * The journeys of `options` (the replay's, as run.json records them) in their proportions at the day's
 * peak (peakHold: the instant the scenarios' rates summed highest). `requestsPerArrival`: per scenario,
 * from the replay's measurements; `fallback` for a journey it has none of (e.g. the run's mean).
 */
export function journeyMix(options: Options, requestsPerArrival: ReadonlyMap<string, number>, fallback: number): SweptJourney[] {
  if (!(fallback > 0)) throw invalid('requests per arrival', 'a number > 0', fallback);
  const peak = peakHold(options, 1);
  const total = peak.totalArrivalsPerSecond;
  if (!(total > 0)) throw invalid('scenarios', 'arrivals at the day\'s peak', Object.keys(options.scenarios ?? {}));
  const out: SweptJourney[] = [];
  for (const [scenario, perSecond] of Object.entries(peak.arrivalsPerSecond)) {
    const sc = options.scenarios?.[scenario] as RampingArrivalRate | undefined;
    if (!sc || !(perSecond > 0)) continue;
    const measured = requestsPerArrival.get(scenario);
    out.push({
      scenario, exec: sc.exec ?? 'default', share: perSecond / total,
      requestsPerArrival: measured !== undefined && measured > 0 ? measured : fallback,
      preAllocatedVUsPerRate: sc.preAllocatedVUs / perSecond,
      maxVUsPerRate: (sc.maxVUs ?? sc.preAllocatedVUs) / perSecond,
    });
  }
  return out;
}

/** Arrivals per second of each journey that make `requestsPerSecond` in all (Σ arrivals × requests per arrival). */
export function arrivalsFor(mix: readonly SweptJourney[], requestsPerSecond: number): number[] {
  const perArrival = mix.reduce((s, j) => s + j.share * j.requestsPerArrival, 0);
  return mix.map((j) => (requestsPerSecond * j.share) / perArrival);
}

/** Whole arrivals per minute (k6 takes integer rates; per minute, rounding moves a journey's rate by under 1/120 a second). */
const TIME_UNIT = '1m';
function perMinute(perSecond: number): number { return Math.max(1, Math.round(perSecond * 60)); }

/**
 * One ramping-arrival-rate scenario per journey that steps with the plan: the warm-up at the first
 * step's rate, then each step's rate held for its duration (an instant jump, a 0 s stage, between).
 * One scenario per journey, not per step: iterationInTest runs on through the sweep, so a new user
 * never registers a mobile number an earlier step registered. A step's rate is requests per second;
 * its journeys' arrival rates are that rate's share of each (arrivalsFor). gracefulStop lets the last
 * journeys finish after the last step rather than counting cut requests against it.
 */
export function journeySweepOptions(plan: readonly SweepStepRate[], mix: readonly SweptJourney[]): Options {
  if (plan.length === 0) throw invalid('sweep plan', 'at least one step', '[]');
  if (mix.length === 0) throw invalid('journeys', 'at least one journey to sweep', '[]');
  const rates = plan.map((s) => arrivalsFor(mix, s.rate));
  const scenarios: Record<string, RampingArrivalRate> = {};
  mix.forEach((j, i) => {
    const first = perMinute(rates[0][i]);
    const top = Math.max(...rates.map((r) => r[i]));
    const maxVUs = Math.min(MAX_VUS_PER_SCENARIO, Math.max(10, Math.ceil(j.maxVUsPerRate * top)));
    const stages: Stage[] = [];
    if (plan[0].startSeconds > 0) stages.push({ duration: `${plan[0].startSeconds}s`, target: first });
    let level = first;
    plan.forEach((s, k) => {
      const target = perMinute(rates[k][i]);
      if (target !== level) stages.push({ duration: '0s', target });
      stages.push({ duration: `${s.durationSeconds}s`, target });
      level = target;
    });
    scenarios[j.scenario] = {
      executor: 'ramping-arrival-rate', startRate: first, timeUnit: TIME_UNIT, stages,
      preAllocatedVUs: Math.min(maxVUs, Math.max(1, Math.ceil(j.preAllocatedVUsPerRate * rates[0][i]))), maxVUs,
      exec: j.exec, gracefulStop: '5s', tags: { journey: j.exec },
    };
  });
  return { scenarios };
}

/** What run.json records of the mix (extra.limitSweep.journeys, extra.sweep.journeys): each journey and its share. */
export function sweptJourneys(mix: readonly SweptJourney[]): Array<{ journey: string; scenario: string; share: number; requestsPerArrival: number }> {
  return mix.map((j) => ({ journey: j.exec, scenario: j.scenario, share: Math.round(j.share * 1e4) / 1e4, requestsPerArrival: Math.round(j.requestsPerArrival * 100) / 100 }));
}

/** "newUser 55%, browser 27%, …": the journeys a limit sweep offers and their shares of arrivals, for the run's log. */
export function describeMix(mix: readonly SweptJourney[]): string {
  return mix.map((j) => `${j.exec} ${Math.round(j.share * 100)}%`).join(', ');
}
