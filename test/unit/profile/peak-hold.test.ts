import { describe, expect, it } from 'vitest';
import { peakHold, rateAt } from '../../../src/profile/peak-hold.js';
import { launchDayPlan } from '../../../src/profile/index.js';
import type { Options } from '../../../src/scenario-api/types.js';

describe('the peak held', () => {
  it('reads a ramping scenario as linear ramps between its stage targets', () => {
    const s = { startRate: 0, stages: [{ duration: '10s', target: 100 }, { duration: '10s', target: 100 }, { duration: '5s', target: 0 }] };
    expect(rateAt(s, 0)).toBe(0);
    expect(rateAt(s, 5000)).toBe(50);
    expect(rateAt(s, 15_000)).toBe(100);
    expect(rateAt(s, 22_500)).toBe(50);
    expect(rateAt(s, 30_000)).toBe(0);
  });

  it('holds every scenario at its rate at the instant their sum peaks, not each at its own peak', () => {
    const options: Options = { scenarios: {
      a: { executor: 'ramping-arrival-rate', timeUnit: '1s', preAllocatedVUs: 5, exec: 'a', stages: [{ duration: '10s', target: 10 }, { duration: '10s', target: 0 }] },
      // b peaks later (at 20 s, 8/s), when a has fallen to 0: the sum peaks at 10 s (a 10 + b 4 = 14 > 8)
      b: { executor: 'ramping-arrival-rate', timeUnit: '1s', preAllocatedVUs: 5, exec: 'b', stages: [{ duration: '20s', target: 8 }] },
      c: { executor: 'constant-vus', vus: 1, duration: '5s' },
    } };
    const h = peakHold(options, 20, { gracefulStop: '5s' });
    expect(h.atMs).toBe(10_000);
    expect(h.arrivalsPerSecond).toEqual({ a: 10, b: 4 });
    expect(h.totalArrivalsPerSecond).toBe(14);
    expect(h.options.scenarios).toEqual({
      a: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '20s', preAllocatedVUs: 5, exec: 'a', gracefulStop: '5s' },
      b: { executor: 'constant-arrival-rate', rate: 4, timeUnit: '1s', duration: '20s', preAllocatedVUs: 5, exec: 'b', gracefulStop: '5s' },
    });
  });

  it("holds the quick launch day's 9 a.m. peak at the arrivals the plan peaks at", () => {
    const plan = launchDayPlan({ quick: true });
    const h = peakHold(plan.options, 30);
    expect(h.totalArrivalsPerSecond).toBeCloseTo(plan.testPeakArrivalsPerSecond, 0);
    // the quick plan starts 08:55 at ×20: the peak comes once the booking window opens at 09:00 (15 s in)
    expect(h.atMs).toBeGreaterThanOrEqual(15_000);
    expect(Object.values(h.options.scenarios!).every((s) => s.executor === 'constant-arrival-rate' && s.duration === '30s')).toBe(true);
  });

  it('refuses a plan without an arrival-rate ramp, and a bad duration', () => {
    expect(() => peakHold({ scenarios: { c: { executor: 'constant-vus', vus: 1, duration: '5s' } } }, 10)).toThrow(/at least one ramping-arrival-rate scenario/);
    expect(() => peakHold({ scenarios: {} }, 0)).toThrow(/invalid --seconds: expected a whole number of seconds >= 1, got 0/);
  });
});
