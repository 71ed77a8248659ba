import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, politely } from './helper.js';
import { shopsIn, skusFor } from '../../../src/data/shops.js';

const ADMIN = 'crash-test-admin';
let mainJs: string;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // the portal as its own process, as launch-day runs it: bundle main.ts (packages stay external)
  const out = resolve('.portal-data', `crash-test-${process.pid}`);
  mkdirSync(out, { recursive: true });
  mainJs = join(out, 'main.mjs');
  await build({ entryPoints: ['mock-portal/src/main.ts'], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: mainJs, logLevel: 'silent' });
  dir = mkdtempSync(join(tmpdir(), 'portal-crash-'));
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  rmSync(resolve('.portal-data', `crash-test-${process.pid}`), { recursive: true, force: true });
});

async function startChild(db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [mainJs, '--port', '0', '--mode', 'resilient', '--test-mode', '--db', db, '--admin-token', ADMIN,
    '--clock', '10:00', '--clock-speed', '60', '--accept-per-hour', '3000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const url = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once('line', res);
    child.once('exit', (code) => rej(new Error(`portal exited early with ${code}`)));
  });
  child.stdout!.resume();
  return { url, child };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 during a burst of orders', () => {
  it('loses no acknowledged money and ends every hold as captured or released after a restart', async () => {
    const db = join(dir, 'portal.db');
    const first = await startChild(db);
    const users = await Promise.all(Array.from({ length: 30 }, () => login(first.url)));
    const topups = await Promise.all(users.map((u) => politely(first.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 500_000 }, key: 'top' })));
    expect(topups.every((r) => r.status === 201)).toBe(true);

    // a burst of orders; the portal is killed while they are in flight
    const acked = new Map<string, string>(); // idempotency key → orderId acknowledged with 202
    const jobs: Array<{ token: string; key: string; shopId: string }> = [];
    // Raipur's shops from the one list the portal builds them from, each ordered something it sells
    const raipur = shopsIn('Raipur');
    users.forEach((u, i) => { for (let j = 0; j < 8; j++) jobs.push({ token: u.token, key: `o-${i}-${j}`, shopId: raipur[j % raipur.length].id }); });
    const skuOf = (shopId: string): string => { const sells = skusFor(raipur.find((s) => s.id === shopId)!.kind); return (sells.find((s) => s.sku === 'WHISKY-750') ?? sells[0]).sku; };
    const body = (shopId: string) => ({ shopId, items: [{ sku: skuOf(shopId), qty: 1 }] });
    let settled = 0;
    const burst = jobs.map(async (j) => {
      try {
        const r = await call(first.url, 'POST', '/api/v1/orders', { token: j.token, key: `${j.key}`, body: body(j.shopId) });
        if (r.status === 202) acked.set(j.key, r.body.orderId);
      } catch { /* connection cut by the kill: not acknowledged */ }
      settled++;
    });
    while (acked.size < 20 && settled < jobs.length) await sleep(2);
    first.child.kill('SIGKILL');
    await Promise.all(burst);
    expect(acked.size).toBeGreaterThanOrEqual(20);

    const second = await startChild(db);
    // every acknowledged top-up and order is still there
    for (const u of users) expect((await call(second.url, 'GET', '/api/v1/wallet', { token: u.token })).status).toBe(200);
    const jobOf = new Map(jobs.map((j) => [j.key, j]));
    for (const [key, orderId] of acked) {
      const j = jobOf.get(key)!;
      const r = await call(second.url, 'GET', `/api/v1/orders/${orderId}`, { token: j.token });
      expect(r.status).toBe(200);
      // a retry with the same key after the crash replays the acknowledged order, never a second one
      const again = await politely(second.url, 'POST', '/api/v1/orders', { token: j.token, key, body: body(j.shopId) });
      expect(again.status).toBe(202);
      expect(again.body.orderId).toBe(orderId);
    }
    let rec = (await call(second.url, 'GET', '/admin/reconcile', { token: ADMIN })).body;
    expect(rec).toMatchObject({ walletDiscrepancyPaise: 0, ledgerImbalancePaise: 0, accountMismatches: 0 });
    expect(rec.totals.topupsPaise).toBe(30 * 500_000);
    expect(rec.orders.placed).toBeGreaterThanOrEqual(acked.size);

    // the shops work through the queue: every hold ends captured or released
    for (let i = 0; i < 100 && rec.openHolds > 0; i++) {
      await sleep(100);
      rec = (await call(second.url, 'GET', '/admin/reconcile', { token: ADMIN })).body;
    }
    expect(rec.openHolds).toBe(0);
    expect(rec.walletDiscrepancyPaise).toBe(0);
    expect(rec.totals.heldPaise).toBe(0);
    second.child.kill('SIGTERM');
  });
});
