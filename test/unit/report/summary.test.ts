import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../../src/assess/index.js';
import { summarySchema } from '../../../src/contracts/summary.js';
import { WindowRecorder, type EncodedWindow } from '../../../src/metrics/index.js';
import { makeRun } from '../../helpers/report-fixture.js';

const START = 1_767_000_000_000;

/** Exact nearest-rank percentile of raw samples, to compare with the HDR windows (3 significant digits). */
function rawPercentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}

describe('buildSummary', () => {
  it('produces a summary that satisfies the schemaVersion 1 contract', () => {
    const f = makeRun({ seconds: 30 });
    const s = buildSummary({ ...f, generatedAt: '2026-01-01T00:00:00Z' });
    expect(summarySchema.safeParse(s).success).toBe(true);
    expect(s.schemaVersion).toBe(1);
    expect(s.generatedAt).toBe('2026-01-01T00:00:00Z');
    expect(Object.keys(s.endpoints).sort()).toEqual(['GET /api/v1/shops', 'POST /api/v1/orders', 'POST /api/v1/otp/verify', 'POST /api/v1/register']);
    expect(s.timeline).toHaveLength(30);
  });

  it('computes percentiles from merged histograms, equal to the raw samples within HDR precision', () => {
    const r = new WindowRecorder(START);
    const samples: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = 5 + ((i * 7919) % 1000) * (i % 10 === 0 ? 3 : 0.5);
      samples.push(v);
      const tags = { name: 'GET /x', status: '200' };
      r.add('http_reqs', 'counter', tags, 1, START + (i % 10) * 1000);
      r.add('http_req_duration', 'trend', tags, v, START + (i % 10) * 1000);
      r.add('http_req_failed', 'rate', tags, 0, START + (i % 10) * 1000);
    }
    const f = makeRun({ seconds: 10, withServer: false });
    const s = buildSummary({ runInfo: f.runInfo, windows: r.drain() });
    for (const [key, p] of [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99]] as const) {
      const exact = rawPercentile(samples, p);
      expect(Math.abs(s.overall.latencyMs[key]! - exact) / exact).toBeLessThan(0.002);
    }
    expect(s.overall.latencyMs.max).toBe(Math.max(...samples));
    expect(s.overall.requests).toBe(2000);
    expect(s.overall.rps).toBe(200);
    expect(s.overall.errorRate).toBe(0);
  });

  it('writes each second\'s own p95 and p99 per endpoint (latencyWindows), exact to the raw samples of that second', () => {
    const r = new WindowRecorder(START);
    const bySecond: number[][] = Array.from({ length: 5 }, () => []);
    for (let i = 0; i < 500; i++) {
      const t = i % 5;
      const v = (t + 1) * 10 + ((i * 7919) % 97) / 10;
      bySecond[t].push(v);
      const tags = { name: 'GET /x', status: '200' };
      r.add('http_reqs', 'counter', tags, 1, START + t * 1000);
      r.add('http_req_duration', 'trend', tags, v, START + t * 1000);
    }
    const f = makeRun({ seconds: 5, withServer: false });
    const w = buildSummary({ runInfo: f.runInfo, windows: r.drain() }).latencyWindows!;
    expect(w.seconds).toBe(1);
    const x = w.endpoints['GET /x'];
    expect(x.requests).toEqual([100, 100, 100, 100, 100]);
    bySecond.forEach((xs, t) => {
      expect(Math.abs(x.p95Ms[t]! - rawPercentile(xs, 95)) / rawPercentile(xs, 95)).toBeLessThan(0.002);
      expect(Math.abs(x.p99Ms[t]! - rawPercentile(xs, 99)) / rawPercentile(xs, 99)).toBeLessThan(0.002);
    });
    expect(w.overall.p95Ms).toEqual(x.p95Ms);
  });

  it('counts registrations as 2xx answers of POST /api/v1/register only', () => {
    const f = makeRun({ seconds: 40, peakRate: 50, capacity: 20 });
    const s = buildSummary(f);
    let expected = 0;
    for (const w of f.windows) if (w.metric === 'http_reqs' && w.tags.name === 'POST /api/v1/register' && w.tags.status === '201') expected += w.sum;
    expect(s.business.registrations).toBe(expected);
    expect(s.business.registrations).toBeLessThan(s.endpoints['POST /api/v1/register'].requests);
  });

  it('shows the latency of expected responses (k6 expected_response:true) and keeps the failed requests\' apart', () => {
    const r = new WindowRecorder(START);
    const ok = { name: 'GET /x', status: '200', expected_response: 'true' };
    const refused = { name: 'GET /x', status: '0', error_code: '1212', expected_response: 'false' };
    const shed = { name: 'GET /y', status: '503', expected_response: 'false' };
    for (let i = 0; i < 100; i++) {
      r.add('http_reqs', 'counter', ok, 1, START);
      r.add('http_req_duration', 'trend', ok, 200 + i, START);
      r.add('http_req_failed', 'rate', ok, 0, START);
    }
    // as many failures as answers, all of them fast: with them, p50 would be well under 200 ms
    for (let i = 0; i < 100; i++) {
      r.add('http_reqs', 'counter', refused, 1, START);
      r.add('http_req_duration', 'trend', refused, 0.5, START);
      r.add('http_req_failed', 'rate', refused, 1, START);
    }
    r.add('http_reqs', 'counter', shed, 1, START);
    r.add('http_req_duration', 'trend', shed, 1, START);
    r.add('http_req_failed', 'rate', shed, 1, START);
    const f = makeRun({ seconds: 1, withServer: false });
    const s = buildSummary({ runInfo: { ...f.runInfo, extra: {} }, windows: r.drain() });
    expect(s.overall.latencyOf).toBe('expected_response:true');
    expect(s.overall.latencyMs.p50).toBeCloseTo(249, 0);
    expect(s.overall.latencyMs.max).toBeCloseTo(299, 0);
    expect(s.overall.unexpectedLatencyMs).toMatchObject({ p50: 0.5, max: 1 });
    expect(s.overall.errorRate).toBeCloseTo(101 / 201, 9);
    // an endpoint with no expected response has no latency to show (null, never 0), its failures apart
    expect(s.endpoints['GET /y'].latencyMs).toMatchObject({ p50: null, p95: null, max: null });
    expect(s.endpoints['GET /y'].unexpectedLatencyMs!.max).toBe(1);
  });

  it('shows the latency of every request when the data carries no expected_response tag, and says so', () => {
    const r = new WindowRecorder(START);
    r.add('http_reqs', 'counter', { name: 'GET /x', status: '500' }, 1, START);
    r.add('http_req_duration', 'trend', { name: 'GET /x', status: '500' }, 3, START);
    const f = makeRun({ seconds: 1, withServer: false });
    const s = buildSummary({ runInfo: { ...f.runInfo, extra: {} }, windows: r.drain() });
    expect(s.overall.latencyOf).toBe('all');
    expect(s.overall.latencyMs.max).toBe(3);
    expect(s.overall.unexpectedLatencyMs).toBeUndefined();
  });

  it('reports what was not measured as null, never 0', () => {
    const r = new WindowRecorder(START);
    r.add('http_reqs', 'counter', { name: 'GET /x', status: '200' }, 1, START);
    r.add('http_req_duration', 'trend', { name: 'GET /x', status: '200' }, 3, START);
    const f = makeRun({ seconds: 1, withServer: false });
    const s = buildSummary({ runInfo: { ...f.runInfo, extra: {} }, windows: r.drain() });
    expect(s.business).toMatchObject({ registrations: null, ordersPlaced: null, ordersAccepted: null, walletDiscrepancyPaise: null, stuckDebits: null, refundLatencyP95Seconds: null });
    expect(s.generator).toMatchObject({ droppedIterations: null, scheduleLagP99Ms: null, eventLoopLagP99Ms: null, cpuPercentMax: null });
    expect(s.capacity).toMatchObject({ maxSustainableRps: null, kneeRps: null, usl: null, peakDemandRps: null, instancesForPeak: null });
    expect(s.timeline[0]).toMatchObject({ plannedArrivals: null, errorRate: null });
  });

  it('shades seconds where schedule lag p99 exceeds 50 ms, and lists drops for want of a VU apart as the target\'s doing', () => {
    const r = new WindowRecorder(START);
    const w = (t: number) => START + t * 1000;
    r.add('planned_iterations', 'counter', {}, 100, w(0));
    r.add('schedule_lag', 'trend', {}, 2, w(0));
    r.add('planned_iterations', 'counter', {}, 100, w(1));
    r.add('dropped_iterations', 'counter', {}, 6, w(1));
    r.add('planned_iterations', 'counter', {}, 100, w(2));
    r.add('schedule_lag', 'trend', {}, 120, w(2));
    r.add('planned_iterations', 'counter', {}, 100, w(3));
    r.add('dropped_iterations', 'counter', {}, 5, w(3));
    const f = makeRun({ seconds: 4, withServer: false });
    const s = buildSummary({ runInfo: { ...f.runInfo, extra: {} }, windows: r.drain() });
    expect(s.generator.saturatedSeconds).toEqual([2]);
    expect((s.generator as { vuPoolExhaustedSeconds?: number[] }).vuPoolExhaustedSeconds).toEqual([1]);
    expect(s.generator.droppedIterations).toBe(11);
    expect(s.timeline.map((p) => p.arrivals)).toEqual([100, 94, 100, 95]);
  });

  it('takes the engine\'s own list of saturated seconds when run.json has one', () => {
    const f = makeRun({ seconds: 10 });
    const s = buildSummary({ ...f, runInfo: { ...f.runInfo, extra: { saturatedSeconds: [7, 3] } } });
    expect(s.generator.saturatedSeconds).toEqual([3, 7]);
  });

  it('reads money and orders from the portal reconcile, in integer paise', () => {
    const f = makeRun({ seconds: 20 });
    const s = buildSummary(f);
    expect(s.business.walletDiscrepancyPaise).toBe(0);
    expect(s.business.stuckDebits).toBe(f.server!.reconcile!.stuckDebits);
    expect(s.business.ordersPlaced).toBe(29_000);
    expect(s.business.ordersAccepted).toBe(28_000);
  });

  it('gives the same summary for windows in any order apart from generatedAt', () => {
    const f = makeRun({ seconds: 15 });
    const a = buildSummary({ ...f, generatedAt: 'a' });
    const b = buildSummary({ ...f, windows: [...f.windows].reverse() as EncodedWindow[], generatedAt: 'b' });
    expect({ ...a, generatedAt: 0 }).toEqual({ ...b, generatedAt: 0 });
  });

  it('passes load levels to the capacity analysis and keeps its answers', () => {
    const f = makeRun({ seconds: 60 });
    let seen = 0;
    const s = buildSummary({ ...f, deps: { analyseCapacity: (points, o) => {
      seen = points.length;
      expect(o.peakDemandRps).toBe(120);
      expect(points.every((p) => p.offeredRps >= 0 && p.p95Ms !== null && p.p95Ms > 0)).toBe(true);
      return { maxSustainableRps: 90, kneeRps: 100, usl: { sigma: 0.1, kappa: 0.01, lambda: 10 }, peakDemandRps: 120, instancesForPeak: 2, sizing: null, notes: [] };
    } } });
    expect(seen).toBe(12);
    expect(s.capacity).toMatchObject({ maxSustainableRps: 90, kneeRps: 100, instancesForPeak: 2, peakDemandRps: 120 });
  });
});
