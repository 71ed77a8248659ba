import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MetricsQuery, WindowRecorder, type EncodedWindow } from '../../../src/metrics/index.js';
import { planSweep, type SweepStep } from '../../../src/run/sweep.js';
import { analyseCapacity } from '../../../src/analysis/capacity.js';
import { assess, buildSummary, sweepPoints } from '../../../src/assess/index.js';
import { buildReportModel } from '../../../src/report/model.js';
import type { RunInfo } from '../../../src/rundir/run-dir.js';

const START = 1_767_000_000_000;

/** What the engine records for a sweep (warm-up first) against a system of capacity `cap` rps, with noise. */
function recordSweep(plan: SweepStep[], warmup: number, cap: number, seed: number, saturateFrom = Infinity): EncodedWindow[] {
  const r = new WindowRecorder(START);
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const seconds: Array<{ t: number; rate: number }> = [];
  for (let t = 0; t < warmup; t++) seconds.push({ t, rate: plan[0].rate });
  for (const step of plan) for (let k = 0; k < step.durationSeconds; k++) seconds.push({ t: step.startSeconds + k, rate: step.rate });
  for (const { t, rate } of seconds) {
    const t0 = START + t * 1000;
    const done = Math.min(rate, cap);
    const util = Math.min(rate / cap, 0.99);
    r.add('planned_iterations', 'counter', { scenario: 'step' }, rate, t0);
    if (rate > cap) r.add('dropped_iterations', 'counter', { scenario: 'step' }, rate - cap, t0);
    for (let i = 0; i < done; i++) {
      const at = t0 + Math.floor((i * 1000) / done);
      const spike = rnd() < 0.03 ? 8 : 1;
      const failed = rnd() < 0.004 * rate / 10;
      r.add('iterations', 'counter', {}, 1, at);
      r.add('http_reqs', 'counter', { name: 'GET /api/v1/shops' }, 1, at);
      r.add('http_req_failed', 'rate', { name: 'GET /api/v1/shops' }, failed ? 1 : 0, at);
      r.add('http_req_duration', 'trend', { name: 'GET /api/v1/shops' }, spike * (20 / (1 - util)) * (0.7 + 0.6 * rnd()), at);
      r.add('schedule_lag', 'trend', {}, rate >= saturateFrom ? 80 : 1 + rnd(), at);
    }
  }
  return r.drain();
}

function sweepRunInfo(plan: SweepStep[], seconds: number, slo: { p95Ms: number; errorRate: number }): RunInfo {
  return {
    id: 'sweep', command: 'sweep', scenario: 'sweep-scenario.js', target: 'http://127.0.0.1:1', startedAt: new Date(START).toISOString(), startedAtMs: START,
    endedAt: new Date(START + seconds * 1000).toISOString(), durationSeconds: seconds, plannedDurationSeconds: seconds,
    engine: { name: 'capacity-test', version: 'test' }, workers: 1, segment: null, gitCommit: null, portalMode: 'as-built', seed: null,
    aborted: false, abortReason: null, options: null, profile: null,
    extra: { sweep: { plan, path: '/api/v1/shops' }, slo, peakDemandRps: 300, headroom: 0.33 },
  };
}

describe('summary of a sweep run', () => {
  it('cuts the run at the sweep\'s steps and gives exactly the capacity figures of its per-second points queried from the windows', () => {
    fc.assert(fc.property(
      fc.integer({ min: 3, max: 9 }), fc.integer({ min: 20, max: 90 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 3 }),
      fc.constantFrom(Infinity, 60), fc.constantFrom(100, 800),
      (steps, cap, seed, warmup, saturateFrom, p95Ms) => {
        const plan = planSweep({ from: 10, to: 10 * steps, steps, stepDurationSeconds: 3, warmupSeconds: warmup });
        const seconds = warmup + steps * 3;
        const windows = recordSweep(plan, warmup, cap, seed, saturateFrom);
        const slo = { p95Ms, errorRate: 0.01 };
        // independent of the digest's second-by-second pass: each second's point queried from all the windows at once
        const sweepJson = analyseCapacity(sweepPoints(new MetricsQuery(windows), plan), { slo, peakDemandRps: 300, headroom: 0.33 });
        const s = buildSummary({ runInfo: sweepRunInfo(plan, seconds, slo), windows });
        const c = s.capacity as typeof s.capacity & Record<string, unknown>;
        expect(c).toMatchObject({
          maxSustainableRps: sweepJson.maxSustainableRps, kneeRps: sweepJson.kneeRps, instancesForPeak: sweepJson.instancesForPeak,
          limitReached: sweepJson.limitReached, knees: sweepJson.knees, notes: sweepJson.notes, levelSource: 'sweep steps', levels: steps,
        });
        expect(c.usl).toEqual(sweepJson.usl);
        // The report's charts mark the steps too: one capacity point per step, none for the warm-up.
        const m = buildReportModel(assess({ runInfo: sweepRunInfo(plan, seconds, slo), windows }), s);
        const usl = m.charts.find((ch) => ch.id === 'usl')!;
        expect(usl.series.filter((x) => x.type === 'scatter').reduce((n, x) => n + x.data.length, 0)).toBe(steps);
      }), { numRuns: 25 });
  });
});
