import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyseCapacity, type LoadPoint } from '../../../src/analysis/capacity.js';
import { uslThroughput } from '../../../src/analysis/usl.js';
import { sizeServers } from '../../../src/analysis/sizing.js';

const slo = { p95Ms: 800, errorRate: 0.01 };

/**
 * A synthetic sweep of a system obeying the USL: at offered rate λ_in the system delivers
 * min(λ_in, X(N)) and, by Little's law, holds N = X·R with R rising as it saturates.
 */
function sweep(truth = { sigma: 0.04, kappa: 0.0008, lambda: 40 }) {
  const rates = [50, 100, 150, 200, 250, 300, 350, 400, 450, 500];
  // Latency R(N) = N / X(N) ms·1000 for the N that carries each rate (N found by bisection on X).
  return rates.map((offeredRps, i): LoadPoint => {
    let lo = 0.01, hi = Math.sqrt((1 - truth.sigma) / truth.kappa);
    const xMax = uslThroughput(hi, truth);
    const target = Math.min(offeredRps, xMax * 0.999);
    for (let k = 0; k < 100; k++) { const mid = (lo + hi) / 2; if (uslThroughput(mid, truth) < target) lo = mid; else hi = mid; }
    const n = (lo + hi) / 2;
    const x = uslThroughput(n, truth);
    const r = (n / x) * 1000;
    return { t: i, offeredRps, throughputRps: x, meanLatencyMs: r, p95Ms: r * 2, errorRate: 0, saturated: false };
  });
}

describe('analyseCapacity', () => {
  it('finds the sustainable rate, a knee, a USL fit and sizes the fleet for the peak', () => {
    const pts = sweep();
    const r = analyseCapacity(pts, { slo, peakDemandRps: 2000 });
    const truthPeak = uslThroughput(Math.sqrt(0.96 / 0.0008), { sigma: 0.04, kappa: 0.0008, lambda: 40 });
    expect(r.maxSustainableRps).not.toBeNull();
    expect(r.maxSustainableRps!).toBeLessThanOrEqual(truthPeak);
    expect(r.kneeRps).not.toBeNull();
    expect(r.usl).not.toBeNull();
    expect(r.usl!.sigma).toBeCloseTo(0.04, 2);
    expect(r.usl!.kappa).toBeCloseTo(0.0008, 4);
    const expected = sizeServers({ rate: 2000, serviceMs: 1000 / r.maxSustainableRps!, maxWaitMs: 800, quantile: 0.95, headroom: 0.33 });
    expect(r.instancesForPeak).toBe(expected.serversWithHeadroom);
    expect(r.sizing!.servers).toBe(expected.servers);
  });

  it('gives null, never 0, with a note for each figure it cannot compute', () => {
    const r = analyseCapacity(sweep().slice(0, 2), { slo, peakDemandRps: null });
    expect(r.usl).toBeNull();
    expect(r.kneeRps).toBeNull();
    expect(r.instancesForPeak).toBeNull();
    expect(r.sizing).toBeNull();
    expect(r.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/fewer than 6 distinct load levels.*no USL fit/),
      expect.stringMatching(/fewer than 3 distinct load levels: no knee/),
      'no peak demand given: no instance sizing',
    ]));
  });

  it('ignores generator-saturated windows for every figure', () => {
    const pts = sweep();
    const withGarbage = [...pts, { t: 99, offeredRps: 5000, throughputRps: 10, p95Ms: 9000, meanLatencyMs: 9000, errorRate: 0.5, saturated: true }];
    const a = analyseCapacity(pts, { slo, peakDemandRps: 1000 });
    const b = analyseCapacity(withGarbage, { slo, peakDemandRps: 1000 });
    expect(b.maxSustainableRps).toBe(a.maxSustainableRps);
    expect(b.kneeRps).toBe(a.kneeRps);
    expect(b.usl!.sigma).toBeCloseTo(a.usl!.sigma, 10);
    expect(b.notes.join(' ')).toMatch(/generator saturated at 5000 rps/);
  });

  it('uses a given per-instance capacity over the measured one', () => {
    const r = analyseCapacity(sweep(), { slo, peakDemandRps: 1000, perInstanceRps: 100, headroom: 0 });
    expect(r.sizing!.perInstanceRps).toBe(100);
    expect(r.instancesForPeak).toBe(sizeServers({ rate: 1000, serviceMs: 10, maxWaitMs: 800, quantile: 0.95 }).servers);
  });

  it('never returns NaN or a negative figure on arbitrary windows', () => {
    const point = fc.record({
      offeredRps: fc.integer({ min: 1, max: 1000 }), throughputRps: fc.double({ min: 0, max: 1000, noNaN: true }),
      p95Ms: fc.option(fc.double({ min: 0, max: 5000, noNaN: true })), meanLatencyMs: fc.option(fc.double({ min: 0, max: 5000, noNaN: true })),
      errorRate: fc.double({ min: 0, max: 1, noNaN: true }), saturated: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(point, { maxLength: 30 }), fc.option(fc.integer({ min: 1, max: 10_000 })), (pts, peak) => {
      const r = analyseCapacity(pts as LoadPoint[], { slo, peakDemandRps: peak });
      for (const v of [r.maxSustainableRps, r.kneeRps, r.instancesForPeak]) {
        if (v !== null) { expect(Number.isNaN(v)).toBe(false); expect(v).toBeGreaterThanOrEqual(0); }
      }
    }), { numRuns: 150 });
  });
});

describe('analyseCapacity knees on noisy curves', () => {
  it('finds the latency knee where the worst p95 so far starts to climb, not at a dip at the end', () => {
    const p95 = [40, 42, 45, 48, 60, 400, 900, 300];
    const pts: LoadPoint[] = p95.map((p, i) => ({ t: i, offeredRps: 50 * (i + 1), throughputRps: 50 * (i + 1), p95Ms: p, meanLatencyMs: p / 2, errorRate: 0, saturated: false }));
    const r = analyseCapacity(pts, { slo: { p95Ms: 5000, errorRate: 0.01 }, peakDemandRps: null });
    expect(r.knees.latency!.x).toBe(250);
    expect(r.kneeRps).toBe(250);
  });
});

describe('capacitySummary', () => {
  it('fits the summary.json v1 capacity schema, as plain JSON', async () => {
    const { summarySchema } = await import('../../../src/contracts/summary.js');
    const { capacitySummary } = await import('../../../src/analysis/capacity.js');
    const c = capacitySummary(analyseCapacity(sweep(), { slo, peakDemandRps: 2000 }));
    const json = JSON.parse(JSON.stringify(c));
    expect(summarySchema.shape.capacity.parse(json)).toMatchObject({ maxSustainableRps: c.maxSustainableRps, instancesForPeak: c.instancesForPeak });
    expect(Object.keys(json).slice(0, 5)).toEqual(['maxSustainableRps', 'kneeRps', 'usl', 'peakDemandRps', 'instancesForPeak']);
  });
});
