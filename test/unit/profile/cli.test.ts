import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
