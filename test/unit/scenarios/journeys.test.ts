import { describe, expect, it } from 'vitest';
import { newUser, returningUser, statusChecker, browser, Pools, type JourneyConfig } from '../../../scenarios/lib/journeys.js';
import { backoffSeconds, retryAfterSeconds, retryable } from '../../../scenarios/lib/retry.js';
import { MOBILE_PATTERN } from '../../../src/data/mobile.js';
import { fakePortal } from './fake-portal.js';

const cfg = (over: Partial<JourneyConfig> = {}): JourneyConfig => ({
  target: 'http://127.0.0.1:9', seed: 7, timeScale: 10, thinkSeconds: 5, clientTimeoutSeconds: 30,
  retry: { policy: 'naive', probability: 1, maxRetries: 3, baseSeconds: 0.5, capSeconds: 8 },
  abandonAfterFailures: 10, statusPolls: 3, orderProbability: 1, orderValuePaise: 149_000, ...over,
});

describe('new user journey', () => {
  it('registers, logs in with the test OTP, browses, tops up, orders and polls, naming every request', async () => {
    const f = fakePortal();
    const out = await newUser(f.vu(0), f.tk, cfg(), { districts: ['Raipur', 'Bilaspur', 'Durg'] }, new Pools());
    expect(out).toBe('completed');
    expect(f.log.map((r) => r.tags.name)).toEqual([
      'POST /api/v1/register', 'POST /api/v1/otp/verify', 'GET /api/v1/shops', 'GET /api/v1/shops/{id}/catalogue',
      'POST /api/v1/wallet/topup', 'POST /api/v1/orders', 'GET /api/v1/orders/{id}',
    ]);
    const reg = f.log[0].body as { mobile: string; name: string; district: string };
    expect(reg.mobile).toMatch(MOBILE_PATTERN);
    expect(['Raipur', 'Bilaspur', 'Durg']).toContain(reg.district);
    for (const r of f.log.filter((r) => r.method === 'POST')) expect(r.headers['Idempotency-Key']).toMatch(/^ct-7-newUser-0-/);
    expect(new Set(f.log.filter((r) => r.method === 'POST').map((r) => r.headers['Idempotency-Key'])).size).toBe(4);
    for (const r of f.log.slice(4)) expect(r.headers.Authorization).toBe(`Bearer tok-${reg.mobile}`);
    expect(f.log.find((r) => r.tags.name === 'POST /api/v1/wallet/topup')!.body).toEqual({ amountPaise: 150_000 });
    expect(f.total('registrations')).toBe(1);
    expect(f.total('orders_placed')).toBe(1);
    expect(f.total('orders_accepted')).toBe(1);
    // think times are compressed by the time scale: 5 s × [0.5, 1.5) / 10
    for (const s of f.sleeps) { expect(s).toBeGreaterThanOrEqual(0.25); expect(s).toBeLessThan(0.75); }
  });

  it('polls until the order leaves the queue, at most statusPolls times', async () => {
    const f = fakePortal({ orderStatus: 'queued' });
    await newUser(f.vu(1), f.tk, cfg(), {}, new Pools());
    expect(f.log.filter((r) => r.tags.name === 'GET /api/v1/orders/{id}')).toHaveLength(3);
    expect(f.total('orders_accepted')).toBe(0);
  });

  it('leaves non-buyers in the pool for returning users, who log in with otp/send and order', async () => {
    const f = fakePortal();
    const pools = new Pools();
    await newUser(f.vu(2), f.tk, cfg({ orderProbability: 0 }), {}, pools);
    expect(f.log).toHaveLength(4);
    expect(pools.registered).toHaveLength(1);
    const before = f.log.length;
    expect(await returningUser(f.vu(0), f.tk, cfg(), {}, pools)).toBe('completed');
    expect(f.log.slice(before).map((r) => r.tags.name)).toEqual([
      'POST /api/v1/otp/send', 'POST /api/v1/otp/verify', 'POST /api/v1/wallet/topup', 'POST /api/v1/orders', 'GET /api/v1/orders/{id}',
    ]);
    expect(pools.orders).toHaveLength(1);
  });

  it('gives new users unique mobiles by iteration, and a registered number to returning users of an empty pool', async () => {
    const f = fakePortal();
    for (let i = 0; i < 50; i++) await newUser(f.vu(i), f.tk, cfg({ orderProbability: 0 }), {}, new Pools());
    expect(f.users.size).toBe(50);
    expect(f.log.filter((r) => r.status === 409)).toHaveLength(0);
    const g = fakePortal();
    expect(await returningUser(g.vu(0), g.tk, cfg(), {}, new Pools())).toBe('completed');
    expect(g.log.map((r) => r.tags.name).slice(0, 2)).toEqual(['POST /api/v1/register', 'POST /api/v1/otp/send']);
  });

  it('takes names and districts from the data file when given', async () => {
    const f = fakePortal();
    const users = [{ mobile: 'ignored', name: 'सरिता साहू', district: 'Durg', address: '1, Main Road, Durg' }];
    await newUser(f.vu(0), f.tk, cfg({ orderProbability: 0 }), { users, districts: ['Raipur', 'Durg'] }, new Pools());
    expect(f.log[0].body).toMatchObject({ name: 'सरिता साहू', district: 'Durg' });
  });
});

describe('behaviour under failure', () => {
  it('naive retries come at once, tagged, with the same Idempotency-Key, so requests outnumber arrivals', async () => {
    const f = fakePortal({ fail: ({ path }) => (path === '/api/v1/orders' ? { status: 503 } : undefined) });
    const out = await newUser(f.vu(3), f.tk, cfg(), {}, new Pools());
    expect(out).toBe('abandoned');
    const orders = f.log.filter((r) => r.tags.name === 'POST /api/v1/orders');
    expect(orders.map((r) => r.tags.retry)).toEqual([undefined, '1', '2', '3']);
    expect(new Set(orders.map((r) => r.headers['Idempotency-Key'])).size).toBe(1);
    expect(new Set(orders.map((r) => r.at)).size).toBe(1); // no wait between them
    expect(f.total('retries')).toBe(3);
    expect(f.counts.find((c) => c.metric === 'journey_abandoned')!.tags).toEqual({ journey: 'newUser', step: 'order' });
  });

  it('polite retries back off with jitter and never come sooner than Retry-After', async () => {
    const f = fakePortal({ fail: ({ path, attempt }) => (path === '/api/v1/orders' && attempt < 2 ? { status: 429, headers: { 'Retry-After': '3' } } : undefined) });
    const out = await newUser(f.vu(4), f.tk, cfg({ retry: { policy: 'polite', probability: 1, maxRetries: 3, baseSeconds: 0.5, capSeconds: 8 } }), {}, new Pools());
    expect(out).toBe('completed');
    const orders = f.log.filter((r) => r.tags.name === 'POST /api/v1/orders');
    expect(orders.map((r) => r.status)).toEqual([429, 429, 202]);
    expect(orders[1].at - orders[0].at).toBeGreaterThanOrEqual(3);
    expect(orders[2].at - orders[1].at).toBeGreaterThanOrEqual(3);
  });

  it('treats network errors (status 0) as retryable and gives up after the failures pile up', async () => {
    const f = fakePortal({ fail: ({ path }) => (path === '/api/v1/register' ? { status: 0 } : undefined) });
    const out = await newUser(f.vu(5), f.tk, cfg({ abandonAfterFailures: 2 }), {}, new Pools());
    expect(out).toBe('abandoned');
    expect(f.log).toHaveLength(2);
    expect(f.log.every((r) => r.tags.name === 'POST /api/v1/register')).toBe(true);
  });

  it('does not retry a refusal that will not change (4xx)', async () => {
    const f = fakePortal({ fail: ({ path }) => (path === '/api/v1/register' ? { status: 400 } : undefined) });
    expect(await newUser(f.vu(6), f.tk, cfg(), {}, new Pools())).toBe('abandoned');
    expect(f.log).toHaveLength(1);
  });

  it('sometimes does not retry at all when the retry probability is low', async () => {
    const f = fakePortal({ fail: ({ path }) => (path === '/api/v1/register' ? { status: 503 } : undefined) });
    await newUser(f.vu(7), f.tk, cfg({ retry: { policy: 'naive', probability: 0, maxRetries: 3, baseSeconds: 0.5, capSeconds: 8 } }), {}, new Pools());
    expect(f.log).toHaveLength(1);
  });

  it('computes backoff, Retry-After and retryable statuses', () => {
    const polite = { policy: 'polite' as const, probability: 1, maxRetries: 5, baseSeconds: 0.5, capSeconds: 4 };
    expect(backoffSeconds(polite, 10, () => 0.999)).toBeLessThanOrEqual(4);
    expect(backoffSeconds(polite, 1, () => 0.999)).toBeLessThanOrEqual(0.5);
    expect(backoffSeconds(polite, 1, () => 0, 2)).toBe(2);
    expect(backoffSeconds({ ...polite, policy: 'naive' }, 3, () => 0.5, 9)).toBe(0);
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect([0, 408, 429, 500, 503].every(retryable)).toBe(true);
    expect([200, 400, 401, 402, 404, 409].some(retryable)).toBe(false);
  });
});

describe('status checkers and browsers', () => {
  it('check an order placed on this worker with its owner\'s token, and skip when there is none', async () => {
    const f = fakePortal();
    const pools = new Pools();
    expect(await statusChecker(f.vu(0), f.tk, cfg(), {}, pools)).toBe('skipped');
    expect(f.log).toHaveLength(0);
    await newUser(f.vu(8), f.tk, cfg(), {}, pools);
    const n = f.log.length;
    expect(await statusChecker(f.vu(1), f.tk, cfg(), {}, pools)).toBe('completed');
    expect(f.log[n].tags.name).toBe('GET /api/v1/orders/{id}');
    expect(f.log[n].status).toBe(200);
  });

  it('browse districts, shops and a catalogue without logging in', async () => {
    const f = fakePortal();
    expect(await browser(f.vu(0), f.tk, cfg(), {}, new Pools())).toBe('completed');
    expect(f.log.map((r) => r.tags.name)).toEqual(['GET /api/v1/districts', 'GET /api/v1/shops', 'GET /api/v1/shops/{id}/catalogue']);
    expect(f.log.every((r) => r.headers.Authorization === undefined)).toBe(true);
  });

  it('before opening, browsers see closed shops, new users register and come back, returning users give up', async () => {
    const f = fakePortal({ shopsOpen: false });
    const pools = new Pools();
    expect(await browser(f.vu(0), f.tk, cfg(), {}, pools)).toBe('completed');
    expect(f.log).toHaveLength(2);
    expect(await newUser(f.vu(0), f.tk, cfg(), {}, pools)).toBe('completed');
    expect(pools.registered).toHaveLength(1);
    expect(f.total('shops_closed')).toBe(2);
    expect(await returningUser(f.vu(1), f.tk, cfg(), {}, pools)).toBe('abandoned');
    expect(f.counts.find((c) => c.metric === 'journey_abandoned')!.tags).toEqual({ journey: 'returningUser', step: 'shops-closed' });
  });
});
