import { describe, expect, it } from 'vitest';
import { ADMIN, call, getFrom, login, mobile, startTestPortal } from './helper.js';

describe('secrets (resilient)', () => {
  it('wrong admin tokens are throttled per client: 401 five times, then 429 with Retry-After, the right token too; another client is not', async () => {
    const t = await startTestPortal();
    try {
      const from = '127.0.0.4';
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push(await getFrom(t.url, from, '/admin/reconcile', { authorization: `Bearer guess-${i}` }));
      expect(codes).toEqual([401, 401, 401, 401, 401]);
      expect(await getFrom(t.url, from, '/admin/reconcile', { authorization: 'Bearer guess-5' })).toBe(429);
      expect(await getFrom(t.url, from, '/admin/reconcile', { authorization: `Bearer ${ADMIN}` })).toBe(429);
      const r = await fetch(`${t.url}/admin/reconcile`, { headers: { authorization: 'Bearer x' } });
      expect(r.status).toBe(401); // 127.0.0.1 has its own count
      expect(await getFrom(t.url, '127.0.0.5', '/admin/reconcile', { authorization: `Bearer ${ADMIN}` })).toBe(200);
    } finally { await t.close(); }
  });

  it('a replay of POST /otp/verify with its Idempotency-Key never hands out the token again, and no token is stored', async () => {
    const t = await startTestPortal();
    try {
      const m = mobile();
      const reg = await call(t.url, 'POST', '/api/v1/register', { body: { mobile: m, name: 'Asha', district: 'Raipur' } });
      const body = { mobile: m, otp: reg.headers.get('x-test-otp') };
      const [a, b] = await Promise.all([
        call(t.url, 'POST', '/api/v1/otp/verify', { key: 'login-1', body }),
        call(t.url, 'POST', '/api/v1/otp/verify', { key: 'login-1', body }),
      ]);
      const first = a.status === 200 ? a : b;
      const other = a.status === 200 ? b : a;
      expect(first.status).toBe(200);
      expect(other.status).toBe(409); // the concurrent repeat waited, and learnt it was issued
      const replay = await call(t.url, 'POST', '/api/v1/otp/verify', { key: 'login-1', body });
      expect(replay.status).toBe(409);
      expect(replay.body.error.code).toBe('token_already_issued');
      expect(JSON.stringify(replay.body)).not.toContain(first.body.token);
      const rows = t.portal.db.prepare<[], { body: string; headers: string }>('SELECT body, headers FROM idempotency').all();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.body + row.headers).not.toContain(first.body.token);
      expect((await call(t.url, 'GET', '/api/v1/wallet', { token: first.body.token })).status).toBe(200);
    } finally { await t.close(); }
  });

  it('bearer tokens expire after tokenTtlMs', async () => {
    const t = await startTestPortal({ security: { tokenTtlMs: 300 } });
    try {
      const u = await login(t.url);
      expect((await call(t.url, 'GET', '/api/v1/wallet', { token: u.token })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 400));
      const r = await call(t.url, 'GET', '/api/v1/wallet', { token: u.token });
      expect(r.status).toBe(401);
      expect(r.body.error.message).toContain('bearer token');
    } finally { await t.close(); }
  });

  it('a new login with revokeOthers ends the older sessions; without it they live on', async () => {
    const t = await startTestPortal();
    try {
      const u = await login(t.url);
      const again = async (revokeOthers?: boolean) => {
        const s = await call(t.url, 'POST', '/api/v1/otp/send', { body: { mobile: u.mobile } });
        return (await call(t.url, 'POST', '/api/v1/otp/verify', { body: { mobile: u.mobile, otp: s.headers.get('x-test-otp'), ...(revokeOthers === undefined ? {} : { revokeOthers }) } })).body.token as string;
      };
      const second = await again();
      expect((await call(t.url, 'GET', '/api/v1/wallet', { token: u.token })).status).toBe(200);
      const third = await again(true);
      expect((await call(t.url, 'GET', '/api/v1/wallet', { token: u.token })).status).toBe(401);
      expect((await call(t.url, 'GET', '/api/v1/wallet', { token: second })).status).toBe(401);
      expect((await call(t.url, 'GET', '/api/v1/wallet', { token: third })).status).toBe(200);
    } finally { await t.close(); }
  });

  it('/metrics shows money to the admin token only (resilient); a wrong token is refused; as-built shows it to all', async () => {
    const t = await startTestPortal();
    const a = await startTestPortal({ mode: 'as-built' });
    try {
      const anon = (await call(t.url, 'GET', '/metrics')).body as string;
      expect(anon).toContain('portal_http_request_duration_seconds');
      expect(anon).not.toMatch(/portal_money/);
      expect((await call(t.url, 'GET', '/metrics', { token: ADMIN })).body).toMatch(/^portal_money_held_paise \d+/m);
      expect((await call(t.url, 'GET', '/metrics', { token: 'wrong' })).status).toBe(401);
      expect((await call(a.url, 'GET', '/metrics')).body).toMatch(/^portal_money_held_paise \d+/m);
    } finally { await t.close(); await a.close(); }
  });
});
