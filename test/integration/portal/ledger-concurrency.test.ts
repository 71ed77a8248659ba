import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, login, startTestPortal, type TestPortal } from './helper.js';

let t: TestPortal;
let users: Array<{ token: string }>;
beforeAll(async () => {
  t = await startTestPortal({ admission: { perUserWritesPerSecond: 0, maxWaitMs: 60_000, maxWaiting: 100_000 }, shops: { rejectRate: 0.3, acceptPerSimHour: 600 } });
  users = [await login(t.url), await login(t.url), await login(t.url)];
});
afterAll(async () => { await t.close(); });

type Op = { kind: 'topup'; u: number; amount: number } | { kind: 'order'; u: number; qty: number } | { kind: 'cancel'; u: number } | { kind: 'tick' };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('topup' as const), u: fc.nat(2), amount: fc.integer({ min: 1, max: 200_000 }) }),
  fc.record({ kind: fc.constant('order' as const), u: fc.nat(2), qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('cancel' as const), u: fc.nat(2) }),
  fc.constant({ kind: 'tick' as const }),
);

describe('the ledger under concurrent HTTP top-ups, orders, cancels and acceptances', () => {
  it('reconciles to zero and no wallet goes negative, whatever interleaving', async () => {
    const placed: string[][] = [[], [], []];
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
      const rs = await Promise.all(ops.map(async (o) => {
        if (o.kind === 'tick') { t.portal.tick(); return 200; }
        const token = users[o.u].token;
        if (o.kind === 'topup') return (await call(t.url, 'POST', '/api/v1/wallet/topup', { token, body: { amountPaise: o.amount } })).status;
        if (o.kind === 'order') {
          const r = await call(t.url, 'POST', '/api/v1/orders', { token, body: { shopId: 'raipur-02', items: [{ sku: 'DESI-PLAIN-180', qty: o.qty }] } });
          if (r.status === 202) placed[o.u].push(r.body.orderId);
          return r.status;
        }
        const id = placed[o.u][placed[o.u].length - 1];
        return id ? (await call(t.url, 'POST', `/api/v1/orders/${id}/cancel`, { token })).status : 200;
      }));
      expect(rs.every((s) => s < 500)).toBe(true);
      const rec = (await call(t.url, 'GET', '/admin/reconcile', { token: ADMIN })).body;
      expect(rec).toMatchObject({ walletDiscrepancyPaise: 0, ledgerImbalancePaise: 0, accountMismatches: 0 });
      for (const u of users) {
        const w = (await call(t.url, 'GET', '/api/v1/wallet', { token: u.token })).body;
        expect(w.balancePaise).toBeGreaterThanOrEqual(0);
        expect(w.heldPaise).toBeGreaterThanOrEqual(0);
      }
    }), { numRuns: 15 });
  });
});
