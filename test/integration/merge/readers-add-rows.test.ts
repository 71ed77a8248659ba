import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import {
  MetricsQuery, SeriesTotals, WindowRecorder, decodeWindows, mergeWindows, percentile, streamWindows, windowRowsText,
  type Aggregate, type EncodedWindow, type WindowRow,
} from '../../../src/metrics/index.js';
import { digestSource, type RunDigest } from '../../../src/assess/index.js';
import { buildSummary } from '../../../src/assess/index.js';
import type { RunInfo } from '../../../src/rundir/run-dir.js';
import { collect, rowsOf } from '../../helpers/window-streams.js';

const START = 1_767_000_000_000;
const SECONDS = 70;
const METRICS = ['http_reqs', 'http_req_failed', 'http_req_duration', 'vus', 'planned_iterations'];

/** Samples of `seconds`, integer-valued (sums then add up alike in any order). */
function record(r: WindowRecorder, seconds: readonly number[], seed: number): void {
  for (const t of seconds) {
    const at = START + t * 1000;
    r.add('planned_iterations', 'counter', {}, 10, at);
    r.add('vus', 'gauge', {}, 3 + (t % 4), at + 900);
    for (let i = 0; i < 6; i++) {
      const name = i % 2 ? 'GET /a' : 'POST /b';
      const status = (t * 7 + i + seed) % 13 === 0 ? '503' : '200';
      const tags = { name, status };
      r.add('http_reqs', 'counter', tags, 1, at + i);
      r.add('http_req_failed', 'rate', tags, status === '503' ? 1 : 0, at + i);
      r.add('http_req_duration', 'trend', tags, 5 + ((t * 131 + i * 977 + seed) % 700), at + i);
    }
  }
}

/**
 * The same windows written two ways: (a) as the engine and a streamed merge write them, each second on
 * its row and late windows (of seconds 5 and 2, 3 and 58 seconds late: within the report's 30-second
 * horizon and past it) on rows of their own later; (b) added up into one row a second.
 */
function twoFiles(): { rowsA: WindowRow[]; rowsB: WindowRow[] } {
  const onTime = new WindowRecorder(START);
  record(onTime, Array.from({ length: SECONDS }, (_, t) => t), 1);
  const late5 = new WindowRecorder(START);
  record(late5, [5], 2);
  const late2 = new WindowRecorder(START);
  record(late2, [2], 3);
  const rows = rowsOf(onTime.drain().sort((a, b) => a.t - b.t));
  const lateRows = (r: WindowRecorder) => r.drain().map((w): WindowRow => ({ t: w.t, windows: [w] }));
  const rowsA = [...rows.slice(0, 9), ...lateRows(late5), ...rows.slice(9, 61), ...lateRows(late2), ...rows.slice(61)];
  const all: EncodedWindow[] = rowsA.flatMap((r) => r.windows);
  const rowsB = rowsOf(mergeWindows(all).sort((a, b) => a.t - b.t));
  expect(rowsB.length).toBe(SECONDS);
  expect(rowsA.length).toBeGreaterThan(SECONDS);
  return { rowsA, rowsB };
}

async function* text(rows: readonly WindowRow[]): AsyncGenerator<string> {
  yield* windowRowsText((async function* () { yield* rows; })(), 4096);
}

async function fileOf(rows: readonly WindowRow[]): Promise<Buffer> {
  return gzipSync((await collect(text(rows))).join(''));
}

/** An aggregate's figures, its histogram as percentiles. */
function figures(a: Aggregate): unknown {
  const { histogram, ...rest } = a;
  return { ...rest, p: histogram ? [0, 50, 95, 99, 100].map((q) => percentile(histogram, q)) : null };
}

const runInfo: RunInfo = {
  id: 'late', command: 'run', scenario: 's.ts', target: null, startedAt: new Date(START).toISOString(), startedAtMs: START,
  endedAt: null, durationSeconds: SECONDS, plannedDurationSeconds: SECONDS, engine: { name: 'capacity-test', version: '0' }, workers: 1,
  segment: null, gitCommit: null, portalMode: null, seed: null, aborted: false, abortReason: null,
  options: { thresholds: { http_req_duration: ['p(95)<500'], http_req_failed: ['rate<0.1'] } }, profile: null, extra: {},
};

describe('readers of a windows file add up every row of a second (what a streamed merge relies on)', () => {
  it('decodeWindows + MetricsQuery read a late row as if it were added to its second', async () => {
    const { rowsA, rowsB } = twoFiles();
    const qa = new MetricsQuery(decodeWindows(await fileOf(rowsA)));
    const qb = new MetricsQuery(decodeWindows(await fileOf(rowsB)));
    for (const m of METRICS) {
      expect(figures(qa.aggregate(m))).toEqual(figures(qb.aggregate(m)));
      for (let t = 0; t < SECONDS; t++) expect(figures(qa.aggregate(m, { from: t, to: t + 1 })), `${m} ${t}`).toEqual(figures(qb.aggregate(m, { from: t, to: t + 1 })));
    }
  });

  it('SeriesTotals fed every window of either file hold the same whole-run figures', async () => {
    const totals = async (rows: WindowRow[]) => {
      const s = new SeriesTotals();
      for (const w of decodeWindows(await fileOf(rows))) s.add(w);
      return s;
    };
    const { rowsA, rowsB } = twoFiles();
    const [ta, tb] = [await totals(rowsA), await totals(rowsB)];
    for (const m of METRICS) {
      expect(figures(ta.aggregate(m))).toEqual(figures(tb.aggregate(m)));
      expect(figures(ta.aggregate(m, { tags: { name: 'GET /a' } }))).toEqual(figures(tb.aggregate(m, { tags: { name: 'GET /a' } })));
    }
  });

  it('the report\'s digest and summary of either file are the same, per second, per chart bucket and per level', async () => {
    const { rowsA, rowsB } = twoFiles();
    const digest = (rows: WindowRow[]) => digestSource((sink) => streamWindows(text(rows), sink), { declaredSeconds: SECONDS });
    const [da, db] = [await digest(rowsA), await digest(rowsB)];
    // the window 58 seconds late is past the 30-second horizon: the digest read file (a) again
    expect([da.passes, db.passes]).toEqual([2, 1]);
    const columns = (d: RunDigest) => Object.fromEntries(Object.entries(d.perSecond).map(([k, c]) => [k, Array.from(c.data)]));
    expect(columns(da)).toEqual(columns(db));
    expect(da.chart).toEqual(db.chart);
    expect(da.levels).toEqual(db.levels);
    expect([da.seconds, da.lagSaturatedSeconds, da.vuPoolExhaustedSeconds]).toEqual([db.seconds, db.lagSaturatedSeconds, db.vuPoolExhaustedSeconds]);
    for (const m of METRICS) expect(figures(da.totals.aggregate(m))).toEqual(figures(db.totals.aggregate(m)));
    const generatedAt = '2026-01-01T00:00:00.000Z';
    expect(buildSummary({ runInfo, digest: da, server: null, generatedAt })).toEqual(buildSummary({ runInfo, digest: db, server: null, generatedAt }));
  });
});
