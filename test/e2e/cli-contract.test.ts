import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/contracts/errors.js';
import { startCountingServer, writeScenario } from '../integration/engine/helpers.js';

const BIN = join(__dirname, '../../bin/capacity-test.js');

function cli(args: string[], timeout = 60_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('exit codes of docs/contracts.md, as the README states them', () => {
  it('the README table lists exactly the codes the CLI uses', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| (\d) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2]] as const);
    expect(rows.map(([c]) => c)).toEqual(Object.values(ExitCode));
    expect(rows.find(([c]) => c === ExitCode.failed)![1]).toMatch(/threshold/);
    expect(rows.find(([c]) => c === ExitCode.usage)![1]).toMatch(/usage|bad input/);
    expect(rows.find(([c]) => c === ExitCode.environment)![1]).toMatch(/unreachable/);
    expect(rows.find(([c]) => c === ExitCode.aborted)![1]).toMatch(/abort/);
  });

  it('a bad flag value exits 2 and the message names the value', () => {
    const r = cli(['launch-day', '--mode', 'half-built']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('half-built');
    expect(r.stderr).toContain('--mode');
  });

  it('an unknown command or flag exits 2', () => {
    expect(cli(['launch-day', '--no-such-flag']).code).toBe(2);
    expect(cli(['no-such-command']).code).toBe(2);
  });

  it('an unreachable --target exits 3 with a one-line message naming it', () => {
    const r = cli(['launch-day', '--quick', '--quiet', '--target', 'http://127.0.0.1:9', '--out', mkdtempSync(join(tmpdir(), 'ct-unreach-'))]);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('capacity-test:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/unreachable.*127\.0\.0\.1:9/);
  });

  it('a failed threshold exits 1 and the run directory is still written', async () => {
    const server = await startCountingServer((_req, res) => setTimeout(() => res.end('slow'), 30));
    try {
      const scenario = writeScenario(`
        import { check } from 'capacity-test';
        export const options = {
          scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '2s' } },
          thresholds: { http_req_duration: ['p(95)<1'] },
        };
        export default async function (vu) {
          const r = await vu.http.get(vu.env.TARGET + '/x');
          check(r, { ok: (x) => x.status === 200 });
        }`);
      const out = join(mkdtempSync(join(tmpdir(), 'ct-thr-')), 'run');
      const r = cli(['run', scenario, '--quiet', '--env', `TARGET=${server.url}`, '--out', out]);
      expect(r.code).toBe(1);
      expect(existsSync(join(out, 'metrics', 'windows.jsonl.gz'))).toBe(true);
      expect(existsSync(join(out, 'summary.json'))).toBe(true);
      expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).thresholds.pass).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('every command answers --help with exit 0', () => {
    for (const c of ['launch-day', 'run', 'sweep', 'report', 'merge', 'gate', 'portal', 'usl', 'size', 'doctor']) {
      const r = cli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(/Usage: capacity-test/);
    }
  });
});

describe('messages name the bad value and say what was expected, in plain words (exit 2)', () => {
  it.each([
    [['launch-day', '--mode', 'nope'], 'invalid --mode: expected one of resilient or as-built, got "nope"'],
    [['launch-day', '--lang', 'xx'], 'invalid --lang: expected one of en or hi, got "xx"'],
    [['launch-day', '--seed', '1e309'], 'invalid --seed: expected a finite number, got "1e309"'],
    [['sweep', '--step-duration', 'abc'], 'invalid --step-duration: expected a duration such as 90s, 5m or 1h30m, got "abc"'],
    [['sweep', '--step-duration', '30'], 'invalid --step-duration: expected a duration such as 90s, 5m or 1h30m (a unit is needed: 30s is seconds, 30ms milliseconds), got "30"'],
    [['run', 'x.ts', '--segment', '0/2'], 'invalid --segment: expected i/n with 1 ≤ i ≤ n, e.g. 1/2 for the first of two, got "0/2"'],
    [['portal', '--clock', '25:00'], 'invalid --clock: expected a time of day HH:MM (00:00–23:59), got "25:00"'],
  ])('%j', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr.trim()).toBe(`capacity-test: ${message}`);
  });

  it('an unreachable target is named with the reason in words, not an exception class', () => {
    const r = cli(['sweep', '--quiet', '--target', 'http://127.0.0.1:1', '--out', join(mkdtempSync(join(tmpdir(), 'ct-unreach-')), 'run')]);
    expect(r.code).toBe(ExitCode.environment);
    expect(r.stderr).toContain('capacity-test: target unreachable: http://127.0.0.1:1/api/v1/shops?district=Raipur does not answer: nothing listens there (connection refused)');
  });
});

describe('every input is checked before load starts; a refused run leaves no half run directory', () => {
  it('launch-day --baseline of a missing file exits 2 before any load, writing nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ct-early-')), 'run');
    const r = cli(['launch-day', '--quick', '--quiet', '--baseline', join(tmpdir(), 'ct-no-such-baseline.json'), '--out', out]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain('ct-no-such-baseline.json');
    expect(r.stderr).not.toMatch(/starting the reference portal/);
    expect(existsSync(out)).toBe(false);
  });

  it('an unreachable --target (exit 3) and a broken scenario (exit 2) leave no run directory', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ct-early-')), 'run');
    expect(cli(['launch-day', '--quick', '--quiet', '--target', 'http://127.0.0.1:9', '--out', out]).code).toBe(ExitCode.environment);
    expect(existsSync(out)).toBe(false);
    const broken = writeScenario('export const options = { scenarios: { s: { executor: "constant-vus", vus: 1, duration: "1s" } } };\nexport default async function ( {', 'broken.ts');
    expect(cli(['run', broken, '--quiet', '--out', out]).code).toBe(ExitCode.usage);
    expect(existsSync(out)).toBe(false);
    const down = writeScenario(`
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '1s' } } };
      export function setup() { throw new Error('target down'); }
      export default async function () {}`, 'setup-fails.ts');
    expect(cli(['run', down, '--quiet', '--out', out]).code).not.toBe(ExitCode.ok);
    expect(existsSync(out)).toBe(false);
  });
});
