import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsQuery, WindowRecorder, decodeWindows, statistic, type EncodedWindow } from '../../../src/metrics/index.js';
import { REORDER_SECONDS, WindowLog } from '../../../src/rundir/window-log.js';

const START = 1_767_000_000_000;

/** A 30-second run's windows: requests, latencies and planned/dropped iterations every second. */
function recordRun(): EncodedWindow[] {
  const r = new WindowRecorder(START);
  for (let t = 0; t < 30; t++) {
    const at = START + t * 1000;
    r.add('planned_iterations', 'counter', {}, 10, at);
    if (t % 7 === 3) r.add('dropped_iterations', 'counter', {}, 2, at);
    for (let i = 0; i < 5; i++) {
      const tags = { name: i % 2 ? 'GET /a' : 'POST /b', status: '200' };
      r.add('http_reqs', 'counter', tags, 1, at + i);
      r.add('http_req_duration', 'trend', tags, 10 + ((t * 5 + i) % 97) * 3.5, at + i);
    }
  }
  return r.drain().sort((a, b) => a.t - b.t);
}

/** The seconds of the file's rows, in file order. */
function rowSeconds(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('[')).map((l) => JSON.parse(l)[0] as number);
}

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'ct-seam-windowlog-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the windows file of a run', () => {
  it('is written one row a second in second order when the engine hands some windows on seconds late', async () => {
    const windows = recordRun();
    // As the engine does: each second's windows once closed, but the dropped and planned iterations of
    // some seconds come one or two seconds later (recorded at the second they were due).
    const delayed = (w: EncodedWindow) => (w.metric === 'dropped_iterations' || (w.metric === 'planned_iterations' && w.t % 5 === 0) ? 1 + (w.t % 2) : 0);
    const batches = new Map<number, EncodedWindow[]>();
    for (const w of windows) {
      const at = w.t + delayed(w);
      if (!batches.has(at)) batches.set(at, []);
      batches.get(at)!.push(w);
    }
    const log = new WindowLog(join(dir, 'a.partial.jsonl'));
    for (const at of [...batches.keys()].sort((a, b) => a - b)) log.append(batches.get(at)!);
    // held back: the last REORDER_SECONDS seconds are not written until the end
    expect(rowSeconds(join(dir, 'a.partial.jsonl')).at(-1)).toBe(29 - REORDER_SECONDS);
    await log.finish(join(dir, 'a.jsonl.gz'));
    const written = decodeWindows(readFileSync(join(dir, 'a.jsonl.gz')));
    const rows = written.reduce<number[]>((ts, w) => (ts.at(-1) === w.t ? ts : [...ts, w.t]), []);
    expect(rows).toEqual(Array.from({ length: 30 }, (_, t) => t));
    expect(log.late).toBe(0);
    const a = new MetricsQuery(windows), b = new MetricsQuery(written);
    for (const metric of ['planned_iterations', 'dropped_iterations', 'http_reqs']) {
      for (let t = 0; t < 30; t++) expect(statistic(b.aggregate(metric, { from: t, to: t + 1 }), 'count')).toBe(statistic(a.aggregate(metric, { from: t, to: t + 1 }), 'count'));
    }
    expect(statistic(b.aggregate('http_req_duration'), 'p(95)')).toBe(statistic(a.aggregate('http_req_duration'), 'p(95)'));
  });

  it('writes a window later than the buffer in a row of its own, counted, and loses none of it', async () => {
    const windows = recordRun();
    const lateOne = windows.find((w) => w.metric === 'planned_iterations' && w.t === 2)!;
    const log = new WindowLog(join(dir, 'b.partial.jsonl'));
    for (let t = 0; t < 30; t++) log.append(windows.filter((w) => w.t === t && w !== lateOne));
    log.append([lateOne]);
    log.finishSync(join(dir, 'b.jsonl.gz'));
    expect(log.late).toBe(1);
    const written = decodeWindows(readFileSync(join(dir, 'b.jsonl.gz')));
    expect(statistic(new MetricsQuery(written).aggregate('planned_iterations', { from: 2, to: 3 }), 'count')).toBe(10);
    expect(written).toHaveLength(windows.length);
  });
});
