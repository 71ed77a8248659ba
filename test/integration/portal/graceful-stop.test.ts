import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, ORDER, politely } from './helper.js';

let mainJs: string;
let dir: string;
const out = resolve('.portal-data', `graceful-test-${process.pid}`);
const children: ChildProcess[] = [];

beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  mainJs = join(out, 'main.mjs');
  await build({ entryPoints: ['mock-portal/src/main.ts'], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: mainJs, logLevel: 'silent' });
  dir = mkdtempSync(join(tmpdir(), 'portal-graceful-'));
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('SIGTERM during a burst (resilient)', () => {
  it('stops accepting, answers every request that committed, then closes the database: no committed order goes unanswered', async () => {
    const db = join(dir, 'burst.db');
    // a slow pool, so that many orders are in flight (waiting for a connection) when the signal comes
    const child = spawn(process.execPath, [mainJs, '--port', '0', '--mode', 'resilient', '--test-mode', '--db', db,
      '--clock', '10:00', '--db-query-ms', '15', '--pool-size', '2', '--admit-rate', '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    const url = await new Promise<string>((res) => lines.once('line', res));
    const users = await Promise.all(Array.from({ length: 4 }, () => login(url)));
    for (const u of users) await politely(url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 10_000_000 } });

    // orders without an Idempotency-Key: a cut one that had committed would be ordered twice on retry
    const answered = new Set<string>();
    const statuses: Array<number | string> = [];
    const burst: Array<Promise<void>> = [];
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    for (let i = 0; i < 120; i++) {
      burst.push(call(url, 'POST', '/api/v1/orders', { token: users[i % users.length].token, body: ORDER }).then(
        (r) => { statuses.push(r.status); if (r.status === 202) answered.add(r.body.orderId as string); },
        (err: Error) => { statuses.push(err.name); },
      ));
      if (i === 60) child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(burst);
    expect(await exited).toBe(0);

    const d = new Database(db, { readonly: true });
    try {
      const committed = d.prepare<[], { id: string }>('SELECT id FROM orders').all().map((r) => r.id);
      expect(committed.length).toBeGreaterThan(0);
      // every order in the database was answered 202 to its client
      expect(committed.filter((id) => !answered.has(id))).toEqual([]);
      expect(committed.length).toBe(answered.size);
    } finally { d.close(); }
    // what was not let in was told so (503 draining, 429 over the per-user write rate) or found the door closed: never half an order
    for (const s of statuses) expect([202, 429, 503, 'TypeError']).toContain(s);
  });
});
