import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, login, mobile, ORDER, startTestPortal, type TestPortal } from './helper.js';

let t: TestPortal;
let token: string;
beforeAll(async () => {
  t = await startTestPortal();
  token = (await login(t.url)).token;
  await call(t.url, 'POST', '/api/v1/wallet/topup', { token, body: { amountPaise: 1_000_000 } });
});
afterAll(async () => { await t.close(); });

const money = async () => (await call(t.url, 'GET', '/admin/reconcile', { token: ADMIN })).body.totals;

describe('hostile input is refused with a 4xx naming the field, never a 5xx, and changes nothing', () => {
  const topups: Array<[string, unknown, string]> = [
    ['negative', { amountPaise: -100 }, 'amountPaise'],
    ['zero', { amountPaise: 0 }, 'amountPaise'],
    ['fractional', { amountPaise: 10.5 }, 'amountPaise'],
    ['huge', { amountPaise: 1e20 }, 'amountPaise'],
    ['non-numeric', { amountPaise: '100' }, 'amountPaise'],
    ['SQL fragment', { amountPaise: "1; DROP TABLE entries; --" }, 'amountPaise'],
    ['null', { amountPaise: null }, 'amountPaise'],
    ['unknown field', { amountPaise: 100, bonus: 5 }, 'bonus'],
    ['missing field', {}, 'amountPaise'],
    ['array body', [1, 2], 'body'],
  ];
  for (const [what, body, field] of topups) {
    it(`top-up with a ${what} amount → 400 naming ${field}`, async () => {
      const before = await money();
      const r = await call(t.url, 'POST', '/api/v1/wallet/topup', { token, body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toEqual(expect.any(String));
      expect(r.body.error.message).toContain(field);
      expect(await money()).toEqual(before);
    });
  }

  const orders: Array<[string, unknown, string]> = [
    ['fractional qty', { shopId: 'raipur-01', items: [{ sku: 'WHISKY-750', qty: 1.5 }] }, 'items.0.qty'],
    ['negative qty', { shopId: 'raipur-01', items: [{ sku: 'WHISKY-750', qty: -1 }] }, 'items.0.qty'],
    ['string qty', { shopId: 'raipur-01', items: [{ sku: 'WHISKY-750', qty: '2' }] }, 'items.0.qty'],
    ['no items', { shopId: 'raipur-01', items: [] }, 'items'],
    ['numeric shopId', { shopId: 1, items: [{ sku: 'WHISKY-750', qty: 1 }] }, 'shopId'],
    ['extra item field', { shopId: 'raipur-01', items: [{ sku: 'WHISKY-750', qty: 1, pricePaise: 1 }] }, 'pricePaise'],
    ['qty over the per-order limit', { shopId: 'raipur-01', items: [{ sku: 'WHISKY-750', qty: 13 }] }, 'qty'],
  ];
  for (const [what, body, field] of orders) {
    it(`order with ${what} → 400 naming ${field}`, async () => {
      const before = await money();
      const r = await call(t.url, 'POST', '/api/v1/orders', { token, body });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain(field);
      expect(await money()).toEqual(before);
    });
  }

  const registrations: Array<[string, unknown, string]> = [
    ['mobile without +91', { mobile: '9876543210', name: 'A', district: 'Raipur' }, 'mobile'],
    ['mobile starting with 5', { mobile: '+915876543210', name: 'A', district: 'Raipur' }, 'mobile'],
    ['overlong name', { mobile: mobile(), name: 'क'.repeat(101), district: 'Raipur' }, 'name'],
    ['empty name', { mobile: mobile(), name: '', district: 'Raipur' }, 'name'],
    ['control characters in name', { mobile: mobile(), name: 'a\u0000b', district: 'Raipur' }, 'name'],
    ['unknown district', { mobile: mobile(), name: 'A', district: "Raipur' OR 1=1 --" }, 'district'],
    ['wrong-typed name', { mobile: mobile(), name: 42, district: 'Raipur' }, 'name'],
  ];
  for (const [what, body, field] of registrations) {
    it(`register with ${what} → 400 naming ${field}`, async () => {
      const r = await call(t.url, 'POST', '/api/v1/register', { body });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain(field);
    });
  }

  it('accepts a 100-character unicode name', async () => {
    const r = await call(t.url, 'POST', '/api/v1/register', { body: { mobile: mobile(), name: 'छ'.repeat(100), district: 'Bilaspur' } });
    expect(r.status).toBe(201);
  });

  it('malformed JSON → 400', async () => {
    const r = await call(t.url, 'POST', '/api/v1/wallet/topup', { token, raw: '{"amountPaise": 10' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('body');
  });

  it('deeply nested JSON → 400, not a stack overflow', async () => {
    const r = await call(t.url, 'POST', '/api/v1/register', { raw: '['.repeat(5000) + ']'.repeat(5000) });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('body');
  });

  it('malformed percent-encoding in a path → 400', async () => {
    expect((await call(t.url, 'GET', '/api/v1/orders/%E0%A4%A', { token })).status).toBe(400);
  });

  it('a repeated or unknown query parameter → 400 naming it', async () => {
    const r = await call(t.url, 'GET', '/api/v1/shops?district=Raipur&district=Durg');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('district');
    expect((await call(t.url, 'GET', '/api/v1/shops?sort=price')).body.error.message).toContain('sort');
  });

  it('a body over 64 KB (1 MB) → 413', async () => {
    const r = await call(t.url, 'POST', '/api/v1/register', { raw: JSON.stringify({ mobile: '+919876543210', name: 'x'.repeat(1_000_000), district: 'Raipur' }) });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
  });

  it('a JSON body sent as text/plain → 400 (not parsed, not trusted)', async () => {
    const r = await call(t.url, 'POST', '/api/v1/wallet/topup', { token, raw: '{"amountPaise":100}', headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(400);
  });

  it('unknown district in the shops query → 400 naming district', async () => {
    const r = await call(t.url, 'GET', '/api/v1/shops?district=Atlantis');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('district');
  });

  it('unknown shop → 404 for the catalogue and the order; unknown sku → 404', async () => {
    expect((await call(t.url, 'GET', '/api/v1/shops/nowhere-99/catalogue')).status).toBe(404);
    expect((await call(t.url, 'POST', '/api/v1/orders', { token, body: { ...ORDER, shopId: 'nowhere-99' } })).status).toBe(404);
    const r = await call(t.url, 'POST', '/api/v1/orders', { token, body: { shopId: 'raipur-01', items: [{ sku: 'NOPE', qty: 1 }] } });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toContain('sku');
  });

  it('a bad Idempotency-Key → 400 naming it', async () => {
    const r = await call(t.url, 'POST', '/api/v1/wallet/topup', { token, body: { amountPaise: 100 }, key: 'x'.repeat(300) });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('Idempotency-Key');
  });

  it('an order the balance cannot cover → 402 and nothing held', async () => {
    const poor = await login(t.url);
    await call(t.url, 'POST', '/api/v1/wallet/topup', { token: poor.token, body: { amountPaise: 1000 } });
    const r = await call(t.url, 'POST', '/api/v1/orders', { token: poor.token, body: ORDER });
    expect(r.status).toBe(402);
    expect((await call(t.url, 'GET', '/api/v1/wallet', { token: poor.token })).body).toEqual({ balancePaise: 1000, heldPaise: 0 });
  });
});
