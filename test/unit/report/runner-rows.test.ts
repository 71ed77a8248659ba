import { describe, expect, it } from 'vitest';
import type { RunnerRecord } from '../../../src/assess/index.js';
import { runnerRows, runnerSentences } from '../../../src/report/runner-rows.js';
import { runnerSentenceText } from '../../../src/report/runners-section.js';
import { runnerMarks } from '../../../src/report/model.js';

function runner(i: number, over: Partial<RunnerRecord> = {}): RunnerRecord {
  return {
    segment: `${i + 1}/3`, index: i, dir: `/r/segment-${i + 1}`, host: { pod: `ct-x-runners-${i}`, ip: `10.0.0.${i + 2}`, node: 'node-a' },
    status: 'complete', reason: null, plannedSeconds: 10, secondsWritten: 10, missingSeconds: [], saturatedSeconds: [],
    requests: 1000 + i, droppedIterations: 0, scheduleLagP99Ms: 2, eventLoopLagP99Ms: 3, ...over,
  };
}
const label = (t: number) => `0:${String(t).padStart(2, '0')}`;
const keys = (runners: RunnerRecord[]) => runnerSentences(runners, label).map((s) => s.key);

describe('the runners of a merged run, as the report tells them', () => {
  it('all finished: says how many, that all finished, and that no generator fell behind', () => {
    const runners = [runner(0), runner(1), runner(2)];
    const s = runnerSentences(runners, label);
    expect(s.map((x) => [x.key, x.tone])).toEqual([['runners.allFinished', 'good'], ['runners.noneSaturated', 'good']]);
    expect(runnerSentenceText(s[0], 'en')).toBe('This test was split across 3 runners, each a load generator sending its own share of the load; all 3 finished and wrote every second of their share.');
    expect(runnerRows(runners)).toEqual([0, 1, 2].map((i) => ({
      segment: `${i + 1}/3`, host: `ct-x-runners-${i} · 10.0.0.${i + 2} · node-a`, status: 'finished', secondsWritten: 10, plannedSeconds: 10,
      requests: 1000 + i, droppedIterations: 0, scheduleLagP99Ms: 2, eventLoopLagP99Ms: 3, saturatedSeconds: 0,
    })));
  });

  it('one saturated: names it with its seconds on the merged clock; it still finished', () => {
    const runners = [runner(0), runner(1, { saturatedSeconds: [3, 4, 5, 8], shiftSeconds: 1, scheduleLagP99Ms: 140 }), runner(2)];
    const s = runnerSentences(runners, label);
    expect(s.map((x) => x.key)).toEqual(['runners.allFinished', 'runners.saturated']);
    expect(s[1]).toMatchObject({ tone: 'warn', vars: { segment: '2/3', n: '4', at: '0:04–0:06, 0:09' } });
    expect(runnerSentenceText(s[1], 'en')).toContain('Runner 2/3’s load generator fell behind its own schedule for 4 s (0:04–0:06, 0:09;');
    expect(runnerSentenceText(s[1], 'hi')).toContain('रनर 2/3 का लोड जनरेटर 4 सेकंड तक');
    expect(runnerRows(runners)[1]).toMatchObject({ status: 'finished', saturatedSeconds: 4, scheduleLagP99Ms: 140 });
  });

  it('one missing seconds: not all finished, and that runner named with the seconds it lacks and why', () => {
    const runners = [runner(0), runner(1), runner(2, { status: 'killed', reason: 'killed', secondsWritten: 4, missingSeconds: [4, 5, 6, 7, 8, 9] })];
    const s = runnerSentences(runners, label);
    expect(s.map((x) => [x.key, x.tone])).toEqual([['runners.notAllFinished', 'bad'], ['runners.missingSeconds', 'bad'], ['runners.noneSaturated', 'good']]);
    expect(runnerSentenceText(s[0], 'en')).toContain('only 2 of the 3 finished');
    expect(runnerSentenceText(s[1], 'en')).toBe('Runner 3/3 stopped before the end (its process was cut off) and is missing 6 s of its share (0:04–0:09): the figures of those seconds leave it out.');
    expect(runnerSentenceText(s[1], 'hi')).toBe('रनर 3/3 अंत से पहले रुक गया (उसकी प्रक्रिया बीच में ही बंद हो गई) और उसके हिस्से के 6 सेकंड दर्ज नहीं हुए (0:04–0:09): उन सेकंडों के आँकड़ों में वह शामिल नहीं है।');
    expect(runnerRows(runners)[2]).toMatchObject({ status: 'missingSeconds', secondsWritten: 4, plannedSeconds: 10 });
  });

  it('one missing entirely: not all finished, and that runner named as never having run', () => {
    const gone = runner(1, { status: 'missing', dir: null, host: null, plannedSeconds: null, secondsWritten: 0, requests: 0, scheduleLagP99Ms: null, eventLoopLagP99Ms: null });
    const s = runnerSentences([runner(0), gone, runner(2)], label);
    expect(s.map((x) => x.key)).toEqual(['runners.notAllFinished', 'runners.missing', 'runners.noneSaturated']);
    expect(runnerSentenceText(s[1], 'en')).toBe('Runner 2/3 never ran: its share of the load is missing from every figure.');
    expect(runnerRows([gone])[0]).toMatchObject({ status: 'missing', host: null, plannedSeconds: null, scheduleLagP99Ms: null });
  });

  it('an aborted runner that lost no listed second is said to have stopped, not to have lost seconds', () => {
    expect(keys([runner(0, { status: 'aborted', reason: 'aborted: x', secondsWritten: 10 })])).toEqual(['runners.notAllFinished', 'runners.stopped', 'runners.noneSaturated']);
  });

  it('says nothing for a run without runners', () => {
    expect(runnerSentences([], label)).toEqual([]);
  });
});

describe('a saturated runner on the charts', () => {
  it('is one band per stretch of its seconds on the merged clock, labelled with its segment; stretches in touching buckets join', () => {
    const r = runner(1, { saturatedSeconds: [3, 4, 5, 20, 21], shiftSeconds: 2 });
    expect(runnerMarks([r], 1, 30)).toEqual([{ from: 5, to: 7, label: '2/3', runner: '2/3' }, { from: 22, to: 23, label: '2/3', runner: '2/3' }]);
    // 5-second buckets: seconds 5–7 and 22–23 are buckets 1 and 4
    expect(runnerMarks([r], 5, 6)).toEqual([{ from: 1, to: 1, label: '2/3', runner: '2/3' }, { from: 4, to: 4, label: '2/3', runner: '2/3' }]);
    expect(runnerMarks([runner(0, { saturatedSeconds: [4, 6] })], 5, 6)).toEqual([{ from: 0, to: 1, label: '1/3', runner: '1/3' }]);
    expect(runnerMarks([runner(0)], 1, 10)).toEqual([]);
  });
});
