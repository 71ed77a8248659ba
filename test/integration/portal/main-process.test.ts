import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let mainJs: string;
const out = resolve('.portal-data', `main-test-${process.pid}`);
beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  mainJs = join(out, 'main.mjs');
  await build({ entryPoints: ['mock-portal/src/main.ts'], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: mainJs, logLevel: 'silent' });
});
afterAll(() => { rmSync(out, { recursive: true, force: true }); });

describe('main.js, as launch-day spawns it', () => {
  it('prints its URL as the first line of stdout and serves /healthz there', async () => {
    const child = spawn(process.execPath, [mainJs, '--port', '0', '--mode', 'as-built', '--test-mode', '--clock', '10:00', '--clock-speed', '30', '--db', ':memory:', '--admin-token', 'main-test-token'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const first = await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r));
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const h = await (await fetch(`${first}/healthz`)).json() as { mode: string };
      expect(h.mode).toBe('as-built');
      const rec = await fetch(`${first}/admin/reconcile`, { headers: { authorization: 'Bearer main-test-token' } });
      expect(rec.status).toBe(200);
    } finally { child.kill('SIGTERM'); }
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
  });

  it('a taken port exits 3 with a one-line message', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    try {
      const port = (blocker.address() as { port: number }).port;
      const r = spawnSync(process.execPath, [mainJs, '--port', String(port), '--db', ':memory:'], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(String(port));
    } finally { blocker.close(); }
  });

  it.each([
    ['a directory that does not exist', () => '/no/such/dir/p.db', 'does not exist'],
    ['a file that is not SQLite', () => { const f = join(out, 'not-sqlite.db'); writeFileSync(f, 'this is not a database, just text\n'.repeat(100)); return f; }, 'not a SQLite database'],
  ])('--db naming %s exits 3 with one plain line (no stack trace)', (_what, file, why) => {
    const db = file();
    const r = spawnSync(process.execPath, [mainJs, '--port', '0', '--db', db], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual([`portal: cannot open database ${JSON.stringify(db)}: ${r.stderr.trim().split(': ').slice(2).join(': ')}`]);
    expect(r.stderr).toContain(why);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([[['--mode', 'fast'], '--mode'], [['--clock-speed', '-1'], '--clock-speed'], [['--port', 'abc'], '--port']])('a bad flag %j exits 2 naming %s', (argv, flag) => {
    const r = spawnSync(process.execPath, [mainJs, ...(argv as string[]), '--db', ':memory:'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(flag);
  });
});
