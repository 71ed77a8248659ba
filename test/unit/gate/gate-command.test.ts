import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gateCommand } from '../../../src/cli/gate.js';
import { main } from '../../../src/cli/main.js';
import { UsageError } from '../../../src/contracts/errors.js';

const fx = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ct-gate-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

/** Run the whole CLI with output captured; returns the exit code and what was printed. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const wo = process.stdout.write.bind(process.stdout);
  const we = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out.push(String(s)); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err.push(String(s)); return true; }) as typeof process.stderr.write;
  const before = process.exitCode;
  try {
    const code = await main(['node', 'capacity-test', ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = wo;
    process.stderr.write = we;
    process.exitCode = before;
  }
}

describe('capacity-test gate', () => {
  it('exits 0 for an unchanged run and writes JUnit and Markdown', async () => {
    const junit = join(dir, 'gate.xml');
    const markdown = join(dir, 'gate.md');
    const r = await cli(['gate', '--baseline', fx('baseline.summary.json'), '--current', fx('current-unchanged.summary.json'), '--junit', junit, '--markdown', markdown]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('gate PASSED: 0 regression(s)');
    expect(await readFile(junit, 'utf8')).toContain('failures="0"');
    expect(await readFile(markdown, 'utf8')).toMatch(/^### Capacity gate: ✅ passed/);
  });

  it('exits 1 for a regression, reading run directories as well as files', async () => {
    await mkdir(join(dir, 'base'));
    await mkdir(join(dir, 'cur'));
    await copyFile(fx('baseline.summary.json'), join(dir, 'base', 'summary.json'));
    await copyFile(fx('current-regressed.summary.json'), join(dir, 'cur', 'summary.json'));
    const junit = join(dir, 'gate.xml');
    const r = await cli(['gate', '--baseline', join(dir, 'base'), '--current', join(dir, 'cur'), '--junit', junit]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL\s+POST \/api\/v1\/orders\s+p95 latency/);
    expect(r.out).toContain('gate FAILED');
    expect(await readFile(junit, 'utf8')).toContain('<failure message="p95 120 ms → 260 ms');
  });

  it('honours tolerance flags: a generous limit turns the p95 regression into a pass', async () => {
    const lines: string[] = [];
    const code = await gateCommand({ baseline: fx('baseline.summary.json'), current: fx('current-regressed.summary.json'),
      maxP95Increase: '200%', maxP99Increase: '400%', maxErrorRateIncrease: '5pp', maxRpsDecrease: '50%' }, (s) => lines.push(s));
    const text = lines.join('');
    expect(text).toMatch(/ok\s+POST \/api\/v1\/orders\s+p95 latency/);
    // still failing: GET /api/v1/shops vanished and a threshold failed
    expect(code).toBe(1);
    expect(text).toMatch(/FAIL\s+GET \/api\/v1\/shops\s+presence/);
  });

  it('exits 2 naming the file and the field of a bad summary', async () => {
    const r = await cli(['gate', '--baseline', fx('baseline.summary.json'), '--current', fx('bad-field.summary.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`invalid current ${fx('bad-field.summary.json')}: field overall.latencyMs.p95: expected a number, got "90ms"`);
  });

  it('exits 2 for a missing file, a run dir without summary.json, broken JSON and a bad flag', async () => {
    await mkdir(join(dir, 'empty-run'));
    await writeFile(join(dir, 'broken.json'), '{ "schemaVersion": 1,');
    const base = fx('baseline.summary.json');
    const cases: Array<[string[], string]> = [
      [['--current', join(dir, 'nope.json')], `invalid current ${join(dir, 'nope.json')}: expected a summary.json file or a run directory`],
      [['--current', join(dir, 'empty-run')], `expected ${join(dir, 'empty-run', 'summary.json')} (run \`capacity-test report`],
      [['--current', join(dir, 'broken.json')], `invalid current ${join(dir, 'broken.json')}: expected JSON`],
      [['--current', base, '--max-p95-increase', 'lots'], 'invalid --max-p95-increase: expected a percentage'],
      [['--current', base, '--max-error-rate-increase', '0.5%'], 'invalid --max-error-rate-increase: expected percentage points'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['gate', '--baseline', base, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(message);
    }
    expect((await cli(['gate', '--baseline', base])).code).toBe(2); // --current is required
    await expect(gateCommand({ baseline: base, current: join(dir, 'nope') })).rejects.toBeInstanceOf(UsageError);
  });

  it('prints --help with the tolerance flags and exit codes', async () => {
    const r = await cli(['gate', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--baseline <path>', '--current <path>', '--junit <file>', '--markdown <file>', '--max-p95-increase', '--max-error-rate-increase']) expect(r.out).toContain(flag);
    expect(r.out).toContain('Exit codes: 0 pass · 1 regression · 2 bad input');
  });
});
