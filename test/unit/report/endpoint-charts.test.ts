import { describe, expect, it } from 'vitest';
import { assess, summaryOf } from '../../../src/assess/index.js';
import { WindowRecorder } from '../../../src/metrics/index.js';
import { buildReportModel } from '../../../src/report/model.js';
import { renderHtml } from '../../../src/report/html.js';
import { MONEY_PATHS, endpointOrder } from '../../../src/report/endpoint-charts.js';
import { makeRun } from '../../helpers/report-fixture.js';

describe('every endpoint charted', () => {
  it('gives each endpoint its own small chart, the paths where money moves first', () => {
    const f = makeRun({ seconds: 20 });
    const m = buildReportModel(assess(f), summaryOf(assess(f)));
    const small = m.charts.filter((c) => c.group === 'endpoint');
    const names = Object.keys(m.summary.endpoints);
    expect(small.map((c) => c.titleVars!.endpoint).sort()).toEqual([...names].sort());
    expect(small[0].titleVars!.endpoint).toBe('POST /api/v1/orders');
    expect(small[0].title).toBe('chart.endpointMoney');
    // its answers per second add up to the endpoint's requests (no failures below capacity... or with them)
    const e = m.summary.endpoints['POST /api/v1/orders'];
    const ok = small[0].series[1].data as number[], failed = small[0].series[2].data as number[];
    expect(Math.round(ok.reduce((a, x) => a + x, 0) + failed.reduce((a, x) => a + x, 0))).toBe(e.requests);
    const html = renderHtml(m, { lang: 'hi', generatedAt: 'now' });
    for (const c of small) expect(html).toContain(`id="chart-${c.id}"`);
  });

  it('orders money paths first, in their order, then the rest as given', () => {
    expect(endpointOrder(['GET /a', 'POST /api/v1/otp/send', 'GET /b', 'POST /api/v1/orders'])).toEqual(['POST /api/v1/orders', 'POST /api/v1/otp/send', 'GET /a', 'GET /b']);
    expect(MONEY_PATHS[0]).toBe('POST /api/v1/orders');
  });
});

describe('retries, abandonment and amplification over time', () => {
  const start = 1_767_000_000_000;
  function run(withRetries: boolean) {
    const r = new WindowRecorder(start);
    for (let t = 0; t < 10; t++) {
      const at = start + t * 1000 + 100;
      // 4 first attempts a second; from second 5 on, 2 of them fail with 503 and are sent again once
      const failing = withRetries && t >= 5 ? 2 : 0;
      for (let i = 0; i < 4; i++) {
        const status = i < failing ? '503' : '202';
        const tags = { name: 'POST /api/v1/orders', status };
        r.add('http_reqs', 'counter', tags, 1, at); r.add('http_req_duration', 'trend', tags, 20, at); r.add('http_req_failed', 'rate', tags, status === '503' ? 1 : 0, at);
      }
      for (let i = 0; i < failing; i++) {
        const tags = { name: 'POST /api/v1/orders', status: '202', retry: '1' };
        r.add('http_reqs', 'counter', tags, 1, at + 10); r.add('http_req_duration', 'trend', tags, 20, at + 10); r.add('http_req_failed', 'rate', tags, 0, at + 10);
        r.add('retries', 'counter', { step: 'order', policy: 'naive' }, 1, at + 5);
      }
      if (withRetries && t === 7) r.add('journey_abandoned', 'counter', { journey: 'newUser', step: 'topup' }, 3, at);
    }
    const f = makeRun({ seconds: 10 });
    const a = assess({ runInfo: { ...f.runInfo, durationSeconds: 10 }, windows: r.drain() });
    return buildReportModel(a, summaryOf(a));
  }

  it('charts retries and people giving up per step, and requests sent per first attempt', () => {
    const m = run(true);
    const byId = new Map(m.charts.map((c) => [c.id, c]));
    const retries = byId.get('retries')!;
    expect(retries.series.map((s) => s.label)).toEqual([{ key: 'step.order' }]);
    expect(retries.series[0].data).toEqual([0, 0, 0, 0, 0, 2, 2, 2, 2, 2]);
    const abandoned = byId.get('abandoned')!;
    expect(abandoned.series[0].label).toEqual({ key: 'step.topup' });
    expect(abandoned.series[0].data).toEqual([0, 0, 0, 0, 0, 0, 0, 3, 0, 0]);
    // 6 requests sent for 4 first attempts: 1.5; before the failures, 1
    expect(byId.get('amplification')!.series[0].data).toEqual([1, 1, 1, 1, 1, 1.5, 1.5, 1.5, 1.5, 1.5]);
    expect(renderHtml(m, { lang: 'en', generatedAt: 'now' })).not.toContain('counted no retries');
  });

  it('says so when the scenario counted no retries and nobody giving up', () => {
    const m = run(false);
    expect(m.charts.map((c) => c.id)).not.toContain('retries');
    expect(m.charts.map((c) => c.id)).not.toContain('amplification');
    expect(renderHtml(m, { lang: 'hi', generatedAt: 'now' })).toContain('इस परीक्षण में परिदृश्य ने न कोई दोबारा कोशिश गिनी');
  });
});
