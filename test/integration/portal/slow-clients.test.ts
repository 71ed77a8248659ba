import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { call, getFrom, login, startTestPortal, type TestPortal } from './helper.js';

/** A client that sends the headers and 1 byte of a 10-byte body, then hangs (from its own loopback address). */
async function stall(t: TestPortal, from: string): Promise<Socket> {
  const { port } = new URL(t.url);
  const s = connect({ host: '127.0.0.1', port: Number(port), localAddress: from });
  s.on('error', () => {});
  await new Promise<void>((r) => s.once('connect', () => r()));
  s.write('POST /api/v1/otp/send HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{');
  return s;
}
const closed = (s: Socket): Promise<void> => new Promise((r) => { if (s.destroyed || s.readyState === 'closed') r(); else s.once('close', () => r()); });

describe('slow and stalled clients (resilient)', () => {
  it('128 stalled connections (headers and 1 byte of a 10-byte body) hold no in-flight slot: the API still answers 2xx', async () => {
    const t = await startTestPortal({ admission: { maxInFlight: 128, perUserWritesPerSecond: 0 } });
    const stalled: Socket[] = [];
    try {
      const u = await login(t.url);
      for (let i = 0; i < 128; i++) stalled.push(await stall(t, '127.0.0.2'));
      await new Promise((r) => setTimeout(r, 100));
      expect(stalled.every((s) => !s.destroyed)).toBe(true);
      expect(t.portal.door.inFlight).toBe(0);
      expect((await call(t.url, 'GET', '/api/v1/wallet', { token: u.token })).status).toBe(200);
      expect((await call(t.url, 'POST', '/api/v1/wallet/topup', { token: u.token, body: { amountPaise: 500 } })).status).toBe(201);
      expect((await call(t.url, 'GET', '/api/v1/shops?district=Raipur')).status).toBe(200);
      expect(stalled.every((s) => !s.destroyed)).toBe(true); // they were still hanging while others were served
    } finally {
      for (const s of stalled) s.destroy();
      await t.close();
    }
  });

  it('a request whose body never completes is answered 408 and closed once requestTimeoutMs has passed', async () => {
    const t = await startTestPortal({ server: { headersTimeoutMs: 200, requestTimeoutMs: 400 } });
    try {
      const s = await stall(t, '127.0.0.2');
      let text = '';
      s.on('data', (b: Buffer) => { text += b.toString(); });
      await closed(s);
      expect(text).toMatch(/^HTTP\/1\.1 408/);
    } finally { await t.close(); }
  });

  it('one client address holds at most maxConnectionsPerClient connections; others are served meanwhile', async () => {
    const t = await startTestPortal({ server: { maxConnectionsPerClient: 16 } });
    const socks: Socket[] = [];
    try {
      for (let i = 0; i < 32; i++) socks.push(await stall(t, '127.0.0.3'));
      await new Promise((r) => setTimeout(r, 200));
      const cut = socks.filter((s) => s.destroyed || s.readyState === 'closed').length;
      expect(cut).toBe(16);
      expect(await getFrom(t.url, '127.0.0.1', '/api/v1/districts')).toBe(200);
      // the capped client gets a connection again once it closes some
      for (const s of socks.slice(0, 20)) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect(await getFrom(t.url, '127.0.0.3', '/api/v1/districts')).toBe(200);
    } finally {
      for (const s of socks) s.destroy();
      await t.close();
    }
  });
});

describe('/healthz: liveness apart from readiness', () => {
  it('reports degraded (not ready, /healthz/ready 503) while the API sheds; live stays 200; ok again when it stops', async () => {
    const t = await startTestPortal({ admission: { maxInFlight: 1, perUserWritesPerSecond: 0 }, faults: { latencyMs: 1_500, latencyRoute: '/api/v1/districts' } });
    try {
      const before = await call(t.url, 'GET', '/healthz');
      expect(before.body).toMatchObject({ status: 'ok', live: true, ready: true });
      expect((await call(t.url, 'GET', '/healthz/ready')).status).toBe(200);
      const slow = call(t.url, 'GET', '/api/v1/districts'); // holds the one slot for 1.5 s
      for (let i = 0; i < 100 && t.portal.door.inFlight === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const shed = await call(t.url, 'GET', '/api/v1/shops');
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('1');
      const h = await call(t.url, 'GET', '/healthz');
      expect(h.status).toBe(200); // GET /healthz keeps answering: it is the liveness view too
      expect(h.body).toMatchObject({ status: 'degraded', live: true, ready: false, shedding: { in_flight: expect.any(Number) } });
      const ready = await call(t.url, 'GET', '/healthz/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('degraded');
      expect((await call(t.url, 'GET', '/healthz/live')).status).toBe(200);
      expect((await slow).status).toBe(200);
    } finally { await t.close(); }
  });

  it('the CPU budget at the door: a burst past it is refused at once with 503 and Retry-After, and readiness says degraded', async () => {
    // a budget of 5 ms of CPU a second (burst 1 ms): one or two reads get in, the rest are turned away
    const t = await startTestPortal({ admission: { doorCpuShare: 0.005, perUserWritesPerSecond: 0 } });
    try {
      const rs = await Promise.all(Array.from({ length: 60 }, () => call(t.url, 'GET', '/api/v1/shops')));
      const shed = rs.filter((r) => r.status === 503);
      expect(shed.length).toBeGreaterThan(30);
      expect(rs.every((r) => r.status === 200 || r.status === 503)).toBe(true);
      for (const r of shed) {
        expect(r.headers.get('retry-after')).toBe('1');
        expect(r.body.error).toMatchObject({ code: 'overloaded', message: expect.stringContaining('beyond its knee') });
      }
      expect((await call(t.url, 'GET', '/healthz')).body.shedding).toHaveProperty('door_budget');
      // operators' pages are never shed
      expect((await call(t.url, 'GET', '/api/v1/clock')).status).toBe(200);
    } finally { await t.close(); }
  });

  it('as-built sheds nothing at the door (the build that failed stays as it was)', async () => {
    const t = await startTestPortal({ mode: 'as-built', capacity: { cpuMsPerRequest: 0, dbQueryMs: 0 } });
    try {
      const rs = await Promise.all(Array.from({ length: 60 }, () => call(t.url, 'GET', '/api/v1/shops')));
      expect(rs.every((r) => r.status === 200)).toBe(true);
      expect((await call(t.url, 'GET', '/healthz')).body.status).toBe('ok');
    } finally { await t.close(); }
  });
});

