import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/contracts/errors.js';
import { startCountingServer, writeScenario, type CountingServer } from '../integration/engine/helpers.js';

/**
 * Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group (the CLI and every child
 * in its group, esbuild's service included). The CLI runs in a group of its own (detached) so the test
 * can signal that group, as the terminal would.
 */
const BIN = join(__dirname, '../../bin/capacity-test.js');

interface Cli { child: ChildProcess; done: Promise<number | null>; stderr: () => string }

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += String(d); });
  child.stdout!.resume();
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, done, stderr: () => err };
}

const ctrlC = (cli: Cli) => process.kill(-cli.child.pid!, 'SIGINT');
/** A process still running (a zombie waiting for init to reap it has ended). */
function alive(pid: number): boolean {
  try { return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'; } catch { return false; }
}
/** Waits (up to 30 s, for a busy machine) for the process to end; true when it did. */
async function ends(pid: number): Promise<boolean> {
  for (let i = 0; i < 150 && alive(pid); i++) await sleep(200);
  return !alive(pid);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until run.json says the load started (the engine wrote its plan), or the CLI ended. */
async function loadStarted(cli: Cli, runDir: string): Promise<void> {
  for (;;) {
    if (cli.child.exitCode !== null) throw new Error(`the CLI ended before its load started: ${cli.stderr()}`);
    try {
      const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { plannedDurationSeconds: number | null };
      if (info.plannedDurationSeconds !== null) return;
    } catch { /* not written yet */ }
    await sleep(200);
  }
}

/** The embedded portals among the CLI's children, with the temporary database each was given. */
function portalsOf(pid: number): Array<{ pid: number; db: string | null }> {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).trim();
  return out.split('\n').filter(Boolean).map(Number).flatMap((p) => {
    let args: string[];
    try { args = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0'); } catch { return []; }
    if (!args.some((a) => a.endsWith(join('mock-portal', 'src', 'main.js')))) return [];
    const i = args.indexOf('--db');
    return [{ pid: p, db: i >= 0 && args[i + 1] !== ':memory:' ? args[i + 1] : null }];
  });
}

function runJson(runDir: string): { aborted: boolean; endedAt: string | null; abortReason: string | null } {
  return JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
}

describe('launch-day --quick interrupted', () => {
  it('first Ctrl-C: arrivals stop, the run drains, the report is written, exit 4; the portal and its temporary database are gone', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'ct-int-ld-')), 'run');
    const cli = startCli(['launch-day', '--quick', '--quiet', '--out', runDir]);
    await loadStarted(cli, runDir);
    const portals = portalsOf(cli.child.pid!);
    expect(portals).toHaveLength(1);
    expect(portals[0]!.db).not.toBeNull();
    expect(existsSync(portals[0]!.db!)).toBe(true);
    await sleep(2000);
    ctrlC(cli);
    expect(await cli.done).toBe(ExitCode.aborted);
    expect(existsSync(join(runDir, 'report.html'))).toBe(true);
    expect(existsSync(join(runDir, 'summary.json'))).toBe(true);
    expect(existsSync(join(runDir, 'server-metrics.json'))).toBe(true);
    const info = runJson(runDir);
    expect(info.aborted).toBe(true);
    expect(info.endedAt).not.toBeNull();
    expect(info.abortReason).toMatch(/interrupted/);
    expect(await ends(portals[0]!.pid)).toBe(true);
    expect(existsSync(portals[0]!.db!)).toBe(false);
    expect(cli.stderr()).not.toMatch(/service is no longer running|internal error/);
  }, 150_000);

  it('a second Ctrl-C exits 4 at once, still leaving a readable run.json marked aborted, no portal and no temporary database', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'ct-int-ld2-')), 'run');
    const cli = startCli(['launch-day', '--quick', '--quiet', '--out', runDir]);
    await loadStarted(cli, runDir);
    const portals = portalsOf(cli.child.pid!);
    expect(portals).toHaveLength(1);
    await sleep(1500);
    ctrlC(cli);
    await sleep(300);
    ctrlC(cli);
    expect(await cli.done).toBe(ExitCode.aborted);
    const info = runJson(runDir);
    expect(info.aborted).toBe(true);
    expect(info.endedAt).not.toBeNull();
    expect(existsSync(join(runDir, 'metrics', 'windows.jsonl.gz'))).toBe(true);
    expect(existsSync(join(runDir, 'report.html'))).toBe(false);
    expect(await ends(portals[0]!.pid)).toBe(true);
    expect(existsSync(portals[0]!.db!)).toBe(false);
  }, 150_000);
});

describe('run and sweep interrupted', () => {
  let server: CountingServer;
  beforeAll(async () => { server = await startCountingServer(); });
  afterAll(async () => { await server.close(); });

  it('run: the first Ctrl-C still writes the report (esbuild finished before the load), exit 4', async () => {
    const scenario = writeScenario(`
      import { sleep } from 'capacity-test';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '60s' } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/x'); await sleep(0.05); }`, 'interrupted.ts');
    const runDir = join(mkdtempSync(join(tmpdir(), 'ct-int-run-')), 'run');
    const cli = startCli(['run', scenario, '--quiet', '--workers', '1', '--env', `TARGET=${server.url}`, '--out', runDir]);
    await loadStarted(cli, runDir);
    await sleep(1500);
    ctrlC(cli);
    expect(await cli.done).toBe(ExitCode.aborted);
    expect(cli.stderr()).not.toMatch(/service is no longer running|internal error/);
    expect(existsSync(join(runDir, 'report.html'))).toBe(true);
    expect(runJson(runDir)).toMatchObject({ aborted: true });
    expect(runJson(runDir).endedAt).not.toBeNull();
  }, 120_000);

  it('sweep against its embedded portal: the first Ctrl-C drains, writes the report, stops the portal, exit 4', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'ct-int-sweep-')), 'run');
    const cli = startCli(['sweep', '--quiet', '--from', '5', '--to', '10', '--steps', '2', '--step-duration', '20s', '--warmup', '0s', '--workers', '1', '--out', runDir]);
    await loadStarted(cli, runDir);
    const portals = portalsOf(cli.child.pid!);
    expect(portals).toHaveLength(1);
    await sleep(1500);
    ctrlC(cli);
    expect(await cli.done).toBe(ExitCode.aborted);
    expect(existsSync(join(runDir, 'report.html'))).toBe(true);
    expect(runJson(runDir)).toMatchObject({ aborted: true });
    expect(await ends(portals[0]!.pid)).toBe(true);
    expect(cli.stderr()).not.toMatch(/service is no longer running|internal error/);
  }, 120_000);
});
