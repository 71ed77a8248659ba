import { describe, expect, it } from 'vitest';
import { recordSecond } from '../../helpers/window-streams.js';
import { DashboardState } from '../../../src/live/dashboard/state.js';

const START = 1_700_000_000_000;
const tags = (name: string, status: string) => ({ name, method: 'GET', status, scenario: 's' });

const second = (t: number, record: Parameters<typeof recordSecond>[2]) => recordSecond(START, t, record);

describe('DashboardState: a second of the live page', () => {
  it('adds up arrivals, requests, errors by the report\'s kinds and percentiles per endpoint', () => {
    const s = new DashboardState();
    expect(s.addWindows(second(0, (r, at) => {
      r.add('planned_iterations', 'counter', { scenario: 's' }, 10, at);
      r.add('dropped_iterations', 'counter', { scenario: 's' }, 2, at);
      for (let v = 1; v <= 100; v++) r.add('http_req_duration', 'trend', tags('A', '200'), v, at);
      r.add('http_req_duration', 'trend', tags('B', '503'), 1000, at);
      r.add('http_reqs', 'counter', tags('A', '200'), 100, at);
      r.add('http_reqs', 'counter', tags('B', '503'), 1, at);
      r.add('http_req_failed', 'rate', tags('A', '200'), 0, at);
      r.add('http_req_failed', 'rate', tags('B', '503'), 1, at);
    }))).toBeNull();
    const p = s.closeSecond(0, false);
    expect(p).toMatchObject({ t: 0, planned: 10, started: 8, dropped: 2, requests: 101, errors: { 503: 1 }, saturated: false });
    // HDR's highest equivalent value: within 0.1% (3 significant digits)
    expect(p.endpoints.A.count).toBe(100);
    for (const [q, v] of [['p50', 50], ['p95', 95], ['p99', 99]] as const) expect(Math.abs(p.endpoints.A[q]! / v - 1), q).toBeLessThan(0.001);
    expect(Math.abs(p.endpoints.B.p50! / 1000 - 1)).toBeLessThan(0.001);
    expect(p.latency.count).toBe(101);
  });

  it('a late window updates the second already shown, so the page ends equal to the run directory', () => {
    const s = new DashboardState();
    s.addWindows(second(0, (r, at) => r.add('http_reqs', 'counter', tags('A', '200'), 3, at)));
    s.closeSecond(0, true);
    const updated = s.addWindows(second(0, (r, at) => r.add('http_reqs', 'counter', tags('A', '200'), 2, at)));
    expect(updated).toMatchObject({ t: 0, requests: 5, saturated: true });
  });

  it('thresholds on the run so far: pending without samples, then the second they first failed', () => {
    const s = new DashboardState();
    s.setThresholds({ http_req_failed: ['rate<0.5'], http_req_duration: ['p(95)<100'] });
    s.addWindows(second(0, (r, at) => r.add('http_req_failed', 'rate', tags('A', '200'), 0, at)));
    expect(s.closeSecond(0, false).thresholds).toEqual([
      { name: 'http_req_failed', threshold: 'rate<0.5', value: 0, pass: true, firstFailedAt: null },
      { name: 'http_req_duration', threshold: 'p(95)<100', value: null, pass: null, firstFailedAt: null },
    ]);
    s.addWindows(second(1, (r, at) => { r.add('http_req_failed', 'rate', tags('A', '503'), 1, at); r.add('http_req_failed', 'rate', tags('A', '503'), 1, at); }));
    s.closeSecond(1, false);
    s.addWindows(second(2, (r, at) => r.add('http_req_failed', 'rate', tags('A', '503'), 1, at)));
    expect(s.closeSecond(2, false).thresholds[0]).toMatchObject({ pass: false, firstFailedAt: 1 });
  });
});
