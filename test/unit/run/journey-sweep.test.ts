import { describe, expect, it } from 'vitest';
import { launchDayPlan, SCENARIO_OF } from '../../../src/profile/plan.js';
import { peakHold } from '../../../src/profile/peak-hold.js';
import { resolveOptions } from '../../../src/engine/options.js';
import { ArrivalSchedule } from '../../../src/engine/plan.js';
import { arrivalsFor, describeMix, journeyMix, journeySweepOptions, sweptJourneys, type SweptJourney } from '../../../src/run/journey-sweep.js';
import { limitSweepPlan } from '../../../src/run/sweep.js';
import type { RampingArrivalRate } from '../../../src/scenario-api/types.js';

const day = launchDayPlan({ quick: true });
// requests per arrival as a replay might measure them: a new user makes many calls, a browser few
const measured = new Map([['newUsers', 9], ['returningUsers', 7], ['statusCheckers', 1], ['browsers', 3]]);
const mix = journeyMix(day.options, measured, 5);
const plan = limitSweepPlan(80, true);
const options = journeySweepOptions(plan, mix);
const scenarios = options.scenarios as Record<string, RampingArrivalRate>;

/** A scenario's arrivals per second from `fromS` for `seconds` (the engine's own schedule of its stages). */
function arrivalsPerSecond(name: string, fromS: number, seconds: number): number {
  const resolved = resolveOptions(options, new Set(mix.map((j) => j.exec))).scenarios.find((s) => s.name === name)!;
  if (resolved.kind !== 'arrival') throw new Error('not an arrival scenario');
  return new ArrivalSchedule(resolved.segments).countBetween(fromS * 1000, (fromS + seconds) * 1000) / seconds;
}

describe('the journey mix of launch-day\'s limit sweep', () => {
  it('takes every journey the day runs, in its share of arrivals at the day\'s peak, the shares adding to one', () => {
    const peak = peakHold(day.options, 1);
    expect(mix.map((j) => j.scenario).sort()).toEqual(Object.keys(day.options.scenarios!).sort());
    for (const j of mix) {
      expect(j.share).toBeCloseTo(peak.arrivalsPerSecond[j.scenario] / peak.totalArrivalsPerSecond, 9);
      expect(SCENARIO_OF[j.exec as keyof typeof SCENARIO_OF]).toBe(j.scenario);
      expect(j.requestsPerArrival).toBe(measured.get(j.scenario));
    }
    expect(mix.reduce((s, j) => s + j.share, 0)).toBeCloseTo(1, 9);
  });

  it('weighs a journey the replay has no measurement of by the fallback', () => {
    const partial = journeyMix(day.options, new Map([['newUsers', 9]]), 4);
    expect(partial.find((j) => j.scenario === 'browsers')!.requestsPerArrival).toBe(4);
  });

  it('records each journey and its share for run.json, and names them in the log line', () => {
    expect(describeMix(mix)).toMatch(/^newUser \d+%, returningUser \d+%, statusChecker \d+%, browser \d+%$/);
    const rec = sweptJourneys(mix);
    expect(rec.map((r) => r.journey)).toEqual(mix.map((j) => j.exec));
    expect(rec.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 3);
  });
});

describe('the stepped options of the sweep', () => {
  it('splits a step\'s requests per second among the journeys by their shares and requests per arrival', () => {
    const a = arrivalsFor(mix, 200);
    expect(a.reduce((s, x, i) => s + x * mix[i].requestsPerArrival, 0)).toBeCloseTo(200, 9);
    const total = a.reduce((s, x) => s + x, 0);
    a.forEach((x, i) => expect(x / total).toBeCloseTo(mix[i].share, 9));
  });

  it('runs one scenario per journey, every journey present, each its own exec and whole arrivals per minute', () => {
    expect(Object.keys(scenarios).sort()).toEqual(mix.map((j) => j.scenario).sort());
    for (const j of mix) {
      const sc = scenarios[j.scenario];
      expect(sc).toMatchObject({ executor: 'ramping-arrival-rate', timeUnit: '1m', exec: j.exec });
      for (const r of [sc.startRate!, ...sc.stages.map((s) => s.target)]) { expect(Number.isInteger(r)).toBe(true); expect(r).toBeGreaterThan(0); }
      expect(sc.maxVUs).toBeGreaterThanOrEqual(sc.preAllocatedVUs);
    }
    // the engine takes them as k6 would: valid executors, options and durations
    expect(() => resolveOptions(options, new Set(mix.map((j) => j.exec)))).not.toThrow();
  });

  it('offers at each step its rate in requests per second, the journeys in their shares, for the step\'s seconds', () => {
    for (const s of plan) {
      const perJourney = mix.map((j) => arrivalsPerSecond(j.scenario, s.startSeconds, s.durationSeconds));
      const requests = perJourney.reduce((sum, x, i) => sum + x * mix[i].requestsPerArrival, 0);
      // whole arrivals per minute and per second of schedule: within a few percent of the step's rate
      expect(Math.abs(requests - s.rate) / s.rate).toBeLessThan(0.05);
      const total = perJourney.reduce((a, b) => a + b, 0);
      perJourney.forEach((x, i) => expect(Math.abs(x / total - mix[i].share)).toBeLessThan(0.03));
    }
  });

  it('lasts the plan: the warm-up and every step, back to back', () => {
    const last = plan[plan.length - 1];
    const resolved = resolveOptions(options, new Set(mix.map((j) => j.exec)));
    expect(resolved.plannedDurationMs).toBe((last.startSeconds + last.durationSeconds) * 1000);
  });

  it('refuses an empty mix or plan, naming what is missing', () => {
    expect(() => journeySweepOptions(plan, [] as SweptJourney[])).toThrow(/journeys/);
    expect(() => journeySweepOptions([], mix)).toThrow(/sweep plan/);
  });
});
