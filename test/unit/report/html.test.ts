import { describe, expect, it } from 'vitest';
import { assess, buildSummary, summaryOf } from '../../../src/assess/index.js';
import { buildReportModel } from '../../../src/report/model.js';
import { renderHtml } from '../../../src/report/html.js';
import { STRINGS } from '../../../src/report/i18n.js';
import { verdictSentences } from '../../../src/report/verdict-text.js';
import { makeRun } from '../../helpers/report-fixture.js';
import { whatIfHtml, whatIfText } from '../../../src/report/whatif-panel.js';
import { WindowRecorder } from '../../../src/metrics/index.js';

const f = makeRun({ seconds: 40, thresholds: { http_req_failed: ['rate<0.01'] } });
const summary = buildSummary({ ...f, generatedAt: '2026-01-01T00:00:00Z' });
const model = buildReportModel(assess(f), summary);
// Technical names kept as they are in Hindi (acronyms, percentiles).
const SAME_IN_BOTH = new Set(['series.p95', 'series.p99', 'table.p50', 'table.p95', 'table.p99', 'series.endpointP95',
  // the one path an older limit sweep GET (run.json from before it replayed the journeys): a name
  'verdict.limitSweep.swept.path']);

/** Text of the page outside <script> and <style>, and outside <code> (names from data: keys, paths, ids), tags removed. */
function visibleText(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<code[^>]*>[\s\S]*?<\/code>/g, ' ').replace(/<[^>]+>/g, ' ');
}

describe('report HTML', () => {
  it('is one self-contained page: chart.js inline, no external script, style or link', () => {
    const html = renderHtml(model, { lang: 'en', generatedAt: 'now' });
    expect(html).toContain('<html lang="en">');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toMatch(/Chart\.js v4/);
    for (const c of model.charts) expect(html).toContain(`id="chart-${c.id}"`);
  });

  it('escapes names that come from data, in tables and in the chart data', () => {
    const r = new WindowRecorder(f.runInfo.startedAtMs);
    const evil = '<img src=x onerror=alert(1)></script>';
    r.add('http_reqs', 'counter', { name: evil, status: '200' }, 1, f.runInfo.startedAtMs);
    r.add('http_req_duration', 'trend', { name: evil, status: '200' }, 12, f.runInfo.startedAtMs);
    const runInfo = { ...f.runInfo, scenario: '"><b>scenario</b>', profile: { x: { value: '<i>v</i>', source: '<u>s</u>' } } };
    const a = assess({ runInfo, windows: r.drain() });
    const html = renderHtml(buildReportModel(a, summaryOf(a)), { lang: 'en', generatedAt: 'now' });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;');
    expect(html).not.toContain('<b>scenario</b>');
    expect(html).not.toContain('<i>v</i>');
    expect(html).not.toContain('<u>s</u>');
    // The only closing script tags are the page's own three.
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('has a Hindi string for every English one, translated except technical names', () => {
    expect(Object.keys(STRINGS.hi).sort()).toEqual(Object.keys(STRINGS.en).sort());
    const same = Object.keys(STRINGS.en).filter((k) => (STRINGS.hi as Record<string, string>)[k] === (STRINGS.en as Record<string, string>)[k]);
    expect(same.filter((k) => !SAME_IN_BOTH.has(k))).toEqual([]);
  });

  it('leaves no English UI string in the Hindi report', () => {
    const html = renderHtml(model, { lang: 'hi', generatedAt: 'now' });
    expect(html).toContain('<html lang="hi">');
    const text = visibleText(html);
    for (const [k, en] of Object.entries(STRINGS.en)) {
      if (SAME_IN_BOTH.has(k)) continue;
      const fixed = en.split(/\{\w+\}/).filter((part) => part.trim().length >= 6);
      for (const part of fixed) expect(text, `English string ${k} in the Hindi report`).not.toContain(part.trim());
    }
    // The chart labels are in the JSON payload: none of them may be English either.
    const payload = JSON.parse(/<script type="application\/json" id="report-charts">([\s\S]*?)<\/script>/.exec(html)![1]) as Array<{ title: string; xLabel: string; datasets: Array<{ label: string }> }>;
    for (const c of payload) {
      expect(c.title).toMatch(/[\u0900-\u097F]/);
      expect(c.xLabel).toMatch(/[\u0900-\u097F]/);
    }
  });

  it('translates every word of the what-if panel into Hindi', () => {
    const en = whatIfText('en'), hi = whatIfText('hi');
    for (const k of Object.keys(en) as Array<keyof typeof en>) expect(hi[k], k).not.toBe(en[k]);
    expect(model.whatIf).not.toBeNull();
    const html = whatIfHtml(model.whatIf!, 'hi').text;
    for (const k of ['title', 'needed', 'registrationsPerDay', 'maxSustainable'] as const) expect(html).toContain(hi[k]);
    expect(html).not.toContain(en.title);
  });

  it('writes the Hindi verdict without English words (endpoint names and acronyms aside)', () => {
    const sentences = verdictSentences(model, 'hi');
    expect(sentences.length).toBeGreaterThanOrEqual(4);
    for (const { text } of sentences) {
      expect(text).toMatch(/[\u0900-\u097F]/);
      const rest = text.replace(/"[^"]*"/g, '').replace(/\b(CPU|USL|reconcile|launch-day|ms|p\d\d)\b/g, '');
      expect(rest, text).not.toMatch(/[A-Za-z]{3,}/);
    }
  });

  it('writes every kind of verdict sentence in Hindi (instances, money safe or lost, aborted, unfinished, nothing broke)', () => {
    const v = model.verdict;
    const money = { heldPaise: 12_00_000_00, stuckDebits: 0, stuckPaise: 0, discrepancyPaise: 0, capturedPaise: 0, refundedPaise: 0, refundP95Seconds: 42 };
    const variants = [
      { ...v, aborted: true, instancesForPeak: 4, headroom: 0.33, maxSustainableRps: 300, kneeRps: 280, firstBreak: null, money },
      { ...v, peakDemandRps: null, instancesForPeak: null, money: { ...money, discrepancyPaise: -2_000_00 } },
      { ...v, instancesForPeak: null, money: null, saturatedSeconds: 0, thresholds: { evaluated: true, pass: true, failed: [], total: 3 } },
      { ...v, aborted: false, unfinished: true },
    ];
    for (const verdict of variants) {
      for (const { text } of verdictSentences({ ...model, verdict }, 'hi')) {
        const rest = text.replace(/"[^"]*"/g, '').replace(/\b(CPU|USL|reconcile|launch-day|ms|p\d\d)\b/g, '');
        expect(rest, text).not.toMatch(/[A-Za-z]{3,}/);
      }
    }
    const lost = verdictSentences({ ...model, verdict: variants[1] }, 'hi').map((x) => x.text).join(' ');
    expect(lost).toContain('−₹2,000');
    const safe = verdictSentences({ ...model, verdict: variants[0] }, 'en').map((x) => x.text).join(' ');
    expect(safe).toContain('₹12 lakh');
    expect(safe).toContain('needs 4 instances');
    const killed = verdictSentences({ ...model, verdict: variants[3] }, 'en');
    expect(killed[0]).toEqual({ tone: 'bad', text: expect.stringContaining('ended before the test did') });
    expect(verdictSentences(model, 'en').map((x) => x.text).join(' ')).not.toContain('ended before the test did');
  });

  it('says in the English verdict what breaks first and whether money is safe', () => {
    const text = verdictSentences(model, 'en').map((s) => s.text).join('\n');
    expect(text).toMatch(/First to break: "(GET|POST) \/api\/v1\/[a-z/]+", at about [\d,]+ requests per second/);
    expect(text).toMatch(/debits stayed stuck past the refund limit/);
    expect(text).toMatch(/half of the people got an answer within/);
  });
});
