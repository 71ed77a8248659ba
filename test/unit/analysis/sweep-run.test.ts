import { describe, expect, it } from 'vitest';
import { WindowRecorder, type EncodedWindow } from '../../../src/metrics/index.js';
import { planSweep, sweepOptions, type SweepStep } from '../../../src/run/sweep.js';
import { assess } from '../../../src/assess/index.js';
import type { CapacityResult } from '../../../src/analysis/capacity.js';
import type { RunInfo } from '../../../src/rundir/run-dir.js';
import { parseWholeSeconds } from '../../../src/contracts/duration.js';

const start = 1_700_000_000_000;

describe('sweep plan', () => {
  it('spaces the rates linearly from --from to --to, back to back', () => {
    const plan = planSweep({ from: 100, to: 800, steps: 8, stepDurationSeconds: 5 });
    expect(plan.map((s) => s.rate)).toEqual([100, 200, 300, 400, 500, 600, 700, 800]);
    expect(plan.map((s) => s.startSeconds)).toEqual([0, 5, 10, 15, 20, 25, 30, 35]);
  });

  it('refuses bad flags naming them', () => {
    expect(() => planSweep({ from: 0, to: 10, steps: 3, stepDurationSeconds: 5 })).toThrow(/invalid --from/);
    expect(() => planSweep({ from: 10, to: 5, steps: 3, stepDurationSeconds: 5 })).toThrow(/invalid --to: expected a rate >= --from \(10\), got 5/);
    expect(() => planSweep({ from: 10, to: 50, steps: 2.5, stepDurationSeconds: 5 })).toThrow(/invalid --steps/);
    expect(() => planSweep({ from: 10, to: 50, steps: 3, stepDurationSeconds: 0 })).toThrow(/invalid --step-duration/);
  });

  it('makes one constant-arrival-rate scenario per step with its start time and tag', () => {
    const o = sweepOptions(planSweep({ from: 10, to: 30, steps: 3, stepDurationSeconds: 4 }), { exec: 'hit' });
    expect(Object.keys(o.scenarios!)).toEqual(['step_01', 'step_02', 'step_03']);
    expect(o.scenarios!.step_03).toMatchObject({ executor: 'constant-arrival-rate', rate: 30, timeUnit: '1s', duration: '4s', startTime: '8s', exec: 'hit', tags: { step: '3' } });
  });

  it('parses step durations', () => {
    expect(parseWholeSeconds('10s', '--step-duration')).toBe(10);
    expect(parseWholeSeconds('1m30s', '--step-duration')).toBe(90);
    // one duration rule (k6's units): a bare number is refused, naming both readings, never taken as seconds
    expect(() => parseWholeSeconds('7', '--step-duration')).toThrow('invalid --step-duration: expected a duration such as 90s, 5m or 1h30m (a unit is needed: 7s is seconds, 7ms milliseconds), got "7"');
    expect(() => parseWholeSeconds('soon', '--step-duration')).toThrow(/invalid --step-duration: expected a duration/);
  });
});

/** Records what a sweep against a system with capacity `cap` rps and base latency 20 ms would. */
function recordSweep(rates: number[], secondsPerStep: number, cap: number, saturateFrom = Infinity) {
  const r = new WindowRecorder(start);
  rates.forEach((rate, k) => {
    for (let s = 0; s < secondsPerStep; s++) {
      const t0 = start + (k * secondsPerStep + s) * 1000;
      const done = Math.min(rate, cap);
      const util = Math.min(rate / cap, 0.99);
      const latency = 20 / (1 - util); // M/M/1-like growth
      for (let i = 0; i < done; i++) {
        const at = t0 + Math.floor((i * 1000) / done);
        r.add('iterations', 'counter', {}, 1, at);
        r.add('http_reqs', 'counter', {}, 1, at);
        r.add('http_req_duration', 'trend', { name: 'GET /' }, latency * (0.9 + 0.2 * (i / done)), at);
        r.add('http_req_failed', 'rate', {}, 0, at);
        r.add('schedule_lag', 'trend', {}, rate >= saturateFrom ? 500 : 1, at);
      }
      if (rate > cap) r.add('dropped_iterations', 'counter', {}, rate - cap, t0);
    }
  });
  return r.drain();
}

/** What a sweep's run directory tells of it (run.json), and its Assessment: the points and capacity sweep.json holds. */
function assessSweep(windows: EncodedWindow[], plan: SweepStep[], o: { slo: { p95Ms: number; errorRate: number }; peakDemandRps: number | null }) {
  const last = plan[plan.length - 1];
  const seconds = last.startSeconds + last.durationSeconds;
  const runInfo: RunInfo = {
    id: 'sweep', command: 'sweep', scenario: 'sweep-scenario.js', target: null, startedAt: new Date(start).toISOString(), startedAtMs: start,
    endedAt: new Date(start + seconds * 1000).toISOString(), durationSeconds: seconds, plannedDurationSeconds: seconds,
    engine: { name: 'capacity-test', version: 'test' }, workers: 1, segment: null, gitCommit: null, portalMode: null, seed: null,
    aborted: false, abortReason: null, options: null, profile: null,
    extra: { sweep: { plan, path: '/' }, slo: o.slo, ...(o.peakDemandRps !== null ? { peakDemandRps: o.peakDemandRps } : {}) },
  };
  const a = assess({ runInfo, windows });
  return { points: a.analysedPoints, capacity: a.capacityResult as CapacityResult };
}

describe('sweep analysis: the Assessment of a sweep run', () => {
  const rates = [100, 200, 300, 400, 500, 600, 700, 800];
  const plan = planSweep({ from: 100, to: 800, steps: 8, stepDurationSeconds: 3 });

  it('reads one load point per second with exact percentiles', () => {
    const pts = assessSweep(recordSweep(rates, 3, 650), plan, { slo: { p95Ms: 800, errorRate: 0.01 }, peakDemandRps: null }).points;
    expect(pts).toHaveLength(24);
    expect(pts[0]).toMatchObject({ t: 0, offeredRps: 100, throughputRps: 100, errorRate: 0, saturated: false });
    expect(pts[23].throughputRps).toBe(650);
    expect(pts[0].p95Ms!).toBeGreaterThan(20 / (1 - 100 / 650));
  });

  it('finds the max sustainable rate below the capacity and sizes with it', () => {
    const res = assessSweep(recordSweep(rates, 3, 650), plan, { slo: { p95Ms: 800, errorRate: 0.01 }, peakDemandRps: 3000 });
    expect(res.capacity.maxSustainableRps).toBe(600);
    expect(res.capacity.kneeRps).not.toBeNull();
    expect(res.capacity.usl).not.toBeNull();
    expect(res.capacity.instancesForPeak).toBeGreaterThanOrEqual(Math.ceil(3000 / 600));
  });

  it('marks seconds with a late schedule as generator-saturated, never as the system limit', () => {
    const res = assessSweep(recordSweep(rates, 3, 10_000, 500), plan, { slo: { p95Ms: 800, errorRate: 0.01 }, peakDemandRps: null });
    expect(res.points.filter((p) => p.saturated).length).toBe(12);
    expect(res.capacity.maxSustainableRps).toBe(400);
    expect(res.capacity.notes.join(' ')).toMatch(/generator saturated at 500 rps, 600 rps, 700 rps, 800 rps/);
  });
});

describe('sweep warm-up', () => {
  it('runs the first rate before step 1 and leaves it out of the analysed steps', () => {
    const plan = planSweep({ from: 10, to: 30, steps: 3, stepDurationSeconds: 4, warmupSeconds: 2 });
    expect(plan.map((s) => s.startSeconds)).toEqual([2, 6, 10]);
    const o = sweepOptions(plan);
    expect(o.scenarios!.warmup).toMatchObject({ executor: 'constant-arrival-rate', rate: 10, duration: '2s', tags: { step: 'warmup' } });
    expect(o.scenarios!.step_01).toMatchObject({ startTime: '2s' });
    expect(() => planSweep({ from: 10, to: 30, steps: 3, stepDurationSeconds: 4, warmupSeconds: -1 })).toThrow(/invalid --warmup/);
  });
});
