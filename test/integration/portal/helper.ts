import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import { createPortal, type Portal } from '../../../mock-portal/src/app.js';
import type { PortalConfigInput } from '../../../mock-portal/src/config.js';
import { createPortalServer } from '../../../mock-portal/src/server.js';
import { shopsIn } from '../../../src/data/shops.js';

export const ADMIN = 'admin-token-for-tests';

export interface TestPortal { url: string; portal: Portal; server: Server; close(): Promise<void> }

/** A throwaway portal on 127.0.0.1:0 (in-memory DB unless given), the worker driven by hand by default. */
export async function startTestPortal(config: PortalConfigInput = {}, opts: { autoTick?: boolean } = {}): Promise<TestPortal> {
  // lag-based shedding stays off unless a test asks: a busy CI machine must not turn answers into 503s
  const portal = createPortal({
    db: ':memory:', testMode: true, clock: '10:00', adminToken: ADMIN, ...config,
    admission: { maxEventLoopLagMs: 0, ...config.admission },
  }, { autoTick: opts.autoTick ?? false });
  // the server main.js runs: the door, timeouts, the per-client cap, the drain on stop
  const { server, stop } = createPortalServer(portal);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, portal, server,
    close: async () => { await stop(); },
  };
}

export interface Res { status: number; headers: Headers; body: any }

export async function call(url: string, method: string, path: string, o: { body?: unknown; raw?: string; token?: string; key?: string; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.body !== undefined || o.raw !== undefined) headers['content-type'] ??= 'application/json';
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.key) headers['idempotency-key'] = o.key;
  const res = await fetch(url + path, { method, headers, body: o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)) });
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body };
}

let n = 0;
/** A fresh valid mobile each call: +91 9xxxxxxxxx */
export function mobile(): string {
  n += 1;
  return `+919${String(100_000_000 + ((process.pid * 7919 + n * 104_729) % 899_999_999)).padStart(9, '0')}`;
}

/** A call as a polite client makes it: 429/503 are retried after their Retry-After (capped for tests). */
export async function politely(url: string, method: string, path: string, o: Parameters<typeof call>[3] = {}): Promise<Res> {
  for (let i = 0; ; i++) {
    const r = await call(url, method, path, o);
    if ((r.status !== 429 && r.status !== 503) || i >= 50) return r;
    await new Promise((res) => setTimeout(res, Math.min(1000, Number(r.headers.get('retry-after') ?? 1) * 100)));
  }
}

/** register → OTP from X-Test-Otp → token */
export async function login(url: string, m = mobile()): Promise<{ token: string; userId: string; mobile: string }> {
  const r = await politely(url, 'POST', '/api/v1/register', { key: `register-${m}`, body: { mobile: m, name: 'Test User', district: 'Raipur' } });
  if (r.status !== 201) throw new Error(`register: ${r.status} ${JSON.stringify(r.body)}`);
  const otp = r.headers.get('x-test-otp')!;
  const v = await politely(url, 'POST', '/api/v1/otp/verify', { body: { mobile: m, otp } });
  if (v.status !== 200) throw new Error(`verify: ${v.status} ${JSON.stringify(v.body)}`);
  return { token: v.body.token, userId: v.body.userId, mobile: m };
}

// Raipur's first shop (an English-liquor shop) from the one list of shops; whisky sells there
export const ORDER = { shopId: shopsIn('Raipur')[0].id, items: [{ sku: 'WHISKY-750', qty: 1 }] }; // 68,000 paise

/** A call from a given loopback address (the per-client cap and the admin throttle count by address): its status. */
export function getFrom(url: string, from: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { localAddress: from, headers, agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', reject);
    req.end();
  });
}
