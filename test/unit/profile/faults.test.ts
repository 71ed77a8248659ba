import { describe, expect, it } from 'vitest';
import { faultTimeline } from '../../../src/profile/faults.js';
import { parseProfileInput } from '../../../src/profile/schema.js';
import { launchDayPlan } from '../../../src/profile/plan.js';

const quick = { simulatedStart: '08:55', timeScale: 20, realSeconds: 60 };

describe('faults on the day’s timeline', () => {
  it('puts a fault at its simulated time, compressed with the day: 09:05 for 5 min at ×20 is seconds 30–45', () => {
    const [f] = faultTimeline([{ at: '09:05', for: '5m', latencyMs: 300, route: 'POST /api/v1/orders' }], quick);
    expect(f).toMatchObject({ kind: 'latency', label: '+300 ms on POST /api/v1/orders', at: '09:05', until: '09:10', fromSecond: 30, toSecond: 45 });
    expect(f.set).toEqual({ latencyMs: 300, latencyRoute: '/api/v1/orders', latencyMethod: 'POST' });
    expect(f.clear).toEqual({ latencyMs: 0, latencyRoute: '', latencyMethod: '' });
  });

  it('lasts to the end of the replayed window without `for`, and stops there when `for` runs past it', () => {
    expect(faultTimeline([{ at: '09:10', errorRate: 0.2 }], quick)[0]).toMatchObject({ fromSecond: 45, toSecond: 60, until: '09:15', label: '20% of writes refused (503)' });
    expect(faultTimeline([{ at: '09:14', for: '1h', dbStallMs: 40 }], quick)[0]).toMatchObject({ fromSecond: 57, toSecond: 60, set: { dbStallMs: 40 }, clear: { dbStallMs: 0 } });
  });

  it('keeps seconds of a simulated minute: 09:00 for 90s at ×20 ends 09:01:30, 4.5 s later', () => {
    expect(faultTimeline([{ at: '09:00', for: '90s', latencyMs: 50 }], quick)[0]).toMatchObject({ fromSecond: 15, toSecond: 19.5, until: '09:01:30', set: { latencyRoute: '', latencyMethod: '' } });
  });

  it('refuses a fault outside the replayed window, two of one kind at once, and a fault of no length, naming it', () => {
    expect(() => faultTimeline([{ at: '10:00', latencyMs: 5 }], quick)).toThrow(/faults\[0\]\.at: expected a time inside the replayed window 08:55–09:15, got "?10:00/);
    expect(() => faultTimeline([{ at: '09:00', for: '5m', latencyMs: 5 }, { at: '09:03', for: '1m', latencyMs: 9 }], quick)).toThrow(/faults\[1\]: expected a latency fault that does not overlap faults\[0\]/);
    expect(faultTimeline([{ at: '09:00', for: '5m', latencyMs: 5 }, { at: '09:03', for: '1m', errorRate: 0.1 }], quick)).toHaveLength(2);
    expect(() => faultTimeline([{ at: '09:00', for: '0s', latencyMs: 5 }], quick)).toThrow(/faults\[0\]\.for/);
  });

  it('reads faults from a profile, one kind each, a route only with a latency', () => {
    expect(parseProfileInput({ faults: [{ at: '09:05', for: '5m', latencyMs: 300, route: 'POST /api/v1/orders' }] }).faults).toHaveLength(1);
    expect(() => parseProfileInput({ faults: [{ at: '09:05', latencyMs: 300, errorRate: 0.1 }] })).toThrow(/faults\.0: expected exactly one of latencyMs, errorRate, dbStallMs, crash/);
    expect(() => parseProfileInput({ faults: [{ at: '09:05', crash: true }] })).toThrow(/how long the portal stays down/);
    expect(faultTimeline([{ at: '09:05', for: '1m', crash: true }], quick)[0]).toMatchObject({ kind: 'crash', fromSecond: 30, toSecond: 33, set: { crash: true }, clear: 'restart' });
    expect(() => parseProfileInput({ faults: [{ at: '09:05', errorRate: 0.1, route: '/api/v1/orders' }] })).toThrow(/route only with latencyMs/);
    expect(() => parseProfileInput({ faults: [{ at: '9 am', latencyMs: 3 }] })).toThrow(/faults\.0\.at: expected a time of day HH:MM/);
    expect(() => parseProfileInput({ faults: [{ at: '09:05', latencyMs: 3, route: 'orders' }] })).toThrow(/faults\.0\.route/);
  });

  it('is part of the launch-day plan: the quick day gets its faults in real seconds', () => {
    const plan = launchDayPlan({ quick: true, profile: { faults: [{ at: '09:05', for: '5m', latencyMs: 300, route: 'POST /api/v1/orders' }] } });
    expect(plan.faults).toHaveLength(1);
    expect(plan.faults[0].fromSecond).toBeCloseTo(((9 * 60 + 5 - (8 * 60 + 55)) * 60) / plan.timeScale, 6);
    expect(launchDayPlan({ quick: true }).faults).toEqual([]);
  });
});
