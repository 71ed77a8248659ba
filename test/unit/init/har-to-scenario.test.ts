import { describe, expect, it } from 'vitest';
import { templateOf, looksGenerated } from '../../../src/init/correlate.js';
import { personalField } from '../../../src/init/personal.js';
import { htmlFields, fromCookie, fromHeader } from '../../../src/scenario-api/capture.js';
import { parseHar, modelFromHar, emitScenario } from '../../../src/init/index.js';
import { seededPerson } from '../../../src/data/person.js';
import type { Response } from '../../../src/scenario-api/types.js';

const res = (headers: Record<string, string>, body = ''): Response =>
  ({ status: 200, url: 'http://x/', headers, body, timings: {} as Response['timings'], json: () => JSON.parse(body) });

type E = { t: number; method?: string; url: string; status?: number; reqHeaders?: Record<string, string>; body?: { mime: string; text: string };
  resHeaders?: Record<string, string>; mime?: string; text?: string; type?: string };
function har(entries: E[]): string {
  const kv = (o: Record<string, string> = {}) => Object.entries(o).map(([name, value]) => ({ name, value }));
  return JSON.stringify({ log: { entries: entries.map((e) => ({
    startedDateTime: new Date(Date.UTC(2026, 11, 2, 10, 0, 0) + e.t).toISOString(), time: 10, _resourceType: e.type,
    request: { method: e.method ?? 'GET', url: e.url, headers: kv(e.reqHeaders), ...(e.body ? { postData: { mimeType: e.body.mime, text: e.body.text } } : {}) },
    response: { status: e.status ?? 200, headers: kv(e.resHeaders), content: { mimeType: e.mime ?? 'application/json', text: e.text } },
  })) } });
}

describe('correlation rules', () => {
  it('a value is replaced only where it stands alone, never inside a longer token', () => {
    const t = templateOf('Bearer abc123; xabc123 abc1234', [{ value: 'abc123', part: { kind: 'var', name: 'tok' } }]);
    expect(t).toEqual([{ kind: 'text', text: 'Bearer ' }, { kind: 'var', name: 'tok' }, { kind: 'text', text: '; xabc123 abc1234' }]);
  });
  it('ids and tokens count as generated; words, flags and small numbers do not unless their key names an id', () => {
    expect(looksGenerated('apt_9f2c', 'status')).toBe(true);
    expect(looksGenerated('booked', 'status')).toBe(false);
    expect(looksGenerated('true', 'id')).toBe(false);
    expect(looksGenerated('42', 'count')).toBe(false);
    expect(looksGenerated('42', 'orderId')).toBe(true);
  });
  it('personal fields are found by key and by value', () => {
    expect(personalField('email', 'a@b.in')).toBe('email');
    expect(personalField('username', 'a@b.in')).toBe('email');
    expect(personalField('mobile', '+919876543210')).toBe('mobile');
    expect(personalField('phone_no', '9876543210')).toBe('mobile10');
    expect(personalField('full_name', 'Asha Verma')).toBe('name');
    expect(personalField('district', 'Raipur')).toBeNull();
  });
  it('seeded people differ by index and repeat for the same seed and index', () => {
    expect(seededPerson(1, 7)).toEqual(seededPerson(1, 7));
    expect(seededPerson(1, 7).email).not.toBe(seededPerson(1, 8).email);
    expect(seededPerson(1, 7).mobile).toMatch(/^\+91[6-9]\d{9}$/);
  });
});

describe('capture functions (the same at init and at run time)', () => {
  it('reads hidden inputs and meta tags, attributes in any order and quoting, entities decoded', () => {
    const html = `<form><input value='a&amp;b' type=hidden name=csrf><input name="q"></form><meta content="t0k" name="csrf-token">`;
    expect(htmlFields(html)).toEqual([{ name: 'csrf', value: 'a&b', tag: 'input' }, { name: 'csrf-token', value: 't0k', tag: 'meta' }]);
  });
  it('reads a cookie out of joined Set-Cookie headers, an Expires date in between', () => {
    const r = res({ 'set-cookie': 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, xsrf=9f8e; Path=/' });
    expect(fromCookie(r, 'xsrf')).toBe('9f8e');
    expect(() => fromCookie(r, 'sid')).toThrow(/no cookie sid in the response of http:\/\/x\//);
  });
  it('takes a segment of a Location by pattern', () => {
    expect(fromHeader(res({ location: 'https://h.in/orders/o_77?x=1' }), 'location', '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]+)?/orders/([^/?#]+)')).toBe('o_77');
  });
});

describe('a recording → a scenario', () => {
  const recording = har([
    { t: 0, url: 'https://app.in/login', mime: 'text/html', type: 'document', text: '<input type="hidden" name="_csrf" value="c5rf-77a1">' },
    { t: 30, url: 'https://app.in/app.js', mime: 'application/javascript', type: 'script', text: '' },
    { t: 40, url: 'https://cdn.other.com/lib.js', mime: 'application/javascript', type: 'script', text: '' },
    { t: 3000, method: 'POST', url: 'https://app.in/login', status: 302, mime: 'text/html', reqHeaders: { cookie: 'sid=secret-cookie-1' },
      body: { mime: 'application/x-www-form-urlencoded', text: '_csrf=c5rf-77a1&email=asha%40example.org' }, resHeaders: { location: '/home', 'set-cookie': 'sid=s1d-2; HttpOnly' } },
    { t: 3050, url: 'https://app.in/home', mime: 'text/html', type: 'document', text: '<p>hi</p>' },
    { t: 3100, method: 'POST', url: 'https://app.in/api/token', status: 201, resHeaders: { 'x-token': 'tok-000111222' }, text: '{}' },
    { t: 6000, method: 'POST', url: 'https://app.in/api/tickets', status: 201, reqHeaders: { authorization: 'Bearer tok-000111222', 'content-type': 'application/json' },
      body: { mime: 'application/json', text: '{"seat":4,"email":"asha@example.org"}' }, resHeaders: { location: '/api/tickets/t_98765' } },
    { t: 9000, url: 'https://app.in/api/tickets/t_98765', reqHeaders: { authorization: 'Bearer tok-000111222' }, text: '{"id":"t_98765"}' },
    { t: 9100, url: 'https://app.in/api/me', reqHeaders: { authorization: 'Basic c2VjcmV0' }, text: '{}' },
  ]);
  const model = modelFromHar(parseHar(recording, 'r.har'), 'r.har', { journey: 'buyTicket' });
  const text = emitScenario(model, 'capacity-test init --har r.har');

  it('groups requests into steps at the pauses and keeps the pauses as think time', () => {
    expect(model.journeys[0].steps.map((s) => [s.title, s.thinkSeconds, s.requests.length])).toEqual([
      ['GET /login', 0, 1], ['POST /login', 3, 3], ['POST /api/tickets', 2.9, 1], ['GET /api/tickets/{id}', 3, 2]]);
  });
  it('captures the form field, the header token and the id from a Location; writes no recorded credential', () => {
    expect(text).toContain("v.csrf = fromForm(res, '_csrf');");
    expect(text).toContain("v.token = fromHeader(res, 'x-token');");
    expect(text).toContain("v.ticketId = fromHeader(res, 'location', ");
    expect(text).toContain('`${BASE}/api/tickets/${encodeURIComponent(String(v.ticketId))}`');
    expect(text).toContain("json: { seat: 4, email: p.email }");
    for (const secret of ['secret-cookie-1', 's1d-2', 'tok-000111222', 'c2VjcmV0', 'asha', 't_98765']) expect(text).not.toContain(secret);
    expect(text).toMatch(/authorization: recorded on 1 request\(s\) with a value no earlier response returned; not written/);
    expect(text).toMatch(/left out, third-party host \(1\): GET https:\/\/cdn\.other\.com\/lib\.js/);
    expect(text).toMatch(/left out, static asset \(1\): GET https:\/\/app\.in\/app\.js/);
  });
  it('counts a sign-up as a registration and a new ticket as an order placed', () => {
    expect(text).toContain("if (check(res, { 'POST /api/tickets is 201': (r) => r.status === 201 })) ordersPlacedCounter.add(1);");
  });
  it('refuses a file that is not a HAR, naming what was expected', () => {
    expect(() => parseHar('{"log":{}}', 'x.har')).toThrow(/invalid HAR x.har: expected log.entries/);
    expect(() => parseHar('nope', 'x.har')).toThrow(/invalid HAR x.har: expected JSON/);
  });
});
