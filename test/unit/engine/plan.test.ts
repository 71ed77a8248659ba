import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArrivalSchedule, share, vusAt, warmUpPlan } from '../../../src/engine/plan.js';
import { resolveOptions } from '../../../src/engine/options.js';

const perMs = (perSecond: number) => perSecond / 1000;

describe('arrival schedule in closed form', () => {
  it('places a constant rate r at 0, 1/r, 2/r, … (r per second, first at the start)', () => {
    const s = new ArrivalSchedule([{ startMs: 0, durationMs: 2000, from: perMs(10), to: perMs(10) }]);
    expect(s.total).toBe(20);
    expect([0, 1, 2, 19].map((k) => s.timeOf(k))).toEqual([0, 100, 200, 1900]);
  });

  it('ramps 0 → 10/s over 10 s: the k-th arrival where the integral reaches k (t = sqrt(2k) s), 50 in all', () => {
    const s = new ArrivalSchedule([{ startMs: 0, durationMs: 10_000, from: 0, to: perMs(10) }]);
    expect(s.total).toBe(50);
    for (const k of [0, 1, 2, 8, 49]) expect(s.timeOf(k)).toBeCloseTo(Math.sqrt(2 * k) * 1000, 6);
  });

  it('counts the plan per second as the integral of the rate (startRate 100 → 300 over 2 s, then flat)', () => {
    const s = new ArrivalSchedule([
      { startMs: 0, durationMs: 2000, from: perMs(100), to: perMs(300) },
      { startMs: 2000, durationMs: 1000, from: perMs(300), to: perMs(300) },
    ]);
    expect(s.total).toBe(200 + 200 + 300);
    expect(s.countBetween(0, 1000)).toBe(150);
    expect(s.countBetween(1000, 2000)).toBe(250);
    expect(s.countBetween(2000, 3000)).toBe(300);
  });

  it('skips a stage at rate 0 and resumes after it', () => {
    const s = new ArrivalSchedule([
      { startMs: 0, durationMs: 1000, from: perMs(2), to: perMs(2) },
      { startMs: 1000, durationMs: 5000, from: 0, to: 0 },
      { startMs: 6000, durationMs: 1000, from: perMs(2), to: perMs(2) },
    ]);
    expect([0, 1, 2, 3].map((k) => s.timeOf(k))).toEqual([0, 500, 6000, 6500]);
  });

  it('gives non-decreasing times within the plan for any piecewise-linear rate', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 500 })), { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 500 }), (stages, start) => {
      let at = 0; let prev = start;
      const segs = stages.map(([d, target]) => { const seg = { startMs: at, durationMs: d, from: perMs(prev), to: perMs(target) }; at += d; prev = target; return seg; });
      const s = new ArrivalSchedule(segs);
      let last = -1;
      for (let k = 0; k < s.total; k++) {
        const t = s.timeOf(k);
        expect(t).toBeGreaterThanOrEqual(last - 1e-6);
        expect(t).toBeLessThanOrEqual(at);
        last = t;
      }
    }), { numRuns: 50 });
  });
});

describe('striping a test across segments and workers', () => {
  it('splits any count into shares that differ by at most one and add up exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 16 }), (total, n) => {
      const shares = Array.from({ length: n }, (_, s) => share(total, s, n));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }));
  });
});

describe('ramping-vus plan', () => {
  it('interpolates linearly between stages and holds the last target', () => {
    const stages = [{ durationMs: 20_000, target: 10 }, { durationMs: 10_000, target: 0 }];
    expect(vusAt(0, stages, 0)).toBe(0);
    expect(vusAt(0, stages, 2000)).toBe(1);
    expect(vusAt(0, stages, 19_999)).toBe(9);
    expect(vusAt(0, stages, 20_000)).toBe(10);
    expect(vusAt(0, stages, 25_000)).toBe(5);
    expect(vusAt(0, stages, 40_000)).toBe(0);
  });
});

describe('warmUpPlan: how long a worker warms up before the start', () => {
  const scenarios = (rate: number, extra: Record<string, unknown> = {}) => resolveOptions({
    scenarios: {
      a: { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: '10s', preAllocatedVUs: 10, maxVUs: 10 },
      ...extra,
    },
  }, new Set(['default'])).scenarios;

  it('keeps the usual second for a light plan', () => {
    expect(warmUpPlan(scenarios(200), 1)).toEqual({ ms: 1000, perMs: 1.5 });
    expect(warmUpPlan(resolveOptions({ vus: 5000, duration: '10s' }, new Set(['default'])).scenarios, 1)).toEqual({ ms: 1000, perMs: 1.5 });
  });

  it('warms 3 s at up to 4 arrivals per ms when a worker faces 1,000 arrivals/s or more', () => {
    expect(warmUpPlan(scenarios(6000), 1)).toEqual({ ms: 3000, perMs: 4 });
    expect(warmUpPlan(scenarios(2000), 1)).toEqual({ ms: 3000, perMs: 2 });
  });

  it('takes one stripe’s share of every arrival-rate scenario at its peak', () => {
    // 6,000/s over 8 stripes is 750/s a worker: light
    expect(warmUpPlan(scenarios(6000), 8).ms).toBe(1000);
    // a ramp counts at its peak, and two scenarios add up: 600 + 900/s on one worker
    const ramp = { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 10, maxVUs: 10, stages: [{ duration: '5s', target: 900 }, { duration: '5s', target: 0 }] };
    expect(warmUpPlan(scenarios(600, { b: ramp }), 1)).toEqual({ ms: 3000, perMs: 1.5 });
  });
});
