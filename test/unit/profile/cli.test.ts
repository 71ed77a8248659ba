import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';

let out = '';
let err = '';
function capture() {
  out = ''; err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
}
afterEach(() => { vi.restoreAllMocks(); process.exitCode = undefined; });
const run = (...args: string[]) => main(['node', 'capacity-test', ...args]);

describe('capacity-test profile and data commands', () => {
  it('profile show --json prints real minutes whose registrations sum to the day', async () => {
    capture();
    expect(await run('profile', 'show', '--json', '--registrations', '3,00,000')).toBe(0);
    const j = JSON.parse(out) as { registrations: number; minutes: { time: string; registrations: number }[]; peakDemandRps: number };
    expect(j.registrations).toBe(300_000);
    expect(j.minutes.reduce((s, m) => s + m.registrations, 0)).toBe(300_000);
    expect(j.minutes[0].time).toMatch(/^\d\d:\d\d$/);
    expect(j.peakDemandRps).toBeGreaterThan(0);
  });

  it('profile show prints the table with sources, and refuses a bad figure with exit 2', async () => {
    capture();
    expect(await run('profile', 'show')).toBe(0);
    expect(out).toMatch(/Peak at 09:00/);
    expect(out).toMatch(/CoWIN/);
    // money in rupees from paise, counts in lakh, shares in percent
    expect(out).toMatch(/registrations +3 lakh +Hindi news report/);
    expect(out).toMatch(/orderValuePaise +₹1,490 /);
    expect(out).toMatch(/firstHourShare +26% /);
    capture();
    expect(await run('profile', 'show', '--registrations', 'three lakh')).toBe(2);
    expect(err).toMatch(/invalid registrations/);
  });

  it('profile show reads a YAML file and from-log writes a profile that show reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-cli-'));
    writeFileSync(join(dir, 'p.yaml'), 'registrations: 1lakh\norders: 5k\n');
    capture();
    expect(await run('profile', 'show', join(dir, 'p.yaml'), '--json')).toBe(0);
    expect(JSON.parse(out).registrations).toBe(100_000);
    writeFileSync(join(dir, 'access.log'), [
      '1.2.3.4 - - [28/Nov/2026:09:00:01 +0530] "POST /api/v1/register HTTP/1.1" 201 10 "-" "-"',
      '1.2.3.4 - - [28/Nov/2026:09:01:01 +0530] "POST /api/v1/register HTTP/1.1" 201 10 "-" "-"',
    ].join('\n'));
    capture();
    expect(await run('profile', 'from-log', join(dir, 'access.log'), '--out', join(dir, 'from-log.json'))).toBe(0);
    capture();
    expect(await run('profile', 'show', join(dir, 'from-log.json'), '--json')).toBe(0);
    expect(JSON.parse(out).minutes.map((m: { registrations: number }) => m.registrations)).toEqual([1, 1]);
  });

  it('profile from-log reads a combined log and a JSON-lines log into profiles that show reads back, with the routes, the failures apart and the spike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-fromlog-'));
    // the same day in both formats: a baseline of 1 a minute, a rush at 09:00 that holds 2 minutes, 503s at the peak, 50 order ids
    const perMinute = [1, 1, 1, 6, 8, 7, 2, 1];
    const at = (m: number, s: number) => ({ hh: String(Math.floor((8 * 60 + 57 + m) / 60)).padStart(2, '0'), mm: String((8 * 60 + 57 + m) % 60).padStart(2, '0'), ss: String(s).padStart(2, '0') });
    const reqs: Array<{ m: number; s: number; method: string; path: string; status: number }> = [];
    perMinute.forEach((n, m) => { for (let k = 0; k < n; k++) reqs.push({ m, s: k, method: 'POST', path: '/api/v2/bookings', status: 201 }); });
    for (let k = 0; k < 3; k++) reqs.push({ m: 4, s: 30 + k, method: 'POST', path: '/api/v2/bookings', status: 503 });
    for (let k = 0; k < 50; k++) reqs.push({ m: 5, s: k, method: 'GET', path: `/api/v2/bookings/ORD-2026-${String(123 + k).padStart(6, '0')}`, status: 200 });
    reqs.push({ m: 6, s: 0, method: 'GET', path: '/static/app.js', status: 304 });
    const combined = reqs.map((r) => { const t = at(r.m, r.s); return `1.2.3.4 - - [28/Nov/2026:${t.hh}:${t.mm}:${t.ss} +0530] "${r.method} ${r.path} HTTP/1.1" ${r.status} 10 "-" "-"`; });
    const jsonl = reqs.map((r) => { const t = at(r.m, r.s); return JSON.stringify({ time: `2026-11-28T${t.hh}:${t.mm}:${t.ss}+05:30`, request_method: r.method, request_uri: r.path, status: r.status }); });
    writeFileSync(join(dir, 'access.log'), [...combined, 'a line no logger wrote'].join('\n') + '\n');
    writeFileSync(join(dir, 'access.jsonl'), jsonl.join('\n') + '\n');
    const profiles: unknown[] = [];
    for (const [file, format] of [['access.log', 'combined log format'], ['access.jsonl', 'JSON lines']] as const) {
      capture();
      expect(await run('profile', 'from-log', join(dir, file), '--journey', 'newUser=POST /api/v2/bookings', '--registrations', '10k', '--orders', '2k', '--out', join(dir, `${file}.json`))).toBe(0);
      expect(err).toContain(`8 minute(s) from 08:57, 3 route(s) served: GET /api/v2/bookings/{id}, GET /static/app.js, POST /api/v2/bookings`);
      expect(err).toContain(`(${format}): ${reqs.length} requests read`);
      expect(err).toContain('failed (4xx 0, 5xx 3) and are not counted as demand served: POST /api/v2/bookings 4xx 0, 5xx 3');
      expect(err).toContain('all served requests: peak 57/min at 09:02; rose from 1/min in 2 min (from 09:00); held at least half its height for 1 min (09:02–09:03)');
      expect(err).toContain('newUser arrives as POST /api/v2/bookings did');
      const written = JSON.parse(readFileSync(join(dir, `${file}.json`), 'utf8'));
      expect(written.measured.spikes.routes['POST /api/v2/bookings']).toEqual({
        peak: '09:01', peakPerMinute: 8, baselinePerMinute: 1, riseFrom: '08:59', riseMinutes: 2, holdFrom: '09:00', holdTo: '09:03', holdMinutes: 3,
      });
      expect(written.measured.failed).toEqual({ 'POST /api/v2/bookings': { clientErrors: 0, serverErrors: 3 } });
      capture();
      expect(await run('profile', 'show', join(dir, `${file}.json`), '--json')).toBe(0);
      const shown = JSON.parse(out) as { registrations: number; minutes: Array<{ time: string; registrations: number }> };
      // the next launch's size on the log's shape: 10,000 registrations as the 27 served bookings came (1, 1, 1, 6, 8, 7, 2, 1)
      expect(shown.registrations).toBe(10_000);
      expect(shown.minutes.map((m) => m.registrations)).toEqual([371, 370, 370, 2222, 2963, 2593, 741, 370]);
      const { notes: _n, name: _name, description: _d, ...same } = written;
      profiles.push(same);
    }
    // the two formats of one day make one profile
    expect(profiles[0]).toEqual(profiles[1]);
    capture();
    expect(await run('profile', 'from-log', join(dir, 'access.log'), '--journey', 'walker=GET /x')).toBe(2);
    expect(err).toMatch(/invalid --journey: expected JOURNEY=ROUTE .*got "walker=GET \/x"/);
    capture();
    expect(await run('profile', 'from-log', join(dir, 'access.log'), '--registrations', 'lots')).toBe(2);
    expect(err).toMatch(/invalid --registrations/);
  });

  it('data writes the same users for the same seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-data-'));
    capture();
    expect(await run('data', '--users', '1k', '--seed', '9', '--out', join(dir, 'a.json'))).toBe(0);
    expect(await run('data', '--users', '1k', '--seed', '9', '--out', join(dir, 'b.json'))).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')).users).toHaveLength(1000);
    expect(await run('data', '--users', 'many')).toBe(2);
  });
});
