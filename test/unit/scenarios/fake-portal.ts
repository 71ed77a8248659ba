import type { Http, RequestBody, RequestParams, Response, VU } from '../../../src/scenario-api/types.js';
import type { Toolkit } from '../../../scenarios/lib/toolkit.js';

/** A recorded fake of the portal API (docs/contracts.md#portal-api), enough for journeys; failures injectable. */
export interface Recorded { method: string; path: string; body?: unknown; headers: Record<string, string>; tags: Record<string, string>; status: number; at: number }

export interface FakeOptions {
  /** return a status (and headers) to fail this request instead of answering it */
  fail?: (r: { method: string; path: string; attempt: number }) => { status: number; headers?: Record<string, string> } | undefined;
  orderStatus?: string;
  shopsOpen?: boolean;
}

function response(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    status, headers: { 'content-type': 'application/json', ...headers }, body: text, url: '',
    timings: { duration: 1, waiting: 1, sending: 0, receiving: 0, blocked: 0, connecting: 0, tls_handshaking: 0 },
    ...(status === 0 ? { error: 'connection refused' } : {}),
    json: <T>() => JSON.parse(text) as T,
  };
}

/** The API's behaviour alone (shared by the in-process fake and the HTTP fake of integration tests). */
export function portalLogic(opts: FakeOptions = {}) {
  const users = new Map<string, { otp: string }>();
  const tokens = new Map<string, string>();
  const orders = new Map<string, string>();
  const balances = new Map<string, number>();
  const attempts = new Map<string, number>();
  function handle(method: string, path: string, body: any, headers: Record<string, string>): Response {
    const auth = headers.Authorization?.replace('Bearer ', '');
    const who = auth ? tokens.get(auth) : undefined;
    const key = `${method} ${path} ${headers['Idempotency-Key'] ?? ''}`;
    const attempt = attempts.get(key) ?? 0;
    attempts.set(key, attempt + 1);
    const injected = opts.fail?.({ method, path, attempt });
    if (injected) return response(injected.status, injected.status ? { error: { code: 'fail', message: 'injected' } } : undefined, injected.headers);
    const p = path.split('?')[0];
    if (method === 'GET' && p === '/api/v1/districts') return response(200, { districts: ['Raipur', 'Bilaspur', 'Durg'] });
    if (method === 'POST' && p === '/api/v1/register') {
      if (users.has(body.mobile)) return response(409, { error: { code: 'taken', message: 'mobile' } });
      users.set(body.mobile, { otp: '123456' });
      return response(201, { userId: `u${users.size}` }, { 'X-Test-Otp': '123456' });
    }
    if (method === 'POST' && p === '/api/v1/otp/send') return users.has(body.mobile) ? response(202, {}, { 'x-test-otp': '654321' }) : response(404, {});
    if (method === 'POST' && p === '/api/v1/otp/verify') {
      if (!users.has(body.mobile)) return response(401, {});
      const t = `tok-${body.mobile}`;
      tokens.set(t, body.mobile);
      return response(200, { token: t });
    }
    if (method === 'GET' && p === '/api/v1/shops') return response(200, { shops: [{ id: 's1', name: 'Raipur Premium', district: 'Raipur', kind: 'premium', open: opts.shopsOpen ?? true }] });
    if (method === 'GET' && p === '/api/v1/shops/s1/catalogue') return response(200, { items: [{ sku: 'sku-1', name: 'x', pricePaise: 74_500, stock: 100 }] });
    if (!who) return response(401, {});
    if (method === 'POST' && p === '/api/v1/wallet/topup') { balances.set(who, (balances.get(who) ?? 0) + body.amountPaise); return response(201, { balancePaise: balances.get(who) }); }
    if (method === 'POST' && p === '/api/v1/orders') { const id = `o${orders.size + 1}`; orders.set(id, who); return response(202, { orderId: id, status: 'queued', totalPaise: 149_000 }); }
    const m = /^\/api\/v1\/orders\/(.+)$/.exec(p);
    if (method === 'GET' && m) return orders.get(m[1]) === who ? response(200, { orderId: m[1], status: opts.orderStatus ?? 'accepted', totalPaise: 149_000 }) : response(404, {});
    return response(404, {});
  }
  return { handle, users };
}

export function fakePortal(opts: FakeOptions = {}) {
  const log: Recorded[] = [];
  const { handle, users } = portalLogic(opts);
  let clock = 0; // advanced by the fake sleep, so spacing between requests is visible
  const sleeps: number[] = [];

  const request = async (method: string, url: string, b?: RequestBody | null, params?: RequestParams): Promise<Response> => {
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    const headers = params?.headers ?? {};
    const res = handle(method, path, b?.json, headers);
    log.push({ method, path, body: b?.json, headers, tags: params?.tags ?? {}, status: res.status, at: clock });
    return res;
  };
  const http: Http = {
    get: (u, p) => request('GET', u, null, p),
    post: (u, b, p) => request('POST', u, b, p),
    put: (u, b, p) => request('PUT', u, b, p),
    patch: (u, b, p) => request('PATCH', u, b, p),
    del: (u, b, p) => request('DELETE', u, b, p),
    request: (m, u, b, p) => request(m, u, b, p),
    batch: async () => [],
  };
  const counts: { metric: string; value: number; tags?: Record<string, string> }[] = [];
  const checks: { name: string; pass: boolean }[] = [];
  const tk: Toolkit = {
    check(value, checkers) {
      let all = true;
      for (const [name, fn] of Object.entries(checkers)) { const pass = fn(value); checks.push({ name, pass }); all &&= pass; }
      return all;
    },
    async sleep(s) { sleeps.push(s); clock += s; },
    count(metric, value, tags) { counts.push({ metric, value, tags }); },
  };
  const vu = (iterationInTest: number): VU => ({ http, env: {}, id: 1, iteration: iterationInTest, scenario: 'test', iterationInTest, worker: 0, state: {} });
  const total = (metric: string) => counts.filter((c) => c.metric === metric).reduce((s, c) => s + c.value, 0);
  return { log, http, tk, vu, counts, checks, sleeps, total, users };
}
