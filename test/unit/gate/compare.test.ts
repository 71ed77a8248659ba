import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compareSummaries, DEFAULT_TOLERANCES, parseLatencyTolerance, parsePercentagePoints, parsePercent, type Verdict } from '../../../src/gate/compare.js';
import { parseSummary } from '../../../src/gate/load.js';
import type { Summary } from '../../../src/contracts/summary.js';

const fixture = (name: string): Summary => parseSummary(JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')), name);
const baseline = fixture('baseline.summary.json');

function find(vs: Verdict[], scope: string, metric: Verdict['metric']): Verdict {
  const v = vs.find((x) => x.scope === scope && x.metric === metric);
  if (!v) throw new Error(`no verdict ${scope} ${metric}`);
  return v;
}

function withEndpoint(s: Summary, name: string, patch: { p95?: number; p99?: number; errorRate?: number; rps?: number; requests?: number }): Summary {
  const copy = structuredClone(s);
  const e = copy.endpoints[name];
  if (patch.p95 !== undefined) e.latencyMs.p95 = patch.p95;
  if (patch.p99 !== undefined) e.latencyMs.p99 = patch.p99;
  if (patch.errorRate !== undefined) e.errorRate = patch.errorRate;
  if (patch.rps !== undefined) e.rps = patch.rps;
  if (patch.requests !== undefined) e.requests = patch.requests;
  return copy;
}

describe('gate comparison', () => {
  it('passes a run equal to its baseline, judging overall and every shared endpoint', () => {
    const r = compareSummaries(baseline, baseline);
    expect(r.pass).toBe(true);
    expect(r.counts.fail).toBe(0);
    for (const scope of ['overall', 'POST /api/v1/orders', 'POST /api/v1/register', 'GET /api/v1/shops']) {
      for (const metric of ['p95', 'p99', 'errorRate', 'rps'] as const) expect(find(r.verdicts, scope, metric).status).toBe('pass');
    }
  });

  it('fails each regressed figure of the regressed fixture and says why', () => {
    const r = compareSummaries(baseline, fixture('current-regressed.summary.json'));
    expect(r.pass).toBe(false);
    const orders = (m: Verdict['metric']) => find(r.verdicts, 'POST /api/v1/orders', m);
    expect(orders('p95')).toMatchObject({ status: 'fail', baseline: 120, current: 260, delta: 140 });
    expect(orders('p95').message).toContain('above the limit +20% and +5 ms');
    expect(orders('p99').status).toBe('fail');
    expect(orders('errorRate').status).toBe('fail');
    expect(orders('rps').status).toBe('pass');               // 15 → 14.7 is noise
    expect(find(r.verdicts, 'POST /api/v1/register', 'p95').status).toBe('pass'); // 45 → 47
    expect(find(r.verdicts, 'overall', 'rps').status).toBe('fail'); // 75.2 → 44.7
    expect(find(r.verdicts, 'GET /api/v1/shops', 'presence')).toMatchObject({ status: 'fail', baseline: 2400, current: null });
    expect(find(r.verdicts, 'GET /api/v1/wallet', 'presence')).toMatchObject({ status: 'info', current: 600 });
    expect(find(r.verdicts, 'GET /api/v1/orders/{id}', 'presence').status).toBe('info'); // 10 and 12 requests
    const failedThreshold = r.verdicts.find((v) => v.metric === 'threshold' && v.status === 'fail')!;
    expect(failedThreshold.message).toContain('http_req_failed rate<0.01 FAILS');
    expect(find(r.verdicts, 'run', 'generator')).toMatchObject({ status: 'info', current: 2 });
  });

  it('says when baseline and current latencies are of different requests (a summary from before latencyOf)', () => {
    const cur = structuredClone(baseline);
    cur.overall.latencyOf = 'expected_response:true';
    const said = compareSummaries(baseline, cur).verdicts.find((v) => v.scope === 'run' && v.message.startsWith('latencies of different requests'));
    expect(said).toMatchObject({ status: 'info' });
    expect(said!.message).toContain('baseline all requests, current expected_response:true');
    expect(compareSummaries(cur, cur).verdicts.some((v) => v.message.startsWith('latencies of different'))).toBe(false);
  });

  it('does not call a latency change smaller than the noise floor a regression, however large in percent', () => {
    const cur = withEndpoint(baseline, 'GET /api/v1/shops', { p95: 16.9 });   // 12 → 16.9: +41%, +4.9 ms
    expect(find(compareSummaries(baseline, cur).verdicts, 'GET /api/v1/shops', 'p95').status).toBe('pass');
    const worse = withEndpoint(baseline, 'GET /api/v1/shops', { p95: 17.1 });
    expect(find(compareSummaries(baseline, worse).verdicts, 'GET /api/v1/shops', 'p95').status).toBe('fail');
  });

  it('applies the limits at their edges: exactly +20% p95 and +0.5 pp errors pass, a hair more fails', () => {
    const atEdge = withEndpoint(baseline, 'POST /api/v1/orders', { p95: 144, errorRate: 0.007 });
    const r = compareSummaries(baseline, atEdge);
    expect(find(r.verdicts, 'POST /api/v1/orders', 'p95').status).toBe('pass');
    expect(find(r.verdicts, 'POST /api/v1/orders', 'errorRate').status).toBe('pass');
    const over = withEndpoint(baseline, 'POST /api/v1/orders', { p95: 144.5, errorRate: 0.0071 });
    const r2 = compareSummaries(baseline, over);
    expect(find(r2.verdicts, 'POST /api/v1/orders', 'p95').status).toBe('fail');
    expect(find(r2.verdicts, 'POST /api/v1/orders', 'errorRate').status).toBe('fail');
  });

  it('takes tolerances from the caller, relative or absolute', () => {
    const cur = withEndpoint(baseline, 'POST /api/v1/orders', { p95: 150 }); // +25%, +30 ms
    expect(find(compareSummaries(baseline, cur).verdicts, 'POST /api/v1/orders', 'p95').status).toBe('fail');
    expect(find(compareSummaries(baseline, cur, { p95: { relative: 0.3 } }).verdicts, 'POST /api/v1/orders', 'p95').status).toBe('pass');
    expect(find(compareSummaries(baseline, cur, { p95: { absoluteMs: 50 } }).verdicts, 'POST /api/v1/orders', 'p95').status).toBe('pass');
    expect(find(compareSummaries(baseline, cur, { p95: { absoluteMs: 20 } }).verdicts, 'POST /api/v1/orders', 'p95').status).toBe('fail');
  });

  it('reports a figure not measured on one side as info, never as 0', () => {
    const cur = structuredClone(baseline);
    cur.endpoints['POST /api/v1/orders'].latencyMs.p99 = null;
    const v = find(compareSummaries(baseline, cur).verdicts, 'POST /api/v1/orders', 'p99');
    expect(v).toMatchObject({ status: 'info', current: null, delta: null });
    expect(v.message).toContain('not measured in current');
  });

  it('fails a current run whose thresholds failed even when latency did not move', () => {
    const cur = structuredClone(baseline);
    cur.thresholds = { pass: false, checks: [{ name: 'checks', threshold: 'rate>0.99', value: null, pass: false }] };
    const r = compareSummaries(baseline, cur);
    expect(r.pass).toBe(false);
    expect(r.verdicts.filter((v) => v.status === 'fail').map((v) => v.metric)).toEqual(['threshold']);
  });

  it('fails an aborted current run', () => {
    const cur = structuredClone(baseline) as Summary & { run: { aborted?: boolean } };
    cur.run.aborted = true;
    const r = compareSummaries(baseline, cur);
    expect(r.pass).toBe(false);
    expect(find(r.verdicts, 'run', 'run').message).toContain('aborted');
  });

  it('uses the documented defaults', () => {
    expect(DEFAULT_TOLERANCES).toMatchObject({ p95: { relative: 0.2 }, p99: { relative: 0.3 }, errorRateIncrease: 0.005, rpsDecrease: 0.2, latencyNoiseFloorMs: 5, minRequests: 30 });
  });

  it('reads tolerance flags', () => {
    expect(parseLatencyTolerance('10%')).toEqual({ relative: 0.1 });
    expect(parseLatencyTolerance('50ms')).toEqual({ absoluteMs: 50 });
    expect(parseLatencyTolerance('fast')).toBeNull();
    expect(parsePercentagePoints('0.5pp')).toBeCloseTo(0.005, 12);
    expect(parsePercentagePoints('0.5%')).toBeNull();
    expect(parsePercent('20%')).toBeCloseTo(0.2, 12);
    expect(parsePercent('20')).toBeNull();
  });
});
