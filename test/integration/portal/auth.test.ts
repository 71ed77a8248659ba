import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, mobile, ORDER, startTestPortal, type TestPortal } from './helper.js';

let t: TestPortal;
beforeAll(async () => { t = await startTestPortal(); });
afterAll(async () => { await t.close(); });

describe('auth and OTP rules', () => {
  it('user calls without a valid bearer token → 401', async () => {
    for (const [m, p] of [['GET', '/api/v1/wallet'], ['POST', '/api/v1/wallet/topup'], ['POST', '/api/v1/orders'], ['GET', '/api/v1/orders/ord_x']] as const) {
      expect((await call(t.url, m, p, { body: m === 'POST' ? {} : undefined })).status).toBe(401);
      expect((await call(t.url, m, p, { token: 'not-a-token', body: m === 'POST' ? {} : undefined })).status).toBe(401);
    }
  });

  it('a duplicate mobile → 409', async () => {
    const m = mobile();
    expect((await call(t.url, 'POST', '/api/v1/register', { body: { mobile: m, name: 'A', district: 'Raipur' } })).status).toBe(201);
    const r = await call(t.url, 'POST', '/api/v1/register', { body: { mobile: m, name: 'B', district: 'Durg' } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('mobile');
  });

  it('otp/send: 202 with a fresh OTP for a registered mobile; resilient answers an unknown one alike (202), and its OTP logs no one in', async () => {
    const u = await login(t.url);
    const r = await call(t.url, 'POST', '/api/v1/otp/send', { body: { mobile: u.mobile } });
    expect(r.status).toBe(202);
    const otp = r.headers.get('x-test-otp');
    expect(otp).toMatch(/^\d{6}$/);
    expect((await call(t.url, 'POST', '/api/v1/otp/verify', { body: { mobile: u.mobile, otp } })).status).toBe(200);
    const stranger = mobile();
    const s = await call(t.url, 'POST', '/api/v1/otp/send', { body: { mobile: stranger } });
    expect(s.status).toBe(202);
    expect(s.body).toEqual(r.body);
    expect((await call(t.url, 'POST', '/api/v1/otp/verify', { body: { mobile: stranger, otp: s.headers.get('x-test-otp') } })).status).toBe(401);
  });

  it('otp/send as-built keeps the contract table: 404 for an unknown mobile', async () => {
    const a = await startTestPortal({ mode: 'as-built' });
    try {
      const r = await call(a.url, 'POST', '/api/v1/otp/send', { body: { mobile: mobile() } });
      expect(r.status).toBe(404);
      expect(r.body.error.message).toContain('mobile');
    } finally { await a.close(); }
  });

  it('an OTP works once', async () => {
    const m = mobile();
    const reg = await call(t.url, 'POST', '/api/v1/register', { body: { mobile: m, name: 'A', district: 'Raipur' } });
    const otp = reg.headers.get('x-test-otp');
    expect((await call(t.url, 'POST', '/api/v1/otp/verify', { body: { mobile: m, otp } })).status).toBe(200);
    expect((await call(t.url, 'POST', '/api/v1/otp/verify', { body: { mobile: m, otp } })).status).toBe(401);
  });

  it('OTP guessing is stopped: after 5 wrong tries verify answers 429 with Retry-After, even for the right OTP', async () => {
    const m = mobile();
    const reg = await call(t.url, 'POST', '/api/v1/register', { body: { mobile: m, name: 'A', district: 'Raipur' } });
    const otp = reg.headers.get('x-test-otp')!;
    const wrong = otp === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await call(t.url, 'POST', '/api/v1/otp/verify', { body: { mobile: m, otp: wrong } })).status).toBe(401);
    const locked = await call(t.url, 'POST', '/api/v1/otp/verify', { body: { mobile: m, otp } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('an OTP expires after 5 minutes', async () => {
    let now = Date.now();
    const { createPortal } = await import('../../../mock-portal/src/app.js');
    const p = createPortal({ db: ':memory:', testMode: true }, { autoTick: false });
    // drive the rules directly: the same users module the routes use, with a wall clock we move
    const { createUsers } = await import('../../../mock-portal/src/domain/users.js');
    const { createLedger } = await import('../../../mock-portal/src/domain/ledger.js');
    const users = createUsers(p.db, createLedger(p.db), { ttlMs: 300_000, maxWrong: 5, lockMs: 300_000, sendsPerWindow: 10, sendWindowMs: 600_000, tokenTtlMs: 0, otpSendUniform: false }, () => now);
    const { otp } = users.register({ mobile: '+919000000001', name: 'A', district: 'Raipur' });
    now += 300_001;
    expect(() => users.verifyOtp('+919000000001', otp)).toThrow(/otp/);
    await p.close();
  });

  it("one user cannot read or cancel another's order (404)", async () => {
    const a = await login(t.url);
    const b = await login(t.url);
    await call(t.url, 'POST', '/api/v1/wallet/topup', { token: a.token, body: { amountPaise: 100_000 } });
    const o = await call(t.url, 'POST', '/api/v1/orders', { token: a.token, body: ORDER });
    expect(o.status).toBe(202);
    expect((await call(t.url, 'GET', `/api/v1/orders/${o.body.orderId}`, { token: b.token })).status).toBe(404);
    expect((await call(t.url, 'POST', `/api/v1/orders/${o.body.orderId}/cancel`, { token: b.token })).status).toBe(404);
    expect((await call(t.url, 'GET', `/api/v1/orders/${o.body.orderId}`, { token: a.token })).body.status).toBe('queued');
    const wb = await call(t.url, 'GET', '/api/v1/wallet', { token: b.token });
    expect(wb.body).toEqual({ balancePaise: 0, heldPaise: 0 });
  });

  it('cancel before acceptance releases the hold; after acceptance → 409', async () => {
    const a = await login(t.url);
    await call(t.url, 'POST', '/api/v1/wallet/topup', { token: a.token, body: { amountPaise: 100_000 } });
    const o = await call(t.url, 'POST', '/api/v1/orders', { token: a.token, body: ORDER });
    const c = await call(t.url, 'POST', `/api/v1/orders/${o.body.orderId}/cancel`, { token: a.token });
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('cancelled');
    expect((await call(t.url, 'GET', '/api/v1/wallet', { token: a.token })).body).toEqual({ balancePaise: 100_000, heldPaise: 0 });
    expect((await call(t.url, 'POST', `/api/v1/orders/${o.body.orderId}/cancel`, { token: a.token })).status).toBe(409);
  });

  it('tokens survive a restart of the portal on the same database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-auth-'));
    try {
      const db = join(dir, 'p.db');
      const p1 = await startTestPortal({ db });
      const u = await login(p1.url);
      await call(p1.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 5_000 } });
      await p1.close();
      const p2 = await startTestPortal({ db });
      try {
        const w = await call(p2.url, 'GET', '/api/v1/wallet', { token: u.token });
        expect(w.status).toBe(200);
        expect(w.body.balancePaise).toBe(5_000);
      } finally { await p2.close(); }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
