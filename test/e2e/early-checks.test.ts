import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/contracts/errors.js';
import { writeScenario } from '../integration/engine/helpers.js';

const BIN = join(__dirname, '../../bin/capacity-test.js');
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let dir: string;
let readOnly: string;
let scenario: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-out-check-'));
  writeFileSync(join(dir, 'a-file'), 'not a directory');
  // a read-only file system of its own (we are root: a permission bit would not stop us)
  readOnly = join(dir, 'ro');
  mkdirSync(readOnly);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readOnly], { encoding: 'utf8' });
  if (m.status !== 0) throw new Error(`mount a read-only tmpfs: ${m.stderr}`);
  scenario = writeScenario(`
    export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '1s' } } };
    export default async function () {}`, 'out-check.ts');
});
afterAll(() => {
  spawnSync('umount', [readOnly]);
  rmSync(dir, { recursive: true, force: true });
});

const commands: Array<[string, (out: string) => string[]]> = [
  ['launch-day', (out) => ['launch-day', '--quick', '--quiet', '--out', out]],
  ['run', (out) => ['run', scenario, '--quiet', '--out', out]],
  ['sweep', (out) => ['sweep', '--quiet', '--from', '10', '--to', '20', '--steps', '2', '--step-duration', '1s', '--out', out]],
];

describe('--out is checked before any load starts', () => {
  it.each(commands)('%s: a run directory on a read-only file system exits 3 naming the path, before the portal or the load', (_, args) => {
    const out = join(readOnly, 'reports', 'x');
    const r = cli(args(out));
    expect(r.code).toBe(ExitCode.environment);
    expect(r.stderr).toContain(`cannot write the run directory "${out}" (--out)`);
    expect(r.stderr).toContain('read-only file system');
    expect(r.stderr).not.toMatch(/starting the reference portal/);
    expect(readdirSync(readOnly)).toEqual([]);
  });

  it.each(commands)('%s: a file in the way exits 2 naming it, writing nothing', (_, args) => {
    const out = join(dir, 'a-file', 'run');
    const r = cli(args(out));
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain(`invalid --out: expected a directory, or a path where one can be made, got "${out}" ("${join(dir, 'a-file')}" is a file)`);
    expect(readdirSync(dir).sort()).toEqual(['a-file', 'ro']);
  });
});

describe('--metrics-url is checked before any load starts', () => {
  it('an endpoint that does not answer, or answers 404, exits 3 naming it, writing no run directory', async () => {
    const server = createServer((_req, res) => { res.writeHead(404).end('no metrics here'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const missing = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    try {
      const out = join(dir, 'metrics-url-run');
      const dead = cli(['launch-day', '--quick', '--quiet', '--metrics-url', 'http://127.0.0.1:9/metrics', '--out', out]);
      expect(dead.code).toBe(ExitCode.environment);
      expect(dead.stderr).toContain('--metrics-url unreachable: http://127.0.0.1:9/metrics does not answer: nothing listens there');
      const notFound = await new Promise<ReturnType<typeof cli>>((resolve) => {
        // the CLI in a child that does not block this process: the 404 server above must answer it
        const child = spawn(process.execPath, [BIN, 'launch-day', '--quick', '--quiet', '--metrics-url', missing, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
        child.on('close', (code) => resolve({ code, stdout: '', stderr }));
      });
      expect(notFound.code).toBe(ExitCode.environment);
      expect(notFound.stderr).toContain(`--metrics-url ${missing} answers 404: expected 200 with Prometheus metrics`);
      expect(notFound.stderr).not.toMatch(/starting the reference portal/);
      expect(existsSync(out)).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

