import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MetricsQuery, WindowRecorder, decodeWindows, encodeWindowsV1, statistic, type EncodedWindow } from '../../../src/metrics/index.js';
import { mergeRunDirs, planMerge, writeRunDir } from '../../../src/run/merge-runs.js';
import { mergeCommand } from '../../../src/cli/merge.js';
import { main } from '../../../src/cli/main.js';
import { UsageError } from '../../../src/contracts/errors.js';
import type { RunInfo } from '../../../src/rundir/run-dir.js';

const START = 1_700_000_000_000;
const options = {
  scenarios: { citizens: { executor: 'constant-arrival-rate' as const, rate: 100, duration: '10s', preAllocatedVUs: 10 } },
  thresholds: { 'http_req_duration{name:POST /api/v1/orders}': ['p(95)<900'] },
};

function runInfo(over: Partial<RunInfo>): RunInfo {
  return {
    id: 'seg', command: 'run scenarios/x.ts', scenario: 'scenarios/launch.ts', target: 'http://127.0.0.1:1',
    startedAt: new Date(START).toISOString(), startedAtMs: START, endedAt: new Date(START + 10_000).toISOString(),
    durationSeconds: 10, plannedDurationSeconds: 10, engine: { name: 'capacity-test', version: '0.1.0' },
    workers: 2, segment: '1/2', gitCommit: 'abc', portalMode: null, seed: 1, aborted: false, abortReason: null,
    options, profile: null, extra: {}, ...over,
  };
}

/** Deterministic, skewed latencies: segment 1 gets the fast half, segment 2 the slow tail. */
function samples(): Array<{ at: number; ms: number }> {
  const out = [];
  for (let i = 0; i < 2000; i++) out.push({ at: START + (i % 10) * 1000 + (i % 7) * 100, ms: 5 + ((i * 7919) % 1000) * (i % 2 ? 1 : 0.2) });
  return out;
}

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ct-merge-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

async function segmentDirs(): Promise<{ a: string; b: string; whole: EncodedWindow[]; halves: EncodedWindow[][] }> {
  const whole = new WindowRecorder(START);
  const ra = new WindowRecorder(START);
  const rb = new WindowRecorder(START + 1000); // segment 2 started a second later (no --start-at)
  samples().forEach(({ at, ms }, i) => {
    const tags = { name: 'POST /api/v1/orders' };
    const r = i % 2 === 0 ? ra : rb;
    // segment 2 runs on its own clock, one second behind: its samples happen one second later.
    const wall = at + (r === rb ? 1000 : 0);
    for (const rec of [whole, r]) {
      rec.add('http_req_duration', 'trend', tags, ms, wall);
      rec.add('http_reqs', 'counter', tags, 1, wall);
    }
  });
  const wa = ra.drain();
  const wb = rb.drain();
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  await writeRunDir(a, runInfo({ id: 'a', segment: '1/2' }), wa);
  await writeRunDir(b, runInfo({ id: 'b', segment: '2/2', startedAtMs: START + 1000, startedAt: new Date(START + 1000).toISOString(), endedAt: new Date(START + 11_000).toISOString(), workers: 1 }), wb);
  return { a, b, whole: whole.drain(), halves: [wa, wb] };
}

describe('merge of segment run directories', () => {
  it('gives the percentiles of one recorder fed every sample, not those of either half', async () => {
    const { a, b, whole, halves } = await segmentDirs();
    const out = join(dir, 'merged');
    const { runInfo: info, thresholds } = await mergeRunDirs([b, a], out);
    const merged = decodeWindows(await readFile(join(out, 'metrics/windows.jsonl.gz')));
    const qm = new MetricsQuery(merged);
    const qw = new MetricsQuery(whole);
    for (const stat of ['p(50)', 'p(95)', 'p(99)', 'min', 'max', 'count']) {
      expect(statistic(qm.aggregate('http_req_duration'), stat)).toBe(statistic(qw.aggregate('http_req_duration'), stat));
    }
    const p95 = statistic(qm.aggregate('http_req_duration'), 'p(95)')!;
    for (const half of halves) expect(statistic(new MetricsQuery(half).aggregate('http_req_duration'), 'p(95)')).not.toBe(p95);
    // aligned: second by second the same counts as the single recorder
    for (let t = 0; t <= 11; t++) {
      expect(statistic(qm.aggregate('http_reqs', { from: t, to: t + 1 }), 'count')).toBe(statistic(qw.aggregate('http_reqs', { from: t, to: t + 1 }), 'count'));
    }
    expect(info).toMatchObject({ segment: null, workers: 3, startedAtMs: START, durationSeconds: 11, id: 'merged' });
    expect(info.extra.mergedFrom).toEqual([
      expect.objectContaining({ dir: a, segment: '1/2', shiftSeconds: 0 }),
      expect.objectContaining({ dir: b, segment: '2/2', shiftSeconds: 1 }),
    ]);
    expect(thresholds.checks[0].value).toBe(p95);
    const written = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as RunInfo;
    expect(written.extra.thresholds).toEqual(thresholds);
    expect(JSON.parse(await readFile(join(out, 'metrics/meta.json'), 'utf8'))).toMatchObject({ startedAt: START, trendScale: 1000 });
  });

  it('merges a segment written before metrics format v2 (HDR base64) with a v2 one exactly, into a v2 file', async () => {
    const { a, b, whole } = await segmentDirs();
    const file = join(a, 'metrics/windows.jsonl.gz');
    await writeFile(file, encodeWindowsV1(decodeWindows(await readFile(file))));
    expect(gunzipSync(await readFile(file)).toString('utf8')).toContain('"hdr":');
    const out = join(dir, 'merged');
    await mergeRunDirs([a, b], out);
    const written = gunzipSync(await readFile(join(out, 'metrics/windows.jsonl.gz'))).toString('utf8');
    expect(JSON.parse(written.split('\n')[0])).toMatchObject({ format: 'capacity-test/windows', version: 2 });
    const qm = new MetricsQuery(decodeWindows(await readFile(join(out, 'metrics/windows.jsonl.gz'))));
    const qw = new MetricsQuery(whole);
    for (const stat of ['p(50)', 'p(95)', 'p(99)', 'p(99.9)', 'min', 'max', 'count']) {
      expect(statistic(qm.aggregate('http_req_duration'), stat)).toBe(statistic(qw.aggregate('http_req_duration'), stat));
    }
    for (let t = 0; t <= 11; t++) {
      expect(statistic(qm.aggregate('http_req_duration', { from: t, to: t + 1 }), 'p(95)')).toBe(statistic(qw.aggregate('http_req_duration', { from: t, to: t + 1 }), 'p(95)'));
    }
  });

  it('exits 1 when a threshold that the fast segment alone passes fails on the merged data', async () => {
    const { a, b, halves } = await segmentDirs();
    const merged95 = statistic(new MetricsQuery(halves.flat()).aggregate('http_req_duration'), 'p(95)')!;
    const fast95 = statistic(new MetricsQuery(halves[0]).aggregate('http_req_duration'), 'p(95)')!;
    expect(fast95).toBeLessThan(merged95);
    // A threshold between the fast half's p95 and the whole's: segment 1 alone would pass it.
    const bound = Math.floor((fast95 + merged95) / 2);
    for (const [d, seg] of [[a, '1/2'], [b, '2/2']] as const) {
      const info = JSON.parse(await readFile(join(d, 'run.json'), 'utf8')) as RunInfo;
      info.options = { ...options, thresholds: { http_req_duration: [`p(95)<${bound}`] } };
      expect(info.segment).toBe(seg);
      await writeFile(join(d, 'run.json'), JSON.stringify(info));
    }
    const lines: string[] = [];
    const code = await mergeCommand([a, b], { out: join(dir, 'm') }, (s) => lines.push(s));
    expect(code).toBe(1);
    expect(lines.join('')).toMatch(/✗ http_req_duration p\(95\)</);
    expect(lines.join('')).toContain('thresholds: FAILED');
  });

  it('refuses runs that are not distinct segments of one test, naming the directory (exit 2)', async () => {
    const cases: Array<[RunInfo[], RegExp]> = [
      [[runInfo({ segment: '1/2' }), runInfo({ segment: '1/2' })], /run d1: expected distinct segments, got segment 1\/2 twice \(also in d0\)/],
      [[runInfo({ segment: '1/2' }), runInfo({ segment: '2/3' })], /run d1: expected a segment of 2/],
      [[runInfo({ segment: '1/2' }), runInfo({ segment: '2/2', scenario: 'other.ts' })], /run d1: expected a segment of the same scenario/],
      [[runInfo({ segment: '1/2' }), runInfo({ segment: '2/2', options: { ...options, thresholds: {} } })], /run d1: expected the same options/],
      [[runInfo({ segment: '1/2' }), runInfo({ segment: null })], /run d1: expected a segment of a test/],
      [[runInfo({ segment: '1/2' }), runInfo({ segment: 'two' })], /run d1: expected run.json segment "i\/n" with 1 ≤ i ≤ n \(as run --segment writes it\), got "two"/],
      [[runInfo({ segment: '1/3' }), runInfo({ segment: '2/3' })], /expected all 3 segments of the test, got 2 \(missing 3\/3/],
      // one segment rule, 1-based as `run --segment i/n` documents and writes it
      [[runInfo({ segment: '0/2' }), runInfo({ segment: '1/2' })], /run d0: expected run.json segment "i\/n" with 1 ≤ i ≤ n \(as run --segment writes it\), got "0\/2"/],
    ];
    for (const [infos, message] of cases) {
      const call = () => planMerge(infos.map((r, i) => ({ dir: `d${i}`, runInfo: r })));
      expect(call).toThrow(UsageError);
      expect(call).toThrow(message);
    }
  });

  it('accepts segments in any order, key order in options, and a partial set when asked', () => {
    const reordered = { thresholds: options.thresholds, scenarios: options.scenarios };
    const plan = planMerge([{ dir: 'b', runInfo: runInfo({ segment: '2/2', options: reordered }) }, { dir: 'a', runInfo: runInfo({ segment: '1/2' }) }]);
    expect(plan.map((p) => [p.dir, p.index])).toEqual([['a', 0], ['b', 1]]);
    expect(planMerge([{ dir: 'a', runInfo: runInfo({ segment: '2/3' }) }], { allowPartial: true })).toHaveLength(1);
  });

  it('the command refuses a missing run dir with exit 2 naming it, and prints --help', async () => {
    const errs: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => { errs.push(String(s)); return true; }) as typeof process.stderr.write;
    const outs: string[] = [];
    const wout = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => { outs.push(String(s)); return true; }) as typeof process.stdout.write;
    try {
      expect(await main(['node', 'capacity-test', 'merge', join(dir, 'nope'), '--out', join(dir, 'o')])).toBe(2);
      expect(await main(['node', 'capacity-test', 'merge', '--help'])).toBe(0);
    } finally {
      process.stderr.write = write;
      process.stdout.write = wout;
    }
    expect(errs.join('')).toContain(`invalid run directory ${join(dir, 'nope')}: expected run.json, got no such file`);
    expect(outs.join('')).toContain('--out <dir>');
  });

  it('refuses to overwrite an existing run', async () => {
    const { a, b } = await segmentDirs();
    await mkdir(join(dir, 'taken'));
    await writeFile(join(dir, 'taken', 'run.json'), '{}');
    await expect(mergeRunDirs([a, b], join(dir, 'taken'))).rejects.toThrow(/invalid --out .*already holds a run.json/);
  });
});
