import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WindowRecorder, mergeWindows, MetricsQuery, statistic, encodeWindows, decodeWindows } from '../../../src/metrics/index.js';

const start = 1_700_000_000_000;

describe('1-second metric windows', () => {
  it('puts each sample in the window of its second since the start', () => {
    const r = new WindowRecorder(start);
    r.add('http_reqs', 'counter', {}, 1, start + 10);
    r.add('http_reqs', 'counter', {}, 1, start + 999);
    r.add('http_reqs', 'counter', {}, 1, start + 1000);
    const ws = r.drain();
    expect(ws.map((w) => [w.t, w.sum])).toEqual([[0, 2], [1, 1]]);
  });

  it('drains only finished seconds and keeps the current one', () => {
    const r = new WindowRecorder(start);
    r.add('x', 'counter', {}, 1, start + 100);
    r.add('x', 'counter', {}, 1, start + 1100);
    expect(r.drain(1).map((w) => w.t)).toEqual([0]);
    expect(r.drain().map((w) => w.t)).toEqual([1]);
  });

  it('percentiles of windows merged from two recorders equal those of one recorder fed every sample', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5999 }), fc.double({ min: 0.01, max: 5000, noNaN: true })), { minLength: 1, maxLength: 400 }), (samples) => {
      const one = new WindowRecorder(start);
      const a = new WindowRecorder(start);
      const b = new WindowRecorder(start);
      samples.forEach(([at, v], i) => {
        one.add('d', 'trend', { name: 'x' }, v, start + at);
        (i % 2 ? a : b).add('d', 'trend', { name: 'x' }, v, start + at);
      });
      const q1 = new MetricsQuery(one.drain());
      const q2 = new MetricsQuery(mergeWindows([...a.drain(), ...b.drain()]));
      for (const stat of ['p(50)', 'p(95)', 'p(99)', 'max', 'min', 'count']) {
        expect(statistic(q2.aggregate('d'), stat)).toBe(statistic(q1.aggregate('d'), stat));
      }
      expect(statistic(q2.aggregate('d'), 'avg')).toBeCloseTo(statistic(q1.aggregate('d'), 'avg')!, 6);
    }), { numRuns: 25 });
  });

  it('reports a rate metric as the share of true samples and an empty trend as null, not 0', () => {
    const r = new WindowRecorder(start);
    r.add('http_req_failed', 'rate', {}, 1, start);
    r.add('http_req_failed', 'rate', {}, 0, start);
    r.add('http_req_failed', 'rate', {}, 0, start);
    r.add('http_req_failed', 'rate', {}, 0, start + 1500);
    const q = new MetricsQuery(r.drain());
    expect(statistic(q.aggregate('http_req_failed'), 'rate')).toBe(0.25);
    expect(statistic(q.aggregate('http_req_duration'), 'p(95)')).toBeNull();
  });

  it('survives the jsonl.gz round trip unchanged', () => {
    const r = new WindowRecorder(start);
    r.add('d', 'trend', { name: 'a' }, 12.5, start);
    r.add('c', 'counter', { name: 'a' }, 3, start + 2000);
    const ws = r.drain();
    expect(decodeWindows(encodeWindows(ws))).toEqual(ws);
  });

  it('refuses a percentile outside 0–100 naming it', () => {
    const r = new WindowRecorder(start);
    r.add('d', 'trend', {}, 1, start);
    expect(() => statistic(new MetricsQuery(r.drain()).aggregate('d'), 'p(101)')).toThrow(/101/);
  });
});
