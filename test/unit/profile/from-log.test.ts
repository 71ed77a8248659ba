import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dayModel, isIdSegment, launchDayPlan, logFormat, logToProfile, parseAccessLog, parseProfileInput, readLogTime,
  resolveProfile, routeOf, statusClass,
} from '../../../src/profile/index.js';
import { parseProfileText } from '../../../src/profile/text.js';
import { UsageError } from '../../../src/contracts/errors.js';

const line = (hms: string, req: string, status = 200) => `10.0.0.1 - - [28/Nov/2026:${hms} +0530] "${req} HTTP/1.1" ${status} 120 "-" "okhttp/4.9"`;
const json = (o: Record<string, unknown>) => JSON.stringify(o);

describe('profile from-log: the profile it writes', () => {
  it('counts requests served per minute per route, ids folded, queries dropped, failures kept out', () => {
    const log = [
      line('08:59:59', 'GET /api/v1/shops?district=Raipur'),
      line('09:00:01', 'POST /api/v1/register', 201),
      line('09:00:30', 'POST /api/v1/register', 201),
      line('09:00:31', 'GET /api/v1/orders/8f0c2b6e-1d2a-4c3b-9e8f-0a1b2c3d4e5f'),
      'garbage line',
      line('09:02:00', 'POST /api/v1/register', 201),
      line('09:02:10', 'POST /api/v1/register', 503),
      line('09:02:11', 'POST /api/v1/register', 429),
    ].join('\n');
    const r = logToProfile(log, 'access.log');
    expect(r).toMatchObject({ format: 'combined', skipped: 1, firstBadLine: 5, requests: 7, served: 5 });
    expect(r.routes).toEqual(['GET /api/v1/orders/{id}', 'GET /api/v1/shops', 'POST /api/v1/register']);
    expect(r.profile.measured!.start).toBe('08:59');
    expect(r.profile.measured!.minutes).toEqual([
      { 'GET /api/v1/shops': 1 }, { 'POST /api/v1/register': 2, 'GET /api/v1/orders/{id}': 1 }, {}, { 'POST /api/v1/register': 1 },
    ]);
    // a 503 or a 429 is no registration served
    expect(r.profile.registrations).toBe(3);
    expect(r.profile.measured!.failed).toEqual({ 'POST /api/v1/register': { clientErrors: 1, serverErrors: 1 } });
    expect(r.profile.notes).toContain('5 served (2xx/3xx) are the demand replayed; 2 failed (4xx 1, 5xx 1) and are not counted as demand served: POST /api/v1/register 4xx 1, 5xx 1');
    expect(r.profile.notes![0]).toBe('access.log (combined log format): 7 requests read, 1 unreadable line(s) skipped (the first at line 5)');
    // The profile it writes is a valid profile whose model follows the register route's shape.
    const model = dayModel(resolveProfile(parseProfileInput(r.profile)));
    expect(model.minutes.map((m) => m.registrations)).toEqual([0, 2, 0, 1]);
    expect(launchDayPlan({ profile: r.profile, timeScale: 1, scale: 1 }).simulatedStart).toBe('08:59');
  });

  it('gives each journey the arrival curve of its own route', () => {
    const log = [
      ...['08:58:00', '08:58:10', '08:58:20'].map((t) => line(t, 'GET /api/v1/districts')),
      ...['09:00:00', '09:00:10', '09:01:00'].map((t) => line(t, 'POST /api/v1/register', 201)),
      ...['09:01:10', '09:02:00', '09:02:10'].map((t) => line(t, 'POST /api/v1/otp/send', 202)),
    ].join('\n');
    const r = logToProfile(log, 'a.log', { orders: 3 });
    expect(r.journeys).toEqual({ newUser: 'POST /api/v1/register', returningUser: 'POST /api/v1/otp/send', browser: 'GET /api/v1/districts' });
    const model = dayModel(resolveProfile(parseProfileInput({ ...r.profile, returningShareOfOrders: 1, browsersPerRegistration: 1, statusChecksPerOrder: 0 })));
    expect(model.minutes.map((m) => m.arrivals.browser)).toEqual([3, 0, 0, 0, 0]);
    expect(model.minutes.map((m) => m.arrivals.newUser)).toEqual([0, 0, 2, 1, 0]);
    expect(model.minutes.map((m) => m.arrivals.returningUser)).toEqual([0, 0, 0, 1, 2]);
  });

  it('takes a team\'s own route for a journey, and the next launch\'s size with the log\'s shape', () => {
    const log = ['09:00:00', '09:00:30', '09:01:00', '09:03:00'].map((t, i) => json({ time: `2026-11-28T${t}+05:30`, method: 'POST', path: `/api/v2/bookings`, status: i === 3 ? 500 : 201 })).join('\n');
    const r = logToProfile(log, 'b.jsonl', { journeys: { newUser: 'POST /api/v2/bookings' }, registrations: 3000, orders: 0 });
    expect(r.profile).toMatchObject({ registrations: 3000, orders: 0, measured: { journeys: { newUser: 'POST /api/v2/bookings' } } });
    const model = dayModel(resolveProfile(parseProfileInput(r.profile)));
    expect(model.minutes.map((m) => m.registrations)).toEqual([2000, 1000, 0, 0]);
    expect(r.profile.notes).toContain('sized for the next launch by --registrations/--orders: the shape is the log\'s, the size is not');
    expect(() => logToProfile(log, 'b.jsonl', { journeys: { browser: 'GET /api/v2/nothing' } })).toThrow(/invalid --journey browser: expected a route the log served \(POST \/api\/v2\/bookings\), got "GET \/api\/v2\/nothing"/);
  });

  it('writes the spike\'s shape of all served requests and of each route', () => {
    const per = [2, 2, 3, 2, 10, 40, 38, 36, 15, 6, 4];
    // minute m is 08:55 + m: a baseline of about 2 a minute, the rush at 09:00, and its decay
    const fixed = per.flatMap((n, m) => Array.from({ length: n }, (_, k) => {
      const total = 8 * 60 + 55 + m;
      return line(`${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}:${String(k).padStart(2, '0')}`, 'POST /api/v1/register', 201);
    }));
    const r = logToProfile(fixed.join('\n'), 'spike.log');
    const shape = { peak: '09:00', peakPerMinute: 40, baselinePerMinute: 2, riseFrom: '08:58', riseMinutes: 2, holdFrom: '09:00', holdTo: '09:03', holdMinutes: 3 };
    expect(r.spike).toEqual(shape);
    expect(r.profile.measured!.spikes).toEqual({ all: shape, routes: { 'POST /api/v1/register': shape } });
    expect(r.profile.notes).toContain('all served requests: peak 40/min at 09:00; rose from 2/min in 2 min (from 08:58); held at least half its height for 3 min (09:00–09:03)');
  });

  it('reads a launch day\'s log of 200,000 lines (more than a call\'s arguments can hold)', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => line(`09:${String(Math.floor((i % 3600) / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`, `GET /api/v1/orders/${i}`));
    const r = logToProfile(lines.join('\n'), 'big.log');
    expect(r).toMatchObject({ served: 200_000, routes: ['GET /api/v1/orders/{id}'] });
    expect(r.profile.measured!.minutes).toHaveLength(60);
  });

  it('refuses a log with nothing readable, naming the first bad line; one that all failed; one of two days', () => {
    expect(() => logToProfile('\nnothing here\nnor here', 'empty.log')).toThrow(/^invalid access log empty.log: expected lines in combined log format, got 2 unreadable line\(s\), the first at line 2$/);
    expect(() => logToProfile('{"time":1700000000,"path":"/x"}', 'e.jsonl')).toThrow(/expected JSON lines with a time, a method, a path and a status, got 1 unreadable line\(s\), the first at line 1/);
    expect(() => logToProfile(line('09:00:00', 'GET /x', 503), 'f.log')).toThrow(UsageError);
    expect(() => logToProfile(line('09:00:00', 'GET /x', 503), 'f.log')).toThrow(/expected some requests served \(status below 400\), got 1 that all failed/);
    const twoDays = [line('09:00:00', 'GET /x'), '10.0.0.1 - - [30/Nov/2026:09:00:00 +0530] "GET /x HTTP/1.1" 200 1 "-" "-"'].join('\n');
    expect(() => logToProfile(twoDays, 'g.log')).toThrow(/expected at most one day, got 2 days/);
  });
});

describe('access logs: combined and JSON lines', () => {
  it('tells the formats apart by the first non-empty line', () => {
    expect(logFormat('\n\n  {"time":"x"}\n')).toBe('json');
    expect(logFormat(line('09:00:00', 'GET /'))).toBe('combined');
    expect(logFormat('')).toBe('combined');
  });

  it.each([
    ['nginx $time_iso8601 and $request_uri', { time_iso8601: '2026-11-28T09:00:05+05:30', request_method: 'GET', request_uri: '/api/v1/orders/123?x=1', status: '200' }],
    ['nginx $time_local and $request', { time_local: '28/Nov/2026:09:00:05 +0530', request: 'GET /api/v1/orders/123 HTTP/1.1', status: 200 }],
    ['time, method, path', { time: '2026-11-28T09:00:05.123Z', method: 'get', path: '/api/v1/orders/123', status: 200 }],
    ['@timestamp and url', { '@timestamp': '2026-11-28T09:00:05,5+0530', method: 'GET', url: 'https://portal.example.in/api/v1/orders/123', status: 200 }],
    ['timestamp with a space, uri, status_code', { timestamp: '2026-11-28 09:00:05', method: 'GET', uri: '/api/v1/orders/123', status_code: 200 }],
  ])('reads a JSON line with %s', (_what, rec) => {
    expect(parseAccessLog(json(rec))).toEqual({
      format: 'json', lines: [{ minuteOfDay: 9 * 60, dayIndex: 0, route: 'GET /api/v1/orders/{id}', status: 200 }], skipped: 0, firstBadLine: null,
    });
  });

  it('counts JSON lines it cannot read: no time, an epoch time, no path, a bad status, not an object', () => {
    const text = [
      json({ time: '2026-11-28T09:00:05+05:30', method: 'GET', path: '/a', status: 200 }),
      json({ method: 'GET', path: '/a', status: 200 }),
      json({ time: 1_796_000_000, method: 'GET', path: '/a', status: 200 }),
      json({ time: '2026-11-28T09:00:05', method: 'GET', status: 200 }),
      json({ time: '2026-11-28T09:00:05', method: 'GET', path: '/a', status: 'ok' }),
      json({ time: '2026-11-28T09:00:05', method: 'GET', path: '/a', status: 999 }),
      '[1,2]',
      '{"time": "2026-11-28T09:00:05", broken',
      '',
    ].join('\n');
    expect(parseAccessLog(text)).toMatchObject({ format: 'json', skipped: 7, firstBadLine: 2, lines: [{ route: 'GET /a' }] });
  });

  it('reads combined lines with or without an offset, and days after the first', () => {
    const text = [line('23:59:10', 'GET /a'), '1.2.3.4 - - [29/Nov/2026:00:00:10] "POST /b HTTP/1.1" 302 0 "-" "-"', '1.2.3.4 - - [29/Nov/2026:00:01:10 +0530] "-" 400 0 "-" "-"'].join('\r\n');
    expect(parseAccessLog(text, 'combined')).toEqual({
      format: 'combined', skipped: 1, firstBadLine: 3,
      lines: [{ minuteOfDay: 1439, dayIndex: 0, route: 'GET /a', status: 200 }, { minuteOfDay: 0, dayIndex: 1, route: 'POST /b', status: 302 }],
    });
  });

  it.each([
    ['28/Nov/2026:09:07:59 +0530', { minuteOfDay: 547 }],
    ['28/nov/2026:09:07:59', { minuteOfDay: 547 }],
    ['2026-11-28T09:07:59+05:30', { minuteOfDay: 547 }],
    ['2026-11-28T09:07:59Z', { minuteOfDay: 547 }],
    ['2026-11-28T09:07', { minuteOfDay: 547 }],
    ['2026-11-28 09:07:59.999999-0800', { minuteOfDay: 547 }],
  ])('reads the time %s as written', (text, want) => {
    expect(readLogTime(text)).toEqual({ day: Math.floor(Date.UTC(2026, 10, 28) / 86_400_000), ...want });
  });

  it.each(['28/Foo/2026:09:07:59', '2026-13-28T09:07:59', '2026-11-28T24:00:00', '09:07:59', '1796000000', ''])('refuses the time %j', (text) => {
    expect(readLogTime(text)).toBeNull();
  });

  it('classes statuses: below 400 served, 4xx client errors, 5xx server errors', () => {
    expect([101, 200, 204, 302, 304, 399, 400, 404, 429, 499, 500, 503, 599].map(statusClass)).toEqual([
      'served', 'served', 'served', 'served', 'served', 'served', 'clientError', 'clientError', 'clientError', 'clientError', 'serverError', 'serverError', 'serverError',
    ]);
  });
});

describe('routes: ids templated, words kept', () => {
  it.each([
    ['/api/v2/bookings/ORD-2026-000123', '/api/v2/bookings/{id}'],
    ['/api/v2/bookings/a1b2c3d4/cancel', '/api/v2/bookings/{id}/cancel'],
    ['/api/v1/shops/12/catalogue', '/api/v1/shops/{id}/catalogue'],
    ['/api/v1/orders/ord_7f3a9c2b1e4d', '/api/v1/orders/{id}'],
    ['/api/v1/orders/8f0c2b6e-1d2a-4c3b-9e8f-0a1b2c3d4e5f', '/api/v1/orders/{id}'],
    ['/api/v1/orders/8F0C2B6E1D2A4C3B9E8F0A1B2C3D4E5F', '/api/v1/orders/{id}'],
    ['/api/v1/users/u123/profile', '/api/v1/users/{id}/profile'],
    ['/api/v1/pnr/BK7731', '/api/v1/pnr/{id}'],
    ['/api/v1/slots/2026-11-28', '/api/v1/slots/{id}'],
    ['/api/v1/shops', '/api/v1/shops'],
    ['/static/app.js', '/static/app.js'],
    ['/static/app.3f9a2b1c.js', '/static/app.3f9a2b1c.js'],
    ['/oauth2/token', '/oauth2/token'],
    ['/i18n/hi.json', '/i18n/hi.json'],
    ['/api/v1/hash/sha256', '/api/v1/hash/sha256'],
    ['/api/v1/shops/{id}/catalogue', '/api/v1/shops/{id}/catalogue'],
    ['/', '/'],
    ['https://portal.example.in/api/v1/orders/42#top', '/api/v1/orders/{id}'],
    ['?x=1', '/'],
  ])('%s → %s', (path, want) => {
    expect(routeOf('get', path)).toBe(`GET ${want}`);
  });

  it('fifty booking ids make one route', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `ORD-2026-${String(100 + i * 37).padStart(6, '0')}`);
    expect(new Set(ids.map((id) => routeOf('GET', `/api/v2/bookings/${id}`)))).toEqual(new Set(['GET /api/v2/bookings/{id}']));
  });

  it('keeps any word of letters (with - _ . and a version like v1) as it is', () => {
    const word = fc.stringMatching(/^[A-Za-z][A-Za-z._-]{0,30}$/);
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 9 }), (words, v) => {
      const path = `/api/v${v}/${words.join('/')}`;
      expect(routeOf('GET', path)).toBe(`GET ${path}`);
    }));
  });

  it('templates any number, uuid, or token with four digits or more, wherever it stands', () => {
    const id = fc.oneof(
      fc.nat().map(String),
      fc.uuid(),
      fc.tuple(fc.stringMatching(/^[A-Z]{0,4}$/), fc.integer({ min: 1000, max: 99_999_999 })).map(([p, n]) => `${p}${p ? '-' : ''}${n}`),
    );
    fc.assert(fc.property(fc.array(fc.constantFrom('shops', 'orders', 'bookings'), { minLength: 1, maxLength: 3 }), id, (words, x) => {
      expect(isIdSegment(x)).toBe(true);
      expect(routeOf('POST', `/${words.join('/')}/${x}?q=${x}`)).toBe(`POST /${words.join('/')}/{id}`);
    }));
  });

  it('templating is idempotent: a route read back names itself', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9_.-]{1,16}$/), { minLength: 1, maxLength: 5 }), (segs) => {
      const once = routeOf('GET', `/${segs.join('/')}`);
      expect(routeOf('GET', once.slice(4))).toBe(once);
    }));
  });
});

describe('profile files', () => {
  it('reads profiles as YAML or JSON and names a bad field', () => {
    expect(parseProfileText('registrations: 3lakh\norders: "29,000"\n', 'p.yaml')).toEqual({ registrations: '3lakh', orders: '29,000' });
    expect(parseProfileText('{"registrations": 1000}', 'p.json')).toEqual({ registrations: 1000 });
    expect(() => parseProfileText('spikeMinutes: -3\n', 'p.yaml')).toThrow(/invalid profile p.yaml field spikeMinutes/);
    expect(() => parseProfileText('{oops', 'p.json')).toThrow(/invalid profile file p.json/);
    expect(() => parseProfileInput({ measured: { start: '09:00', minutes: [{}], journeys: { walker: 'GET /x' } } })).toThrow(/invalid profile field measured.journeys/);
  });
});
