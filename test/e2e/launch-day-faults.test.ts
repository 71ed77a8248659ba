import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from '../helpers/cli-async.js';

const dir = mkdtempSync(join(tmpdir(), 'ct-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

describe('faults on the day’s timeline', () => {
  it('a quick day with +400 ms on POST /api/v1/register from 09:05 for 5 minutes: applied then, removed after, recorded and marked', async () => {
    const profile = join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify({ faults: [{ at: '09:05', for: '5m', latencyMs: 400, route: 'POST /api/v1/register' }] }));
    const out = join(dir, 'run');
    // ×60: 08:55–09:15 in 20 s, the fault at seconds 10–15
    const r = await startCli(['launch-day', '--quick', '--quiet', '--time-scale', '60', '--scale', '0.004', '--profile', profile, '--out', out], 150_000).done;
    expect(existsSync(join(out, 'report.html')), r.stderr).toBe(true);
    const [f] = JSON.parse(readFileSync(join(out, 'faults.json'), 'utf8')).faults;
    expect(f).toMatchObject({ kind: 'latency', label: '+400 ms on POST /api/v1/register', at: '09:05', until: '09:10', fromSecond: 10, toSecond: 15, error: null });
    expect(f.appliedAtSecond).toBeGreaterThanOrEqual(10);
    expect(f.appliedAtSecond).toBeLessThan(12);
    expect(f.clearedAtSecond).toBeGreaterThanOrEqual(15);
    expect(f.clearedAtSecond).toBeLessThan(17);
    expect(r.stderr).toMatch(/fault on at 09:05/);

    // what the fault did, second by second: POST /register ≥ 400 ms inside its window, below it outside
    const w = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).latencyWindows.endpoints['POST /api/v1/register'];
    const inside = w.p95Ms.slice(Math.ceil(f.appliedAtSecond) + 1, Math.floor(f.clearedAtSecond)).filter((v: number | null) => v !== null);
    const outside = [...w.p95Ms.slice(0, 9), ...w.p95Ms.slice(Math.ceil(f.clearedAtSecond) + 2)].filter((v: number | null) => v !== null);
    expect(inside.length).toBeGreaterThan(0);
    expect(Math.min(...inside)).toBeGreaterThanOrEqual(400);
    expect(median(outside)).toBeLessThan(400);

    const page = readFileSync(join(out, 'report.html'), 'utf8');
    expect(page).toContain('Red bands: faults injected into the portal');
    expect(page).toContain('"faults":[{"from":');
  }, 180_000);

  it('a crash at 09:05 for a simulated minute: the portal killed, started again on its port and database, the day goes on and no paisa is lost', async () => {
    const profile = join(dir, 'crash.json');
    writeFileSync(profile, JSON.stringify({ faults: [{ at: '09:05', for: '1m', crash: true }] }));
    const out = join(dir, 'crash');
    const r = await startCli(['launch-day', '--quick', '--quiet', '--time-scale', '60', '--scale', '0.004', '--profile', profile, '--out', out], 150_000).done;
    expect(existsSync(join(out, 'report.html')), r.stderr).toBe(true);
    const [f] = JSON.parse(readFileSync(join(out, 'faults.json'), 'utf8')).faults;
    expect(f).toMatchObject({ kind: 'crash', fromSecond: 10, toSecond: 11, error: null });
    expect(f.appliedAtSecond).toBeGreaterThanOrEqual(10);
    expect(f.clearedAtSecond).toBeGreaterThanOrEqual(11);
    expect(r.stderr).toMatch(/the reference portal started again at 09:0\d \(simulated\)/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    // answered after the restart, by the same portal's database: the money reconciles to the paisa
    const answered = summary.latencyWindows.overall.requests.slice(Math.ceil(f.clearedAtSecond) + 1);
    expect(answered.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);
    expect(summary.business.walletDiscrepancyPaise).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('portal crashed (SIGKILL), started again after 1m');
  }, 180_000);
});
