import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCpuCgroup, quotaCeilingUs } from '../../../src/run/cgroup.js';
import { startPortalProcess } from '../../../src/run/portal-process.js';
import { startPortalFleet } from '../../../src/run/portal-fleet.js';
import { cliPath } from '../../../src/run/built.js';

/** Two threads spinning: wanting two cores, so a quota of 0.2 of one is what limits them. */
const BUSY = `
const { Worker } = require('node:worker_threads');
new Worker('for (;;) {}', { eval: true });
for (;;) {}
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a process under a cgroup CPU quota (we are root)', () => {
  it('holds a busy-looping child to 0.2 of a core by the cgroup’s own accounting, and removes the cgroup after', async () => {
    const cg = createCpuCgroup(0.2);
    const dirs = [...cg.dirs];
    expect(dirs.every((d) => existsSync(d))).toBe(true);
    const [cmd, args] = cg.wrap(process.execPath, ['-e', BUSY]);
    const child = spawn(cmd, args, { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await sleep(2500);
      const u = cg.usage();
      // the kernel counted periods in which it ran, and throttled it: it wanted more than its quota
      expect(u.periods).toBeGreaterThanOrEqual(10);
      expect(u.throttledPeriods).toBeGreaterThan(0);
      expect(u.usageUs).not.toBeNull();
      expect(u.usageUs!).toBeGreaterThan(0);
      // never more than the quota per period it ran in (two spinning threads would use up to 2 cores)
      expect(u.usageUs!).toBeLessThanOrEqual(quotaCeilingUs(cg.quota, u.periods));
    } finally {
      child.kill('SIGKILL');
      await exited;
      cg.remove();
    }
    expect(dirs.some((d) => existsSync(d))).toBe(false);
  }, 30_000);

  it('joins the cgroup before the command runs (the wrapper), so the child is in it from its first instruction', async () => {
    const cg = createCpuCgroup(0.5);
    try {
      const [cmd, args] = cg.wrap('/bin/cat', ['/proc/self/cgroup']);
      const out = await new Promise<string>((resolve, reject) => {
        const c = spawn(cmd, args);
        let text = '';
        c.stdout.on('data', (b: Buffer) => (text += b.toString()));
        c.once('error', reject);
        c.once('exit', () => resolve(text));
      });
      const leaf = cg.dirs[0]!.split('/').pop()!;
      expect(out).toContain(`/capacity-test/${leaf}`);
    } finally {
      cg.remove();
    }
  });

  it('starts the reference portal in a cgroup of its own under --cpu-share, and removes it when the portal stops', async () => {
    const portal = await startPortalProcess({ mode: 'resilient', adminToken: 'cg-admin', dbFile: ':memory:', cpuShare: 0.5 });
    const cg = portal.cgroup!;
    const dirs = [...cg.dirs];
    try {
      expect(cg.quota.quotaUs).toBe(50_000);
      const leaf = dirs[0]!.split('/').pop()!;
      expect(readFileSync(`/proc/${portal.child.pid}/cgroup`, 'utf8')).toContain(`/capacity-test/${leaf}`);
      expect((await fetch(portal.url + '/healthz')).status).toBe(200);
      expect(cg.usage().usageUs!).toBeGreaterThan(0);
    } finally {
      await portal.stop();
    }
    expect(dirs.some((d) => existsSync(d))).toBe(false);
  });

  it('removes the empty leaf of a process that was killed before it could (SIGKILL runs no exit handler)', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((r) => child.once('exit', r));
    // a leaf named after a process that no longer exists, as a killed verify would leave
    const cg = createCpuCgroup(0.5);
    const stale = cg.dirs.map((d) => join(dirname(d), `${child.pid}-1-stale`));
    for (const d of stale) mkdirSync(d);
    cg.remove();
    const next = createCpuCgroup(0.5);
    next.remove();
    expect(stale.some((d) => existsSync(d))).toBe(false);
  });

  it('puts each instance of a fleet in a cgroup of its own under the share, and removes them all when the fleet stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-cg-fleet-'));
    const fleet = await startPortalFleet({ instances: 2, dbFile: join(dir, 'portal.db'), mode: 'resilient', adminToken: 'cg-fleet', cpuShare: 0.25 });
    const dirs = fleet.instances.flatMap((p) => p.cgroup!.dirs);
    try {
      expect(new Set(fleet.instances.map((p) => p.cgroup!.dirs[0])).size).toBe(2);
      expect(fleet.instances.map((p) => p.cgroup!.quota.quotaUs)).toEqual([25_000, 25_000]);
      expect((await fetch(fleet.url + '/healthz')).status).toBe(200);
    } finally {
      await fleet.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(dirs.some((d) => existsSync(d))).toBe(false);
  });

  it('`portal --cpu-share` joins a cgroup itself, says so, and leaves and removes it on SIGTERM', async () => {
    const child = spawn(process.execPath, [cliPath(), 'portal', '--port', '0', '--db', ':memory:', '--cpu-share', '0.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (t: string) => { lines.push(...t.split('\n').filter(Boolean)); if (lines.length >= 2) resolve(); });
      child.once('exit', (code) => reject(new Error(`portal exited ${code}`)));
    });
    const leaf = /cgroup v[12] (\S+)\)/.exec(lines[1]!)?.[1];
    expect(leaf).toBeDefined();
    expect(readFileSync(`/proc/${child.pid}/cgroup`, 'utf8')).toContain(leaf!.split('/').slice(-2).join('/'));
    expect((await fetch(lines[0]! + '/healthz')).status).toBe(200);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    expect(existsSync(leaf!)).toBe(false);
  });
});
