import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, login, mobile, ORDER, startTestPortal, type TestPortal } from './helper.js';

/**
 * The hostile-input corpus of the resilient build (docs/contracts.md, "Portal hardening (resilient
 * build)"): each case is a request a hostile or careless client sends, the status it must get and the
 * field its error message must name. Money must not move on any of them.
 */
interface Case { what: string; method: 'GET' | 'POST'; path: string; body?: unknown; raw?: string; auth?: boolean; status: number; field: string }

const M = (): string => mobile();
const reg = (over: Record<string, unknown>): Record<string, unknown> => ({ mobile: M(), name: 'Asha Verma', district: 'Raipur', ...over });
const cases: Case[] = [];
const add = (c: Omit<Case, 'method'> & { method?: Case['method'] }): void => { cases.push({ method: 'POST', ...c }); };

// names: no visible letter, bidirectional controls, unpaired surrogates, control characters, length
const BIDI = ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
for (const c of BIDI) {
  add({ what: `a name holding U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, path: '/api/v1/register', body: reg({ name: `Asha${c}Verma` }), status: 400, field: 'name' });
  add({ what: `a name starting with U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, path: '/api/v1/register', body: reg({ name: `${c}Asha` }), status: 400, field: 'name' });
}
const NO_LETTER = ['\u200b', '\u200b\u200b\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u200b \u200b', '12345', '...', '\u0301', '\u093e', '😀', '★★', '-_-', '\u00a0', '\u3000', '\u2800'];
for (const n of NO_LETTER) add({ what: `a name without a letter ${JSON.stringify(n)}`, path: '/api/v1/register', body: reg({ name: n }), status: 400, field: 'name' });
const SURROGATES = ['\ud800', '\udfff', 'Asha\ud83d', '\ude00Asha', 'A\udc00B', '\ud83d\ud83d'];
for (const n of SURROGATES) add({ what: `a name with an unpaired surrogate ${JSON.stringify(n)}`, path: '/api/v1/register', raw: JSON.stringify(reg({})).replace('"Asha Verma"', JSON.stringify(n)), status: 400, field: 'name' });
for (const cc of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\n', '\t', '\r']) {
  add({ what: `a name with control character U+${cc.codePointAt(0)!.toString(16).padStart(4, '0')}`, path: '/api/v1/register', body: reg({ name: `As${cc}ha` }), status: 400, field: 'name' });
}
for (const n of ['', ' ', '   ', 'क'.repeat(101), 'a'.repeat(1000)]) add({ what: `a name of length ${n.length}`, path: '/api/v1/register', body: reg({ name: n }), status: 400, field: 'name' });
for (const v of [42, null, true, ['Asha'], { first: 'Asha' }]) add({ what: `a name of type ${JSON.stringify(v)}`, path: '/api/v1/register', body: reg({ name: v }), status: 400, field: 'name' });

// mobiles, on every route that takes one
const BAD_MOBILES: unknown[] = ['9876543210', '+915876543210', '+91987654321', '+9198765432100', '+92 9876543210', '+91 9876543210', '+91-9876543210',
  '०९८७६५४३२१', '+91９８７６５４３２１０', "+919876543210' OR 1=1", '', 9876543210, null, ['+919876543210'], '+91987654321a'];
for (const m of BAD_MOBILES) {
  add({ what: `register with mobile ${JSON.stringify(m)}`, path: '/api/v1/register', body: reg({ mobile: m }), status: 400, field: 'mobile' });
  add({ what: `otp/send with mobile ${JSON.stringify(m)}`, path: '/api/v1/otp/send', body: { mobile: m }, status: 400, field: 'mobile' });
  add({ what: `otp/verify with mobile ${JSON.stringify(m)}`, path: '/api/v1/otp/verify', body: { mobile: m, otp: '123456' }, status: 400, field: 'mobile' });
}
for (const d of ["Raipur' OR 1=1 --", 'raipur', 'RAIPUR', 'Raipur ', 'Mumbai', '', 7, null]) {
  add({ what: `register with district ${JSON.stringify(d)}`, path: '/api/v1/register', body: reg({ district: d }), status: 400, field: 'district' });
}
for (const d of ['Mumbai', 'raipur', '%00', "' OR 1=1"]) add({ what: `shops of district ${JSON.stringify(d)}`, method: 'GET', path: `/api/v1/shops?district=${encodeURIComponent(d)}`, status: 400, field: 'district' });
for (const otp of ['12345', '1234567', 'abcdef', '12 456', '١٢٣٤٥٦', '', 123456, null, '123456\n']) {
  add({ what: `otp/verify with otp ${JSON.stringify(otp)}`, path: '/api/v1/otp/verify', body: { mobile: M(), otp }, status: 400, field: 'otp' });
}
for (const r of ['yes', 1, null, 'true']) add({ what: `otp/verify with revokeOthers ${JSON.stringify(r)}`, path: '/api/v1/otp/verify', body: { mobile: M(), otp: '123456', revokeOthers: r }, status: 400, field: 'revokeOthers' });

// money: the configured maximum top-up, and every way of not being a positive integer of paise
for (const a of [10_000_001, 10_000_100, 20_000_000, 100_000_000, 999_999_999, 1_000_000_000]) {
  add({ what: `a top-up of ${a} paise, above the ₹1 lakh maximum`, path: '/api/v1/wallet/topup', auth: true, body: { amountPaise: a }, status: 400, field: 'maxTopupPaise' });
  add({ what: `a top-up of ${a} paise names amountPaise`, path: '/api/v1/wallet/topup', auth: true, body: { amountPaise: a }, status: 400, field: 'amountPaise' });
}
for (const a of [-1, -10_000, 0, -0, 0.5, 10.5, 1e20, 1e308, Number.MAX_SAFE_INTEGER + 2, '100', '1e3', "1; DROP TABLE entries; --", null, true, [100], { paise: 100 }]) {
  add({ what: `a top-up of ${JSON.stringify(a)}`, path: '/api/v1/wallet/topup', auth: true, body: { amountPaise: a }, status: 400, field: 'amountPaise' });
}
add({ what: 'a top-up of 1e400 (JSON reads it as Infinity)', path: '/api/v1/wallet/topup', auth: true, raw: '{"amountPaise": 1e400}', status: 400, field: 'amountPaise' });
for (const raw of ['{"amountPaise": NaN}', '{"amountPaise": Infinity}', '{"amountPaise": 0x10}', '{"amountPaise": 01}']) {
  add({ what: `a top-up body ${raw}`, path: '/api/v1/wallet/topup', auth: true, raw, status: 400, field: 'body' });
}
add({ what: 'a top-up with a bonus field', path: '/api/v1/wallet/topup', auth: true, body: { amountPaise: 100, bonus: 5 }, status: 400, field: 'bonus' });
add({ what: 'a top-up naming another user', path: '/api/v1/wallet/topup', auth: true, body: { amountPaise: 100, userId: 'usr_x' }, status: 400, field: 'userId' });
add({ what: 'a top-up without an amount', path: '/api/v1/wallet/topup', auth: true, body: {}, status: 400, field: 'amountPaise' });
add({ what: 'a top-up body that is an array', path: '/api/v1/wallet/topup', auth: true, body: [1, 2], status: 400, field: 'body' });
add({ what: 'a top-up body that is a string', path: '/api/v1/wallet/topup', auth: true, body: 'amountPaise=100', status: 400, field: 'body' });

// orders
const item = (over: Record<string, unknown>) => ({ shopId: ORDER.shopId, items: [{ ...ORDER.items[0], ...over }] });
for (const q of [0, -1, 1.5, '2', null, 1001, 1e9, true]) add({ what: `an order with qty ${JSON.stringify(q)}`, path: '/api/v1/orders', auth: true, body: item({ qty: q }), status: 400, field: 'items.0.qty' });
for (const sku of ['', 'x'.repeat(65), 7, null]) add({ what: `an order with sku ${JSON.stringify(sku)}`, path: '/api/v1/orders', auth: true, body: item({ sku }), status: 400, field: 'items.0.sku' });
for (const shopId of ['', 'x'.repeat(65), 1, null, ['raipur-01']]) add({ what: `an order with shopId ${JSON.stringify(shopId)}`, path: '/api/v1/orders', auth: true, body: { ...ORDER, shopId }, status: 400, field: 'shopId' });
add({ what: 'an order with no items', path: '/api/v1/orders', auth: true, body: { shopId: ORDER.shopId, items: [] }, status: 400, field: 'items' });
add({ what: 'an order with 51 lines', path: '/api/v1/orders', auth: true, body: { shopId: ORDER.shopId, items: Array.from({ length: 51 }, () => ORDER.items[0]) }, status: 400, field: 'items' });
add({ what: 'an order with 11 lines (over maxItemsPerOrder)', path: '/api/v1/orders', auth: true, body: { shopId: ORDER.shopId, items: Array.from({ length: 11 }, () => ({ sku: 'WHISKY-750', qty: 1 })) }, status: 400, field: 'items' });
add({ what: 'an order splitting 13 of a sku over two lines', path: '/api/v1/orders', auth: true, body: { shopId: ORDER.shopId, items: [{ sku: 'WHISKY-750', qty: 7 }, { sku: 'WHISKY-750', qty: 6 }] }, status: 400, field: 'qty' });
add({ what: 'an order with a price of its own', path: '/api/v1/orders', auth: true, body: item({ pricePaise: 1 }), status: 400, field: 'pricePaise' });
add({ what: 'an order with a total of its own', path: '/api/v1/orders', auth: true, body: { ...ORDER, totalPaise: 1 }, status: 400, field: 'totalPaise' });
add({ what: 'an order for an unknown shop', path: '/api/v1/orders', auth: true, body: { ...ORDER, shopId: 'nowhere-01' }, status: 404, field: 'shopId' });
add({ what: 'an order for an unknown sku', path: '/api/v1/orders', auth: true, body: item({ sku: 'NOPE-1' }), status: 404, field: 'sku' });
add({ what: 'an order with items as an object', path: '/api/v1/orders', auth: true, body: { shopId: ORDER.shopId, items: { sku: 'WHISKY-750', qty: 1 } }, status: 400, field: 'items' });
add({ what: 'a cancel with an overlong reason', path: '/api/v1/orders/ord_x/cancel', auth: true, body: { reason: 'x'.repeat(201) }, status: 400, field: 'reason' });
add({ what: 'a cancel with an unknown field', path: '/api/v1/orders/ord_x/cancel', auth: true, body: { refund: 'double' }, status: 400, field: 'refund' });

// unknown fields on every public write
for (const [path, body] of [['/api/v1/register', reg({ role: 'admin' })], ['/api/v1/otp/send', { mobile: M(), role: 'admin' }], ['/api/v1/otp/verify', { mobile: M(), otp: '123456', role: 'admin' }]] as const) {
  add({ what: `${path} with an unknown field`, path, body, status: 400, field: 'role' });
}
// bodies that are not JSON objects, on every write
for (const path of ['/api/v1/register', '/api/v1/otp/send', '/api/v1/otp/verify', '/api/v1/wallet/topup', '/api/v1/orders']) {
  for (const raw of ['{', '{"a":', 'null', '[]', '"x"']) add({ what: `${path} with body ${raw}`, path, raw, auth: path.includes('wallet') || path.includes('orders'), status: 400, field: 'body' });
}
// without a valid bearer token
for (const [method, path] of [['GET', '/api/v1/wallet'], ['GET', '/api/v1/wallet/ledger'], ['GET', '/api/v1/orders'], ['GET', '/api/v1/orders/ord_x'], ['POST', '/api/v1/wallet/topup'], ['POST', '/api/v1/orders']] as const) {
  add({ what: `${method} ${path} without a token`, method, path, body: method === 'POST' ? { amountPaise: 100 } : undefined, status: 401, field: 'bearer token' });
}

let t: TestPortal;
let token: string;
beforeAll(async () => {
  t = await startTestPortal({ admission: { perUserWritesPerSecond: 0 }, otpSendsPerWindow: 1_000 });
  token = (await login(t.url)).token;
  await call(t.url, 'POST', '/api/v1/wallet/topup', { token, body: { amountPaise: 1_000_000 } });
});
afterAll(async () => { await t.close(); });

describe(`the hostile-input corpus (${cases.length} cases): each refused with its status, naming its field, moving no money`, () => {
  it('holds at least 200 cases', () => { expect(cases.length).toBeGreaterThanOrEqual(200); });

  for (const c of cases) {
    it(`${c.what} → ${c.status} naming ${c.field}`, async () => {
      const r = await call(t.url, c.method, c.path, { body: c.body, raw: c.raw, token: c.auth ? token : undefined });
      expect(r.status).toBe(c.status);
      expect(r.body.error.message).toContain(c.field);
    });
  }

  it('money reconciles after the whole corpus, and the one top-up is all that moved', async () => {
    const r = await call(t.url, 'GET', '/admin/reconcile', { token: ADMIN });
    expect(r.body).toMatchObject({ walletDiscrepancyPaise: 0, ledgerImbalancePaise: 0, accountMismatches: 0, totals: { topupsPaise: 1_000_000, holdsPaise: 0 } });
  });

  it('a name at the limits is accepted: Devanagari with its marks, 100 characters, a letter among digits', async () => {
    for (const name of ['आशा वर्मा', 'छ'.repeat(100), 'R2-D2', "O'Brien", 'José Ñúñez']) {
      expect((await call(t.url, 'POST', '/api/v1/register', { body: reg({ name }) })).status).toBe(201);
    }
    expect((await call(t.url, 'POST', '/api/v1/wallet/topup', { token, body: { amountPaise: 10_000_000 } })).status).toBe(201);
  });
});
