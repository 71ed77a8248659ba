import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  HistogramAccumulator, MetricsQuery, SeriesTotals, decodeWindows, mergeWindows, shiftWindows,
  type EncodedWindow,
} from '../../../src/metrics/index.js';
import { evaluateThresholds, parseThresholds } from '../../../src/thresholds/index.js';
import { mergeRunDirs, mergeThresholdDefs, planMerge } from '../../../src/run/merge-runs.js';
import { mergeWindowStreams } from '../../../src/run/merge-stream.js';
import { UsageError } from '../../../src/contracts/errors.js';
import type { RunInfo } from '../../../src/rundir/run-dir.js';
import {
  batchesOf, byTimeAndSeries, collect, engineWindows, rowsOf, writeRunJson, writeWindowsFile, type Sample,
} from '../../helpers/window-streams.js';

const START = 1_700_000_000_000;
const thresholds = {
  http_req_duration: ['p(95)<400', 'p(99)<900', 'avg<300', 'med<200', 'max<1000', 'min>2'],
  'http_req_duration{name:a}': ['p(90)<350', 'count>5'],
  http_reqs: ['count>20', 'rate>3'],
  'http_req_failed{name:b}': ['rate<0.2'],
  vus: ['value<8', 'max<10'],
};

function info(segment: string, startedAtMs: number, over: Partial<RunInfo> = {}): RunInfo {
  return {
    id: segment, command: 'run', scenario: 's.ts', target: null, startedAt: new Date(startedAtMs).toISOString(), startedAtMs,
    endedAt: new Date(startedAtMs + 20_000).toISOString(), durationSeconds: 20, plannedDurationSeconds: 20,
    engine: { name: 'capacity-test', version: '0' }, workers: 1, segment, gitCommit: null, portalMode: null, seed: null,
    aborted: false, abortReason: null, options: { thresholds }, profile: null, extra: {}, ...over,
  };
}

/** A sample of one of the metrics above; integer values, so that sums add up to the same in any order. */
const sample = (seconds: number) => fc.record({
  m: fc.integer({ min: 0, max: 4 }),
  name: fc.constantFrom('a', 'b'),
  at: fc.integer({ min: 0, max: seconds * 1000 - 1 }),
  v: fc.integer({ min: 1, max: 1200 }),
  // most samples are recorded in their second; a few after it was written, some past the report's 30 s horizon
  delay: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }) }),
}).map(({ m, name, at, v, delay }): Sample => {
  const tags = { name };
  switch (m) {
    case 0: return { metric: 'http_req_duration', kind: 'trend', tags, value: v, at, delay };
    case 1: return { metric: 'http_reqs', kind: 'counter', tags, value: 1, at, delay };
    case 2: return { metric: 'http_req_failed', kind: 'rate', tags, value: v % 5 === 0 ? 1 : 0, at, delay };
    case 3: return { metric: 'vus', kind: 'gauge', tags: {}, value: v % 7, at, delay };
    default: return { metric: 'http_req_duration', kind: 'trend', tags: { name: 'a' }, value: v * 3, at, delay };
  }
});

/** The merge as it was, all in memory: every window shifted and added by (second, series). */
function inMemoryMerge(plan: ReturnType<typeof planMerge>, windowsOf: (dir: string) => EncodedWindow[]): EncodedWindow[] {
  return mergeWindows(plan.flatMap((p) => shiftWindows(windowsOf(p.dir), p.shiftSeconds)));
}

/** Window for window: counts, sums, extremes, histograms and their percentiles. */
function expectSameWindows(got: readonly EncodedWindow[], want: readonly EncodedWindow[]): void {
  const a = byTimeAndSeries(mergeWindows(got));
  const b = byTimeAndSeries(want);
  expect(a.map((w) => [w.t, w.metric, w.tags, w.kind])).toEqual(b.map((w) => [w.t, w.metric, w.tags, w.kind]));
  a.forEach((w, i) => {
    const o = b[i];
    expect([w.count, w.sum, w.min, w.max]).toEqual([o.count, o.sum, o.min, o.max]);
    expect(w.buckets).toEqual(o.buckets);
    if (w.buckets) {
      expect(HistogramAccumulator.of(w.buckets).valuesAtPercentiles([0, 50, 95, 99, 100])).toEqual(HistogramAccumulator.of(o.buckets!).valuesAtPercentiles([0, 50, 95, 99, 100]));
    }
  });
}

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ct-merge-stream-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('streamed merge of segments (k-way by second, one second held)', () => {
  it('equals the in-memory merge window for window, late windows and start shifts included, and its thresholds those of a MetricsQuery over every window', async () => {
    let lateRows = 0;
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 2, max: 3 }).chain((n) => fc.record({
        offsets: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
        batch: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: n, maxLength: n }),
        samples: fc.array(fc.array(sample(20), { maxLength: 120 }), { minLength: n, maxLength: n }),
      })),
      async ({ offsets, batch, samples }) => {
        const n = offsets.length;
        const segments = offsets.map((o, i) => ({ dir: `d${i}`, runInfo: info(`${i + 1}/${n}`, START + o * 1000), windows: engineWindows(START + o * 1000, samples[i]) }));
        const windowsOf = (d: string) => segments.find((s) => s.dir === d)!.windows;
        const plan = planMerge(segments);
        const totals = new SeriesTotals();
        const rows = await collect(mergeWindowStreams(plan.map((p, i) => batchesOf(shiftWindows(windowsOf(p.dir), p.shiftSeconds), batch[i])), totals));
        const old = inMemoryMerge(plan, windowsOf);
        expectSameWindows(rows.flatMap((r) => r.windows), old);
        // a second is handed on once, in ascending order; only a window late in its own segment comes
        // after its second, alone
        const lateIn = segments.reduce((n, s) => n + s.windows.filter((w, i) => i > 0 && w.t < Math.max(...s.windows.slice(0, i).map((x) => x.t))).length, 0);
        let last = -Infinity, late = 0;
        for (const r of rows) {
          if (r.t <= last) { expect(r.windows).toHaveLength(1); late += 1; }
          last = Math.max(last, r.t);
        }
        expect(late).toBeLessThanOrEqual(lateIn);
        lateRows += late;
        const defs = mergeThresholdDefs(plan);
        const result = evaluateThresholds(defs, totals);
        expect(result).toEqual(evaluateThresholds(defs, new MetricsQuery(old)));
        expect(result).toEqual(evaluateThresholds(defs, new MetricsQuery(plan.flatMap((p) => shiftWindows(windowsOf(p.dir), p.shiftSeconds)))));
      },
    ), { numRuns: 40 });
    expect(lateRows).toBeGreaterThan(0);
  });

  it('merges run directories with late rows, one of them left by a killed run (windows.partial.jsonl only), as the in-memory merge does', async () => {
    const make = (seed: number, seconds: number, lateEvery: number): Sample[] => {
      const out: Sample[] = [];
      for (let k = 0; k < seconds * 20; k++) {
        const at = Math.floor((k * 1000) / 20) + (seed % 7);
        const late = k % lateEvery === 0 ? 1 + (k % 35) : 0;
        const name = (k + seed) % 3 === 0 ? 'b' : 'a';
        out.push({ metric: 'http_req_duration', kind: 'trend', tags: { name }, value: 5 + ((k * 7919 + seed) % 900), at, delay: late });
        out.push({ metric: 'http_reqs', kind: 'counter', tags: { name }, value: 1, at, delay: late });
        out.push({ metric: 'http_req_failed', kind: 'rate', tags: { name }, value: k % 11 === 0 ? 1 : 0, at, delay: late });
        if (k % 20 === 0) out.push({ metric: 'vus', kind: 'gauge', tags: {}, value: 2 + (k % 3), at, delay: 0 });
      }
      return out;
    };
    const segs = [
      { name: 'a', segment: '1/3', startMs: START, samples: make(1, 60, 37), killed: false },
      { name: 'b', segment: '2/3', startMs: START + 2000, samples: make(2, 50, 53), killed: false },
      { name: 'c', segment: '3/3', startMs: START + 1000, samples: make(3, 40, 29), killed: true },
    ].map((s) => ({ ...s, dir: join(dir, s.name), windows: engineWindows(s.startMs, s.samples) }));
    for (const s of segs) {
      await writeWindowsFile(s.dir, rowsOf(s.windows), { killed: s.killed });
      writeRunJson(s.dir, info(s.segment, s.startMs, s.killed ? { endedAt: null, durationSeconds: null } : {}));
    }
    const out = join(dir, 'merged');
    const { runInfo, thresholds: result } = await mergeRunDirs(segs.map((s) => s.dir), out);

    const plan = planMerge(segs.map((s) => ({ dir: s.dir, runInfo: info(s.segment, s.startMs) })));
    const old = inMemoryMerge(plan, (d) => segs.find((s) => s.dir === d)!.windows);
    const file = await readFile(join(out, 'metrics/windows.jsonl.gz'));
    expectSameWindows(decodeWindows(file), old);
    const defs = parseThresholds(thresholds);
    expect(result).toEqual(evaluateThresholds(defs, new MetricsQuery(old)));
    expect(runInfo.extra.thresholds).toEqual(result);
    expect(runInfo.extra.mergedFrom).toEqual(segs.map((s) => expect.objectContaining({ dir: s.dir, shiftSeconds: (s.startMs - START) / 1000 })));

    // v2, with late windows on rows of their own after their second
    const lines = gunzipSync(file).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines[0]).toMatchObject({ format: 'capacity-test/windows', version: 2 });
    const rowSeconds = lines.filter((l): l is number[] => Array.isArray(l)).map((r) => r[0]);
    expect(rowSeconds.some((t, i) => i > 0 && t < Math.max(...rowSeconds.slice(0, i)))).toBe(true);
    expect(JSON.parse(await readFile(join(out, 'metrics/meta.json'), 'utf8'))).toMatchObject({ startedAt: START, trendScale: 1000, windowsFormat: 2 });
  });

  it('reads each stream no further than one batch ahead of the second it hands on', async () => {
    const pulled = [0, 0];
    async function* stream(k: number): AsyncGenerator<EncodedWindow[]> {
      for (let t = 0; t < 100_000; t++) {
        pulled[k] += 1;
        yield [{ t, metric: 'http_reqs', kind: 'counter', tags: { k: String(k) }, count: 1, sum: 1, min: 1, max: 1 }];
      }
    }
    let rows = 0;
    for await (const row of mergeWindowStreams([stream(0), stream(1)])) {
      expect(row.windows).toHaveLength(2);
      rows += 1;
      // the row of second t is handed on once both streams have shown their window of t + 1
      expect(Math.max(...pulled)).toBeLessThanOrEqual(row.t + 2);
      if (rows === 1000) break;
    }
    expect(pulled.every((p) => p <= 1001)).toBe(true);
  });

  it('refuses a metric that is a trend in one segment and a counter in another (exit 2)', async () => {
    const w = (kind: 'trend' | 'counter'): EncodedWindow => ({ t: 3, metric: 'x', kind, tags: {}, count: 1, sum: 1, min: 1, max: 1, ...(kind === 'trend' ? { buckets: [2] } : {}) });
    const call = collect(mergeWindowStreams([batchesOf([w('trend')], 1), batchesOf([w('counter')], 1)]));
    await expect(call).rejects.toBeInstanceOf(UsageError);
    await expect(collect(mergeWindowStreams([batchesOf([w('trend')], 1), batchesOf([w('counter')], 1)]))).rejects.toThrow('invalid metrics: x is both trend and counter');
  });

  it('names a segment whose windows file is cut short midway (exit 2) and leaves no merged run behind', async () => {
    const dirs = [join(dir, 'a'), join(dir, 'b')];
    for (const [i, d] of dirs.entries()) {
      const samples = Array.from({ length: 4000 }, (_, k): Sample => ({ metric: 'http_req_duration', kind: 'trend', tags: { name: `e${k % 9}` }, value: 1 + ((k * 7919) % 5000), at: k * 5, delay: 0 }));
      await writeWindowsFile(d, rowsOf(engineWindows(START, samples)));
      writeRunJson(d, info(`${i + 1}/2`, START));
    }
    const cut = join(dirs[1], 'metrics/windows.jsonl.gz');
    await truncate(cut, Math.floor((await stat(cut)).size / 2));
    const out = join(dir, 'merged');
    const call = mergeRunDirs(dirs, out);
    await expect(call).rejects.toBeInstanceOf(UsageError);
    await expect(call).rejects.toThrow(`invalid run directory ${dirs[1]}: expected metrics/windows.jsonl.gz, got`);
    expect(existsSync(out)).toBe(false);
  });
});
