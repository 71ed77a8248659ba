import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, login, mobile, ORDER, startTestPortal, type TestPortal } from './helper.js';

let t: TestPortal;
beforeAll(async () => { t = await startTestPortal({ admission: { perUserWritesPerSecond: 0 } }); });
afterAll(async () => { await t.close(); });

const wallet = async (token: string) => (await call(t.url, 'GET', '/api/v1/wallet', { token })).body;

describe('Idempotency-Key', () => {
  it('50 concurrent submits of one order key have exactly one effect and the same answer', async () => {
    const u = await login(t.url);
    await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 10_000_000 } });
    const rs = await Promise.all(Array.from({ length: 50 }, () => call(t.url, 'POST', '/api/v1/orders', { token: u.token, key: 'same-order', body: ORDER })));
    const ok = rs.filter((r) => r.status === 202);
    // every repeat either waited for the first (same 202 and body) or was told 409 in_progress: never a second order
    expect(ok.length + rs.filter((r) => r.status === 409).length).toBe(50);
    expect(new Set(ok.map((r) => r.body.orderId)).size).toBe(1);
    expect(await wallet(u.token)).toEqual({ balancePaise: 10_000_000 - 68_000, heldPaise: 68_000 });
    const list = await call(t.url, 'GET', '/api/v1/orders', { token: u.token });
    expect(list.body.orders).toHaveLength(1);
  });

  it('50 concurrent top-ups with one key credit the wallet once', async () => {
    const u = await login(t.url);
    const rs = await Promise.all(Array.from({ length: 50 }, () => call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, key: 'same-topup', body: { amountPaise: 1234 } })));
    expect(rs.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(rs.filter((r) => r.status === 201).every((r) => r.body.balancePaise === 1234)).toBe(true);
    expect(await wallet(u.token)).toEqual({ balancePaise: 1234, heldPaise: 0 });
  });

  it('a replay returns the first status and body, even after the state changed', async () => {
    const u = await login(t.url);
    const first = await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, key: 'k1', body: { amountPaise: 500 } });
    await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, key: 'k2', body: { amountPaise: 700 } });
    const again = await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, key: 'k1', body: { amountPaise: 500 } });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await wallet(u.token)).balancePaise).toBe(1200);
  });

  it('refusals are stored too: a replayed 402 stays 402 after the wallet is filled', async () => {
    const u = await login(t.url);
    const first = await call(t.url, 'POST', '/api/v1/orders', { token: u.token, key: 'poor', body: ORDER });
    expect(first.status).toBe(402);
    await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 100_000 } });
    const again = await call(t.url, 'POST', '/api/v1/orders', { token: u.token, key: 'poor', body: ORDER });
    expect(again.status).toBe(402);
    expect((await wallet(u.token)).heldPaise).toBe(0);
  });

  it('the same key with another body → 409 and no effect', async () => {
    const u = await login(t.url);
    await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, key: 'kx', body: { amountPaise: 100 } });
    const r = await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, key: 'kx', body: { amountPaise: 999 } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('Idempotency-Key');
    expect((await wallet(u.token)).balancePaise).toBe(100);
  });

  it('keys are scoped per user: two users may use the same key', async () => {
    const a = await login(t.url);
    const b = await login(t.url);
    expect((await call(t.url, 'POST', '/api/v1/wallet/topup', { token: a.token, key: 'shared', body: { amountPaise: 100 } })).status).toBe(201);
    expect((await call(t.url, 'POST', '/api/v1/wallet/topup', { token: b.token, key: 'shared', body: { amountPaise: 200 } })).status).toBe(201);
    expect((await wallet(b.token)).balancePaise).toBe(200);
  });

  it('before login, keys are scoped per mobile: a replayed register returns the same userId and OTP header', async () => {
    const m = mobile();
    const body = { mobile: m, name: 'A', district: 'Raipur' };
    const a = await call(t.url, 'POST', '/api/v1/register', { key: 'reg', body });
    const b = await call(t.url, 'POST', '/api/v1/register', { key: 'reg', body });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.userId).toBe(a.body.userId);
    expect(b.headers.get('x-test-otp')).toBe(a.headers.get('x-test-otp'));
    // another mobile with the same key is another scope
    expect((await call(t.url, 'POST', '/api/v1/register', { key: 'reg', body: { ...body, mobile: mobile() } })).status).toBe(201);
  });

  it('429 and 503 answers are not stored: the same key succeeds once the portal has room', async () => {
    const p = await startTestPortal({ admission: { admitPerSecond: 1, burst: 2, maxWaiting: 0, maxWaitMs: 0, perUserWritesPerSecond: 0 } });
    try {
      const u = await login(p.url); // register + verify use the burst of two
      let r = await call(p.url, 'POST', '/api/v1/wallet/topup', { token: u.token, key: 'busy', body: { amountPaise: 100 } });
      expect(r.status).toBe(503);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      for (let i = 0; i < 40 && r.status === 503; i++) {
        await new Promise((res) => setTimeout(res, 100));
        r = await call(p.url, 'POST', '/api/v1/wallet/topup', { token: u.token, key: 'busy', body: { amountPaise: 100 } });
      }
      expect(r.status).toBe(201);
      expect(r.body.balancePaise).toBe(100);
    } finally { await p.close(); }
  });

  it('money reconciles after all of the above', async () => {
    const r = await call(t.url, 'GET', '/admin/reconcile', { token: ADMIN });
    expect(r.body).toMatchObject({ walletDiscrepancyPaise: 0, ledgerImbalancePaise: 0, accountMismatches: 0 });
  });
});
