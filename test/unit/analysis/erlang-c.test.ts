import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erlangB, erlangC, probWaitExceeds } from '../../../src/analysis/erlang-c.js';
import { sizeServers } from '../../../src/analysis/sizing.js';
import { concurrencyFromLittle, responseTimeFromLittle } from '../../../src/analysis/littles-law.js';

/** Independent Erlang C: the textbook sum aᵏ/k! computed in log space (a different algorithm). */
function erlangCDirect(c: number, a: number): number {
  const logs: number[] = [];
  let logFact = 0;
  for (let k = 0; k <= c; k++) { if (k > 1) logFact += Math.log(k); logs.push(k * Math.log(a) - logFact); }
  const top = logs.pop()! - Math.log(1 - a / c);
  const m = Math.max(top, ...logs);
  const sum = logs.reduce((s, l) => s + Math.exp(l - m), 0);
  return Math.exp(top - m) / (sum + Math.exp(top - m));
}

describe('Erlang C', () => {
  it('gives exactly 1/3 for two servers at one Erlang (hand computation)', () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 14);
  });

  it('gives Erlang B of 1 server as a/(1+a)', () => {
    expect(erlangB(1, 3)).toBeCloseTo(3 / 4, 14);
  });

  it('agrees with the direct factorial formula for any stable queue', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 150 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (c, rho) => {
      const a = c * rho;
      expect(erlangC(c, a)).toBeCloseTo(erlangCDirect(c, a), 10);
    }));
  });

  it('stays finite and in [0, 1] for 20,000 servers', () => {
    const p = erlangC(20_000, 19_800);
    expect(Number.isFinite(p)).toBe(true);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    expect(p).toBeCloseTo(erlangCDirect(20_000, 19_800), 8);
  });

  it('says every arrival waits when the queue is unstable', () => {
    expect(erlangC(3, 3)).toBe(1);
    expect(probWaitExceeds(3, 400, 100, 10)).toBe(1);
  });
});

describe('sizing (M/M/c)', () => {
  it('picks the smallest server count meeting the wait target, and one fewer does not', () => {
    fc.assert(fc.property(
      fc.double({ min: 1, max: 5000, noNaN: true }), fc.double({ min: 1, max: 500, noNaN: true }),
      fc.double({ min: 0, max: 2000, noNaN: true }), fc.double({ min: 0.5, max: 0.999, noNaN: true }),
      (rate, serviceMs, maxWaitMs, quantile) => {
        const s = sizeServers({ rate, serviceMs, maxWaitMs, quantile });
        const mu = 1000 / serviceMs;
        expect(s.pExceed).toBeLessThanOrEqual(1 - quantile + 1e-12);
        expect(s.pExceed).toBeCloseTo(probWaitExceeds(s.servers, rate, mu, maxWaitMs / 1000), 10);
        expect(probWaitExceeds(s.servers - 1, rate, mu, maxWaitMs / 1000)).toBeGreaterThan(1 - quantile);
        expect(s.utilization).toBeLessThan(1);
      },
    ));
  });

  it('computes the example by hand: 100 req/s, 50 ms each, no wait allowed for 90% → 9 servers', () => {
    // a = 5 Erlangs; C(8, 5) ≈ 0.1673 > 0.1 and C(9, 5) ≈ 0.0805 ≤ 0.1 (direct formula).
    const s = sizeServers({ rate: 100, serviceMs: 50, maxWaitMs: 0, quantile: 0.9 });
    expect(erlangCDirect(8, 5)).toBeGreaterThan(0.1);
    expect(s.servers).toBe(9);
    expect(s.pWait).toBeCloseTo(erlangCDirect(9, 5), 12);
    expect(s.utilization).toBeCloseTo(5 / 9, 12);
  });

  it('applies headroom after the queueing answer and reports it apart', () => {
    const s = sizeServers({ rate: 100, serviceMs: 50, maxWaitMs: 0, quantile: 0.9, headroom: 0.33 });
    expect(s.servers).toBe(9);
    expect(s.serversWithHeadroom).toBe(12);
    expect(s.utilizationWithHeadroom).toBeCloseTo(5 / 12, 12);
  });

  it('sizes a large fleet without overflow', () => {
    const s = sizeServers({ rate: 50_000, serviceMs: 200, maxWaitMs: 100, quantile: 0.99 });
    expect(s.servers).toBeGreaterThan(10_000);
    expect(s.utilization).toBeLessThan(1);
  });

  it('refuses bad input naming the value', () => {
    expect(() => sizeServers({ rate: -1, serviceMs: 50, maxWaitMs: 0, quantile: 0.9 })).toThrow(/invalid rate: expected a number > 0, got -1/);
    expect(() => sizeServers({ rate: 1, serviceMs: 50, maxWaitMs: 0, quantile: 1 })).toThrow(/invalid quantile/);
    expect(() => sizeServers({ rate: 1, serviceMs: 50, maxWaitMs: -5, quantile: 0.9 })).toThrow(/invalid max wait/);
    expect(() => sizeServers({ rate: 1, serviceMs: 50, maxWaitMs: 5, quantile: 0.9, headroom: -0.1 })).toThrow(/invalid headroom/);
  });
});

describe("Little's law", () => {
  it('N = X·R and back', () => {
    expect(concurrencyFromLittle(200, 150)).toBeCloseTo(30, 12);
    expect(responseTimeFromLittle(30, 200)).toBeCloseTo(150, 12);
  });
});
