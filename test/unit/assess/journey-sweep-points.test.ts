import { describe, expect, it } from 'vitest';
import { WindowRecorder, type EncodedWindow } from '../../../src/metrics/index.js';
import { planSweep, type SweepStep } from '../../../src/run/sweep.js';
import { assess } from '../../../src/assess/index.js';
import type { RunInfo } from '../../../src/rundir/run-dir.js';

const START = 1_767_000_000_000;
const PER_ARRIVAL = 4;

/**
 * What the engine records for a sweep of journeys of PER_ARRIVAL requests each, its steps in requests
 * per second, against an instance that answers `cap` requests per second within target and slows past it.
 */
function recordJourneySweep(plan: SweepStep[], cap: number): EncodedWindow[] {
  const r = new WindowRecorder(START);
  for (const step of plan) for (let k = 0; k < step.durationSeconds; k++) {
    const t0 = START + (step.startSeconds + k) * 1000;
    const arrivals = step.rate / PER_ARRIVAL;
    const done = Math.min(step.rate, cap);
    r.add('planned_iterations', 'counter', { scenario: 'newUsers' }, arrivals, t0);
    for (let i = 0; i < arrivals; i++) r.add('iterations', 'counter', { scenario: 'newUsers' }, 1, t0 + i);
    for (let i = 0; i < done; i++) {
      const at = t0 + Math.floor((i * 1000) / done);
      r.add('http_reqs', 'counter', { name: 'POST /api/v1/register', scenario: 'newUsers' }, 1, at);
      r.add('http_req_failed', 'rate', { name: 'POST /api/v1/register' }, 0, at);
      r.add('http_req_duration', 'trend', { name: 'POST /api/v1/register' }, step.rate > cap ? 2000 : 40, at);
      r.add('schedule_lag', 'trend', {}, 1, at);
    }
  }
  return r.drain();
}

function runInfo(plan: SweepStep[], journeys: unknown[] | undefined): RunInfo {
  const seconds = plan[plan.length - 1].startSeconds + plan[plan.length - 1].durationSeconds;
  return {
    id: 'limit-sweep', command: 'launch-day (limit sweep)', scenario: 'launch-day.ts', target: 'http://127.0.0.1:1', startedAt: new Date(START).toISOString(), startedAtMs: START,
    endedAt: new Date(START + seconds * 1000).toISOString(), durationSeconds: seconds, plannedDurationSeconds: seconds,
    engine: { name: 'capacity-test', version: 'test' }, workers: 1, segment: null, gitCommit: null, portalMode: null, seed: null,
    aborted: false, abortReason: null, options: null, profile: null,
    extra: { sweep: { plan, path: null, ...(journeys ? { journeys } : {}) }, slo: { p95Ms: 800, errorRate: 0.01 }, peakDemandRps: 300 },
  };
}

describe('the steps of a sweep of user journeys', () => {
  const plan = planSweep({ from: 40, to: 200, steps: 5, stepDurationSeconds: 3 });
  const windows = recordJourneySweep(plan, 120);
  const journeys = [{ journey: 'newUser', scenario: 'newUsers', share: 1, requestsPerArrival: PER_ARRIVAL }];

  it('measures what a step sustained in successful requests per second, the replay\'s unit, not journeys per second', () => {
    const a = assess({ runInfo: runInfo(plan, journeys), windows });
    expect(a.capacity.maxSustainableRps).toBe(120);
    expect(a.capacity.limitReached).toBe(true);
    const levels = a.capacity.loadLevels as Array<{ offeredRps: number; throughputRps: number; held: boolean; achievedShare: number }>;
    expect(levels.map((l) => l.offeredRps)).toEqual([40, 80, 120, 160, 200]);
    expect(levels.map((l) => l.throughputRps)).toEqual([40, 80, 120, 120, 120]);
    expect(levels.map((l) => l.held)).toEqual([true, true, true, false, false]);
    // achieved: arrivals started ÷ planned (every arrival started; requests lag arrivals in a journey)
    expect(levels.every((l) => l.achievedShare === 1)).toBe(true);
  });

  it('counts a step\'s dropped arrivals against it', () => {
    const r = new WindowRecorder(START);
    const dropped = recordJourneySweep(plan, 1000);
    // half the arrivals of the top step were dropped for want of a VU
    r.add('dropped_iterations', 'counter', { scenario: 'newUsers' }, 25, START + 12_000);
    const a = assess({ runInfo: runInfo(plan, journeys), windows: [...dropped, ...r.drain()] });
    const top = (a.capacity.loadLevels as Array<{ held: boolean; failedBy: string[] }>)[4];
    expect(top.held).toBe(false);
    expect(top.failedBy).toContain('achieved');
  });

  it('keeps a sweep of one GET an arrival (no journeys in run.json) measured in iterations, as before', () => {
    const a = assess({ runInfo: runInfo(plan, undefined), windows });
    expect((a.capacity.loadLevels as Array<{ throughputRps: number }>)[0].throughputRps).toBe(10);
  });
});
