import { describe, expect, it } from 'vitest';
import { WindowRecorder } from '../../../src/metrics/index.js';
import { assess, buildSummary, loadLevels } from '../../../src/assess/index.js';
import { buildReportModel, errorKind, profileRows, timeLabeller } from '../../../src/report/model.js';
import { makeRun } from '../../helpers/report-fixture.js';
import { verdictSentences } from '../../../src/report/verdict-text.js';

const START = 1_767_000_000_000;

describe('load levels', () => {
  it('follows the steps of a stepped plan', () => {
    const rates = [10, 10, 10, 10, 20, 20, 20, 20, 20, 40, 40, 40];
    expect(loadLevels((t) => rates[t] ?? 0, rates.length)).toEqual([[0, 4], [4, 9], [9, 12]]);
  });

  it('cuts a ramp into the short stretches where it holds still (spread within 10% of the mean + 2 arrivals), at most levelWidth long', () => {
    expect(loadLevels((t) => t + 1, 30)).toEqual([[0, 3], [3, 6], [6, 9], [9, 13], [13, 17], [17, 22], [22, 27], [27, 30]]);
  });

  it('cuts a run that planned nothing into equal slices of levelWidth', () => {
    expect(loadLevels(null, 30)).toEqual([[0, 5], [5, 10], [10, 15], [15, 20], [20, 25], [25, 30]]);
  });
});

describe('time labels', () => {
  const f = makeRun({ seconds: 10 });
  it('use the portal\'s simulated clock when it was scraped', () => {
    const l = timeLabeller(f.runInfo, f.server);
    expect(l.simulated).toBe(true);
    expect(l.label(0)).toBe('09:00');
    expect(l.label(3)).toBe('09:03');
  });

  it('fall back to the run\'s compression, then to time since start', () => {
    const l = timeLabeller({ ...f.runInfo, extra: { simulatedStart: '08:45', timeScale: 30 } }, null);
    expect(l.label(4)).toBe('08:47:00');
    const plain = timeLabeller({ ...f.runInfo, extra: {} }, null);
    expect(plain.simulated).toBe(false);
    expect(plain.label(75)).toBe('1:15');
  });
});

describe('whose clock the times are on', () => {
  const f = makeRun({ seconds: 10 });
  const target = { ...f.runInfo, portalMode: null, target: 'https://portal.example.in' };
  it('time labels say whose clock they read: the portal\'s scraped, else the plan\'s, else none', () => {
    expect(timeLabeller(f.runInfo, f.server).clock).toBe('portal');
    expect(timeLabeller({ ...f.runInfo, extra: { simulatedStart: '08:45', timeScale: 30 } }, null).clock).toBe('plan');
    expect(timeLabeller({ ...f.runInfo, extra: {} }, null).clock).toBeNull();
  });

  it('with the embedded portal (its clock set to the plan\'s) the report says nothing of it', () => {
    const m = buildReportModel(assess(f));
    expect(m.targetClock).toBeNull();
    expect(verdictSentences(m, 'en').map((x) => x.text).join('\n')).not.toMatch(/clock/);
  });

  it('with --target to a portal that keeps its own clock, the report says its times are that portal\'s, in English and Hindi', () => {
    const m = buildReportModel(assess({ ...f, runInfo: target }));
    expect(m.targetClock).toEqual({ source: 'portal', planStart: '09:00:00', timeScale: 60 });
    expect(verdictSentences(m, 'en').map((x) => x.text)).toContain('The times of day in this report are the target portal’s own clock, as its "/api/v1/clock" read during the run, not the launch-day plan’s (which began at 09:00:00); the two need not agree.');
    for (const { text } of verdictSentences(m, 'hi')) expect(text.replace(/"[^"]*"/g, '').replace(/\b(CPU|USL|reconcile|launch-day|ms|p\d\d)\b/g, ''), text).not.toMatch(/[A-Za-z]{3,}/);
    expect(verdictSentences(m, 'hi').map((x) => x.text)).toContain('इस रिपोर्ट में दिन के समय लक्ष्य पोर्टल की अपनी घड़ी के हैं, जैसा परीक्षण के दौरान उसके "/api/v1/clock" ने बताया — लॉन्च-डे योजना की घड़ी के नहीं (जो 09:00:00 से शुरू हुई थी); दोनों का मेल खाना ज़रूरी नहीं।');
  });

  it('with --target to a portal without a clock, the times are the plan\'s and the report says so', () => {
    const m = buildReportModel(assess({ ...f, runInfo: target, server: { ...f.server!, clock: [] } }));
    expect(m.targetClock).toEqual({ source: 'plan', planStart: '09:00:00', timeScale: 60 });
    // natural Hindi: no English word outside the quoted endpoint
    for (const { text } of verdictSentences(m, 'hi')) expect(text.replace(/"[^"]*"/g, '').replace(/\b(CPU|USL|reconcile|launch-day|ms|p\d\d)\b/g, ''), text).not.toMatch(/[A-Za-z]{3,}/);
    expect(verdictSentences(m, 'en').map((x) => x.text)).toContain('The times of day in this report are the launch-day plan’s simulated clock (09:00:00 at the start of the test, running ×60); the target portal did not report a clock of its own.');
    expect(verdictSentences(m, 'hi').map((x) => x.text)).toContain('इस रिपोर्ट में दिन के समय लॉन्च-डे योजना की सिमुलेटेड घड़ी के हैं (परीक्षण की शुरुआत में 09:00:00, ×60 की रफ़्तार से); लक्ष्य पोर्टल ने अपनी घड़ी नहीं बताई।');
  });
});

describe('report model', () => {
  it('sorts failures into kinds a planner recognises', () => {
    expect(['0', '429', '503', '500', '502', '404', undefined].map(errorKind)).toEqual(['network', '429', '503', '5xx', '5xx', '4xx', 'network']);
  });

  it('lists profile parameters with their sources, however deep', () => {
    expect(profileRows({ a: { value: 3, source: 'facts' }, b: { c: 0.5 } })).toEqual([
      { name: 'a', value: '3', raw: 3, source: 'facts' },
      { name: 'b.c', value: '0.5', raw: 0.5, source: null },
    ]);
  });

  it('takes the portal\'s own total of a labelled queue instead of adding it twice', () => {
    const f = makeRun({ seconds: 6 });
    f.server!.scrapes.forEach((s) => {
      s.samples.portal_queue_depth = [{ labels: { shop: 'a' }, value: 2 }, { labels: { shop: 'b' }, value: 3 }, { labels: { shop: 'all' }, value: 5 }];
    });
    const summary = buildSummary(f);
    const m = buildReportModel(assess(f), summary);
    const queue = m.charts.find((c) => c.id === 'server')!.series.find((s) => 'key' in s.label && s.label.key === 'series.queueDepth')!;
    expect(queue.data.every((v) => v === 5)).toBe(true);
  });

  it('keeps long runs to at most 600 points per chart', () => {
    const r = new WindowRecorder(START);
    for (let t = 0; t < 3000; t += 7) r.add('http_reqs', 'counter', { name: 'GET /x', status: '200' }, 1, START + t * 1000);
    const f = makeRun({ seconds: 1, withServer: false });
    const runInfo = { ...f.runInfo, durationSeconds: 3000, extra: {} };
    const windows = r.drain();
    const m = buildReportModel(assess({ runInfo, windows }));
    expect(m.bucketSeconds).toBe(5);
    for (const c of m.charts.filter((c) => c.kind === 'time')) expect(c.labels.length).toBe(600);
  });
});

describe('faults on the charts', () => {
  it('marks each injected fault on every time chart, from when the portal acknowledged it, and says so under the charts', async () => {
    const f = makeRun({ seconds: 40 });
    const a = assess(f);
    const fault = { kind: 'latency' as const, label: '+300 ms on POST /api/v1/orders', at: '09:05', until: '09:10', fromSecond: 10, toSecond: 20,
      appliedAtSecond: 10.2, clearedAtSecond: 20.1, error: null };
    const m = buildReportModel(a, undefined, [fault]);
    const time = m.charts.filter((c) => c.kind === 'time');
    expect(time.length).toBeGreaterThan(2);
    for (const c of time) expect(c.faults).toEqual([{ from: 10, to: 20, label: '+300 ms on POST /api/v1/orders' }]);
    for (const c of m.charts.filter((x) => x.kind === 'xy')) expect(c.faults).toBeUndefined();
    expect(m.faultWindows).toEqual([{ fromSecond: 10, toSecond: 20, label: '+300 ms on POST /api/v1/orders', applied: true }]);
    expect(buildReportModel(a).charts.every((c) => c.faults === undefined)).toBe(true);
    const { renderHtml } = await import('../../../src/report/html.js');
    const page = String(renderHtml(m, { lang: 'en', generatedAt: '2026-12-03T00:00:00Z', chartJsSource: '' }));
    expect(page).toContain('Red bands: faults injected into the portal');
    expect(page).toContain('+300 ms on POST /api/v1/orders');
    expect(String(renderHtml(m, { lang: 'hi', generatedAt: '2026-12-03T00:00:00Z', chartJsSource: '' }))).toContain('लाल पट्टियाँ');
  });
});
