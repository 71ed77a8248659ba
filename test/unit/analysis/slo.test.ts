import { describe, expect, it } from 'vitest';
import { checkEndpoints, DEFAULT_SLO, parseSloConfig } from '../../../src/analysis/slo.js';

describe('SLO checks per endpoint', () => {
  it('passes and fails p95, p99 and error rate against the default SLO', () => {
    const r = checkEndpoints({
      'GET /api/v1/shops': { p95Ms: 120, p99Ms: 300, errorRate: 0 },
      'POST /api/v1/orders': { p95Ms: 950, p99Ms: 2500, errorRate: 0.02 },
    });
    expect(r[0].pass).toBe(true);
    expect(r[1].pass).toBe(false);
    expect(r[1].checks.map((c) => [c.metric, c.pass])).toEqual([['p95Ms', false], ['p99Ms', false], ['errorRate', false]]);
  });

  it('overrides the default per endpoint, field by field', () => {
    const config = parseSloConfig({ default: DEFAULT_SLO.default, endpoints: { 'POST /api/v1/orders': { p95Ms: 1500 } } });
    const [r] = checkEndpoints({ 'POST /api/v1/orders': { p95Ms: 950, p99Ms: 1000, errorRate: 0 } }, config);
    expect(r.checks.find((c) => c.metric === 'p95Ms')).toEqual({ metric: 'p95Ms', limit: 1500, value: 950, pass: true });
    expect(r.checks.find((c) => c.metric === 'p99Ms')!.limit).toBe(2000);
  });

  it('leaves an unmeasured value undecided (null), never 0', () => {
    const [r] = checkEndpoints({ 'GET /x': { p95Ms: null, p99Ms: null, errorRate: null } });
    expect(r.pass).toBeNull();
    expect(r.checks.every((c) => c.value === null && c.pass === null)).toBe(true);
  });

  it('refuses a bad SLO config, naming the field and the value', () => {
    expect(() => parseSloConfig({ default: { p95Ms: -3, p99Ms: null, errorRate: 0.01 } })).toThrow(/invalid SLO default\.p95Ms: .*got -3/);
  });
});
