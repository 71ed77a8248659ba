import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateThresholds, parseThresholds, shouldAbort, compare, formatThresholdChecks, type Operator } from '../../../src/thresholds/index.js';
import { MetricsQuery, WindowRecorder } from '../../../src/metrics/index.js';
import { UsageError } from '../../../src/contracts/errors.js';

const start = 1_700_000_000_000;

/** A run of 10 seconds: 100 orders (latency 1..100 ms, 5 failed), 10 registrations at 500 ms. */
function fixture(): MetricsQuery {
  const r = new WindowRecorder(start);
  for (let i = 1; i <= 100; i++) {
    const at = start + (i - 1) * 100;
    const tags = { name: 'POST /api/v1/orders', group: '::checkout', expected_response: i <= 95 ? 'true' : 'false' };
    r.add('http_req_duration', 'trend', tags, i, at);
    r.add('http_req_failed', 'rate', tags, i > 95 ? 1 : 0, at);
    r.add('http_reqs', 'counter', tags, 1, at);
  }
  for (let i = 0; i < 10; i++) {
    const tags = { name: 'POST /api/v1/register', scenario: 'citizens' };
    r.add('http_req_duration', 'trend', tags, 500, start + i * 1000);
    r.add('http_req_failed', 'rate', tags, 0, start + i * 1000);
    r.add('http_reqs', 'counter', tags, 1, start + i * 1000);
  }
  r.add('vus', 'gauge', {}, 7, start + 9500);
  return new MetricsQuery(r.drain());
}

describe('parsing thresholds in k6 syntax', () => {
  it('reads keys with tag filters whose values hold spaces, slashes and colons', () => {
    const defs = parseThresholds({
      'http_req_duration{name:POST /api/v1/orders}': ['p(95)<800'],
      'http_req_duration{group:::checkout}': ['p(99.9)<=1500'],
      'http_req_duration{ scenario : citizens , expected_response:true }': ['avg < 200'],
      http_req_failed: ['rate<0.01'],
    });
    expect(defs.map((d) => [d.metric, d.tags, d.stat, d.op, d.value])).toEqual([
      ['http_req_duration', { name: 'POST /api/v1/orders' }, 'p(95)', '<', 800],
      ['http_req_duration', { group: '::checkout' }, 'p(99.9)', '<=', 1500],
      ['http_req_duration', { scenario: 'citizens', expected_response: 'true' }, 'avg', '<', 200],
      ['http_req_failed', {}, 'rate', '<', 0.01],
    ]);
    expect(defs[0].key).toBe('http_req_duration{name:POST /api/v1/orders}');
    expect(defs[2].expression).toBe('avg < 200');
  });

  it('reads a tag value that itself holds braces, such as a templated endpoint name', () => {
    const [d] = parseThresholds({ 'http_req_duration{name:GET /api/v1/orders/{id}}': ['p( 99 ) < 500'] });
    expect(d).toMatchObject({ metric: 'http_req_duration', tags: { name: 'GET /api/v1/orders/{id}' }, stat: 'p(99)', op: '<', value: 500 });
  });

  it('reads every operator and statistic', () => {
    const ops = ['<', '<=', '>', '>=', '==', '===', '!='];
    const stats = ['avg', 'min', 'max', 'med', 'p(90)', 'p(99.99)', 'count'];
    const defs = parseThresholds({ http_req_duration: stats.flatMap((s) => ops.map((o) => `${s}${o}1.5`)) });
    expect(defs).toHaveLength(ops.length * stats.length);
    expect(new Set(defs.map((d) => d.op))).toEqual(new Set(ops));
    expect(parseThresholds({ my_gauge: ['value>=-3', 'value<1e3'] }).map((d) => d.value)).toEqual([-3, 1000]);
  });

  it('reads the object form with abortOnFail and delayAbortEval', () => {
    const [a, b] = parseThresholds({ http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: '10s' }, 'rate<0.01'] });
    expect(a).toMatchObject({ abortOnFail: true, delayAbortEvalSeconds: 10, expression: 'rate<0.05' });
    expect(b).toMatchObject({ abortOnFail: false, delayAbortEvalSeconds: 0 });
    expect(parseThresholds({ http_req_failed: [{ threshold: 'rate<0.05', delayAbortEval: 2500 }] })[0].delayAbortEvalSeconds).toBe(2.5);
  });

  it('accepts nothing as no thresholds', () => {
    expect(parseThresholds(undefined)).toEqual([]);
    expect(parseThresholds({})).toEqual([]);
  });

  it.each([
    [{ http_req_duration: ['p95<800'] }, 'p95<800'],
    [{ http_req_duration: ['p(95)<<800'] }, 'p(95)<<800'],
    [{ http_req_duration: ['p(101)<800'] }, '101'],
    [{ http_req_duration: ['p(95)<fast'] }, 'p(95)<fast'],
    [{ http_req_duration: ['mean<800'] }, 'mean<800'],
    [{ http_req_duration: ['avg<800ms'] }, 'avg<800ms'],
    [{ 'http_req_duration{name}': ['avg<1'] }, 'name'],
    [{ 'http_req_duration{name:x': ['avg<1'] }, 'http_req_duration{name:x'],
    [{ 'http req duration': ['avg<1'] }, 'http req duration'],
    [{ http_reqs: ['avg<1'] }, 'avg'],
    [{ http_req_failed: ['p(95)<1'] }, 'p(95)'],
    [{ vus: ['rate<1'] }, 'rate'],
    [{ http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: 'yes' }] }, 'abortOnFail'],
    [{ http_req_failed: [{ threshold: 'rate<0.1', delayAbortEval: 'soon' }] }, 'soon'],
    [{ http_req_failed: [{ threshold: 'rate<0.1', abortOnFial: true }] }, 'abortOnFial'],
    [{ http_req_failed: [42] }, '42'],
    [{ http_req_failed: { threshold: 'rate<0.1' } }, 'http_req_failed'],
  ])('refuses %j naming the bad part', (input, named) => {
    const call = () => parseThresholds(input as never);
    expect(call).toThrow(UsageError);
    expect(call).toThrow(/^invalid threshold.*: expected .*, got /);
    expect(call).toThrow(named);
  });
});

describe('evaluating thresholds on metric windows', () => {
  const q = fixture();

  it('computes each statistic on the tag-filtered series only', () => {
    const r = evaluateThresholds(parseThresholds({
      'http_req_duration{name:POST /api/v1/orders}': ['p(95)<=95.1', 'max==100', 'min===1', 'avg==50.5', 'med<51', 'count==100'],
      'http_req_duration{scenario:citizens}': ['p(99)>=499', 'avg!=0'],
      'http_req_failed{name:POST /api/v1/orders}': ['rate==0.05'],
      'http_req_duration{expected_response:true}': ['max<96'],
      http_reqs: ['count==110', 'rate==11'],
      vus: ['value==7'],
    }), q);
    expect(r.checks.filter((c) => !c.pass)).toEqual([]);
    expect(r.pass).toBe(true);
    expect(r.checks[0]).toMatchObject({ name: 'http_req_duration{name:POST /api/v1/orders}', threshold: 'p(95)<=95.1', pass: true });
    expect(r.checks[0].value).toBeCloseTo(95, 1);
  });

  it('fails a threshold whose statistic crosses the bound and keeps the value', () => {
    const r = evaluateThresholds(parseThresholds({ http_req_failed: ['rate<0.01'], 'http_req_duration{name:POST /api/v1/register}': ['p(95)<800'] }), q);
    expect(r.pass).toBe(false);
    expect(r.checks.map((c) => c.pass)).toEqual([false, true]);
    expect(r.checks[0].value).toBeCloseTo(5 / 110, 10);
    expect(formatThresholdChecks(r)[0]).toMatch(/^✗ http_req_failed rate<0.01 \(0\.0455\)$/);
  });

  it('evaluates on a range of seconds', () => {
    const defs = parseThresholds({ 'http_req_duration{name:POST /api/v1/orders}': ['max<=10'] });
    expect(evaluateThresholds(defs, q, { from: 0, to: 1 }).pass).toBe(true);   // samples 1..10 in second 0
    expect(evaluateThresholds(defs, q, { from: 1, to: 2 }).pass).toBe(false);
  });

  it('fails a latency or rate threshold with no samples (null value, reason) but counts nothing as 0', () => {
    const r = evaluateThresholds(parseThresholds({
      'http_req_duration{name:GET /nowhere}': ['p(95)<800'],
      checks: ['rate>0.99'],
      dropped_iterations: ['count<1', 'rate<1'],
      'http_reqs{name:GET /nowhere}': ['count<1'],
      my_custom_trend: ['avg<5'],
      my_custom_counter: ['count==0'],
    }), q);
    expect(r.checks.map((c) => [c.value, c.pass])).toEqual([
      [null, false], [null, false], [0, true], [0, true], [0, true], [null, false], [0, true],
    ]);
    expect(r.checks[0].reason).toContain('no samples');
    expect(r.pass).toBe(false);
  });

  it('fails, rather than crashes, a statistic the custom metric does not have', () => {
    const rec = new WindowRecorder(start);
    rec.add('wallet_ops', 'counter', {}, 1, start);
    const r = evaluateThresholds(parseThresholds({ wallet_ops: ['p(95)<1'] }), new MetricsQuery(rec.drain()));
    expect(r.checks[0]).toMatchObject({ pass: false, value: null });
    expect(r.checks[0].reason).toContain('not a statistic of the counter metric');
  });

  it('each operator agrees with JavaScript comparison', () => {
    const js: Record<Operator, (a: number, b: number) => boolean> = {
      '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
      '==': (a, b) => a === b, '===': (a, b) => a === b, '!=': (a, b) => a !== b,
    };
    fc.assert(fc.property(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 }), fc.constantFrom(...(Object.keys(js) as Operator[])), (a, b, op) => {
      expect(compare(a, op, b)).toBe(js[op](a, b));
    }));
  });

  it('a p(N) threshold sees the N-th percentile of the raw samples within HDR precision', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 99 }), (values, p) => {
      const rec = new WindowRecorder(start);
      values.forEach((v, i) => rec.add('t', 'trend', {}, v, start + i));
      const sorted = [...values].sort((a, b) => a - b);
      const exact = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
      const [check] = evaluateThresholds(parseThresholds({ t: [`p(${p})<=${exact}`] }), new MetricsQuery(rec.drain())).checks;
      expect(Math.abs(check.value! - exact)).toBeLessThanOrEqual(exact * 0.001 + 1e-9);
    }), { numRuns: 50 });
  });
});

describe('abortOnFail during a run', () => {
  const q = fixture();
  const defs = parseThresholds({
    http_req_duration: ['p(95)<1'],                                               // fails, but no abort
    http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '5s' }],
    'http_req_duration{name:GET /nowhere}': [{ threshold: 'p(95)<1', abortOnFail: true }],
  });

  it('waits for delayAbortEval, then names the failing threshold', () => {
    expect(shouldAbort(defs, q, 4.9)).toBeNull();
    const hit = shouldAbort(defs, q, 5);
    expect(hit).toMatchObject({ name: 'http_req_failed', threshold: 'rate<0.01' });
    expect(hit!.value).toBeCloseTo(5 / 110, 10);
  });

  it('never aborts on a threshold that has no data yet, nor on one that passes', () => {
    expect(shouldAbort(defs.filter((d) => d.metric !== 'http_req_failed'), q, 60)).toBeNull();
    expect(shouldAbort(parseThresholds({ http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true }] }), q, 60)).toBeNull();
  });
});
