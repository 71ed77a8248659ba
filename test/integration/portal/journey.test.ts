import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, login, mobile, ORDER, startTestPortal, type TestPortal } from './helper.js';

let t: TestPortal;
beforeAll(async () => { t = await startTestPortal(); });
afterAll(async () => { await t.close(); });

describe('the minimal journey', () => {
  it('lists the districts of Chhattisgarh', async () => {
    const r = await call(t.url, 'GET', '/api/v1/districts');
    expect(r.status).toBe(200);
    expect(r.body.districts).toEqual(expect.arrayContaining(['Raipur', 'Bilaspur', 'Durg']));
  });

  it('registers, logs in with the OTP, tops up, orders and reads the order', async () => {
    const m = mobile();
    const reg = await call(t.url, 'POST', '/api/v1/register', { body: { mobile: m, name: 'रमेश कुमार', district: 'Raipur' } });
    expect(reg.status).toBe(201);
    expect(reg.body.userId).toEqual(expect.any(String));
    const otp = reg.headers.get('x-test-otp');
    expect(otp).toMatch(/^\d{6}$/);
    const v = await call(t.url, 'POST', '/api/v1/otp/verify', { body: { mobile: m, otp } });
    expect(v.status).toBe(200);
    const token = v.body.token as string;

    const shops = await call(t.url, 'GET', '/api/v1/shops?district=Raipur');
    expect(shops.status).toBe(200);
    expect(shops.body.shops).toHaveLength(22);
    expect(shops.body.shops[0]).toMatchObject({ id: expect.any(String), name: expect.any(String), district: 'Raipur', kind: expect.stringMatching(/^(desi|premium|english|composite)$/), open: true });

    const cat = await call(t.url, 'GET', `/api/v1/shops/${shops.body.shops[0].id}/catalogue`);
    expect(cat.status).toBe(200);
    const item = cat.body.items[0];
    expect(item).toMatchObject({ sku: expect.any(String), name: expect.any(String), pricePaise: expect.any(Number), stock: expect.any(Number) });

    const top = await call(t.url, 'POST', '/api/v1/wallet/topup', { token, body: { amountPaise: 200_000 }, key: 'top-1' });
    expect(top).toMatchObject({ status: 201, body: { balancePaise: 200_000 } });

    const order = await call(t.url, 'POST', '/api/v1/orders', { token, key: 'ord-1', body: { shopId: shops.body.shops[0].id, items: [{ sku: item.sku, qty: 2 }] } });
    expect(order.status).toBe(202);
    expect(order.body).toMatchObject({ orderId: expect.any(String), status: 'queued', totalPaise: item.pricePaise * 2 });

    const w = await call(t.url, 'GET', '/api/v1/wallet', { token });
    expect(w.body).toEqual({ balancePaise: 200_000 - item.pricePaise * 2, heldPaise: item.pricePaise * 2 });

    t.portal.tick();
    const st = await call(t.url, 'GET', `/api/v1/orders/${order.body.orderId}`, { token });
    expect(st.status).toBe(200);
    expect(['accepted', 'rejected', 'refunded']).toContain(st.body.status);
    expect(st.body).toMatchObject({ orderId: order.body.orderId, totalPaise: item.pricePaise * 2 });
  });

  it('serves the clock with the booking window open at 10:00', async () => {
    const r = await call(t.url, 'GET', '/api/v1/clock');
    expect(r.status).toBe(200);
    expect(r.body.time).toMatch(/^10:0\d:\d\d$/);
    expect(r.body.bookingOpen).toBe(true);
  });

  it('answers /healthz with the mode and the capacity model and knee', async () => {
    const r = await call(t.url, 'GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', mode: 'resilient', capacity: { dbPoolSize: expect.any(Number) }, knee: { kneeRps: expect.any(Number) } });
  });

  it('exposes Prometheus metrics: request histogram by route and status, event-loop lag, money gauges', async () => {
    const r = await call(t.url, 'GET', '/metrics', { token: ADMIN }); // the money gauges need the admin token
    expect(r.status).toBe(200);
    const text = r.body as string;
    expect(text).toMatch(/portal_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/orders"[^}]*status="202"/);
    for (const name of ['nodejs_eventloop_lag_seconds', 'portal_http_requests_in_flight', 'portal_queue_depth', 'portal_waiting_room_size',
      'portal_admitted_total', 'portal_money_held_paise', 'portal_money_captured_paise', 'portal_money_refunded_paise', 'process_cpu_seconds_total']) {
      expect(text).toContain(name);
    }
  });

  it('reconciles from the ledger with the admin token, and refuses without it', async () => {
    expect((await call(t.url, 'GET', '/admin/reconcile')).status).toBe(401);
    expect((await call(t.url, 'GET', '/admin/reconcile', { token: 'wrong-token' })).status).toBe(401);
    const r = await call(t.url, 'GET', '/admin/reconcile', { token: ADMIN });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ walletDiscrepancyPaise: 0, stuckDebits: 0, ledgerImbalancePaise: 0, accountMismatches: 0 });
    expect(r.body.totals.topupsPaise).toBeGreaterThan(0);
    expect(r.body.totals.topupsPaise - (r.body.totals.capturedPaise - r.body.totals.refundedPaise) - r.body.totals.balancesPaise - r.body.totals.heldPaise).toBe(0);
  });

  it('publishes an OpenAPI 3 document of the API', async () => {
    const r = await call(t.url, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/api/v1/register', '/api/v1/orders', '/api/v1/orders/{id}', '/admin/reconcile']));
    expect(r.body.paths['/api/v1/wallet/topup'].post.requestBody.content['application/json'].schema.properties.amountPaise.type).toBe('integer');
  });

  it('keeps the OTP out of responses without --test-mode', async () => {
    const p = await startTestPortal({ testMode: false });
    try {
      const r = await call(p.url, 'POST', '/api/v1/register', { body: { mobile: mobile(), name: 'A', district: 'Durg' } });
      expect(r.status).toBe(201);
      expect(r.headers.get('x-test-otp')).toBeNull();
    } finally { await p.close(); }
  });

  it('refuses an order when the shops are closed (outside 09:00–17:00)', async () => {
    const p = await startTestPortal({ clock: '08:00' });
    try {
      const u = await login(p.url);
      await call(p.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 100_000 } });
      const shops = await call(p.url, 'GET', '/api/v1/shops?district=Raipur');
      expect(shops.body.shops.every((s: { open: boolean }) => !s.open)).toBe(true);
      const r = await call(p.url, 'POST', '/api/v1/orders', { token: u.token, body: ORDER });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('shop_closed');
      const w = await call(p.url, 'GET', '/api/v1/wallet', { token: u.token });
      expect(w.body).toEqual({ balancePaise: 100_000, heldPaise: 0 });
    } finally { await p.close(); }
  });
});
