import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
