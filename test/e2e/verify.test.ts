import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, buildPrivateCli } from './cli-analysis-helpers.js';
import { verificationSchema } from '../../src/contracts/verification.js';
import { measureWindows } from '../../src/run/verify.js';
import { decodeWindows } from '../../src/metrics/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ct-verify-'));
let built: ReturnType<typeof buildPrivateCli>;
const cli = (...args: string[]) => runCli(built.bin, args, 170_000);
const run = join(dir, 'sweep');

beforeAll(() => {
  built = buildPrivateCli();
  // a small real run with a sizing: three 3 s steps of GET /shops under half a core, sized for 100 requests/s
  const r = cli('sweep', '--from', '20', '--to', '60', '--steps', '3', '--step-duration', '3s', '--warmup', '1s',
    '--peak-rps', '100', '--cpu-share', '0.5', '--out', run, '--quiet', '--workers', '1');
  if (r.code !== 0) throw new Error(`sweep failed (${r.code}): ${r.stderr}`);
}, 180_000);
afterAll(() => { built?.cleanup(); rmSync(dir, { recursive: true, force: true }); });

describe('capacity-test verify', () => {
  it('exits 3 without root, naming it, before any fleet starts or anything is written', () => {
    // the run as another user would see it: readable, not ours to change
    const copy = mkdtempSync(join(tmpdir(), 'ct-verify-nobody-'));
    cpSync(run, join(copy, 'run'), { recursive: true });
    chmodSync(copy, 0o755);
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, built.bin, 'verify', join(copy, 'run'), '--seconds', '5'], { encoding: 'utf8' });
    const wrote = ['verification.json', 'verify'].filter((f) => existsSync(join(copy, 'run', f)));
    rmSync(copy, { recursive: true, force: true });
    expect(wrote).toEqual([]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/--cpu-share needs root to create a cgroup with a CPU quota \(running as uid 65534\)/);
  });

  it("starts the run's predicted fleet and one fewer under its CPU share, and writes what they measured", () => {
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    expect(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).extra.cpuShare).toBe(0.5);
    const r = cli('verify', run, '--seconds', '5', '--quiet', '--workers', '1');
    // 0: verified; 1: the prediction was wrong (or the shared machine got in the way) — both are results
    expect([0, 1]).toContain(r.code);
    expect(r.stdout.split('\n')[0]).toBe(join(run, 'verification.json'));
    const v = verificationSchema.parse(JSON.parse(readFileSync(join(run, 'verification.json'), 'utf8')));
    expect(r.code).toBe(v.finding === 'verified' && v.withinTarget ? 0 : 1);

    // the prediction is the run's: its sizing's Erlang C answer for its peak, each instance under its share
    expect(v.cpuShare).toBe(0.5);
    expect(v.predictedRps).toBe(100);
    expect(v.instances).toBe(summary.capacity.sizing.servers);
    expect(v.perInstanceRps).toBe(summary.capacity.sizing.perInstanceRps);
    expect(v.fleets.map((f) => f.instances)).toEqual(v.instances > 1 ? [v.instances, v.instances - 1] : [1]);

    // the headline figures are N's, and each fleet's figures are its own run's windows over the measured seconds
    const n = v.fleets[0]!;
    expect([v.measuredRps, v.p95Ms, v.held]).toEqual([n.measuredRps, n.p95Ms, n.held]);
    expect(v.fewer).toEqual(v.fleets[1] ?? null);
    expect(v.deviation).toBeCloseTo((v.measuredRps - v.predictedRps) / v.predictedRps, 12);
    expect(v.withinTarget).toBe(Math.abs(v.deviation) <= 0.15);
    for (const f of v.fleets) {
      expect(f.runDir).toBe(`verify/${f.instances}-instance${f.instances === 1 ? '' : 's'}`);
      const windows = decodeWindows(readFileSync(join(run, f.runDir, 'metrics', 'windows.jsonl.gz')));
      const again = measureWindows(windows, v.load.warmupSeconds, v.load.seconds);
      expect(f.measuredRps).toBeCloseTo(again.measuredRps, 9);
      expect(f.offeredRps).toBeCloseTo(again.offeredRps, 9);
      expect(f.p95Ms).toBe(again.p95Ms);
      expect(f.failures).toEqual(again.failures);
      expect(f.serverErrorShare).toBe(again.serverErrorShare);
      expect(Object.values(f.failures).reduce((a, b) => a + b, 0)).toBeCloseTo(f.errorRate * f.offeredRps * f.windowSeconds, 6);
      expect(f.measuredRps).toBeLessThanOrEqual(f.offeredRps);
      expect(f.held).toBe(f.reasons.length === 0);
      // each instance ran under its quota, by its cgroup's own accounting
      expect(f.quotaUsedShare).not.toBeNull();
      expect(f.quotaUsedShare!).toBeLessThanOrEqual(1.1);
    }
    // the finding follows from which fleets held
    if (v.finding === 'verified') expect(n.held && !(v.fewer?.held ?? false)).toBe(true);
    if (v.finding === 'overProvisioned') expect(n.held && v.fewer!.held).toBe(true);
    if (v.wrongTerm !== null) expect(['overProvisioned', 'perInstanceSlower', 'sharedDatabase']).toContain(v.finding);

    // the report says it, in its own section
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    const at = html.indexOf('<section id="verification">');
    expect(at).toBeGreaterThan(0);
    const section = html.slice(at, html.indexOf('</section>', at));
    expect(section).toMatch(new RegExp(`${v.instances} instances, each under 0\\.5 of a core, sustain 100 requests/s`));
    for (const f of v.fleets) expect(section).toContain(`<td class="${f.held ? 'good' : 'bad'}">${f.held ? 'yes' : 'no'}</td>`);
  }, 180_000);

  it('re-renders the section from verification.json alone, in Hindi too', () => {
    const out = join(dir, 'hi');
    const r = cli('report', run, '--out', out, '--lang', 'hi', '--no-png');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8').includes('<h2>सत्यापन: आकलन, मापकर</h2>')).toBe(true);
  });

  it('exits 2 naming the problem: a run measured without --cpu-share, a bad --seconds, no run directory', () => {
    const bare = join(dir, 'no-share');
    cpSync(run, bare, { recursive: true });
    const info = JSON.parse(readFileSync(join(bare, 'run.json'), 'utf8'));
    info.extra.cpuShare = null;
    writeFileSync(join(bare, 'run.json'), JSON.stringify(info));
    rmSync(join(bare, 'verification.json'), { force: true });
    const noShare = cli('verify', bare, '--seconds', '5');
    expect(noShare.code).toBe(2);
    expect(noShare.stderr).toMatch(/expected a run measured under --cpu-share .*give verify --cpu-share S/);
    const seconds = cli('verify', run, '--seconds', '600');
    expect(seconds.code).toBe(2);
    expect(seconds.stderr).toMatch(/invalid --seconds: expected a whole number of seconds from 5 to 60, got 600/);
    const missing = cli('verify', join(dir, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/invalid run directory: expected a directory, got ".*nope"/);
    // refused before any fleet started: nothing written
    expect(existsSync(join(bare, 'verification.json'))).toBe(false);
    expect(existsSync(join(bare, 'verify', '1-instance', 'run.json')) && readFileSync(join(bare, 'verify', '1-instance', 'run.json'), 'utf8') !== readFileSync(join(run, 'verify', '1-instance', 'run.json'), 'utf8')).toBe(false);
  });
});
