import { describe, expect, it } from 'vitest';
import { groupSteps, maxSustainable, type LoadPoint } from '../../../src/analysis/sustainable.js';

const slo = { p95Ms: 800, errorRate: 0.01 };
const win = (t: number, offeredRps: number, over: Partial<LoadPoint> = {}): LoadPoint => ({
  t, offeredRps, throughputRps: offeredRps, p95Ms: 100, meanLatencyMs: 50, errorRate: 0, saturated: false, ...over,
});
/** A step of `n` 1-second windows starting at t0. */
const step = (t0: number, rate: number, n: number, over: (i: number) => Partial<LoadPoint> = () => ({})) =>
  Array.from({ length: n }, (_, i) => win(t0 + i, rate, over(i)));

describe('max sustainable throughput', () => {
  it('is the achieved rate of the highest step that held its SLO with ≥ 95% achieved', () => {
    const pts = [
      ...step(0, 100, 5), ...step(5, 200, 5), ...step(10, 300, 5, () => ({ throughputRps: 290 })),
      ...step(15, 400, 5, () => ({ throughputRps: 330 })),
    ];
    const r = maxSustainable(groupSteps(pts, slo));
    expect(r.maxSustainableRps).toBe(290);
    expect(r.step!.offeredRps).toBe(300);
  });

  it('is a limit only when a higher step failed; otherwise a lower bound, said so', () => {
    const failedAbove = maxSustainable(groupSteps([...step(0, 100, 5), ...step(5, 200, 5, () => ({ p95Ms: 900 }))], slo));
    expect(failedAbove).toMatchObject({ maxSustainableRps: 100, limitReached: true });
    const allHeld = maxSustainable(groupSteps([...step(0, 100, 5), ...step(5, 200, 5)], slo));
    expect(allHeld).toMatchObject({ maxSustainableRps: 200, limitReached: false });
    expect(allHeld.notes.join(' ')).toMatch(/limit was not reached.*at least 200 rps/);
  });

  it('fails a step when the SLO breaks in a single second of it', () => {
    const pts = [...step(0, 100, 5), ...step(5, 200, 5, (i) => ({ p95Ms: i === 3 ? 900 : 100 }))];
    const steps = groupSteps(pts, slo);
    expect(steps[1].sustained).toBe(false);
    expect(steps[1].reasons[0]).toMatch(/p95 900 ms > SLO 800 ms/);
    expect(maxSustainable(steps).maxSustainableRps).toBe(100);
  });

  it('fails a step on errors above the SLO', () => {
    const steps = groupSteps([...step(0, 100, 3), ...step(3, 200, 3, () => ({ errorRate: 0.05 }))], slo);
    expect(maxSustainable(steps).maxSustainableRps).toBe(100);
  });

  it('never reports a generator-saturated step as the limit, and says the system may sustain more', () => {
    const pts = [...step(0, 100, 3), ...step(3, 200, 3), ...step(6, 300, 3, () => ({ saturated: true, throughputRps: 150 }))];
    const r = maxSustainable(groupSteps(pts, slo));
    expect(r.maxSustainableRps).toBe(200);
    expect(r.notes.join(' ')).toMatch(/generator saturated at 300 rps.*may sustain more/);
  });

  it('judges a partly saturated step on its other seconds and flags it', () => {
    const pts = [...step(0, 100, 3), ...step(3, 200, 4, (i) => (i === 0 ? { saturated: true, throughputRps: 10, p95Ms: 5000 } : {}))];
    const steps = groupSteps(pts, slo);
    expect(steps[1]).toMatchObject({ sustained: true, saturatedWindows: 1, throughputRps: 200 });
    const r = maxSustainable(steps);
    expect(r.maxSustainableRps).toBe(200);
    expect(r.notes.join(' ')).toMatch(/1 step\(s\) had generator-saturated seconds/);
  });

  it('is null, with a note, when no step held', () => {
    const r = maxSustainable(groupSteps(step(0, 100, 3, () => ({ throughputRps: 50 })), slo));
    expect(r.maxSustainableRps).toBeNull();
    expect(r.notes.join(' ')).toMatch(/no load step met the SLO/);
  });

  it('refuses an error rate outside [0, 1], naming the point', () => {
    expect(() => groupSteps([win(0, 1), win(1, 1, { errorRate: 2 })], slo)).toThrow(/invalid errorRate of point 2: expected a number between 0 and 1, got 2/);
  });
});
