import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gunzipSync } from 'node:zlib';
import {
  WindowRecorder, mergeWindows, MetricsQuery, statistic, encodeWindows, encodeWindowsV1, decodeWindows, newHistogram, toRecorded, fromRecorded,
} from '../../../src/metrics/index.js';

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

  it('answers any time range and tag filter of a format v2 file with the percentiles of an HDR histogram of the raw samples', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 19_999 }), fc.double({ min: 0, max: 90_000, noNaN: true }), fc.constantFrom('a', 'b')), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 0, max: 19 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom(undefined, 'a', 'b'),
      (samples, from, len, name) => {
        const r = new WindowRecorder(start);
        for (const [at, v, n] of samples) r.add('d', 'trend', { name: n }, v, start + at);
        const q = new MetricsQuery(decodeWindows(encodeWindows(r.drain())));
        const to = from + len;
        const raw = samples.filter(([at, , n]) => Math.floor(at / 1000) >= from && Math.floor(at / 1000) < to && (name === undefined || n === name)).map(([, v]) => v);
        const ref = newHistogram();
        for (const v of raw) ref.recordValue(toRecorded(v));
        const agg = q.aggregate('d', { from, to, ...(name ? { tags: { name } } : {}) });
        expect(statistic(agg, 'count')).toBe(raw.length);
        for (const p of [0, 50, 90, 95, 99, 99.9, 100]) {
          expect(statistic(agg, `p(${p})`), `p(${p})`).toBe(raw.length ? fromRecorded(ref.getValueAtPercentile(p)) : null);
        }
        expect(statistic(agg, 'max')).toBe(raw.length ? Math.max(...raw) : null);
      }), { numRuns: 60 });
  });

  it('writes format v2: a header, each series once, then one row a second in time order', () => {
    const r = new WindowRecorder(start);
    r.add('d', 'trend', { name: 'a' }, 4.5, start + 1500);
    r.add('c', 'counter', { name: 'a' }, 3, start + 10);
    r.add('d', 'trend', { name: 'a' }, 0.006, start + 20);
    const lines = gunzipSync(encodeWindows(r.drain())).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ format: 'capacity-test/windows', version: 2, histogram: 'hdr-index-gaps', significantDigits: 3, trendScale: 1000 });
    expect(lines.slice(1)).toEqual([
      { series: 0, metric: 'd', kind: 'trend', tags: { name: 'a' } },
      { series: 1, metric: 'c', kind: 'counter', tags: { name: 'a' } },
      // second 0: series 0 (6 µs: HDR index 6, the gap from -1 is 7), then series 1
      [0, 0, 1, 0.006, 0.006, 0.006, [7], 1, 1, 3, 3, 3],
      // second 1: 4,500 µs is bucket 2, sub-bucket 1125: HDR index 3173
      [1, 0, 1, 4.5, 4.5, 4.5, [3174]],
    ]);
  });

  it('reads a format v1 file (one window object a line, HDR compressed base64) to the same windows', () => {
    const r = new WindowRecorder(start);
    for (let i = 0; i < 500; i++) r.add('d', 'trend', { name: i % 3 ? 'a' : 'b' }, (i * 7919) % 3000 / 7, start + i * 37);
    r.add('g', 'gauge', {}, 12, start);
    const ws = r.drain();
    const v1 = gunzipSync(encodeWindowsV1(ws)).toString('utf8').split('\n')[0];
    expect(JSON.parse(v1)).toHaveProperty('hdr');
    expect(decodeWindows(encodeWindowsV1(ws))).toEqual(ws);
  });

  it('refuses a percentile outside 0–100 naming it', () => {
    const r = new WindowRecorder(start);
    r.add('d', 'trend', {}, 1, start);
    expect(() => statistic(new MetricsQuery(r.drain()).aggregate('d'), 'p(101)')).toThrow(/101/);
  });
});
