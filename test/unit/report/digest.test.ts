import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MetricsQuery, WindowRecorder, newHistogram, toRecorded, fromRecorded, statistic, type EncodedWindow, type SeriesInfo } from '../../../src/metrics/index.js';
import { assess, buildSummary, chartBucketSeconds, digestSource, digestWindows, levelWidth } from '../../../src/assess/index.js';
import { LEVEL_RULE } from '../../../src/analysis/levels.js';
import { buildReportModel } from '../../../src/report/model.js';
import { makeRun } from '../../helpers/report-fixture.js';

const START = 1_767_000_000_000;
const NAMES = ['GET /a', 'POST /b'];

/** A run with a given planned rate per second and a few latency samples every second. */
function recordRun(planned: number[], seed: number): EncodedWindow[] {
  const r = new WindowRecorder(START);
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  planned.forEach((rate, t) => {
    const at = START + t * 1000;
    if (rate > 0) r.add('planned_iterations', 'counter', {}, rate, at);
    for (let i = 0; i < 1 + (t % 4); i++) {
      const name = NAMES[i % 2];
      const tags = { name, status: rnd() < 0.1 ? '503' : '200' };
      r.add('http_reqs', 'counter', tags, 1, at + i);
      r.add('http_req_failed', 'rate', tags, tags.status === '503' ? 1 : 0, at + i);
      r.add('http_req_duration', 'trend', tags, 5 + rnd() * 400 * (1 + t / 50), at + i);
    }
  });
  return r.drain();
}

/** Reference: one HDR histogram of the raw samples of a range, as MetricsQuery adds windows. */
function p(q: MetricsQuery, from: number, to: number, pct: number, name?: string): number | null {
  return statistic(q.aggregate('http_req_duration', { from, to, ...(name ? { tags: { name } } : {}) }), `p(${pct})`);
}

describe('run digest (one pass over the windows)', () => {
  it('finds a level wherever the planned arrivals hold still for 3 s or more: a stepped plan\'s steps (long ones cut at levelWidth), a ramp\'s short holds', () => {
    const segment = fc.tuple(fc.constantFrom(0, 10, 10, 20, 40, 41, 80), fc.integer({ min: 1, max: 9 }));
    fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 14 }), fc.boolean(), (segments, ramp) => {
      const planned = ramp ? Array.from({ length: segments.length * 5 }, (_, t) => t + 1) : segments.flatMap(([rate, len]) => Array<number>(len).fill(rate));
      const d = digestWindows(recordRun(planned, 3), { declaredSeconds: planned.length });
      const levels = d.levels.map((l) => [l.from, l.to] as [number, number]);
      const w = levelWidth(planned.length);
      const spread = (a: number, b: number) => {
        const xs = planned.slice(a, b);
        return { range: Math.max(...xs) - Math.min(...xs), mean: xs.reduce((s, x) => s + x, 0) / xs.length };
      };
      // every level holds still, is 3 s to levelWidth long, and (greedy) could not take the next second
      levels.forEach(([a, b], i) => {
        expect(b - a).toBeGreaterThanOrEqual(LEVEL_RULE.minSeconds);
        expect(b - a).toBeLessThanOrEqual(w);
        const s = spread(a, b);
        expect(s.range).toBeLessThanOrEqual(LEVEL_RULE.spread * s.mean + LEVEL_RULE.slack + 1e-9);
        if (i > 0) expect(a).toBeGreaterThanOrEqual(levels[i - 1][1]);
        if (b < planned.length && b - a < w) {
          const n = spread(a, b + 1);
          expect(n.range).toBeGreaterThan(LEVEL_RULE.spread * n.mean + LEVEL_RULE.slack);
        }
      });
      if (!ramp) {
        // What the generator made, read from its segments: runs of one rate (the rates here differ by
        // more than the rule allows, 40 and 41 aside), each cut in pieces of levelWidth from its start.
        const runs: Array<[number, number, number]> = [];
        let t = 0;
        for (const [rate, len] of segments) {
          const last = runs[runs.length - 1];
          const same = last && (last[2] === rate || Math.min(last[2], rate) === 40 && Math.max(last[2], rate) === 41);
          if (same) last[1] += len; else runs.push([t, t + len, rate]);
          t += len;
        }
        const expected = runs.flatMap(([a, b]) => {
          const pieces: Array<[number, number]> = [];
          for (let from = a; from < b; from += w) pieces.push([from, Math.min(b, from + w)]);
          return pieces.filter(([x, y]) => y - x >= LEVEL_RULE.minSeconds);
        });
        expect(levels).toEqual(expected);
      }
      expect(d.levelSource).toBe(planned.some((v) => v > 0) ? 'plan' : 'slices');
    }), { numRuns: 80 });
  });

  it('gives each load level the figures of a query over its seconds, per endpoint too', () => {
    fc.assert(fc.property(fc.integer({ min: 30, max: 1300 }), fc.integer({ min: 1, max: 1000 }), (seconds, seed) => {
      const planned = Array.from({ length: seconds }, (_, t) => 10 + (t % 2)); // holds still: pieces of levelWidth
      const windows = recordRun(planned, seed);
      const q = new MetricsQuery(windows);
      const d = digestWindows(windows, { declaredSeconds: seconds });
      expect(d.levelSource).toBe('plan');
      expect(d.levels.length).toBe(Math.floor(seconds / levelWidth(seconds)) + (seconds % levelWidth(seconds) >= 3 ? 1 : 0));
      for (const l of d.levels) {
        const r = { from: l.from, to: l.to };
        expect(l.requests).toBe(statistic(q.aggregate('http_reqs', r), 'count'));
        expect(l.outcomes).toBe(q.aggregate('http_req_failed', r).count);
        expect([l.p95Ms, l.p99Ms]).toEqual([p(q, l.from, l.to, 95), p(q, l.from, l.to, 99)]);
        for (const name of NAMES) expect(l.endpoints.get(name)?.p95Ms ?? null).toBe(p(q, l.from, l.to, 95, name));
      }
    }), { numRuns: 12 });
  });

  it('charts a long run in buckets of several seconds, each latency point the exact percentiles of its trailing 10 s, never averaged', () => {
    const seconds = 3000;
    const r = new WindowRecorder(START);
    const raw: Array<{ t: number; ms: number; name: string }> = [];
    let s = 11;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let t = 0; t < seconds; t += 1 + Math.floor(rnd() * 3)) {
      for (let i = 0; i < 3; i++) {
        const ms = rnd() < 0.05 ? 2000 + rnd() * 8000 : 10 + rnd() * 90;
        const name = NAMES[i % 2];
        raw.push({ t, ms, name });
        r.add('http_reqs', 'counter', { name }, 1, START + t * 1000 + i);
        r.add('http_req_duration', 'trend', { name }, ms, START + t * 1000 + i);
      }
    }
    const d = digestWindows(r.drain(), { declaredSeconds: seconds });
    const width = chartBucketSeconds(seconds);
    expect(width).toBe(5);
    expect(d.chart.buckets).toBe(600);
    const percentileOf = (xs: number[], pct: number) => {
      if (xs.length === 0) return null;
      const h = newHistogram();
      for (const x of xs) h.recordValue(toRecorded(x));
      return fromRecorded(h.getValueAtPercentile(pct));
    };
    expect(d.chart.latencyWindowSeconds).toBe(10);
    for (let b = 0; b < 600; b++) {
      // this bucket and the one before: the last 10 s
      const inBucket = raw.filter((x) => Math.floor(x.t / width) === b || Math.floor(x.t / width) === b - 1);
      expect(d.chart.p50Ms[b]).toBe(percentileOf(inBucket.map((x) => x.ms), 50));
      expect(d.chart.p95Ms[b]).toBe(percentileOf(inBucket.map((x) => x.ms), 95));
      expect(d.chart.p99Ms[b]).toBe(percentileOf(inBucket.map((x) => x.ms), 99));
      expect(d.chart.endpointP95Ms.get('GET /a')![b]).toBe(percentileOf(inBucket.filter((x) => x.name === 'GET /a').map((x) => x.ms), 95));
    }
  });

  it('gives a short run\'s latency points the exact percentiles of the last 10 seconds, so seconds alternating fast and slow read as one level', () => {
    const seconds = 60;
    const r = new WindowRecorder(START);
    const raw: Array<{ t: number; ms: number; name: string }> = [];
    for (let t = 0; t < seconds; t++) {
      if (t >= 30 && t < 33) continue; // a gap: no point there, the window after it still reaches back
      for (let i = 0; i < 4; i++) {
        // seconds alternate between fast answers and client timeouts, as an overloaded portal's did
        const ms = t % 2 === 0 ? 50 + i : 30_000 + i;
        const name = t % 5 === 0 ? NAMES[1] : NAMES[0];
        raw.push({ t, ms, name });
        r.add('http_reqs', 'counter', { name }, 1, START + t * 1000 + i);
        r.add('http_req_duration', 'trend', { name }, ms, START + t * 1000 + i);
      }
    }
    const d = digestWindows(r.drain(), { declaredSeconds: seconds });
    expect(d.chart.width).toBe(1);
    expect(d.chart.latencyWindowSeconds).toBe(10);
    const p95Of = (xs: number[]) => {
      if (xs.length === 0) return null;
      const h = newHistogram();
      for (const x of xs) h.recordValue(toRecorded(x));
      return fromRecorded(h.getValueAtPercentile(95));
    };
    for (let b = 0; b < seconds; b++) {
      const window = raw.filter((x) => x.t > b - 10 && x.t <= b);
      const here = raw.some((x) => x.t === b);
      expect(d.chart.p95Ms[b]).toBe(here ? p95Of(window.map((x) => x.ms)) : null);
      const b5 = window.filter((x) => x.name === NAMES[1]);
      expect(d.chart.endpointP95Ms.get(NAMES[1])![b] ?? null).toBe(here && b5.length ? p95Of(b5.map((x) => x.ms)) : null);
    }
    // every point from second 1 on holds slow answers: the chart no longer flips between 50 ms and 30 s
    expect(d.chart.p95Ms.slice(1).filter((v) => v !== null).every((v) => v! >= 30_000)).toBe(true);
  });

  it('reads the windows a second time when one comes later than the horizon, to the same summary', async () => {
    const f = makeRun({ seconds: 40 });
    const series = new Map<EncodedWindow, SeriesInfo>();
    const infos = new Map<string, SeriesInfo>();
    for (const w of f.windows) {
      const key = `${w.metric}${JSON.stringify(w.tags)}`;
      if (!infos.has(key)) infos.set(key, { id: infos.size, metric: w.metric, kind: w.kind, tags: w.tags });
      series.set(w, infos.get(key)!);
    }
    // Recorder order: series by series, so most windows come tens of seconds after later ones.
    const d = await digestSource((sink) => { for (const w of f.windows) sink.window(series.get(w)!, w.t, w.count, w.sum, w.min, w.max, w.buckets); }, { declaredSeconds: 40, horizon: 3 });
    expect(d.passes).toBe(2);
    const streamed = buildSummary({ ...f, digest: d, generatedAt: 'x' });
    const inMemory = buildSummary({ ...f, generatedAt: 'x' });
    expect(streamed).toEqual(inMemory);
    expect(buildReportModel(assess({ ...f, digest: d }), streamed).charts).toEqual(buildReportModel(assess(f), inMemory).charts);
  });

  it('reads the windows once when they come in time order', async () => {
    const f = makeRun({ seconds: 20 });
    const sorted = [...f.windows].sort((a, b) => a.t - b.t);
    const info = (w: EncodedWindow): SeriesInfo => ({ id: 0, metric: w.metric, kind: w.kind, tags: w.tags });
    const d = await digestSource((sink) => { for (const w of sorted) sink.window(info(w), w.t, w.count, w.sum, w.min, w.max, w.buckets); }, { declaredSeconds: 20 });
    expect(d.passes).toBe(1);
  });
});
