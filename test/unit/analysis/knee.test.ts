import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findKnee } from '../../../src/analysis/knee.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Kneedle', () => {
  it('finds the knee of a throughput curve that saturates at x = 5', () => {
    const xs = range(11);
    expect(findKnee(xs, xs.map((x) => Math.min(x, 5) * 100), 'concave')!.x).toBe(5);
  });

  it('finds the knee of a latency curve that is flat until x = 6 and then climbs', () => {
    const xs = range(11).map((i) => 100 * (i + 1));
    const ys = xs.map((x) => (x <= 700 ? 20 : 20 + (x - 700) * 2));
    expect(findKnee(xs, ys, 'convex')!.x).toBe(700);
  });

  it("finds the knee of y = 1 − e^(−x) where Kneedle's maximum-curvature argument puts it (ln of the range)", () => {
    // On [0, L], yₙ − xₙ is maximal where dyₙ/dxₙ = 1, i.e. e^(−x) = (1 − e^(−L)) / L:
    // x = ln(L / (1 − e^(−L))) ≈ 2.3026 for L = 10.
    const xs = range(1001).map((i) => i / 100);
    const k = findKnee(xs, xs.map((x) => 1 - Math.exp(-x)), 'concave')!;
    expect(k.x).toBeCloseTo(Math.log(10 / (1 - Math.exp(-10))), 1);
  });

  it('keeps the knee of a retrograde throughput curve at its saturation point', () => {
    const xs = range(12);
    const ys = xs.map((x) => (x <= 6 ? x * 10 : 60 - (x - 6) * 3));
    expect(findKnee(xs, ys, 'concave')!.x).toBe(6);
  });

  it('finds no knee on a straight line, for any slope and offset', () => {
    fc.assert(fc.property(fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.double({ min: -1000, max: 1000, noNaN: true }), (slope, b) => {
      const xs = range(20);
      expect(findKnee(xs, xs.map((x) => slope * x + b), 'concave')).toBeNull();
      expect(findKnee(xs, xs.map((x) => slope * x + b), 'convex')).toBeNull();
    }));
  });

  it('is invariant to the order of the points and to scaling both axes', () => {
    fc.assert(fc.property(fc.double({ min: 0.001, max: 1e6, noNaN: true }), fc.double({ min: 0.001, max: 1e6, noNaN: true }), (sx, sy) => {
      const xs = range(11);
      const ys = xs.map((x) => Math.min(x, 4));
      const k = findKnee([...xs].reverse().map((x) => x * sx), [...ys].reverse().map((y) => y * sy), 'concave')!;
      expect(k.x / sx).toBeCloseTo(4, 9);
    }));
  });

  it('returns null for fewer than 3 points and refuses duplicated x', () => {
    expect(findKnee([1, 2], [1, 2], 'concave')).toBeNull();
    expect(() => findKnee([1, 1, 2], [1, 2, 3], 'concave')).toThrow(/invalid knee curve: expected distinct x values/);
    expect(() => findKnee([1, 2, 3], [1, Number.NaN, 3], 'concave')).toThrow(/invalid knee y\[1\]/);
  });
});

describe('Kneedle on noisy ends', () => {
  it('never puts the knee on the first or last point', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 3, maxLength: 20 }), (ys) => {
      const xs = ys.map((_, i) => i);
      for (const shape of ['concave', 'convex'] as const) {
        const k = findKnee(xs, ys, shape);
        if (k) { expect(k.index).toBeGreaterThan(0); expect(k.index).toBeLessThan(ys.length - 1); }
      }
    }));
  });
});
