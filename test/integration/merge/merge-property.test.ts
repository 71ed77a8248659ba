import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsQuery, SeriesTotals, WindowRecorder, shiftWindows, statistic, type EncodedWindow } from '../../../src/metrics/index.js';
import { evaluateThresholds } from '../../../src/thresholds/index.js';
import { mergeRunDirs, mergeThresholdDefs, planMerge, writeRunDir, type SegmentRun } from '../../../src/run/merge-runs.js';
import { mergeWindowStreams } from '../../../src/run/merge-stream.js';
import { batchesOf, collect } from '../../helpers/window-streams.js';
import { UsageError } from '../../../src/contracts/errors.js';
import type { RunInfo } from '../../../src/rundir/run-dir.js';

const START = 1_700_000_000_000;

function info(segment: string, startedAtMs: number): RunInfo {
  return {
    id: segment, command: 'run', scenario: 's.ts', target: null, startedAt: new Date(startedAtMs).toISOString(), startedAtMs,
    endedAt: null, durationSeconds: 20, plannedDurationSeconds: 20, engine: { name: 'capacity-test', version: '0' }, workers: 1,
    segment, gitCommit: null, portalMode: null, seed: null, aborted: false, abortReason: null,
    options: { thresholds: { http_req_duration: ['p(99)<1000'] } }, profile: null, extra: {},
  };
}

/** What mergeRunDirs does with the segments' files, on windows in memory (as a file holds them: by second). */
async function mergeSegments(runs: ReadonlyArray<SegmentRun & { windows: EncodedWindow[] }>) {
  const plan = planMerge(runs);
  const totals = new SeriesTotals();
  const streams = plan.map((p) => batchesOf(shiftWindows([...runs.find((r) => r.dir === p.dir)!.windows].sort((a, b) => a.t - b.t), p.shiftSeconds), 7));
  const rows = await collect(mergeWindowStreams(streams, totals));
  return { windows: rows.flatMap((r) => r.windows), thresholds: evaluateThresholds(mergeThresholdDefs(plan), totals) };
}

describe('merge of n segments, any split, any whole-second start offsets', () => {
  it('equals one recorder fed every sample, second by second and over the run', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }).chain((n) => fc.record({
        n: fc.constant(n),
        offsets: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
        samples: fc.array(fc.record({ seg: fc.integer({ min: 0, max: n - 1 }), at: fc.integer({ min: 0, max: 15_999 }), v: fc.integer({ min: 1, max: 60_000 }) }), { minLength: 1, maxLength: 200 }),
      })),
      async ({ n, offsets, samples }) => {
        const whole = new WindowRecorder(START);
        const recs = offsets.map((o) => new WindowRecorder(START + o * 1000));
        for (const { seg, at, v } of samples) {
          // a segment starting o seconds late records its samples o seconds later in wall time
          const wall = START + offsets[seg] * 1000 + at;
          for (const r of [whole, recs[seg]]) {
            r.add('http_req_duration', 'trend', { name: 'x' }, v / 10, wall);
            r.add('http_reqs', 'counter', { name: 'x' }, 1, wall);
          }
        }
        const base = Math.min(...offsets);
        // the merged run starts with its earliest segment
        const wholeQ = new MetricsQuery(whole.drain().map((w) => ({ ...w, t: w.t - base })));
        const { windows, thresholds } = await mergeSegments(recs.map((r, i) => ({ dir: `d${i}`, runInfo: info(`${i + 1}/${n}`, r.startedAt), windows: r.drain() })));
        const q = new MetricsQuery(windows);
        for (const stat of ['p(50)', 'p(95)', 'p(99)', 'max', 'min', 'count']) {
          expect(statistic(q.aggregate('http_req_duration'), stat)).toBe(statistic(wholeQ.aggregate('http_req_duration'), stat));
        }
        for (let t = 0; t <= 20; t++) {
          expect(statistic(q.aggregate('http_reqs', { from: t, to: t + 1 }), 'count')).toBe(statistic(wholeQ.aggregate('http_reqs', { from: t, to: t + 1 }), 'count'));
        }
        expect(thresholds.checks[0].value).toBe(statistic(wholeQ.aggregate('http_req_duration'), 'p(99)'));
      },
    ), { numRuns: 12 });
  });

  it('names the file of a corrupt metrics file (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ct-merge-bad-'));
    try {
      await writeRunDir(join(dir, 'a'), info('1/2', START), []);
      await mkdir(join(dir, 'b', 'metrics'), { recursive: true });
      await writeFile(join(dir, 'b', 'run.json'), JSON.stringify(info('2/2', START)));
      await writeFile(join(dir, 'b', 'metrics', 'windows.jsonl.gz'), 'not gzip');
      const call = mergeRunDirs([join(dir, 'a'), join(dir, 'b')], join(dir, 'out'));
      await expect(call).rejects.toBeInstanceOf(UsageError);
      await expect(mergeRunDirs([join(dir, 'a'), join(dir, 'b')], join(dir, 'out'))).rejects.toThrow(`invalid run directory ${join(dir, 'b')}: expected metrics/windows.jsonl.gz, got`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
