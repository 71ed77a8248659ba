import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliAsync as cli } from '../helpers/cli-async.js';
import { startDemoApp, type DemoApp } from '../fixtures/demo-app/server.js';
import { recordVisit } from '../fixtures/demo-app/record.js';

const PERSON = { name: 'Asha Verma', email: 'asha.verma@example.org', mobile: '+919876543210' };

describe('init --har: a recording of a site it never saw, in Chromium, becomes a scenario that runs unchanged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-init-har-'));
  const har = join(dir, 'book-appointment.har');
  const scenario = join(dir, 'book-appointment.ts');
  let recorded: DemoApp;
  let thirdParty: DemoApp;
  let har_text = '';
  let text = '';

  beforeAll(async () => {
    thirdParty = await startDemoApp();
    recorded = await startDemoApp({ thirdParty: thirdParty.url.replace('127.0.0.1', 'localhost') });
    await recordVisit(recorded.url, har, { person: PERSON });
    har_text = readFileSync(har, 'utf8');
    await recorded.close();
    await thirdParty.close();
    const r = await cli(['init', '--har', har, '--out', scenario]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    text = readFileSync(scenario, 'utf8');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the recording holds what the scenario must not replay literally (the browser really did sign up and book)', () => {
    const entries = JSON.parse(har_text).log.entries as { request: { url: string; headers: { name: string; value: string }[] } }[];
    expect(entries.some((e) => e.request.headers.some((h) => h.name.toLowerCase() === 'authorization' && /^Bearer tk_/.test(h.value)))).toBe(true);
    expect(entries.some((e) => /\/appointments\/apt_[0-9a-f]+\/confirm$/.test(e.request.url))).toBe(true);
    expect(har_text).toContain(PERSON.email.replace('@', '%40'));
  });

  it('leaves out static assets and the third-party host, and says so in a comment', () => {
    expect(text).toMatch(/left out, third-party host \(1\): GET http:\/\/localhost:\d+\/tag\.js/);
    expect(text).toMatch(/left out, static asset \(\d+\): .*\/static\/app\.css/);
    expect(text).not.toMatch(/vu\.http\.get\(`\$\{BASE\}\/static/);
  });

  it('captures the CSRF form field, the header token, the XSRF cookie and the server-generated ids instead of replaying them', () => {
    expect(text).toContain("v.csrfToken = fromForm(res, 'csrf_token');");
    expect(text).toContain("v.sessionToken = fromHeader(res, 'x-session-token');");
    expect(text).toContain("v.xsrfCookie = fromCookie(res, 'xsrf');");
    expect(text).toContain("'authorization': `Bearer ${v.sessionToken}`");
    expect(text).toMatch(/v\.clinicId = fromJson\(res, \["clinics",1,"id"\]\);/);
    expect(text).toMatch(/v\.slotId = fromJson\(res, \["slots",2,"slotId"\]\);/);
    // the appointment id the booking returned (its JSON, or its Location when the browser left the page before
    // the recorder kept the body), used in the page, its API and the confirmation two steps later
    expect(text).toMatch(/v\.appointmentId = (fromJson\(res, \["appointment","id"\]\)|fromHeader\(res, 'location', '[^']+'\));/);
    expect(text).toContain('/api/v2/appointments/${encodeURIComponent(String(v.appointmentId))}/confirm');
    for (const literal of har_text.match(/(tk|apt|cl|sl)_[0-9a-f]{12,32}/g) ?? []) expect(text).not.toContain(literal);
  });

  it('writes no recorded credential, cookie or personal field; personal fields are seeded', () => {
    const cookies = har_text.match(/sid=[0-9a-f]{24}/g) ?? [];
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(text).not.toContain(c.slice(4));
    for (const v of [PERSON.name, PERSON.email, PERSON.mobile, PERSON.mobile.slice(3), 'Asha', 'Verma']) expect(text).not.toContain(v);
    expect(text).toContain('full_name: p.name, email: p.email, mobile: p.mobile');
  });

  it('names each endpoint by its template, checks every status, keeps the pauses as think time and exports the journey', () => {
    for (const name of ['GET /signup', 'POST /signup', 'POST /api/v2/session/token', 'GET /api/v2/clinics/{id}/slots', 'POST /api/v2/appointments',
      'GET /appointments/{id}', 'POST /api/v2/appointments/{id}/confirm']) expect(text).toContain(`tags: { name: '${name}' }`);
    expect(text).toContain("'POST /signup is 303': (r) => r.status === 303");
    expect((text.match(/await sleep\(\d+(\.\d)? \* THINK_SCALE\)/g) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(text).toContain('export async function bookAppointment(vu: VU)');
    expect(text).toContain('export default bookAppointment;');
    expect(text).toContain("exec: 'bookAppointment'");
  });

  it('runs unchanged against a fresh instance: every check passes and the app counted what the engine sent', async () => {
    const fresh = await startDemoApp();
    try {
      const out = join(dir, 'run');
      const r = await cli(['run', scenario, '--env', `TARGET=${fresh.url}`, '--env', 'THINK_SCALE=0.1', '--out', out, '--quiet']);
      expect(r.stdout + r.stderr).not.toMatch(/iteration error/);
      expect(r.code, r.stderr.slice(0, 2000)).toBe(0);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(summary.thresholds.pass).toBe(true);
      expect(summary.thresholds.checks.find((c: { name: string }) => c.name === 'checks').value).toBe(1);
      const stats = fresh.stats();
      expect(stats).toMatchObject({ signups: 1, booked: 1, confirmed: 1 });
      const engine = Object.fromEntries(Object.entries(summary.endpoints as Record<string, { requests: number }>).map(([k, v]) => [k, v.requests]));
      expect(engine).toEqual(stats.requests);
    } finally {
      await fresh.close();
    }
  });

  it('launch-day --scenario … --target … --quick drives the recorded journey with the traffic model, reports the app\'s endpoints and charts its --metrics-url series', async () => {
    const fresh = await startDemoApp();
    try {
      const out = join(dir, 'launch-day');
      const r = await cli(['launch-day', '--scenario', scenario, '--target', fresh.url, '--quick', '--scale', '0.002', '--quiet', '--out', out,
        '--metrics-url', `${fresh.url}/metrics`, '--metrics-series', 'demo_requests_total,process_cpu_seconds_total']);
      expect(r.stderr).toMatch(/launch-day: 08:55–09:15/);
      expect([0, 1]).toContain(r.code); // 1 only if this shared machine missed the SLO; the counts below hold either way
      expect(r.stdout.trim().endsWith(join(out, 'report.html'))).toBe(true);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      const stats = fresh.stats();
      expect(stats.signups).toBeGreaterThan(20);
      // a replay that held every level is followed by the limit sweep, which drives the same recorded
      // journey on the app's own endpoints (never the reference portal's /api/v1/shops)
      const ls = summary.capacity.limitSweep;
      const sweep = ls?.runDir ? JSON.parse(readFileSync(join(out, ls.runDir, 'summary.json'), 'utf8')) : null;
      if (sweep) {
        expect(ls.path).toBeNull();
        expect(ls.journeys.length).toBeGreaterThan(0);
        expect(Object.keys(sweep.endpoints)).toEqual(expect.arrayContaining(['POST /signup', 'POST /api/v2/appointments/{id}/confirm']));
        expect(Object.keys(sweep.endpoints).some((e) => e.includes('/api/v1/'))).toBe(false);
      }
      // the business counts are the counters the written scenario emits, and they are the app's own (the replay's and the sweep's)
      const both = (f: (x: typeof summary) => number) => f(summary) + (sweep ? f(sweep) : 0);
      expect(both((x) => x.business.registrations)).toBe(stats.signups);
      expect(both((x) => x.business.ordersPlaced)).toBe(stats.booked);
      expect(both((x) => x.endpoints['POST /api/v2/appointments/{id}/confirm'].requests)).toBe(stats.requests['POST /api/v2/appointments/{id}/confirm']);
      expect(summary.endpoints['POST /api/v2/appointments/{id}/confirm'].errorRate).toBe(0);
      expect(summary.capacity.peakDemandRps).toBeGreaterThan(0);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      for (const name of ['POST /signup', 'GET /api/v2/clinics/{id}/slots', 'POST /api/v2/appointments/{id}/confirm']) expect(html).toContain(name);
      expect(html).toContain('Money was not checked');
      // --metrics-url: the app's own Prometheus endpoint scraped each second and its named series charted
      const server = JSON.parse(readFileSync(join(out, 'server-metrics.json'), 'utf8'));
      expect(server.sources[0].url).toBe(`${fresh.url}/metrics`);
      expect(server.sources[0].scrapes.length).toBeGreaterThan(30);
      expect(html).toContain(`demo_requests_total @ ${new URL(fresh.url).host}`);
    } finally {
      await fresh.close();
    }
  }, 180_000);
});
