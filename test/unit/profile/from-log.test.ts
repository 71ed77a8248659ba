import { describe, expect, it } from 'vitest';
import { dayModel, logToProfile, parseCombinedLog, parseProfileInput, resolveProfile, launchDayPlan } from '../../../src/profile/index.js';
import { routeOf } from '../../../src/profile/from-log.js';
import { parseProfileText } from '../../../src/profile/text.js';

const line = (hms: string, req: string, status = 200) => `10.0.0.1 - - [28/Nov/2026:${hms} +0530] "${req} HTTP/1.1" ${status} 120 "-" "okhttp/4.9"`;

describe('profile from-log', () => {
  it('counts arrivals per minute per route, ids folded, queries dropped', () => {
    const log = [
      line('08:59:59', 'GET /api/v1/shops?district=Raipur'),
      line('09:00:01', 'POST /api/v1/register', 201),
      line('09:00:30', 'POST /api/v1/register', 201),
      line('09:00:31', 'GET /api/v1/orders/8f0c2b6e-1d2a-4c3b-9e8f-0a1b2c3d4e5f'),
      'garbage line',
      line('09:02:00', 'POST /api/v1/register', 503),
    ].join('\n');
    const { profile, routes, skipped } = logToProfile(log, 'access.log');
    expect(skipped).toBe(1);
    expect(routes).toEqual(['GET /api/v1/orders/{id}', 'GET /api/v1/shops', 'POST /api/v1/register']);
    expect(profile.measured!.start).toBe('08:59');
    expect(profile.measured!.minutes).toEqual([
      { 'GET /api/v1/shops': 1 }, { 'POST /api/v1/register': 2, 'GET /api/v1/orders/{id}': 1 }, {}, { 'POST /api/v1/register': 1 },
    ]);
    expect(profile.registrations).toBe(3);
    // The profile it writes is a valid profile whose model follows the register route's shape.
    const model = dayModel(resolveProfile(parseProfileInput(profile)));
    expect(model.minutes.map((m) => m.registrations)).toEqual([0, 2, 0, 1]);
    expect(launchDayPlan({ profile, timeScale: 1, scale: 1 }).simulatedStart).toBe('08:59');
  });

  it('folds numeric and token ids into {id}', () => {
    expect(routeOf('get', '/api/v1/shops/12/catalogue')).toBe('GET /api/v1/shops/{id}/catalogue');
    expect(routeOf('GET', '/api/v1/orders/ord_7f3a9c2b1e4d')).toBe('GET /api/v1/orders/{id}');
    expect(parseCombinedLog('x').lines).toHaveLength(0);
    expect(() => logToProfile('nothing here', 'empty.log')).toThrow(/invalid access log empty.log/);
  });

  it('reads profiles as YAML or JSON and names a bad field', () => {
    expect(parseProfileText('registrations: 3lakh\norders: "29,000"\n', 'p.yaml')).toEqual({ registrations: '3lakh', orders: '29,000' });
    expect(parseProfileText('{"registrations": 1000}', 'p.json')).toEqual({ registrations: 1000 });
    expect(() => parseProfileText('spikeMinutes: -3\n', 'p.yaml')).toThrow(/invalid profile p.yaml field spikeMinutes/);
    expect(() => parseProfileText('{oops', 'p.json')).toThrow(/invalid profile file p.json/);
  });
});
