import { describe, expect, it } from 'vitest';
import { ADMIN, call, login, ORDER, politely, startTestPortal } from './helper.js';

const H = 3_600_000;

describe('resilient: a waiting room and fast load shedding', () => {
  it('a burst beyond the waiting room gets 503 with Retry-After, position and ETA; nothing is half done', async () => {
    const t = await startTestPortal({ admission: { admitPerSecond: 5, burst: 2, maxWaiting: 3, maxWaitMs: 10_000, perUserWritesPerSecond: 0 } });
    try {
      const u = await login(t.url);
      await new Promise((r) => setTimeout(r, 500));
      const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, key: `b${i}`, body: { amountPaise: 100 } })));
      const ok = rs.filter((r) => r.status === 201);
      const busy = rs.filter((r) => r.status === 503);
      expect(ok.length + busy.length).toBe(12);
      expect(busy.length).toBeGreaterThan(0);
      for (const b of busy) {
        expect(Number(b.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(b.body).toMatchObject({ error: { code: 'waiting_room_full' }, position: expect.any(Number), etaSeconds: expect.any(Number) });
      }
      const w = (await call(t.url, 'GET', '/api/v1/wallet', { token: u.token })).body;
      expect(w.balancePaise).toBe(ok.length * 100);
      const room = (await call(t.url, 'GET', '/api/v1/waiting-room')).body;
      expect(room.refused).toBe(busy.length);
    } finally { await t.close(); }
  });

  it('per-user rate limit: 429 with Retry-After', async () => {
    const t = await startTestPortal({ admission: { perUserWritesPerSecond: 2 } });
    try {
      const u = await login(t.url);
      const rs = await Promise.all(Array.from({ length: 6 }, () => call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 100 } })));
      const limited = rs.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally { await t.close(); }
  });

  it('in-flight limit: requests beyond it are refused at once with 503, not queued', async () => {
    const t = await startTestPortal({ admission: { maxInFlight: 2, perUserWritesPerSecond: 0 }, capacity: { dbQueryMs: 100, dbPoolSize: 1, readPoolSize: 1 } });
    try {
      const u = await politely(t.url, 'GET', '/api/v1/districts');
      expect(u.status).toBe(200);
      const me = await login(t.url);
      const rs = await Promise.all(Array.from({ length: 8 }, () => call(t.url, 'GET', '/api/v1/wallet', { token: me.token })));
      expect(rs.filter((r) => r.status === 503).length).toBeGreaterThan(0);
      expect(rs.every((r) => r.status === 200 || (r.status === 503 && r.body.error.code === 'overloaded'))).toBe(true);
      // operators still see the clock while the portal sheds
      const busy = Array.from({ length: 8 }, () => call(t.url, 'GET', '/api/v1/wallet', { token: me.token }));
      expect((await call(t.url, 'GET', '/api/v1/clock')).status).toBe(200);
      await Promise.all(busy);
    } finally { await t.close(); }
  });

  it('bounded shop queues: once a shop has its limit waiting, orders are refused (503) before any money moves', async () => {
    const t = await startTestPortal({ shops: { maxQueuePerShop: 2 }, admission: { perUserWritesPerSecond: 0 } });
    try {
      const u = await login(t.url);
      await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 1_000_000 } });
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await call(t.url, 'POST', '/api/v1/orders', { token: u.token, body: ORDER })).status);
      expect(codes).toEqual([202, 202, 503]);
      expect((await call(t.url, 'GET', '/api/v1/wallet', { token: u.token })).body).toEqual({ balancePaise: 1_000_000 - 2 * 68_000, heldPaise: 2 * 68_000 });
    } finally { await t.close(); }
  });

  it('bulkhead: an order-status read is answered while writes queue for the pool (as-built: it waits behind them)', async () => {
    const order: Record<string, string[]> = {};
    for (const mode of ['resilient', 'as-built'] as const) {
      const t = await startTestPortal({ mode, capacity: { dbQueryMs: 150, dbPoolSize: 1, queriesPerWrite: 1, queriesPerRead: 1, cpuMsPerRequest: 0, cpuMsPerOrder: 0, gatewayLatencyMs: 0 }, admission: { perUserWritesPerSecond: 0 } });
      try {
        const u = await login(t.url);
        await politely(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 10_000_000 } });
        const o = await politely(t.url, 'POST', '/api/v1/orders', { token: u.token, body: ORDER });
        const done: string[] = [];
        const writes = Array.from({ length: 4 }, (_, i) => call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 1 } }).then(() => done.push(`w${i}`)));
        // wait until the writes are queued for the pool, whatever the machine's load
        for (let i = 0; i < 200; i++) {
          const m = (await call(t.url, 'GET', '/metrics')).body as string;
          if (Number(/^portal_db_pool_waiting (\d+)/m.exec(m)?.[1] ?? 0) >= 3) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        const read = call(t.url, 'GET', `/api/v1/orders/${o.body.orderId}`, { token: u.token }).then((r) => { expect(r.status).toBe(200); done.push('read'); });
        await Promise.all([...writes, read]);
        order[mode] = done;
      } finally { await t.close(); }
    }
    expect(order.resilient.indexOf('read')).toBeLessThan(order.resilient.length - 1);
    expect(order['as-built'][order['as-built'].length - 1]).toBe('read');
  });
});

describe('money back: prompt (resilient) vs the 6-hourly batch (as-built)', () => {
  for (const mode of ['resilient', 'as-built'] as const) {
    it(`${mode}: a rejected order's money comes back ${mode === 'resilient' ? 'at once' : 'only when the batch runs'}`, async () => {
      const t = await startTestPortal({ mode, clock: '10:00', clockSpeed: 1, shops: { rejectRate: 1 }, admission: { perUserWritesPerSecond: 0 } });
      try {
        const u = await login(t.url);
        await politely(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 100_000 } });
        const o = await politely(t.url, 'POST', '/api/v1/orders', { token: u.token, body: ORDER });
        expect(o.status).toBe(202);
        t.portal.tick();
        const st = (await call(t.url, 'GET', `/api/v1/orders/${o.body.orderId}`, { token: u.token })).body;
        const w = (await call(t.url, 'GET', '/api/v1/wallet', { token: u.token })).body;
        if (mode === 'resilient') {
          expect(st.status).toBe('refunded');
          expect(w).toEqual({ balancePaise: 100_000, heldPaise: 0 });
        } else {
          expect(st.status).toBe('rejected');
          expect(w).toEqual({ balancePaise: 32_000, heldPaise: 68_000 });
        }
      } finally { await t.close(); }
    });
  }

  it('as-built: money held past the refund SLA shows as stuck debits until the batch releases it', async () => {
    const { createPortal } = await import('../../../mock-portal/src/app.js');
    let wall = 0;
    const p = createPortal({ mode: 'as-built', db: ':memory:', clock: '10:00', clockSpeed: 1, testMode: true, shops: { rejectRate: 1 } }, { autoTick: false, wallNow: () => wall });
    try {
      const { createServer } = await import('node:http');
      const server = createServer(p.app);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const u = await login(url);
      await call(url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 100_000 } });
      await call(url, 'POST', '/api/v1/orders', { token: u.token, body: ORDER });
      p.tick(); // rejected at 10:00, money still held
      wall += 1 * H; p.tick(); // 11:00: past the 30-minute SLA
      expect(p.reconcile()).toMatchObject({ stuckDebits: 1, stuckPaise: 68_000, walletDiscrepancyPaise: 0 });
      wall += 1 * H; p.tick(); // 12:00: the batch runs
      const r = p.reconcile();
      expect(r).toMatchObject({ stuckDebits: 0, openHolds: 0, walletDiscrepancyPaise: 0 });
      expect(r.refundLatencyP95Seconds).toBe(2 * 3600);
      server.close(); server.closeAllConnections();
    } finally { await p.close(); }
  });
});

describe('admin', () => {
  it('exposes the config and the knee at /api/v1/admin/config with the admin token only', async () => {
    const t = await startTestPortal({ mode: 'as-built' });
    try {
      expect((await call(t.url, 'GET', '/api/v1/admin/config')).status).toBe(401);
      const r = await call(t.url, 'GET', '/api/v1/admin/config', { token: ADMIN });
      expect(r.status).toBe(200);
      expect(r.body.config.mode).toBe('as-built');
      expect(r.body.config.adminToken).toBeUndefined();
      expect(r.body.knee.kneeRps).toBeGreaterThan(0);
    } finally { await t.close(); }
  });

  it('fault injection: an error rate turns writes into 503s until cleared', async () => {
    const t = await startTestPortal({ admission: { perUserWritesPerSecond: 0 } });
    try {
      const u = await login(t.url);
      expect((await call(t.url, 'POST', '/admin/faults', { token: ADMIN, body: { errorRate: 1 } })).status).toBe(200);
      expect((await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 100 } })).status).toBe(503);
      await call(t.url, 'POST', '/admin/faults', { token: ADMIN, body: { errorRate: 0 } });
      expect((await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 100 } })).status).toBe(201);
      expect((await call(t.url, 'POST', '/admin/faults', { body: { errorRate: 1 } })).status).toBe(401);
      expect((await call(t.url, 'POST', '/admin/faults', { token: ADMIN, body: { errorRate: 2 } })).status).toBe(400);
    } finally { await t.close(); }
  });

  it('fault injection: added latency on one route only', async () => {
    const t = await startTestPortal();
    try {
      await call(t.url, 'POST', '/admin/faults', { token: ADMIN, body: { latencyMs: 300, latencyRoute: '/api/v1/shops' } });
      const s0 = performance.now();
      await call(t.url, 'GET', '/api/v1/shops');
      const slow = performance.now() - s0;
      expect(slow).toBeGreaterThanOrEqual(290); // a lower bound only: the fault was applied
      const cfg = await call(t.url, 'GET', '/api/v1/admin/config', { token: ADMIN });
      expect(cfg.body.faults).toMatchObject({ latencyMs: 300, latencyRoute: '/api/v1/shops' });
    } finally { await t.close(); }
  });

  it('fault injection: a crash is requested, answered, then carried out', async () => {
    const { createPortal } = await import('../../../mock-portal/src/app.js');
    let crashed = false;
    const p = createPortal({ db: ':memory:', adminToken: ADMIN }, { autoTick: false, crash: () => { crashed = true; } });
    const { createServer } = await import('node:http');
    const server = createServer(p.app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const r = await call(url, 'POST', '/admin/faults', { token: ADMIN, body: { crash: true } });
      expect(r.body.crashing).toBe(true);
      for (let i = 0; i < 50 && !crashed; i++) await new Promise((res) => setTimeout(res, 10));
      expect(crashed).toBe(true);
    } finally { server.close(); server.closeAllConnections(); await p.close(); }
  });
});
