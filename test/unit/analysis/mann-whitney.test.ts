import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erfc, hodgesLehmann, holmAdjust, mannWhitney, normalUpperTail } from '../../../src/analysis/mann-whitney.js';
import { mulberry32 } from '../../../src/data/mulberry32.js';

const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 40 });
/** a sample of distinct values, so that ties cannot hide a shift */
const distinct = fc.uniqueArray(fc.integer({ min: -10_000, max: 10_000 }), { minLength: 2, maxLength: 40 });

/** A standard normal draw from the seeded generator (Box–Muller). */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

describe('Mann–Whitney U', () => {
  it('splits every pair between the two samples: U(x, y) + U(y, x) = n1·n2', () => {
    fc.assert(fc.property(sample, sample, (x, y) => {
      expect(mannWhitney(x, y).u + mannWhitney(y, x).u).toBeCloseTo(x.length * y.length, 6);
    }));
  });

  it('gives the same one-sided p-value whichever sample is named first', () => {
    fc.assert(fc.property(sample, sample, (x, y) => {
      expect(mannWhitney(x, y).pGreater).toBeCloseTo(mannWhitney(y, x).pLess, 12);
    }));
  });

  it('reads ranks only: a strictly increasing transform of both samples changes nothing', () => {
    const ints = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 40 });
    fc.assert(fc.property(ints, ints, (x, y) => {
      // exact in doubles for these integers: no two values may merge by rounding
      const f = (v: number) => v ** 3 + 5 * v;
      const a = mannWhitney(x, y), b = mannWhitney(x.map(f), y.map(f));
      expect(b.u).toBeCloseTo(a.u, 9);
      expect(b.pGreater).toBeCloseTo(a.pGreater, 9);
    }));
  });

  it('finds a sample moved wholly above the other, and not the other way round', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 12, maxLength: 40 }), (y) => {
      const x = y.map((v) => v + 5000);
      const r = mannWhitney(x, y);
      expect(r.pGreater).toBeLessThan(0.001);
      expect(r.pLess).toBeGreaterThan(0.99);
    }));
  });

  it('raises a false alarm at about its nominal rate when both samples come from one distribution', () => {
    const rand = mulberry32(20261203);
    let alarms = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const x = Array.from({ length: 30 }, () => Math.exp(normal(rand)));
      const y = Array.from({ length: 30 }, () => Math.exp(normal(rand)));
      if (mannWhitney(x, y).pGreater < 0.05) alarms++;
    }
    // binomial(2000, 0.05): sd ≈ 9.7 alarms; 4 sd either side
    expect(alarms).toBeGreaterThan(100 - 40);
    expect(alarms).toBeLessThan(100 + 40);
  });

  it('says nothing (p = 1) when every value ties', () => {
    const r = mannWhitney([3, 3, 3], [3, 3]);
    expect(r).toMatchObject({ z: 0, pGreater: 1, pLess: 1 });
  });

  it('refuses an empty sample', () => {
    expect(() => mannWhitney([], [1])).toThrow(/two non-empty samples/);
  });
});

describe('normal tail', () => {
  it('matches known values of erfc and of the normal upper tail', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 7);
    expect(normalUpperTail(1.959963985)).toBeCloseTo(0.025, 7);
    // far in the tail the error is relative: Φ̄(6) = 9.8659e-10
    expect(normalUpperTail(6) / 9.865876450377e-10).toBeCloseTo(1, 5);
  });
});

describe('Hodges–Lehmann shift', () => {
  it('moves with a sample: x + c against y is the shift of x against y, plus c', () => {
    fc.assert(fc.property(distinct, distinct, fc.integer({ min: -500, max: 500 }), (x, y, c) => {
      const a = hodgesLehmann(x, y), b = hodgesLehmann(x.map((v) => v + c), y);
      expect(b.estimate).toBeCloseTo(a.estimate + c, 6);
      expect(b.low).toBeCloseTo(a.low + c, 6);
      expect(b.high).toBeCloseTo(a.high + c, 6);
    }));
  });

  it('holds its estimate inside its interval', () => {
    fc.assert(fc.property(sample, sample, (x, y) => {
      const s = hodgesLehmann(x, y);
      expect(s.low).toBeLessThanOrEqual(s.estimate);
      expect(s.estimate).toBeLessThanOrEqual(s.high);
    }));
  });

  it('covers the true shift about 95% of the time', () => {
    const rand = mulberry32(7);
    let covered = 0;
    const trials = 400;
    for (let i = 0; i < trials; i++) {
      const x = Array.from({ length: 25 }, () => normal(rand) + 0.7);
      const y = Array.from({ length: 25 }, () => normal(rand));
      const s = hodgesLehmann(x, y);
      if (s.low <= 0.7 && 0.7 <= s.high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.91);
    expect(covered / trials).toBeLessThan(0.99);
  });
});

describe('Holm adjustment', () => {
  it('never lowers a p-value, never passes 1, and keeps their order', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }), (p) => {
      const adj = holmAdjust(p);
      adj.forEach((a, i) => {
        expect(a).toBeGreaterThanOrEqual(p[i]);
        expect(a).toBeLessThanOrEqual(1);
      });
      for (let i = 0; i < p.length; i++) for (let j = 0; j < p.length; j++) if (p[i] < p[j]) expect(adj[i]).toBeLessThanOrEqual(adj[j]);
    }));
  });

  it('multiplies the smallest by the family size and steps down from there', () => {
    expect(holmAdjust([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
  });
});
