import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { portalLogic, type FakeOptions } from '../../unit/scenarios/fake-portal.js';

/** The fake portal's API over loopback HTTP (port 0), recording what the server itself received. */
export interface Received { method: string; path: string; key?: string; at: number; status: number }

export async function startHttpFakePortal(opts: FakeOptions = {}) {
  const { handle } = portalLogic(opts);
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const path = req.url ?? '/';
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k === 'authorization' ? 'Authorization' : k === 'idempotency-key' ? 'Idempotency-Key' : k] = v;
      const at = Date.now();
      if (path === '/healthz') { res.end('{"ok":true}'); return; }
      let json: unknown;
      try { json = body ? JSON.parse(body) : undefined; } catch { json = undefined; }
      const r = handle(req.method ?? 'GET', path, json, headers);
      received.push({ method: req.method ?? 'GET', path: path.split('?')[0], key: headers['Idempotency-Key'], at, status: r.status });
      res.writeHead(r.status === 0 ? 503 : r.status, r.headers);
      res.end(r.body ?? '');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}
