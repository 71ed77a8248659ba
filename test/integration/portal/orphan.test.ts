import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtModule } from '../../../src/run/built.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Gone, or a zombie nobody reaps yet: either way no longer running. */
function running(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function until(what: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (what()) return true; await new Promise((r) => setTimeout(r, 50)); }
  return what();
}

describe('a launcher killed with SIGKILL leaves no portal behind', () => {
  it('the portal it started notices its stdin pipe close and stops gracefully, closing its database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-orphan-'));
    dirs.push(dir);
    const db = join(dir, 'portal.db');
    // a launcher as launch-day and sweep are: it starts the portal through startPortalProcess
    const launcher = join(dir, 'launcher.mjs');
    writeFileSync(launcher, `
      import { startPortalProcess } from ${JSON.stringify(pathToFileURL(builtModule('src/run/portal-process.js')).href)};
      const p = await startPortalProcess({ mode: 'resilient', adminToken: 'orphan-test', dbFile: ${JSON.stringify(db)} });
      console.log(JSON.stringify({ pid: p.child.pid, url: p.url }));
      setInterval(() => {}, 1000);
    `);
    const parent = spawn(process.execPath, [launcher], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout! }).once('line', resolve);
      parent.once('exit', (code) => reject(new Error(`launcher exited ${code}`)));
    });
    const { pid, url } = JSON.parse(line) as { pid: number; url: string };
    expect((await fetch(`${url}/healthz/live`)).status).toBe(200);
    expect(running(pid)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(true); // open in WAL mode

    parent.kill('SIGKILL');
    // the portal is in a process group of its own: the kill never reached it; its stdin's end did
    expect(await until(() => !running(pid), 15_000)).toBe(true);
    // a graceful stop closed the database (SQLite removes the WAL on the last close; a kill leaves it)
    expect(existsSync(`${db}-wal`)).toBe(false);
    await expect(fetch(`${url}/healthz/live`)).rejects.toThrow();
  }, 30_000);
});
