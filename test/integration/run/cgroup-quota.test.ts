import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createCpuCgroup, quotaCeilingUs } from '../../../src/run/cgroup.js';
import { startPortalProcess } from '../../../src/run/portal-process.js';

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
});
