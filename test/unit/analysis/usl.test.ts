import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitUsl, uslThroughput, peakConcurrency } from '../../../src/analysis/usl.js';
import { UsageError } from '../../../src/contracts/errors.js';

/**
 * Cisco router benchmark from Baron Schwartz, "Practical Scalability Analysis with the Universal
 * Scalability Law" (VividCortex, 2015), whose published fit is σ = 0.02671591, κ = 7.690945e-4,
 * λ = 995.6486, N_max ≈ 35, X_max ≈ 12341 (the same values pinned by codahale/usl4j's ModelTest).
 */
const CISCO: [number, number][] = [
  [1, 955.16], [2, 1878.91], [3, 2688.01], [4, 3548.68], [5, 4315.54], [6, 5130.43], [7, 5931.37], [8, 6531.08],
  [9, 7219.8], [10, 7867.61], [11, 8278.71], [12, 8646.7], [13, 9047.84], [14, 9426.55], [15, 9645.37],
  [16, 9897.24], [17, 10097.6], [18, 10240.5], [19, 10532.39], [20, 10798.52], [21, 11151.43], [22, 11518.63],
  [23, 11806], [24, 12089.37], [25, 12075.41], [26, 12177.29], [27, 12211.41], [28, 12158.93], [29, 12155.27],
  [30, 12118.04], [31, 12140.4], [32, 12074.39],
];

/** Gunther's noise-free teaching example (the R usl package's tests/coef.R): σ = κ = 0.02, λ = 1. */
const GUNTHER = [[1, 1], [2, 1.8868], [4, 3.0769], [6, 3.5294], [8, 3.5398], [10, 3.3557]];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Deterministic noise (a small LCG) so the test is reproducible without Math.random. */
function noise(seed: number) {
  let s = seed >>> 0;
  return () => { s = (1664525 * s + 1013904223) >>> 0; return s / 2 ** 32 - 0.5; };
}

describe('USL fit', () => {
  it('reproduces the published coefficients of the Cisco benchmark (Schwartz 2015)', () => {
    const fit = fitUsl(CISCO.map(([n, x]) => ({ n, x })));
    expect(rel(fit.sigma, 0.02671591)).toBeLessThan(2e-4);
    expect(rel(fit.kappa, 7.690945e-4)).toBeLessThan(2e-4);
    expect(rel(fit.lambda, 995.6486)).toBeLessThan(2e-4);
    expect(Math.floor(fit.nMax!)).toBe(35);
    expect(rel(fit.xMax!, 12341)).toBeLessThan(2e-4);
    expect(fit.r2).toBeGreaterThan(0.99);
  });

  it("recovers Gunther's textbook example σ = κ = 0.02, λ = 1", () => {
    const fit = fitUsl(GUNTHER.map(([n, x]) => ({ n, x })));
    expect(fit.sigma).toBeCloseTo(0.02, 3);
    expect(fit.kappa).toBeCloseTo(0.02, 3);
    expect(fit.lambda).toBeCloseTo(1, 3);
    expect(fit.nMax).toBeCloseTo(Math.sqrt(0.98 / 0.02), 1);
  });

  it('recovers σ, κ, λ from synthetic data with 1% noise within their confidence intervals', () => {
    const truth = { sigma: 0.05, kappa: 0.002, lambda: 120 };
    const rnd = noise(42);
    const pts = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64].map((n) => ({ n, x: uslThroughput(n, truth) * (1 + 0.02 * rnd()) }));
    const fit = fitUsl(pts);
    expect(rel(fit.sigma, truth.sigma)).toBeLessThan(0.15);
    expect(rel(fit.kappa, truth.kappa)).toBeLessThan(0.15);
    expect(rel(fit.lambda, truth.lambda)).toBeLessThan(0.03);
    for (const k of ['sigma', 'kappa', 'lambda'] as const) {
      expect(Math.abs(fit[k] - truth[k])).toBeLessThan(4 * fit.stdErrors![k]);
    }
    expect(fit.band!.points.length).toBeGreaterThan(10);
    for (const p of fit.band!.points) expect(p.lower).toBeLessThanOrEqual(p.x), expect(p.upper).toBeGreaterThanOrEqual(p.x);
  });

  it('recovers the true coefficients from noise-free data for any σ, κ, λ', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.001, max: 0.3, noNaN: true }), fc.double({ min: 1e-5, max: 0.01, noNaN: true }),
      fc.double({ min: 1, max: 5000, noNaN: true }),
      (sigma, kappa, lambda) => {
        const truth = { sigma, kappa, lambda };
        const fit = fitUsl([1, 2, 4, 8, 16, 32, 64, 100].map((n) => ({ n, x: uslThroughput(n, truth) })));
        expect(rel(fit.lambda, lambda)).toBeLessThan(1e-3);
        // Fitted curve matches the truth everywhere measured (parameters may trade off when one is tiny).
        for (const n of [1, 8, 64, 100]) expect(rel(uslThroughput(n, fit), uslThroughput(n, truth))).toBeLessThan(1e-3);
        expect(fit.sigma).toBeGreaterThanOrEqual(0);
        expect(fit.kappa).toBeGreaterThanOrEqual(0);
      },
    ), { numRuns: 60 });
  });

  it('keeps σ and κ non-negative on superlinear data', () => {
    const fit = fitUsl([1, 2, 3, 4, 5, 6].map((n) => ({ n, x: 10 * n ** 1.1 })));
    expect(fit.sigma).toBeGreaterThanOrEqual(0);
    expect(fit.kappa).toBeGreaterThanOrEqual(0);
  });

  it('reports no peak when κ is 0, and the Amdahl asymptote λ/σ as xMax', () => {
    const truth = { sigma: 0.1, kappa: 0, lambda: 50 };
    const fit = fitUsl([1, 2, 4, 8, 16, 32].map((n) => ({ n, x: uslThroughput(n, truth) })));
    expect(fit.kappa).toBe(0);
    expect(fit.nMax).toBeNull();
    expect(fit.xMax!).toBeCloseTo(500, 6);
    expect(peakConcurrency({ sigma: 0.1, kappa: 0, lambda: 1 })).toBeNull();
  });

  it('refuses fewer than 6 distinct concurrency levels, naming the count', () => {
    expect(() => fitUsl([1, 2, 3, 4, 5].map((n) => ({ n, x: n })))).toThrow(UsageError);
    expect(() => fitUsl([1, 2, 3, 4, 5, 5].map((n) => ({ n, x: n })))).toThrow(/at least 6 points with distinct concurrency, got "5"/);
  });

  it('refuses non-positive concurrency and non-finite throughput', () => {
    const ok = [1, 2, 3, 4, 5, 6].map((n) => ({ n, x: n }));
    expect(() => fitUsl([...ok, { n: 0, x: 1 }])).toThrow(/invalid concurrency of point 7: expected a number > 0, got 0/);
    expect(() => fitUsl([...ok, { n: 7, x: Number.NaN }])).toThrow(/invalid throughput of point 7/);
  });
});
