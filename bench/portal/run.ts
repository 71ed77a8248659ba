/**
 * bench/portal: goodput and p99 of each portal mode at 1×, 2× and 3× the resilient mode's capacity,
 * and the portal's order and read paths against a bare node:http server, all in one run. Prints
 * ratios; asserts nothing. The portal runs in its own process on core 0 (taskset when present), this
 * generator on core 1.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/portal/run.js [--seconds 5] [--base-rate R]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { closedLoop, openLoop, type Req } from './load.js';
import { portalArgv } from '../../mock-portal/src/flags.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, 'base-rate': { type: 'string' }, modes: { type: 'string', default: 'resilient,as-built' } } });
const SECONDS = Number(values.seconds);
const MAIN = fileURLToPath(new URL('../../mock-portal/src/main.js', import.meta.url));
const ADMIN = 'bench-admin-token';
const taskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
if (taskset) spawnSync('taskset', ['-pc', '1', String(process.pid)], { stdio: 'ignore' });

let starts = 0;
async function startPortal(mode: string, dir: string): Promise<{ url: string; child: ChildProcess }> {
  const args = [MAIN, ...portalArgv({ port: 0, mode, testMode: true, db: join(dir, `${mode}-${++starts}.db`), adminToken: ADMIN, clock: '10:00', clockSpeed: 30 })];
  const child = taskset ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res) => createInterface({ input: child.stdout! }).once('line', res));
  child.stdout!.resume();
  return { url, child };
}

async function json(url: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; headers: Headers; body: any }> {
  for (;;) {
    const r = await fetch(url + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
    if (r.status === 503 || r.status === 429) { await new Promise((s) => setTimeout(s, 200)); continue; }
    return { status: r.status, headers: r.headers, body: await r.json().catch(() => null) };
  }
}

interface User { token: string; orderId: string }
async function makeUsers(url: string, n: number): Promise<User[]> {
  const users: User[] = [];
  for (let i = 0; i < n; i++) {
    const mobile = `+918${String(100_000_000 + i).padStart(9, '0')}`;
    const reg = await json(url, 'POST', '/api/v1/register', { mobile, name: `Bench ${i}`, district: 'Raipur' });
    if (reg.status !== 201) throw new Error(`bench setup: register answered ${reg.status}`);
    const v = await json(url, 'POST', '/api/v1/otp/verify', { mobile, otp: reg.headers.get('x-test-otp') });
    const token = v.body.token as string;
    await json(url, 'POST', '/api/v1/wallet/topup', { amountPaise: 10_000_000 }, token); // ₹1 lakh, the largest top-up
    const o = await json(url, 'POST', '/api/v1/orders', { shopId: 'raipur-02', items: [{ sku: 'DESI-PLAIN-180', qty: 1 }] }, token);
    users.push({ token, orderId: o.body.orderId });
  }
  return users;
}

const SHOPS: string[] = [];
function mix(users: User[], run: string): (i: number) => Req {
  return (i) => {
    const u = users[i % users.length];
    const auth = { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' };
    const k = i % 10;
    if (k < 4) return { method: 'GET', path: `/api/v1/orders/${u.orderId}`, headers: auth };
    if (k < 6) return { method: 'GET', path: '/api/v1/wallet', headers: auth };
    if (k < 9) return { method: 'POST', path: '/api/v1/orders', headers: { ...auth, 'idempotency-key': `${run}-${i}` },
      body: JSON.stringify({ shopId: SHOPS[i % SHOPS.length], items: [{ sku: 'WHISKY-750', qty: 1 }] }) };
    return { method: 'POST', path: '/api/v1/wallet/topup', headers: { ...auth, 'idempotency-key': `${run}-${i}` }, body: JSON.stringify({ amountPaise: 1000 }) };
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-portal-'));
  const rows: string[] = [];
  try {
    // 1. a bare node:http server vs the portal's read and order paths (closed loop, max rate)
    const bare = createServer((_q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"orderId":"x","status":"queued","totalPaise":1}'); });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    // (the bare server runs in this process on core 1: it is the ceiling of node:http itself here)
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    const bareR = await closedLoop({ url: bareUrl, seconds: 3, connections: 32, request: () => ({ method: 'GET', path: '/' }) });
    bare.close();

    const res = await startPortal('resilient', dir);
    const cfg = await json(res.url, 'GET', '/healthz');
    const capacity = Number(values['base-rate'] ?? cfg.body.knee.kneeRps);
    const shops = await json(res.url, 'GET', '/api/v1/shops');
    SHOPS.push(...shops.body.shops.filter((s: { kind: string }) => s.kind !== 'desi').map((s: { id: string }) => s.id)); // whisky is not sold by desi shops
    const users = await makeUsers(res.url, 100);
    const read = await closedLoop({ url: res.url, seconds: 3, connections: 32, request: (i) => ({ method: 'GET', path: `/api/v1/orders/${users[i % users.length].orderId}`, headers: { authorization: `Bearer ${users[i % users.length].token}` } }) });
    res.child.kill('SIGTERM');
    console.log(`node:http bare        ${bareR.rps} req/s (p99 ${bareR.p99Ms} ms)`);
    console.log(`portal read path      ${read.rps} req/s (p99 ${read.p99Ms} ms) = ${(read.rps / bareR.rps).toFixed(2)}× bare`);

    // 2. each mode at 1×, 2×, 3× the resilient capacity (open model)
    console.log(`\nresilient capacity (knee from its config): ${capacity} req/s; ${SECONDS} s per step; mix 40% order status, 20% wallet, 30% order, 10% top-up`);
    for (const mode of String(values.modes).split(',')) {
      const p = await startPortal(mode, dir);
      const us = await makeUsers(p.url, 200);
      for (const x of [1, 2, 3]) {
        const rate = capacity * x;
        const r = await openLoop({ url: p.url, rate, seconds: SECONDS, request: mix(us, `${mode}-${x}`), timeoutMs: 5000, sloMs: 1000 });
        const ok = Object.entries(r.statuses).filter(([s]) => s.startsWith('2')).reduce((a, [, n]) => a + n, 0);
        const shed = (r.statuses['429'] ?? 0) + (r.statuses['503'] ?? 0);
        rows.push(`${mode.padEnd(9)} ${String(x)}×  offered ${String(rate).padStart(5)}/s  goodput ${String(r.goodput).padStart(5)}/s (${(r.goodput / rate).toFixed(2)})  p99 ${String(r.p99Ms).padStart(7)} ms  admitted p99 ${String(r.admittedP99Ms).padStart(7)} ms  shed p99 ${String(r.shedP99Ms).padStart(6)} ms  2xx ${ok}  shed ${shed}  timeouts ${r.timeouts}  late starts ${r.lateStarts}  ${JSON.stringify(r.statuses)}`);
        console.log(rows[rows.length - 1]);
      }
      const rec = await json(p.url, 'GET', '/admin/reconcile', undefined, ADMIN);
      console.log(`${mode.padEnd(9)} reconcile: discrepancy ${rec.body.walletDiscrepancyPaise} paise, stuck debits ${rec.body.stuckDebits}, open holds ${rec.body.openHolds}`);
      p.child.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
