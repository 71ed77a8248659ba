import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seriesShift, windowShifts, type WindowSeries } from '../../../src/analysis/window-shift.js';
import { mulberry32 } from '../../../src/data/mulberry32.js';

/** typical p95s (ms): fast reads 5–11 ms, writes 30–45 ms, one slow write */
const ENDPOINTS: Record<string, number> = {
  'GET /districts': 5, 'GET /orders/{id}': 6, 'GET /shops': 8, 'GET /catalogue': 11,
  'POST /register': 30, 'POST /otp/verify': 35, 'POST /orders': 40, 'POST /otp/send': 45, 'POST /topup': 150,
};

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * A run of `seconds` seconds: each endpoint's p95 of a second is its level × the machine's factor of
 * that second × its own noise; `busy(t)` scales every endpoint of second t, `slow[name]` one endpoint.
 */
function run(seed: number, o: { seconds?: number; busy?: (t: number) => number; slow?: Record<string, number>; bySize?: (level: number) => number } = {}): WindowSeries {
  const rand = mulberry32(seed);
  const seconds = o.seconds ?? 60;
  const machine = Array.from({ length: seconds }, (_, t) => Math.exp(0.3 * normal(rand)) * (o.busy?.(t) ?? 1));
  return Object.fromEntries(Object.entries(ENDPOINTS).map(([name, level]) => [name,
    machine.map((m) => level * m * (o.bySize?.(level) ?? 1) * Math.exp(0.25 * normal(rand)) * (o.slow?.[name] ?? 1))]));
}

describe('window shifts', () => {
  it('reads no shift between two runs of one build on a quiet machine', () => {
    const r = windowShifts(run(1), run(2));
    for (const e of Object.values(r.endpoints)) {
      expect(e.corrected).toBe(true);
      expect(e.ratioLow).toBeLessThan(1.0001);
      expect(e.ratioHigh).toBeGreaterThan(0.9999);
    }
  });

  it('takes a busy machine out: every endpoint ×2.5 in every second is a common shift, not an endpoint’s', () => {
    const r = windowShifts(run(1), run(2, { busy: () => 2.5 }));
    expect(r.commonShift).toBeGreaterThan(2);
    for (const e of Object.values(r.endpoints)) expect(e.test.pGreater).toBeGreaterThan(0.001);
  });

  it('takes a busy spell out too: the seconds where a neighbour ran are slow for every endpoint', () => {
    const r = windowShifts(run(1), run(2, { busy: (t) => (t >= 20 && t < 40 ? 6 : 1) }));
    for (const e of Object.values(r.endpoints)) expect(e.test.pGreater).toBeGreaterThan(0.001);
  });

  it('takes out a machine that slows the fast reads ×2.2 and the slower writes ×1.3 (as measured): each is read against endpoints of its size', () => {
    const bySize = (level: number) => (level < 13 ? 2.2 : 1.3);
    const r = windowShifts(run(1), run(2, { bySize }));
    for (const [n, e] of Object.entries(r.endpoints)) expect([n, e.test.pGreater > 0.001]).toEqual([n, true]);
    expect(Object.keys(r.endpoints)).toHaveLength(9);
    // and a real +40% on a read is still found on that machine
    expect(windowShifts(run(1), run(2, { bySize, slow: { 'GET /shops': 1.4 } })).endpoints['GET /shops'].test.pGreater).toBeLessThan(1e-4);
  });

  it('finds one endpoint made 40% slower, with its ratio, and leaves the others alone', () => {
    const r = windowShifts(run(1), run(2, { busy: () => 2, slow: { 'POST /orders': 1.4 } }));
    const orders = r.endpoints['POST /orders'];
    expect(orders.test.pGreater).toBeLessThan(1e-4);
    expect(orders.ratioLow).toBeLessThan(1.4);
    expect(orders.ratioHigh).toBeGreaterThan(1.4);
    for (const [name, e] of Object.entries(r.endpoints)) if (name !== 'POST /orders') expect(e.ratio).toBeLessThan(1.25);
  });

  it('leaves out endpoints with too few seconds, and compares raw seconds when too few endpoints remain', () => {
    const base = run(1), cur = run(2);
    const sparse = { ...cur, 'GET /shops': cur['GET /shops'].map((v, t) => (t % 10 === 0 ? v : null)) };
    expect(windowShifts(base, sparse).endpoints['GET /shops']).toBeUndefined();
    const two = { 'POST /orders': cur['POST /orders'], 'GET /shops': cur['GET /shops'] };
    const r = windowShifts({ 'POST /orders': base['POST /orders'], 'GET /shops': base['GET /shops'] }, two);
    expect(r.endpoints['POST /orders'].corrected).toBe(false);
  });

  it('is scale-free: the same runs in seconds instead of ms give the same tests', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.5, max: 50, noNaN: true }), (seed, k) => {
      const a = run(seed), b = run(seed + 1, { slow: { 'POST /orders': 1.3 } });
      const scale = (s: WindowSeries) => Object.fromEntries(Object.entries(s).map(([n, v]) => [n, v.map((x) => (x === null ? null : x * k))]));
      const r1 = windowShifts(a, b), r2 = windowShifts(scale(a), scale(b));
      for (const name of Object.keys(r1.endpoints)) {
        expect(r2.endpoints[name].test.pGreater).toBeCloseTo(r1.endpoints[name].test.pGreater, 6);
        expect(r2.endpoints[name].ratio).toBeCloseTo(r1.endpoints[name].ratio, 6);
      }
    }), { numRuns: 20 });
  });

  it('compares one series raw (the run overall), or says there is too little of it', () => {
    const a = run(1)['POST /orders'], b = run(2, { slow: { 'POST /orders': 2 } })['POST /orders'];
    expect(seriesShift(a, b)!.test.pGreater).toBeLessThan(1e-6);
    expect(seriesShift(a.slice(0, 5), b)).toBeNull();
  });
});
